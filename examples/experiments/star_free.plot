# statelab plot arguments, one figure per line (run.sh adds RESULTS and -o)
# One panel per language, a line per model and depth: one figure with all the languages drawn as
# lines of one panel was unreadable.
--kind curve --by model+layers
