#!/usr/bin/env bash
# End-to-end tests of the bounded KV cache (issue 15 §3): eval, score, check, extract and probe take
# `--kv-cache K --policy window|sink|tova|h2o [--sink S]` on a causal transformer; a bound of at
# least the length changes nothing; bad bounds are one line naming the option, exit 2.
# usage: kv_cache_cli_test.sh STATELAB_BINARY TEST_DATA_DIR
set -u
# shellcheck source=expect.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/expect.sh"
setup_cli_test "$@"

tiny=(--hidden 8 --embedding 4 --train-count 16 --test-count 8 --batch 16 --seed 1 --quiet --heads 2)
"$sl" train --lang parity --model transformer --pos alibi "${tiny[@]}" --train-lengths 1..6 --test-lengths 7..8 \
  --steps 5 -o rec.safetensors
"$sl" train --lang word-problem:group=S3 --task tag --model transformer --pos sinusoidal "${tiny[@]}" \
  --train-lengths 1..4 --test-lengths 5..6 --steps 5 -o tag.safetensors
"$sl" train --lang copy-task:k=2 --task seq --model transformer --pos hard-alibi "${tiny[@]}" \
  --train-lengths 1..4 --test-lengths 5..6 --steps 5 -o seq.safetensors
"$sl" train --lang parity --model transformer --bidirectional "${tiny[@]}" --train-lengths 1..4 --test-lengths 5 \
  --steps 2 -o bi.safetensors
check "the checkpoints" test -s rec.safetensors -a -s tag.safetensors -a -s seq.safetensors -a -s bi.safetensors

# A bound at least the length: the same accuracy as the full forward, for every policy and head.
for ckpt in rec tag seq; do
  "$sl" eval --ckpt $ckpt.safetensors --lengths 5..8 --count 8 >full.txt
  for policy in window sink tova h2o; do
    expect "eval $ckpt: --kv-cache 40 --policy $policy is the full forward" 0 "^overall" "^$" -- \
      "$sl" eval --ckpt $ckpt.safetensors --lengths 5..8 --count 8 --kv-cache 40 --policy $policy
    check "eval $ckpt $policy: identical table" cmp -s stdout full.txt
    expect "eval $ckpt: --kv-cache 2 --policy $policy runs" 0 "^overall" "^$" -- \
      "$sl" eval --ckpt $ckpt.safetensors --lengths 5..8 --count 8 --kv-cache 2 --policy $policy
  done
done
expect "eval --json names the bound" 0 '"kv_cache":"sink K=3 s=1"' "^$" -- \
  "$sl" eval --ckpt rec.safetensors --lengths 5..6 --count 4 --kv-cache 3 --policy sink --sink 1 --json
expect "eval --json: no bound, no kv_cache field" 0 '^\{"checkpoint":"rec\.safetensors".*"accuracy_by_length":\[[^]]*\]\}$' "^$" -- \
  "$sl" eval --ckpt rec.safetensors --lengths 5..6 --count 4 --json
check "eval --json: no kv_cache field" sh -c '! grep -q kv_cache stdout'

# score: probabilities and hidden states from the bounded cache.
"$sl" score --ckpt rec.safetensors --hidden 0110 11 >full.txt
expect "score: a bound of the length is the full forward" 0 "^0110" "^$" -- \
  "$sl" score --ckpt rec.safetensors --hidden 0110 11 --kv-cache 4 --policy tova
check "score: identical" cmp -s stdout full.txt
expect "score: --kv-cache 1" 0 "^0110	0\.[0-9]+" "^$" -- \
  "$sl" score --ckpt rec.safetensors 0110 11 --kv-cache 1 --policy h2o

