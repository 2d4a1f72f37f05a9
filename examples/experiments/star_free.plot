# statelab plot arguments, one figure per line (run.sh adds RESULTS and -o)
--kind curve --by lang --where model=mamba
--kind curve --by lang --where model=lstm
--kind curve --by lang --where model=transformer
