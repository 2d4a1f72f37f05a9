#!/usr/bin/env bash
# Experiment 7's second half (run.sh runs it after the sweep): the average sensitivity of randomly
# initialised LSTMs and transformers (length 10, exact; every parameter uniform in [-10, 10], our
# choice: docs/bridge.md, Sensitivity), drawn as histograms (OUT/random-lstm.png,
# OUT/random-transformer.png), and the sensitivity of every trained network of the sweep beside
# that of its language (OUT/sensitivity.md).  Usage: sensitivity.post.sh OUT  (STATELAB: the binary;
# INITS: initialisations per architecture, default 100)
set -euo pipefail
out=$1
statelab=${STATELAB:-statelab}
inits=${INITS:-100}
table="$out/sensitivity.md"
{
  echo "Random initialisations (length 10, exact, $inits initialisations, W = 10):"
  echo
  for model in lstm transformer; do
    "$statelab" sensitivity --random-init "$model" --length 10 --inits "$inits" --plot "$out/random-$model.png" \
      --json >"$out/random-$model.json"
    jq -r --arg m "$model" '"- \($m): mean \(.mean * 10000 | round / 10000), median \(.median * 10000 | round / 10000), max \(.max * 10000 | round / 10000)"' \
      "$out/random-$model.json"
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
echo "sensitivity: $table"