# check, extract, probe: the bridge's recognizers decode with the bound.
# answer NAME -- command...: exit 0 (agree) or 1 (disagree), an answer on stdout, nothing on stderr.
answer() {
  local name=$1
  shift 2
  check "$name" sh -c '"$@" >out 2>err; [ $? -le 1 ] && grep -q agree out && [ ! -s err ]' _ "$@"
}
answer "check: a bounded recognizer" -- \
  "$sl" check --ckpt rec.safetensors --lang parity --max-length 8 --tests 50 --kv-cache 2 --policy tova
answer "check: a bounded tagger" -- \
  "$sl" check --ckpt tag.safetensors --lang word-problem:group=S3 --max-length 6 --tests 20 --kv-cache 2 --policy h2o
answer "check: a bounded seq model" -- \
  "$sl" check --ckpt seq.safetensors --lang copy-task:k=2 --max-length 8 --tests 20 --kv-cache 3 --policy window
expect "extract: a bounded recognizer" 0 "extracted" "^$" -- \
  timeout 120 "$sl" extract --ckpt rec.safetensors --method cluster --lang parity --time-limit 5 --kv-cache 2 \
  --policy sink --sink 1 -o m.json
expect "probe: a bounded transformer" 0 "^probe of rec.safetensors" "^$" -- \
  timeout 120 "$sl" probe --ckpt rec.safetensors --lang parity --train-lengths 1..6 --test-lengths 1..8 \
  --train-words 4 --test-words 4 --kv-cache 2 --policy window

# Bad bounds: one line naming the option, exit 2.
bad() {  # bad NAME STDERR_REGEX -- args...
  local name=$1 re=$2
  shift 3
  expect "$name" 2 "^$" "$re" -- "$sl" "$@"
}
bad "K = 0" "^statelab: --kv-cache: expected .* at least 1, got '0'$" -- \
  eval --ckpt rec.safetensors --lengths 5 --kv-cache 0 --policy tova
bad "negative K" "^statelab: --kv-cache: .*got '-3'$" -- eval --ckpt rec.safetensors --lengths 5 --kv-cache -3
bad "K not a number" "^statelab: --kv-cache: .*got 'ten'$" -- score --ckpt rec.safetensors 01 --kv-cache ten
bad "a policy without --kv-cache" "^statelab: --policy: only with --kv-cache" -- \
  eval --ckpt rec.safetensors --lengths 5 --policy tova
bad "--sink without --kv-cache" "^statelab: --sink: only with --kv-cache" -- score --ckpt rec.safetensors 01 --sink 2
bad "an unknown policy" "^statelab: --policy: .*'lru' is unknown \(expected window, sink, tova or h2o\)$" -- \
  check --ckpt rec.safetensors --lang parity --kv-cache 4 --policy lru
bad "--sink >= K" "^statelab: --sink: expected .* 0\.\.3 .*got '4'$" -- \
  eval --ckpt rec.safetensors --lengths 5 --kv-cache 4 --policy sink --sink 4
bad "--sink with another policy" "^statelab: --sink: only with --policy sink$" -- \
  eval --ckpt rec.safetensors --lengths 5 --kv-cache 4 --policy tova --sink 1
bad "a bound on an LSTM" "^statelab: --kv-cache: .*tomita1_lstm.safetensors: .* lstm, not a transformer" -- \
  check --ckpt "$net" --lang tomita:n=1 --kv-cache 4 --policy tova
bad "a bound on an LSTM (eval)" "^statelab: --kv-cache: .*not a transformer" -- \
  eval --ckpt "$net" --lang tomita:n=1 --lengths 5 --kv-cache 4
bad "a bound on a bidirectional transformer" "^statelab: --kv-cache: bi.safetensors: .*not causal" -- \
  score --ckpt bi.safetensors 01 --kv-cache 4 --policy window
bad "extract: K = 0" "^statelab: --kv-cache: " -- extract --ckpt rec.safetensors --lang parity --kv-cache 0 -o m.json
bad "probe: a bound on an LSTM" "^statelab: --kv-cache: .*not a transformer" -- \
  probe --ckpt "$net" --lang tomita:n=1 --kv-cache 2

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
