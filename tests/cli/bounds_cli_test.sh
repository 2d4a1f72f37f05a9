#!/usr/bin/env bash
# End-to-end tests of the bounds on parameter-sized work (issue 12, item 3): a huge parameter is
# refused at once with one line naming the option that raises the bound, or the work stays within
# --max-memory; progress appears on a terminal and nowhere else.
# usage: bounds_cli_test.sh STATELAB_BINARY TEST_DATA_DIR
set -u
# shellcheck source=expect.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/expect.sh"
setup_cli_test "$@"

"$sl" dfa from-regex '(0*10*1)*0*' --alphabet 01 -o even.json >/dev/null

# Each case runs under `timeout 20`: before the bounds, each ran without end or exhausted memory.
expect "dfa count: a huge --length is refused at once" 2 "^$" \
  "^statelab: dfa count: --length 1000000000 is past the limit of 100000 \(raise --max-length\)$" -- \
  timeout 20 "$sl" dfa count even.json --length 1000000000
expect "dfa count: --max-length raises the bound" 0 "^[0-9]+$" "^$" -- \
  timeout 20 "$sl" dfa count even.json --length 300 --max-length 300
expect "dfa count: --max-length lowers it" 2 "^$" "raise --max-length" -- \
  timeout 20 "$sl" dfa count even.json --length 300 --max-length 200
expect "dfa sample: a huge --length is refused at once" 2 "^$" \
  "^statelab: dfa sample: --length 1000000000 is past the limit of 100000 \(raise --max-length\)$" -- \
  timeout 20 "$sl" dfa sample even.json --length 1000000000 --count 1 --seed 1
expect "dfa sample: a sampler past --max-memory is refused" 2 "^$" \
  "^statelab: the table of completion counts for sampling words of length 20000 .* would take more than 1 MiB \(raise --max-memory\)$" -- \
  timeout 20 "$sl" dfa sample even.json --length 20000 --count 1 --seed 1 --max-memory 1mb
expect "dfa sample: too many words for --max-memory" 2 "^$" \
  "^statelab: sampling 1000000000000 words of length 10 would take more than 4 GiB \(raise --max-memory\)$" -- \
  timeout 20 "$sl" dfa sample even.json --length 10 --count 1000000000000 --seed 1
expect "dfa sample: --max-memory takes units" 0 "^[01]{10}$" "^$" -- \
  timeout 20 "$sl" dfa sample even.json --length 10 --count 2 --seed 1 --max-memory 64KiB
expect "dfa sample: --max-memory must be a size" 2 "^$" "max-memory" -- \
  timeout 20 "$sl" dfa sample even.json --length 10 --count 2 --seed 1 --max-memory lots
expect "dfa random: a table past --max-memory is refused at once" 2 "^$" \
  "^statelab: a random DFA of 4000000000 states x 2 symbols would take more than 4 GiB \(raise --max-memory\)$" -- \
  timeout 20 "$sl" dfa random --states 4000000000 --symbols 2 --seed 1 -o huge.json
expect "dfa random: so is an alphabet past it" 2 "^$" "^statelab: a random DFA of .*\(raise --max-memory\)$" -- \
  timeout 20 "$sl" dfa random --states 100 --symbols 100000000000 --seed 1 -o huge.json
expect "lang count: a huge --length is refused at once" 2 "^$" "^statelab: .*--length.*1000000000" -- \
  timeout 20 "$sl" lang count parity --length 1000000000
expect "lang sample: a --lengths range past --max-length is refused at once" 2 "^$" \
  "^statelab: lang sample: --lengths' end 50000 is past the limit of 2000 \(raise --max-length\)$" -- \
  timeout 20 "$sl" lang sample parity --lengths 1..50000 --count 1 --seed 1
expect "lang sample: --max-length raises it" 0 '"length":2100' "^$" -- \
  timeout 60 "$sl" lang sample parity --lengths 2100..2100 --count 1 --seed 1 --max-length 2100
