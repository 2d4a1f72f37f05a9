# statelab plot arguments, one figure per line (run.sh adds RESULTS and -o): causal masking, then strict
--kind curve --by lang --where strict-mask=false
--kind curve --by lang --where strict-mask=true
