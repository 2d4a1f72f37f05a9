#!/usr/bin/env bash
# Experiment 4's second half (run.sh runs it after the sweep): for each language of the sweep,
# classify's monoid counts and whether it is R-trivial (classify's r_trivial: every R-class a single element), beside the
# NoPE transformer's mean and best test accuracy over the seeds, with causal and with strict masking, each deciding at
# the word's last symbol and at an end marker after it (OUT/r_trivial.md); and, the stricter test, `statelab check`'s
# agreement with the language on the words longer than the training lengths among its 2000 draws of lengths 0..80 and
# 81..320 (uniform members and words, near misses: members with 1-3 edits), per cell (OUT/check.jsonl).
# Usage: r_trivial.post.sh OUT   (STATELAB: the binary)
set -euo pipefail
out=$1
statelab=${STATELAB:-statelab}
table="$out/r_trivial.md"
# check every cell's checkpoint; agreement on the words beyond the training lengths (longer than 20)
checks="$out/check.jsonl"
: >"$checks"
jq -c 'select(.status == "ok")' "$out/results.jsonl" | while IFS= read -r row; do
  { "$statelab" check --ckpt "$(jq -r .checkpoint <<<"$row")" --lang "$(jq -r .cell.lang <<<"$row")" --max-length 80 \
      --tests 2000 --seed 1 --json || [ $? -eq 1 ]; } |  # 1: a disagreement found
    jq -c --argjson row "$row" '{cell: $row.cell, tested: ([.by_length[] | select(.length > 20) | .tested] | add),
      agree: ([.by_length[] | select(.length > 20) | .agree] | add)} | .agreement = .agree / .tested' >>"$checks"
done
{
  echo "| language | monoid elements | R-classes | R-trivial | masking | cells | mean test accuracy | best | check beyond 20: mean agreement | worst |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
} >"$table"
jq -r 'select(.status == "ok") | .cell.lang' "$out/results.jsonl" | sort -u | while IFS= read -r lang; do
  classified=$("$statelab" classify "$lang" --json)
  for strict in false true; do
    for marker in false true; do
      jq -r --arg lang "$lang" --arg strict "$strict" --arg marker "$marker" --slurpfile cells <(jq -c --arg lang "$lang" \
          --arg strict "$strict" --arg marker "$marker" \
          'select(.status == "ok" and .cell.lang == $lang and (.cell["strict-mask"] // "false") == $strict
                  and (.cell["end-marker"] // "false") == $marker)
           | .metrics.test_accuracy' "$out/results.jsonl") \
        --slurpfile checked <(jq -c --arg lang "$lang" --arg strict "$strict" --arg marker "$marker" \
          'select(.cell.lang == $lang and (.cell["strict-mask"] // "false") == $strict
                  and (.cell["end-marker"] // "false") == $marker) | .agreement' "$checks") \
        'def percent: . * 10000 | round / 100 | tostring + "%";
         select($cells | length > 0)
         | "| \($lang) | \(.monoid_size) | \(.r_classes) | \(if .r_trivial then "yes" else "no" end) | \(if $strict == "true" then "strict" else "causal" end)\(if $marker == "true" then ", end marker" else "" end) | \($cells | length) | \($cells | add / length | percent) | \($cells | max | percent) | \($checked | add / length | percent) | \($checked | min | percent) |"' \
        <<<"$classified" >>"$table"
    done
  done
done
echo "r_trivial: $table"
