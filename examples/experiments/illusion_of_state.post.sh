#!/usr/bin/env bash
# Experiment 2's second half (run.sh runs it after the sweep of protocol (a)):
#  1. protocol (b), length generalisation: a second sweep (OUT/lengths.toml -> OUT/lengths.jsonl)
#     built from the first config's own cells, so that it has exactly their recipe: the one-layer
#     rows of k = 4 (model, lr, state, ...) of the two the claim says need one layer (LSTM, IDS4)
#     and of the transformer and Mamba (S4D, DeltaNet [-1, 1] and cdssm left out for time),
#     trained on lengths 1..4 and tested on 1..16 (4x longer),
#     on Z60 and A5, the same seeds: 24 cells; its figures OUT/lengths-GROUP.png;
#  2. OUT/illusion_of_state.md: protocol (a)'s table (mean / max whole-word test accuracy over the
#     seeds per group, k, layers and architecture; the fewest layers at which a seed reaches 90%),
#     protocol (b)'s (mean / max accuracy at the trained lengths 1..4, at 5..8 and at 9..16), and
#     `statelab classify`'s prediction for each group and architecture;
#  3. the probes: `statelab probe` of each one-layer A5 network of k = 4, seed 1 (OUT/probe-MODEL.json
#     and .png), their accuracy by position in OUT/illusion_of_state.md.
# Usage: illusion_of_state.post.sh OUT   (STATELAB: the binary; JOBS and SWEEP_ARGS as for run.sh)
set -euo pipefail
out=$1
statelab=${STATELAB:-statelab}
config="${BASH_SOURCE[0]%.post.sh}.toml"
report="$out/illusion_of_state.md"

# 1. Protocol (b). The rows: the cells of seed 1 on A5 at one layer and k = 4, as their keys say.
"$statelab" sweep "$config" -o "$out/results.jsonl" --dry-run --json | jq -r '
  [.list[].key | [splits(" ") | capture("^(?<k>[^=]+)=(?<v>.*)$") | {(.k): .v}] | add
   | select(.lang == "word-problem:group=A5" and .seed == "1" and .layers == "1" and .["train-lengths"] == "4"
       and (.model | IN("lstm", "ids4", "transformer", "mamba")))]
  as $rows
  | if ($rows | length) == 0 then error("no one-layer A5 row of k = 4 in the config") else . end
  | ["model", "negative-eigenvalues", "state", "lr"] as $zip
  | def toml: tojson;
    "# Protocol (b) of experiment 2, written by illusion_of_state.post.sh from " + ($ARGS.named.config | split("/") | last),
    "[grid]",
    "seed = \([.list[].key | capture("(?:^| )seed=(?<s>[^ ]+)").s] | unique | toml)",
    "lang = [\"word-problem:group=Z60\", \"word-problem:group=A5\"]",
    "[[zip]]",
    ($zip[] as $k | "\($k) = \([$rows[][$k]] | toml)"),
    "[fixed]",
    "layers = \"1\"", "train-lengths = \"1..4\"", "test-lengths = \"1..16\"",
    ($rows[0] | to_entries[] | select(.key as $k | ["lang", "seed", "layers", "train-lengths", "test-lengths"] + $zip
      | index([$k]) | not) | "\(.key) = \(.value | toml)")' --arg config "$config" >"$out/lengths.toml"
status=0
"$statelab" sweep "$out/lengths.toml" -o "$out/lengths.jsonl" --jobs "${JOBS:-2}" --checkpoints "$out/checkpoints-lengths" \
  ${SWEEP_ARGS:-} || status=$?
[ "$status" -le 1 ] || exit "$status"
for g in A5 Z60; do
  if jq -s -e --arg g "$g" 'any(.[]; .status == "ok" and .cell.lang == "word-problem:group=" + $g)' "$out/lengths.jsonl" >/dev/null; then
    "$statelab" plot "$out/lengths.jsonl" --kind curve --by model --where "lang=word-problem:group=$g" \
      -o "$out/lengths-$g.png"
    echo "figure: $out/lengths-$g.png"
  fi
done

