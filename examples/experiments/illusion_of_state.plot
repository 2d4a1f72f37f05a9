# statelab plot arguments, one figure per line (run.sh adds RESULTS and -o)
--kind heatmap --y layers --by model --bins 2 --where lang=word-problem:group=A5
--kind heatmap --y layers --by model --bins 2 --where lang=word-problem:group=Z60
