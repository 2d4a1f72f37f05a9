# statelab plot arguments, one figure per line (run.sh adds RESULTS and -o); one learning rate per
# figure, or the heatmap would average the two rates' cells of the transformer and Mamba
--kind heatmap --y layers --by model --bins 2 --where lang=word-problem:group=A5 --where lr=0.01
--kind heatmap --y layers --by model --bins 2 --where lang=word-problem:group=Z60 --where lr=0.01
--kind heatmap --y layers --by model --bins 2 --where lang=word-problem:group=A5 --where lr=0.003
--kind heatmap --y layers --by model --bins 2 --where lang=word-problem:group=Z60 --where lr=0.003
