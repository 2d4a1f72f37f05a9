#!/usr/bin/env bash
# `statelab probe` and `statelab track` end to end: reports, exit codes, one-line errors.
# usage: track_cli_test.sh STATELAB_BINARY TEST_DATA_DIR
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/expect.sh"
setup_cli_test "$@"

# The Tomita 1 LSTM of tests/data records no training lengths: they are asked for.
expect "track: training lengths neither recorded nor given" 2 "^$" "^statelab: track: .*records no training lengths .*--train-lengths" -- \
  "$sl" track --ckpt "$net" --lang tomita:n=1
expect "track: the Tomita 1 LSTM tracks to 80" 0 "^tracks: every length up to 80 at 99% or more$" "^$" -- \
  "$sl" track --ckpt "$net" --lang tomita:n=1 --train-lengths 0..10
expect "track --json: the report" 0 '^\{"checkpoint":.*"architecture":"lstm","head":"recognize","prediction":\{"answer":"yes".*"tracks":true,"first_length_below":null,.*"probe":\{"language":"tomita:n=1"' "^$" -- \
  "$sl" track --ckpt "$net" --lang tomita:n=1 --train-lengths 0..10 --max-length 20 --json
expect "track: --max-length past the limit is refused before work" 2 "^$" "^statelab: track: a maximum length of 5000 is past the limit of 1000 \(raise --length-limit\)$" -- \
  "$sl" track --ckpt "$net" --lang tomita:n=1 --train-lengths 0..10 --max-length 5000

# An S3 tagger (the recipe of bridge_cli_test.sh, ~1 s) tracks to 100; after 20 steps it does not.
check "train: an S3 tagger" "$sl" train --quiet --lang word-problem:group=S3 --task tag --hidden 32 \
  --train-lengths 1..30 --validation-lengths 40..60 --test-lengths 31..100 --steps 3000 --eval-every 250 -o s3.safetensors
expect "track: the S3 tagger tracks to 100" 0 "^tracks: every length up to 100 at 99% or more$" "^$" -- \
  "$sl" track --ckpt s3.safetensors --lang word-problem:group=S3 --max-length 100
check "train: an S3 tagger stopped at 20 steps" "$sl" train --quiet --lang word-problem:group=S3 --task tag --hidden 32 \
  --train-lengths 1..10 --steps 20 -o s3-early.safetensors
expect "track: an undertrained tagger fails, with the minimal counterexample" 1 "^check: minimal counterexample .*first wrong at position" "^$" -- \
  "$sl" track --ckpt s3-early.safetensors --lang word-problem:group=S3 --max-length 20
expect "track: the default maximum length is 8x the longest training length" 1 "^fails: below 99% from length [0-9]+ \(max length 80\)$" "^$" -- \
  "$sl" track --ckpt s3-early.safetensors --lang word-problem:group=S3

# probe: the trained tagger holds the group element linearly at every position; the controls do not.
expect "probe: the S3 tagger's state is decoded at every position" 0 "^0 +trained network +1\.0000 +1\.0000 +every position" "^$" -- \
  "$sl" probe --ckpt s3.safetensors --lang word-problem:group=S3 --test-lengths 1..40
expect "probe: the shuffled-label control is below 50%" 0 "^0 +shuffled labels +[0-9.]+ +0\.[0-4]" "^$" -- \
  "$sl" probe --ckpt s3.safetensors --lang word-problem:group=S3 --test-lengths 1..40
expect "probe --json" 0 '^\{"language":"word-problem:group=S3","target":"state","components":\["state"\],"classes":6,' "^$" -- \
  "$sl" probe --ckpt s3.safetensors --lang word-problem:group=S3 --test-lengths 1..20 --json
expect "probe --plot draws the retention curves" 0 "^wrote probe.png$" "^$" -- \
  "$sl" probe --ckpt s3.safetensors --lang word-problem:group=S3 --test-lengths 1..20 --plot probe.png
check "probe --plot: a PNG" bash -c '[ "$(head -c 4 probe.png | tail -c 3)" = PNG ]'
expect "probe --plot: a bad extension before any work" 2 "^$" "^statelab: .*png or svg|^statelab: .*\.png or \.svg" -- \
  "$sl" probe --ckpt s3.safetensors --lang word-problem:group=S3 --plot probe.txt
expect "probe: --layer out of range" 2 "^$" "^statelab: --layer 1: the model has 1 layer \(0\.\.0\)$" -- \
  "$sl" probe --ckpt s3.safetensors --lang word-problem:group=S3 --layer 1
expect "probe: --target stack-depth of a DFA language" 2 "^$" "^statelab: probe --target stack-depth: word-problem:group=S3 has no stack depth" -- \
  "$sl" probe --ckpt s3.safetensors --lang word-problem:group=S3 --target stack-depth
expect "probe: --target unknown" 2 "^$" "^statelab: --target 'depth': expected state, stack-depth or counter$" -- \
  "$sl" probe --ckpt s3.safetensors --lang word-problem:group=S3 --target depth
expect "probe: past the work limit" 2 "^$" "^statelab: probe: a fit would take .* \(raise --max-work," -- \
  "$sl" probe --ckpt s3.safetensors --lang word-problem:group=S3 --max-work 100

# A predicate language has no per-position state: one clear line, exit 2 (before its alphabet matters).
check "train: a copy recognizer (2 steps)" "$sl" train --quiet --lang copy --steps 2 --train-lengths 2..4 --test-lengths 6 -o copy.safetensors
expect "probe: a predicate has no state" 2 "^$" "^statelab: probe: copy:k=2 has no per-position state \(its ground truth is a predicate, not a DFA, PDA or counter machine\)" -- \
  "$sl" probe --ckpt copy.safetensors --lang copy
expect "track: a predicate: the probe is left out with its reason" 1 "^probe: none: probe: copy:k=2 has no per-position state" "^$" -- \
  "$sl" track --ckpt copy.safetensors --lang copy --max-length 8 --tests 50

# A transformer with learned positions for 10 tokens: track's lengths stay within them.
check "train: a transformer with learned positions to 10 (2 steps)" "$sl" train --quiet --lang tomita:n=1 \
  --model transformer --hidden 8 --embedding 4 --train-lengths 1..8 --test-lengths 9..10 --train-count 16 \
  --test-count 8 --batch 16 --steps 2 --seed 1 -o tf10.safetensors
expect "track: the default lengths fit the learned positions" 1 '"max_length":10,.*"check":\{"agree":false,"tested":[0-9]+,"max_length":2' "^$" -- \
  "$sl" track --ckpt tf10.safetensors --lang tomita:n=1 --train-lengths 1..8 --json
expect "track: a --max-length past the learned positions is refused" 2 "^$" \
  "^statelab: track: --max-length 40 is past the transformer's learned positions \(10 symbols\): give --max-length 10 or less$" -- \
  "$sl" track --ckpt tf10.safetensors --lang tomita:n=1 --train-lengths 1..8 --max-length 40

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