# 2. The tables.
{
  echo "## Protocol (a): whole-word test accuracy at length k, mean / max over the seeds (cells)"
  echo
  echo "| group | k | layers | architecture | mean | max | cells |"
  echo "|---|---|---|---|---|---|---|"
  jq -s -r '
    def r2: . * 100 | round / 100;
    map(select(.status == "ok")) | group_by([.cell.lang, .cell["train-lengths"], .cell.layers, .cell.model])[]
    | (map(.metrics.test_accuracy)) as $a
    | "| \(.[0].cell.lang | sub("word-problem:group="; "")) | \(.[0].cell["train-lengths"]) | \(.[0].cell.layers) | \(.[0].cell.model) | \($a | add / length | r2) | \($a | max | r2) | \($a | length) |"' \
    "$out/results.jsonl"
  echo
  echo "## Protocol (a): the fewest layers (of those run) at which some seed reaches 90% (-: none)"
  echo
  echo "| group | k | architecture | layers |"
  echo "|---|---|---|---|"
  jq -s -r '
    map(select(.status == "ok")) | group_by([.cell.lang, .cell["train-lengths"], .cell.model])[]
    | ([.[] | select(.metrics.test_accuracy >= 0.9) | .cell.layers | tonumber] | min) as $l
    | "| \(.[0].cell.lang | sub("word-problem:group="; "")) | \(.[0].cell["train-lengths"]) | \(.[0].cell.model) | \($l // "-") |"' \
    "$out/results.jsonl"
  echo
  echo "## Protocol (b): trained on lengths 1..4, accuracy by length band, mean / max over the seeds"
  echo
  echo "| group | architecture | 1..4 | 5..8 | 9..16 | cells |"
  echo "|---|---|---|---|---|---|"
  jq -s -r '
    def r2: . * 100 | round / 100;
    def band($a; $b): [.metrics.accuracy_by_length[] | select(.length >= $a and .length <= $b)]
      | (map(.accuracy * .examples) | add) / (map(.examples) | add);
    def mm: "\(add / length | r2) / \(max | r2)";
    map(select(.status == "ok")) | group_by([.cell.lang, .cell.model])[]
    | "| \(.[0].cell.lang | sub("word-problem:group="; "")) | \(.[0].cell.model) | \(map(band(1; 4)) | mm) | \(map(band(5; 8)) | mm) | \(map(band(9; 16)) | mm) | \(length) |"' \
    "$out/lengths.jsonl"
  echo
  echo "## statelab classify: which architectures can track each group exactly at every length"
  echo
  echo "| group | class | lstm | ids4 | transformer | s4d | mamba | deltanet [-1, 1] | cdssm |"
  echo "|---|---|---|---|---|---|---|---|---|"
  for lang in $(jq -r 'select(.status == "ok") | .cell.lang' "$out/results.jsonl" | sort -u); do
    "$statelab" classify "$lang" --json | jq -r --arg g "${lang#word-problem:group=}" '
      "| \($g) | \(.class) | " + ([.predictions | .lstm, .ids4, .transformer, .s4d, .mamba, .["deltanet-negative"], .cdssm
        | .answer] | join(" | ")) + " |"'
  done
} >"$report"

# 3. The probes of the one-layer A5 networks of k = 4, seed 1: the group element read linearly from
# the layer's output at each position, trained on words of lengths 1..4, scored on 1..16 (the
# transformer's learned positions stop at 4: 1..4).
probes=()
while IFS=$'\t' read -r model ckpt; do
  test_lengths=1..16
  [ "$model" = transformer ] && test_lengths=1..4
  "$statelab" probe --ckpt "$ckpt" --lang word-problem:group=A5 --train-lengths 1..4 --train-words "${PROBE_WORDS:-500}" \
    --test-lengths "$test_lengths" --test-words 32 --seed 1 --json --plot "$out/probe-$model.png" >"$out/probe-$model.json"
  probes+=("$model")
done < <(jq -r 'select(.status == "ok" and .cell.lang == "word-problem:group=A5" and .cell.seed == "1" and
  .cell.layers == "1" and .cell["train-lengths"] == "4" and .checkpoint) | [.cell.model, .checkpoint] | @tsv' "$out/results.jsonl")
{
  echo
  echo "## Probes: the one-layer A5 networks of k = 4, seed 1; linear probe accuracy by position (0-based), the network / its random initialisation"
  echo
  echo "| architecture | test accuracy | 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 9 | 11 | 15 |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  for model in "${probes[@]}"; do
    acc=$(jq -r --arg m "$model" 'select(.status == "ok" and .cell.lang == "word-problem:group=A5" and .cell.seed == "1" and
      .cell.layers == "1" and .cell["train-lengths"] == "4" and .cell.model == $m) | .metrics.test_accuracy * 100 | round / 100' \
      "$out/results.jsonl")
    jq -r --arg m "$model" --arg acc "$acc" '
      def r2: . * 100 | round / 100;
      .layers[0] | [.model.accuracy_by_position, .random_init.accuracy_by_position] as [$p, $r]
      | "| \($m) | \($acc) | " + ([0, 1, 2, 3, 4, 5, 6, 7, 9, 11, 15] | map(if . < ($p | length) then "\($p[.] | r2) / \($r[.] | r2)" else "" end)
        | join(" | ")) + " |"' "$out/probe-$model.json"
  done
} >>"$report"
echo "illusion_of_state: $report"
echo "protocol (b): $(grep -c '"status":"ok"' "$out/lengths.jsonl") cells ok, $(grep -c '"status":"failed"' "$out/lengths.jsonl" || true) failed"
