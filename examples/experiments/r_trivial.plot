# statelab plot arguments, one figure per line (run.sh adds RESULTS and -o)
--kind curve --by lang
