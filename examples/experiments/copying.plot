# statelab plot arguments, one figure per line (run.sh adds RESULTS and -o)
# The vertical line: the string length whose bits (copy-task:k=2, one bit a letter) equal the
# number of values in the LSTM's state (2 layers x (h, c) x 32 = 128), i.e. its state size at one
# bit per number; copying.toml's header says why the real bounds lie further out.
--kind curve --by model --vline "128:LSTM state: 128 numbers at 1 bit each"
