# statelab plot arguments, one figure per line (run.sh adds RESULTS and -o): causal masking, then strict, each deciding
# at the last symbol and at an end marker after the word
--kind curve --by lang --where strict-mask=false --where end-marker=false
--kind curve --by lang --where strict-mask=true --where end-marker=false
--kind curve --by lang --where strict-mask=false --where end-marker=true
--kind curve --by lang --where strict-mask=true --where end-marker=true
