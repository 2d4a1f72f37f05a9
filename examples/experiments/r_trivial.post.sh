#!/usr/bin/env bash
# Experiment 4's second half (run.sh runs it after the sweep): for each language of the sweep,
# classify's monoid counts and whether it is R-trivial (classify's r_trivial: every R-class a single element), beside the
# NoPE transformer's mean and best test accuracy over the seeds, with causal and with strict masking (OUT/r_trivial.md).
# Usage: r_trivial.post.sh OUT   (STATELAB: the binary)
set -euo pipefail
out=$1
statelab=${STATELAB:-statelab}
table="$out/r_trivial.md"
{
  echo "| language | monoid elements | R-classes | R-trivial | masking | cells | mean test accuracy | best |"
  echo "|---|---|---|---|---|---|---|---|"
} >"$table"
jq -r 'select(.status == "ok") | .cell.lang' "$out/results.jsonl" | sort -u | while IFS= read -r lang; do
  classified=$("$statelab" classify "$lang" --json)
  for strict in false true; do
    jq -r --arg lang "$lang" --arg strict "$strict" --slurpfile cells <(jq -c --arg lang "$lang" --arg strict "$strict" \
        'select(.status == "ok" and .cell.lang == $lang and (.cell["strict-mask"] // "false") == $strict)
         | .metrics.test_accuracy' "$out/results.jsonl") \
      'select($cells | length > 0)
       | "| \($lang) | \(.monoid_size) | \(.r_classes) | \(if .r_trivial then "yes" else "no" end) | \(if $strict == "true" then "strict" else "causal" end) | \($cells | length) | \(($cells | add / length) * 10000 | round / 100)% | \(($cells | max) * 10000 | round / 100)% |"' \
      <<<"$classified" >>"$table"
  done
done
echo "r_trivial: $table"
