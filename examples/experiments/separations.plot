# statelab plot arguments, one figure per line (run.sh adds RESULTS and -o)
--kind heatmap --y hidden --by model+layers --where task=tag --bins 4 --pool-languages
--kind heatmap --y hidden --by model+layers --where task=recognize --bins 3
