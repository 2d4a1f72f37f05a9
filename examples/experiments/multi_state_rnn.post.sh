#!/usr/bin/env bash
# Experiment 8's second half (run.sh runs it after the sweep): every checkpoint of the sweep is
# evaluated at its test size with each layer's KV cache bounded to K entries, for each policy
# (window, sink, h2o, tova) and K = max(1, round(T / d)) for d = 16, 8, 4, 2, 1, where T is the
# number of tokens a test example feeds the model (copy-task of size n: 2n, the word, # and the copy
# but its last letter; index-lookup: n + 1; tagging and recognizing: n); and once unbounded.  COUNT
# (default 100) examples, seed 7, the same for every evaluation.  Writes OUT/kv_cache.jsonl (one
# line per bounded evaluation, in the results format `statelab plot` reads: cell {lang, policy,
# cache_fraction, seed}, metrics {accuracy, kv_cache, tokens}; the unbounded ones in
# OUT/kv_full.jsonl), OUT/multi_state_rnn.md (mean and range over the seeds) and the figure
# OUT/multi-state-rnn.png (accuracy against K/T, one line per policy, a panel per task).  Usage:
# multi_state_rnn.post.sh OUT   (STATELAB: the binary)
set -euo pipefail
out=$1
statelab=${STATELAB:-statelab}
count=${COUNT:-100}
evals="$out/kv_cache.jsonl" full="$out/kv_full.jsonl"  # bounded evaluations (the figure's), unbounded ones
: >"$evals"
: >"$full"
for ckpt in "$out"/checkpoints/*.safetensors; do
  [ -e "$ckpt" ] || continue
  IFS=$'\t' read -r lang task seed n < <(jq -r '[.language, .task, .spec.seed, .spec["test-lengths"]] | @tsv' \
    "${ckpt%.safetensors}.metrics.json")
  n=${n##*..}  # the experiment tests one size: its largest
  case "$lang:$task" in
    copy-task*:seq) tokens=$((2 * n)) ;;
    index-lookup*) tokens=$((n + 1)) ;;
    *:tag | *:recognize) tokens=$n ;;
    *) echo "multi_state_rnn.post.sh: no token count for $lang ($task)" >&2; exit 2 ;;
  esac
  evaluate() {  # evaluate POLICY FRACTION [eval options]: one line of kv_cache.jsonl
    local policy=$1 fraction=$2
    shift 2
    "$statelab" eval --ckpt "$ckpt" --lengths "$n..$n" --count "$count" --seed 7 --threads 1 --json "$@" |
      jq -c --arg lang "$lang" --arg policy "$policy" --arg f "$fraction" --arg seed "$seed" --argjson t "$tokens" \
        '{cell: {lang: $lang, policy: $policy, cache_fraction: $f, seed: $seed}, status: "ok",
          metrics: {accuracy: .accuracy, kv_cache: (.kv_cache // "" | [match("K=([0-9]+)").captures[0].string | tonumber] | first), tokens: $t}}' \
        >>"$([ "$policy" = unbounded ] && echo "$full" || echo "$evals")"
  }
  evaluate unbounded 1
  for policy in window sink h2o tova; do
    for d in 16 8 4 2 1; do
      k=$(( (2 * tokens + d) / (2 * d) ))  # round(T / d)
      [ "$k" -ge 1 ] || k=1
      evaluate "$policy" "$(jq -n "1 / $d")" --kv-cache "$k" --policy "$policy"
    done
  done
done
[ -s "$evals" ] || { echo "multi_state_rnn: no checkpoint in $out/checkpoints" >&2; exit 2; }
# The table: per task and policy, the mean accuracy over the seeds (min-max) at each fraction.
jq -s -r '
  def pct: . * 1000 | round / 10 | tostring;
  def cell: (map(.metrics.accuracy)) as $a | ($a | add / length | pct) +
    (if ($a | min) == ($a | max) then "" else " (" + ($a | min | pct) + "-" + ($a | max | pct) + ")" end);
  "| task | policy | T | " + ([16, 8, 4, 2, 1] | map("K = T/\(.)") | join(" | ")) + " |",
  "|---|---|---|---|---|---|---|---|",
  (group_by(.cell.lang)[] as $task |
    ($task | map(select(.cell.policy == "unbounded"))) as $full |
    "| \($task[0].cell.lang) | (unbounded) | \($task[0].metrics.tokens) | | | | | \($full | cell) |",
    (["window", "sink", "h2o", "tova"][] as $p |
      ($task | map(select(.cell.policy == $p))) as $rows |
      "| | \($p) | | " +
      ([16, 8, 4, 2, 1] | map(1 / . | tostring) | map(. as $f | $rows | map(select(.cell.cache_fraction == $f)) |
        "K=\(.[0].metrics.kv_cache): " + cell) | join(" | ")) + " |"))' "$full" "$evals" >"$out/multi_state_rnn.md"
"$statelab" plot "$evals" --kind curve --x cache_fraction --y accuracy --by policy -o "$out/multi-state-rnn.png"
echo "multi_state_rnn: $out/multi_state_rnn.md, $out/multi-state-rnn.png"