expect "lang sample: a huge --lengths is refused at once" 2 "^$" "^statelab: .*--lengths.*1000000000" -- \
  timeout 20 "$sl" lang sample parity --lengths 0..1000000000 --count 1 --seed 1
expect "check: a huge --max-length is refused at once" 2 "^$" \
  "^statelab: check: --max-length 1000000000 is past the limit of 1000 \(raise --length-limit\)$" -- \
  timeout 20 "$sl" check --ckpt "$net" --lang tomita:n=1 --max-length 1000000000
expect "check: too many words for --max-memory" 2 "^$" \
  "^statelab: check: 100000000000 words of up to 80 symbols would take more than 4 GiB \(raise --max-memory\)$" -- \
  timeout 20 "$sl" check --ckpt "$net" --lang tomita:n=1 --tests 100000000000
expect "check: within the bounds it runs" 0 "^agree" "^$" -- \
  timeout 20 "$sl" check --ckpt "$net" --lang tomita:n=1 --tests 50 --max-length 30 --length-limit 30
# A transformer with learned positions for 10 tokens: check's long words (4 --max-length) must fit.
"$sl" train --lang tomita:n=1 --model transformer --hidden 8 --embedding 4 --train-lengths 1..8 \
  --test-lengths 9..10 --train-count 16 --test-count 8 --batch 16 --steps 2 --seed 1 --quiet -o tf.safetensors
expect "check: long words past a transformer's learned positions are refused at once" 2 "^$" \
  "^statelab: check: --max-length 20 draws long words of up to 80 symbols, but the model's learned positions cover 10: give --max-length 2 or less$" -- \
  timeout 20 "$sl" check --ckpt tf.safetensors --lang tomita:n=1
expect "check: within the learned positions it runs (two steps of training: it disagrees)" 1 "^disagree" "^$" -- \
  timeout 20 "$sl" check --ckpt tf.safetensors --lang tomita:n=1 --max-length 2 --tests 20
# S8 on two generators: 40320 elements of 40320 states. It used 15.9 GB for 125 s; now the monoid
# and its analysis stay within --max-memory. Under `ulimit -v` (address space: the cap plus the
# program) a computation past its cap would die of bad_alloc instead of the clean refusal.
expect "classify: S8 is refused within a small --max-memory" 2 "^$" \
  "^statelab: transition monoid: .* would take more than 256 MiB \(raise --max-memory\)$" -- \
  timeout 20 bash -c "ulimit -v 1500000; exec '$sl' classify 'word-problem:group=S8,gens=(1,2);(1,2,3,4,5,6,7,8)' --max-memory 256MiB"
expect "classify: the group's closure counts against --max-memory" 2 "^$" \
  "^statelab: a permutation group: .* would take more than 3 MiB \(raise --max-memory\)$" -- \
  timeout 20 "$sl" classify 'word-problem:group=S6,gens=(1,2);(1,2,3,4,5,6)' --max-memory 3MiB
expect "classify: S6 within the default cap" 0 "order 720, non-abelian, non-solvable" "^$" -- \
  timeout 20 "$sl" classify 'word-problem:group=S6,gens=(1,2);(1,2,3,4,5,6)'

# Progress: on a terminal (a pseudo-terminal from script(1)) a computation past a second shows
# its progress on stderr; through a pipe nothing but the answer.
# (the typescript progress.txt holds what the terminal showed: stderr alone, stdout goes to a file;
# 16 states make the count take about two seconds of CPU, past the second before progress shows)
"$sl" dfa random --states 16 --symbols 2 --seed 3 -o r16.json >/dev/null
script -qec "'$sl' dfa count r16.json --length 100000 >count.txt" progress.txt >/dev/null 2>&1
check "dfa count: progress on a terminal" grep -q "counting words of length 100000: [0-9]*% " progress.txt
check "dfa count: the answer on stdout, whole" grep -Eqx "[0-9]{30000,}" count.txt
"$sl" dfa count r16.json --length 100000 >count.txt 2>stderr.txt
check "dfa count: no progress through a pipe" test ! -s stderr.txt

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
