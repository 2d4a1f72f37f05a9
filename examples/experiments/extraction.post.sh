#!/usr/bin/env bash
# Experiment 9's second half (run.sh runs it after the sweep): every checkpoint of the sweep is
# checked against its language (`statelab check`) and an automaton is extracted from it with L*
# (`statelab extract`, compared with the language's minimal DFA or the truth's Moore machine); the
# table lands in OUT/extraction.md.  `check` reads 1000 words (near misses among them) and
# "equivalent" compares the extracted automaton, not the network, with the language: a network can
# err on words L*'s equivalence queries never drew (fidelity: agreement of automaton and network).
# A5 (60 states) gets docs/bridge.md's limits: `check` up to the training length 16, L* up to 400
# states, random words within the training lengths (docs/results.md §9: words up to 80 meet the
# networks' rare errors and L* separates them past 400 states) and A5_SECONDS seconds (default 300; the test suite's copy, whose networks are untrained,
# sets fewer).
# Usage: extraction.post.sh OUT   (STATELAB: the binary; A5_SECONDS)
set -euo pipefail
out=$1
statelab=${STATELAB:-statelab}
a5_seconds=${A5_SECONDS:-300}
table="$out/extraction.md"
mkdir -p "$out/extracted"
{
  echo "| language | task | seed | validation | test | check | L* states | membership queries | equivalence queries | seconds | complete | fidelity | equivalent |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
} >"$table"
for ckpt in "$out"/checkpoints/*.safetensors; do
  [ -e "$ckpt" ] || continue
  metrics=${ckpt%.safetensors}.metrics.json
  lang=$(jq -r .language "$metrics")
  task=$(jq -r .task "$metrics")
  seed=$(jq -r .spec.seed "$metrics")
  name=$(basename "$ckpt" .safetensors)
  # check: exit 0 agrees, 1 disagrees (anything else is an error); a rerun keeps what is done
  if [ ! -s "$out/extracted/$name.extract.json" ]; then
    check_args=() extract_args=(--time-limit 10 --max-states 200)
    case $lang in *group=A5*)
      check_args=(--max-length 16) extract_args=(--time-limit "$a5_seconds" --max-states 400 --random-max-length 16) ;;
    esac
    "$statelab" check --ckpt "$ckpt" --lang "$lang" --tests 1000 "${check_args[@]}" >"$out/extracted/$name.check.txt" || [ $? -eq 1 ]
    "$statelab" extract --ckpt "$ckpt" --lang "$lang" "${extract_args[@]}" \
      -o "$out/extracted/$name.json" --json >"$out/extracted/$name.extract.json"
  fi
  verdict=$(head -c 8 "$out/extracted/$name.check.txt" | cut -d: -f1)
  jq -r --arg lang "$lang" --arg task "$task" --arg seed "$seed" --arg check "$verdict" \
    --argjson m "$(cat "$metrics")" \
    '"| \($lang) | \($task) | \($seed) | \($m.validation_accuracy * 100 | . * 100 | round / 100)% | \($m.test_accuracy * 100 | . * 100 | round / 100)% | \($check) | \(.states) | \(.membership_queries) | \(.equivalence_queries) | \(.seconds * 100 | round / 100) | \(if .complete then "yes" else "no" end) | \(.fidelity * 10000 | round / 100)% | \(if .equivalent_to_truth then "yes" elif .equivalent_to_truth == false then "no" else "?" end) |"' \
    "$out/extracted/$name.extract.json" >>"$table"
done
# the rows in language, seed order
{ head -2 "$table"; tail -n +3 "$table" | sort -t'|' -k2,2 -k4,4n; } >"$table.sorted" && mv "$table.sorted" "$table"
echo "extraction: $table"
