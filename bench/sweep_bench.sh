#!/usr/bin/env bash
# The sweep machinery's cost (bench/README.md, "Sweeps"):
#  1. overhead per cell: one cell run by `statelab sweep` against `statelab train` of the same spec
#     (both keep the checkpoint), alternating, REPEATS times each; medians of the wall clock;
#  2. a 24-cell sweep at --jobs 1 and --jobs 2, wall clock of each.
# usage: bench/sweep_bench.sh [STATELAB]   (default build/cli/statelab); REPEATS=5
set -eu
sl=$(readlink -f "${1:-build/cli/statelab}")
repeats=${REPEATS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
wall() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
median() { sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

# A transformer on parity does not reach the target, so both run all 600 steps.
spec=(--lang parity --model transformer --hidden 32 --steps 600 --train-lengths 1..16 --test-lengths 17..64 --seed 1)
cat >one.toml <<'TOML'
[fixed]
lang = "parity"
model = "transformer"
hidden = 32
steps = 600
train-lengths = "1..16"
test-lengths = "17..64"
seed = 1
TOML
: >train.s
: >sweep.s
for _ in $(seq "$repeats"); do
  wall "$sl" train "${spec[@]}" --quiet -o t.safetensors >>train.s
  rm -rf r.jsonl ck
  wall "$sl" sweep one.toml -o r.jsonl --checkpoints ck >>sweep.s
done
t=$(median <train.s)
s=$(median <sweep.s)
echo "one cell: train $(printf %.2f "$t") s, sweep $(printf %.2f "$s") s, overhead $(echo "($s / $t - 1) * 100" | bc -l | xargs printf %.1f)%"

cat >grid.toml <<'TOML'
[grid]
lang = ["parity", "tomita:n=3"]
model = ["lstm", "gru"]
hidden = [16, 32]
seed = [1, 2, 3]
[fixed]
steps = 300
train-lengths = "1..12"
test-lengths = "13..40"
TOML
j1=$(wall "$sl" sweep grid.toml -o j1.jsonl --jobs 1)
j2=$(wall "$sl" sweep grid.toml -o j2.jsonl --jobs 2)
echo "24 cells: --jobs 1 $(printf %.1f "$j1") s, --jobs 2 $(printf %.1f "$j2") s, speed-up $(echo "$j1 / $j2" | bc -l | xargs printf %.2f)x"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
