#!/usr/bin/env bash
# Experiment 7's second half (run.sh runs it after the sweep): the average sensitivity of randomly
# initialised LSTMs and transformers (length 10, exact; every parameter uniform in [-10, 10], our
# choice, and normal with sd 10, Bhattamishra et al.'s Figure 1: docs/bridge.md, Sensitivity), drawn
# as one histogram of both architectures per distribution (OUT/random-uniform.png,
# OUT/random-normal.png, from OUT/random.jsonl), the sensitivity of every trained network of the sweep beside
# that of its language (OUT/sensitivity.md), and the sparse-parity cells' validation accuracy over the
# steps (OUT/sparse-parity-learning.png).  Usage: sensitivity.post.sh OUT  (STATELAB: the binary;
# INITS: initialisations per architecture, default 100)
set -euo pipefail
out=$1
statelab=${STATELAB:-statelab}
inits=${INITS:-100}
table="$out/sensitivity.md"
rm -f "$out/random.jsonl.tmp"
{
  echo "Random initialisations (length 10, exact, $inits initialisations, W = 10: uniform in [-W, W], normal of sd W):"
  echo
  for init in uniform normal; do
    for model in lstm transformer; do
      name=random-$model-$init
      "$statelab" sensitivity --random-init "$model" --init "$init" --length 10 --inits "$inits" \
        --json >"$out/$name.json"
      jq -c --arg m "$model" --arg i "$init" '.values[] | {status: "ok", cell: {model: $m, init: $i}, metrics: {sensitivity: .}}' \
        "$out/$name.json" >>"$out/random.jsonl.tmp"
      jq -r --arg m "$model" --arg i "$init" '"- \($m), \($i): mean \(.mean * 10000 | round / 10000), median \(.median * 10000 | round / 10000), max \(.max * 10000 | round / 10000), constant: \([.values[] | select(. == 0)] | length) of \(.values | length)"' \
        "$out/$name.json"
    done
  done
  mv "$out/random.jsonl.tmp" "$out/random.jsonl"
  for init in uniform normal; do
    "$statelab" plot "$out/random.jsonl" --kind hist --x sensitivity --by model --where "init=$init" --bins 20 \
      -o "$out/random-$init.png" >/dev/null
  done
  echo
  echo "| language | model | seed | test accuracy | length | sensitivity of the network | of the language |"
  echo "|---|---|---|---|---|---|---|"
} >"$table"
rows=$(mktemp)
for ckpt in "$out"/checkpoints/*.safetensors; do
  [ -e "$ckpt" ] || continue
  metrics=${ckpt%.safetensors}.metrics.json
  lang=$(jq -r .language "$metrics")
  length=10 how=()
  case "$lang" in regex:*) length=40 how=(--samples 200) ;; esac  # sparse parity: 2^40 words, sampled
  net=$("$statelab" sensitivity --ckpt "$ckpt" --length "$length" "${how[@]}" --json | jq .mean)
  truth=$("$statelab" sensitivity --lang "$lang" --length "$length" "${how[@]}" --json | jq .mean)
  name=$lang
  case "$lang" in regex:*) name="sparse parity (n = 40, k = 4)" ;; esac
  jq -r -n --arg lang "$name" --argjson m "$(cat "$metrics")" --argjson net "$net" --argjson truth "$truth" --arg n "$length" \
    '"| \($lang) | \($m.model.cell) | \($m.spec.seed) | \($m.test_accuracy * 10000 | round / 100)% | \($n) | \($net * 10000 | round / 10000) | \($truth * 10000 | round / 10000) |"' >>"$rows"
done
sort -t'|' -k2,2 -k3,3 -k4,4n "$rows" >>"$table"
rm -f "$rows"
# The sparse-parity cells (the only two-layer ones) learning over the steps, one line per run: the
# transformer's onset after thousands of steps at chance (OUT/sparse-parity-learning.png).
if jq -e -s 'any(.[]; .status == "ok" and .cell.layers == "2" and (.metrics.validation_history | length) > 1)' \
  "$out/results.jsonl" >/dev/null; then
  "$statelab" plot "$out/results.jsonl" --kind history --where layers=2 --by model+seed --hline 0.5:chance \
    -o "$out/sparse-parity-learning.png" >/dev/null
  echo "sparse parity's learning curves: $out/sparse-parity-learning.png"
fi
echo "sensitivity: $table"
