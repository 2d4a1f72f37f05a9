# statelab plot arguments, one figure per line (run.sh adds RESULTS and -o)
# One panel per language, a line per model: one figure with all thirteen languages drawn as lines
# of one panel was unreadable.
--kind curve --by model
