# statelab plot arguments, one figure per line (run.sh adds RESULTS and -o)
# figure-1: parity, figure-2: modular arithmetic; mean accuracy over the seeds by test-length bin
--kind heatmap --y model+negative-eigenvalues --by lang --where lang=parity --bins 6 --size 1100x500
--kind heatmap --y model+negative-eigenvalues --by lang --where lang=modular-arithmetic:m=5 --bins 6 --size 1200x500
