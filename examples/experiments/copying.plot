# statelab plot arguments, one figure per line (run.sh adds RESULTS and -o)
# The vertical line: the string length whose bits (copy-task:k=10, log2(10) bits a letter) equal the
# number of values in the LSTM's state (2 layers x (h, c) x 64 = 256), i.e. its state size at one
# bit per number: 256 / log2(10) = 77; copying.toml's header says why the real bounds lie further out.
--kind curve --by model --vline "77:LSTM state: 256 numbers at 1 bit each"
