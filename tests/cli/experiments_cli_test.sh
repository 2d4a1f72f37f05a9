#!/usr/bin/env bash
# The experiments of docs/results.md (examples/experiments/): every config is a valid sweep, and a
# small copy of each (a few steps, few words, a tenth of its cells) runs end to end through run.sh:
# sweep, figures, report, and the experiment's NAME.post.sh when it has one.  The experiments
# themselves are run by hand (docs/results.md).
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/expect.sh"
experiments=$(readlink -f "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../examples/experiments")
setup_cli_test "$@"

for config in "$experiments"/*.toml; do
  name=$(basename "$config" .toml)
  expect "$name: a valid sweep" 0 "cells: 0 done" "^$" -- "$sl" sweep "$config" -o "$name.jsonl" --dry-run
  # The small copy: few steps and words; lengths as the experiment has them.
  # (a list in a [[zip]], such as experiment 9's steps per language, gets the same numbers)
  sed -e 's/^steps = [^[].*/steps = 2/' -e 's/^train-count = [^[].*/train-count = 4/' -e "s/^test-count = [^[].*/test-count = 2/" \
      -e 's/^validation-count = [^[].*/validation-count = 2/' -e 's/^eval-every = [^[].*/eval-every = 1/' \
      -e '/^steps = \[/s/[0-9]\+/2/g' -e '/^train-count = \[/s/[0-9]\+/4/g' -e '/^\(test\|validation\)-count = \[/s/[0-9]\+/2/g' \
      -e '/^eval-every = \[/s/[0-9]\+/1/g' "$config" >"small-$name.toml"
  [ -f "${config%.toml}.plot" ] && cp "${config%.toml}.plot" "small-$name.plot"
  [ -f "${config%.toml}.post.sh" ] && cp "${config%.toml}.post.sh" "small-$name.post.sh"
  STATELAB=$sl JOBS=2 SWEEP_ARGS="--shard 0/10" INITS=5 COUNT=5 A5_SECONDS=5 expect "$name: runs small" 0 "small-$name: [0-9]+ s wall clock" "^$" -- \
      "$experiments/run.sh" "$work/small-$name.toml" "$work/out-$name"
  check "$name: report written" test -s "out-$name/report.md"
  if [ -f "small-$name.plot" ]; then check "$name: a figure" test -s "out-$name/figure-1.png"; fi
done
# Experiment 8's hook: its shard's cells (one of T = 32 among them) evaluated unbounded and under 4
# policies x 5 sizes each.
ckpts=$(find out-multi_state_rnn/checkpoints -name '*.safetensors' | wc -l)
check "multi_state_rnn: a cell of its shard" test "$ckpts" -ge 1
check "multi_state_rnn: 20 bounded evaluations a checkpoint" test "$(wc -l <out-multi_state_rnn/kv_cache.jsonl)" -eq $((20 * ckpts))
check "multi_state_rnn: K = 2..32 of T = 32" grep -qF '| | tova | | K=2: ' out-multi_state_rnn/multi_state_rnn.md
check "multi_state_rnn: K = T is the unbounded cache" jq -e -s \
  'map(select(.cell.cache_fraction == "1")) | group_by([.cell.lang, .cell.seed])
   | all(length == 5 and (map(.metrics.accuracy) | unique | length) == 1)' \
  out-multi_state_rnn/kv_full.jsonl out-multi_state_rnn/kv_cache.jsonl
check "multi_state_rnn: its figure" test -s out-multi_state_rnn/multi-state-rnn.png
# Experiment 6's hook: the transformer of its shard checked, the u of its errors tabled.
check "copying: the errors' table" grep -qF '## Where the transformer copies wrong' out-copying/copying.md
check "copying: the random strings' table" grep -qF '| 100 | 0.090 | 0.99 |' out-copying/copying.md
# Experiment 2's hook: protocol (b)'s sweep (its shard) from the config's own rows, and the tables.
check "illusion_of_state: protocol (b) swept" grep -q '"train-lengths":"1..4"' out-illusion_of_state/lengths.jsonl
check "illusion_of_state: its tables" grep -qF '## Protocol (b)' out-illusion_of_state/illusion_of_state.md
check "illusion_of_state: classify beside" grep -qF '| A5 | non-solvable |' out-illusion_of_state/illusion_of_state.md

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
