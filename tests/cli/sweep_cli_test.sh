#!/usr/bin/env bash
# End-to-end tests of `statelab sweep`: tiny models and few steps, so that each sweep takes
# seconds.  Resume after kill -9, shards, --jobs, MPI (when mpirun is present), bad configs.
# usage: sweep_cli_test.sh STATELAB_BINARY
set -u
# shellcheck source=expect.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/expect.sh"
setup_cli_test "$@"

# The lines of a results file without what depends on time or on the threads, sorted.
stable() {
  python3 -c '
import json, sys
for line in sys.stdin:
    j = json.loads(line)
    j.pop("seconds", None)
    m = j.get("metrics")
    if m:
        for k in ("seconds", "steps_per_s", "data_seconds", "eval_seconds", "validation_seconds", "threads"):
            m.pop(k, None)
    print(json.dumps(j))' <"$1" | sort
}

# A tiny model and data for every config below ([fixed] options).
tiny='hidden = 8
embedding = 4
train-count = 16
test-count = 8
validation-count = 8
batch = 16'

cat >tiny.toml <<TOML
[grid]
lang = ["parity", "tomita:n=3"]
seed = [1, 2, 3]
[[zip]]
train-lengths = ["1..6", "2..8"]
test-lengths = ["7..9", "9..10"]
[fixed]
model = "lstm"
$tiny
steps = 20
TOML

expect "dry run lists the cells" 0 "^12 cells: 0 done, 12 to run$" "^$" -- "$sl" sweep tiny.toml -o r.jsonl --dry-run
check "dry run: the first cell" grep -Eq '^0  lang=parity .*train-lengths=1\.\.6 test-lengths=7\.\.9 .*seed=1  \[to run\]$' stdout
check "dry run: the zip, last in the file, varies fastest" grep -Eq '^1  lang=parity .*train-lengths=2\.\.8 .*seed=1  ' stdout
check "dry run writes nothing" test ! -e r.jsonl

expect "jobs 1" 0 "^12 cells: 12 ok, 0 failed; results in j1.jsonl$" "^$" -- "$sl" sweep tiny.toml -o j1.jsonl --jobs 1
check "jobs 1: 12 lines" test "$(wc -l <j1.jsonl)" -eq 12
check "lines: keys in order" grep -Eq '^\{"cell":\{"lang":"parity","model":"lstm",[^}]*\},"key":"lang=parity [^"]*","status":"ok","metrics":\{' j1.jsonl
check "lines: seconds and config at the end" grep -Eq ',"seconds":[0-9.e-]+,"config":"[0-9a-f]{16}"}$' j1.jsonl
expect "jobs 2" 0 "12 ok" "^$" -- "$sl" sweep tiny.toml -o j2.jsonl --jobs 2
check "jobs 1 and jobs 2 give the same lines" test "$(stable j1.jsonl)" = "$(stable j2.jsonl)"
expect "rerun: every cell skipped" 0 "^12 cells: 12 ok, 0 failed \(12 already in j1.jsonl\)" "^$" -- "$sl" sweep tiny.toml -o j1.jsonl
check "rerun: no line added" test "$(wc -l <j1.jsonl)" -eq 12
expect "--json summary" 0 '^\{"cells":12,"skipped":12,"ok":12,"failed":0,"results":"j1.jsonl"\}$' "^$" -- \
  "$sl" sweep tiny.toml -o j1.jsonl --json
expect "dry run after: all done" 0 "^12 cells: 12 done, 0 to run$" "^$" -- "$sl" sweep tiny.toml -o j1.jsonl --dry-run

# Shards partition the cells; their files together are one run's lines.
for i in 0 1 2; do
  expect "shard $i/3" 0 "^4 cells: 4 ok" "^$" -- "$sl" sweep tiny.toml -o s$i.jsonl --shard $i/3
