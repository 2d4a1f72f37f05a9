# statelab plot arguments, one figure per line (run.sh adds RESULTS and -o): protocol (a), one figure
# per group, a panel per architecture, whole-word accuracy at k = 2, 4 and 8 (columns) by layers (rows),
# mean over the seeds; protocol (b)'s figures are drawn by illusion_of_state.post.sh
--kind heatmap --y layers --by model --bins 3 --where lang=word-problem:group=Z60
--kind heatmap --y layers --by model --bins 3 --where lang=word-problem:group=A4xZ5
--kind heatmap --y layers --by model --bins 3 --where lang=word-problem:group=A5
--kind heatmap --y layers --by model --bins 3 --where lang=word-problem:group=S5
