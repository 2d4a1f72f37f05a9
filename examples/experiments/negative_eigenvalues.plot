# statelab plot arguments, one figure per line (run.sh adds RESULTS and -o)
--kind curve --by model+negative-eigenvalues --where lang=parity
--kind curve --by model+negative-eigenvalues --where lang=modular-arithmetic:m=5
