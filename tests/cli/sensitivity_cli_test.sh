#!/usr/bin/env bash
# End-to-end tests of `statelab sensitivity`: known values by enumeration and by sampling, random
# initialisations (text, JSON, histogram), one-line errors with exit 2.
# usage: sensitivity_cli_test.sh STATELAB_BINARY TEST_DATA_DIR
set -u
# shellcheck source=expect.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/expect.sh"
setup_cli_test "$@"

expect "parity: n" 0 "^parity at length 12: average sensitivity 12.0000 \(exact, all 4096 words\)$" "^$" -- \
  "$sl" sensitivity --lang parity --length 12
expect "first: 1" 0 "average sensitivity 1.0000 \(exact" "^$" -- "$sl" sensitivity --lang first --length 9
# majority at n = 9: 9 C(8, 4) / 2^8 = 630 / 256 = 2.4609375
expect "majority: its closed form" 0 '"exact":true,"words":512,"mean":2.4609375' "^$" -- \
  "$sl" sensitivity --lang majority --length 9 --json
expect "parity by sampling, past the enumeration budget" 0 \
  "^parity at length 40: average sensitivity 40.0000 \(95% confidence interval 40.0000..40.0000, 300 sampled words, seed 0\)$" \
  "^$" -- "$sl" sensitivity --lang parity --length 40 --samples 300
"$sl" sensitivity --lang majority --length 9 --samples 3000 --seed 5 --json >majority.json
check "majority by sampling: the closed form inside the interval" python3 -c \
  'import json; r = json.load(open("majority.json")); exit(not (r["low"] <= 2.4609375 <= r["high"] and not r["exact"]))'
expect "a trained recognizer" 0 "^.*tomita1_lstm.safetensors at length 8: average sensitivity [0-9.]+ \(exact, all 256 words\)$" "^$" -- \
  "$sl" sensitivity --ckpt "$net" --length 8
expect "random initialisations" 0 "^average sensitivity mean [0-9.]+; min [0-9.]+, 10% " "^$" -- \
  "$sl" sensitivity --random-init lstm --hidden 8 --length 6 --inits 20
expect "random initialisations, JSON" 0 '"model":"gru",.*"inits":5,"exact":true,.*"values":\[' "^$" -- \
  "$sl" sensitivity --random-init gru --hidden 8 --length 6 --inits 5 --json
check "the same seed, the same distribution" test \
  "$("$sl" sensitivity --random-init rnn --hidden 8 --length 30 --samples 20 --inits 4 --seed 3 --json)" = \
  "$("$sl" sensitivity --random-init rnn --hidden 8 --length 30 --samples 20 --inits 4 --seed 3 --json)"
if command -v gnuplot >/dev/null; then
  expect "a histogram" 0 "^wrote hist.png$" "^$" -- \
    "$sl" sensitivity --random-init lstm --hidden 8 --length 6 --inits 20 --plot hist.png
  check "the histogram is a PNG" bash -c "head -c 8 hist.png | grep -q PNG"
fi

# bad input: one line, exit 2
expect "past the enumeration budget without --samples" 2 "^$" \
  "^statelab: sensitivity: --length 21 over 2 symbols has 2097152 words, past the enumeration budget of 1048576 words; give --samples N to estimate it by sampling$" -- \
  "$sl" sensitivity --lang parity --length 21
expect "one source only" 2 "^$" "give exactly one of --lang NAME, --ckpt FILE or --random-init MODEL" -- \
  "$sl" sensitivity --lang parity --random-init lstm --length 3
expect "no source" 2 "^$" "give exactly one of" -- "$sl" sensitivity --length 3
expect "an architecture's option without --random-init" 2 "^$" "^statelab: sensitivity: --hidden applies to --random-init only$" -- \
  "$sl" sensitivity --lang parity --length 3 --hidden 8
expect "--samples 1" 2 "^$" "at least 2 words" -- "$sl" sensitivity --lang parity --length 30 --samples 1
expect "sampling work is bounded" 2 "^$" "past the budget of 4294967296; lower --samples or --length" -- \
  "$sl" sensitivity --lang parity --length 5000 --samples 1000000
expect "--plot without --random-init" 2 "^$" "--plot draws the distribution over --random-init" -- \
  "$sl" sensitivity --lang parity --length 3 --plot x.png
expect "--plot with a bad extension, before the work" 2 "^$" "unknown image extension" -- \
  "$sl" sensitivity --random-init lstm --length 3 --plot x.gif
expect "an unknown architecture" 2 "^$" "^statelab: .*lsttm" -- "$sl" sensitivity --random-init lsttm --length 3
check "train: a tag model" "$sl" train --quiet --lang word-problem:group=S3 --task tag --hidden 4 --embedding 2 \
  --train-lengths 1..3 --test-lengths 4 --steps 2 -o tag.safetensors >/dev/null
expect "a tag-head checkpoint is refused in one line" 2 "^$" \
  "^statelab: tag.safetensors: the model has a tag head .*; sensitivity needs a recognize head$" -- \
  "$sl" sensitivity --ckpt tag.safetensors --length 3

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