done
cat s0.jsonl s1.jsonl s2.jsonl >shards.jsonl
check "shards: together the lines of one run" test "$(stable shards.jsonl)" = "$(stable j1.jsonl)"
check "shard 1/3 holds cells 1, 4, 7, 10" test "$(cut -d'"' -f1-30 s1.jsonl | grep -c .)" -eq 4

# Resume: kill -9 after the first line, run again: every cell once.
cat >slow.toml <<TOML
[grid]
seed = [1, 2, 3, 4, 5, 6]
[fixed]
lang = "parity"
$tiny
steps = 300
train-lengths = "1..8"
test-lengths = "9..10"
TOML
"$sl" sweep slow.toml -o k.jsonl >/dev/null 2>&1 &
pid=$!
for _ in $(seq 600); do [ -s k.jsonl ] && break; sleep 0.05; done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
n=$(wc -l <k.jsonl)
check "killed: some but not all cells" test "$n" -ge 1 -a "$n" -lt 6
printf '{"cell":{"seed":"6"},"key":"seed=6","sta' >>k.jsonl  # a line cut off mid-write
expect "resume after kill -9" 0 "^6 cells: 6 ok, 0 failed \($n already in k.jsonl\)" "^$" -- "$sl" sweep slow.toml -o k.jsonl
check "resume: six lines" test "$(wc -l <k.jsonl)" -eq 6
check "resume: every cell once" test "$(grep -o '"key":"[^"]*"' k.jsonl | sort -u | wc -l)" -eq 6
check "resume: the half line is gone" python3 -c 'import json,sys; [json.loads(l) for l in open("k.jsonl")]'
"$sl" sweep slow.toml -o k6.jsonl --jobs 2 >/dev/null
check "resume: the same lines as one run" test "$(stable k.jsonl)" = "$(stable k6.jsonl)"

# A failing cell is recorded and the sweep goes on: exit 1.
cat >fail.toml <<TOML
[grid]
lr = [0.01, 1e30]
[fixed]
lang = "parity"
$tiny
steps = 20
warmup = 0
train-lengths = "1..6"
test-lengths = "7..8"
TOML
expect "a failed cell: exit 1" 1 "^2 cells: 1 ok, 1 failed; results in f.jsonl$" "^$" -- "$sl" sweep fail.toml -o f.jsonl
check "a failed cell: its error recorded" grep -q '"key":"[^"]*lr=1e+30[^"]*","status":"failed","error":"' f.jsonl

# Checkpoints kept on request.
expect "checkpoints" 0 "1 ok" "^$" -- "$sl" sweep fail.toml -o c.jsonl --checkpoints ckpt --shard 0/2
check "checkpoints: the file" test "$(ls ckpt/cell-*.safetensors | wc -l)" -eq 1
check "checkpoints: the path in the line" grep -q '"checkpoint":"ckpt/cell-[0-9a-f]*.safetensors"' c.jsonl

# Another config's results are refused, unless --force.
expect "another config refused" 2 "^$" "^statelab: j1.jsonl:1: written by another sweep config" -- "$sl" sweep slow.toml -o j1.jsonl
expect "--force adds to it" 0 "6 ok" "^$" -- "$sl" sweep slow.toml -o j1.jsonl --force
check "--force: 12 + 6 lines" test "$(wc -l <j1.jsonl)" -eq 18
echo 'not json' >bad.jsonl
expect "a results file that is not JSON lines" 2 "^$" "bad.jsonl:1: not a line of .statelab sweep." -- "$sl" sweep tiny.toml -o bad.jsonl

# Bad configs: one line, exit 2, before any cell runs (no results file).
bad() {
  local name=$1 re=$2
  printf '%s\n' "$3" >b.toml
  expect "bad config: $name" 2 "^$" "$re" -- "$sl" sweep b.toml -o b.jsonl
  check "bad config: $name: nothing ran" test ! -e b.jsonl
}
bad "malformed TOML" "^statelab: b.toml:3: malformed TOML" $'[grid]\nlang = ["parity"\nseed = [1]'
bad "unknown option" "^statelab: b.toml:2: key 'colour': not an option of .statelab train." $'[grid]\ncolour = ["red"]'
bad "bad value" "^statelab: b.toml:3: key 'lr': --lr 0: must be positive" $'[fixed]\nlang = "parity"\nlr = 0'
bad "empty list" "^statelab: b.toml:2: key 'seed' in \[grid\]: an empty list gives no cell" $'[grid]\nseed = []\n[fixed]\nlang = "parity"'
bad "empty config" "^statelab: b.toml: no option set" ''
bad "unknown table" "^statelab: b.toml:1: unknown table 'grd'" $'[grd]\nseed = [1]'
bad "a scalar in the grid" "^statelab: b.toml:2: key 'seed' in \[grid\]: expected a list" $'[grid]\nseed = 1'
bad "a list in fixed" "^statelab: b.toml:2: key 'seed' in \[fixed\]: expected one value" $'[fixed]\nseed = [1]'
bad "zip of unequal lists" "^statelab: b.toml:[23]: key '.*' in \[\[zip\]\]: [12] values, but .* has [12]" \
  $'[[zip]]\ntrain-lengths = ["1..4", "1..6"]\ntest-lengths = ["7..8"]\n[fixed]\nlang = "parity"'
bad "an option set twice" "^statelab: b.toml:4: key 'seed': already set at line 2" $'[grid]\nseed = [1]\n[fixed]\nseed = 2\nlang = "parity"'
bad "conflicting options" "^statelab: b.toml: cell 1 \(lang=parity model=mamba heads=2\): " \
  $'[grid]\nmodel = ["transformer", "mamba"]\n[fixed]\nlang = "parity"\nheads = 2'
bad "the same cell twice" "^statelab: b.toml: cells 0 and 1 are the same run \(lang=parity lr=0.01\)" \
  $'[grid]\nlr = [0.01, 1e-2]\n[fixed]\nlang = "parity"'
printf '[grid]\nseed = [1]\n[fixed]\nlang = "parity"\n' >ok.toml
expect "shard out of range" 2 "^$" "^statelab: --shard 3/3: shard index 3 out of range 0..2" -- "$sl" sweep ok.toml -o b.jsonl --shard 3/3
expect "shard malformed" 2 "^$" "^statelab: --shard 1: expected I/N" -- "$sl" sweep ok.toml -o b.jsonl --shard 1
expect "results to stdout refused" 2 "^$" "^statelab: -o -: the results must go to a file" -- "$sl" sweep ok.toml -o -
expect "missing config" 2 "^$" "nope.toml" -- "$sl" sweep nope.toml -o b.jsonl
check "bad input: nothing ran" test ! -e b.jsonl

# MPI: rank 0 hands out the cells; the same lines as one process.  Skipped without mpirun, or
# when this statelab was built without MPI (it then refuses to start under mpirun).
mpi() { timeout 300 mpirun --oversubscribe --allow-run-as-root -n 3 "$sl" sweep tiny.toml -o mpi.jsonl >mpi.out 2>mpi.err; }
if ! command -v mpirun >/dev/null; then
  echo "mpirun absent: MPI tests skipped"
elif ! mpi; then
  if grep -q "built without MPI" mpi.err; then
    echo "statelab built without MPI: MPI tests skipped"
  else
    failed=$((failed + 1))
    echo "FAIL: mpirun -n 3: $(head -c 600 mpi.err)"
  fi
else
  check "mpi: the same lines as one process" test "$(stable mpi.jsonl)" = "$(stable j2.jsonl)"
  check "mpi: the summary once" test "$(cat mpi.out)" = "12 cells: 12 ok, 0 failed; results in mpi.jsonl"
  mpi
  check "mpi: resume skips every cell" grep -q "(12 already in mpi.jsonl)" mpi.out
  check "mpi: no line added" test "$(wc -l <mpi.jsonl)" -eq 12
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
