#!/usr/bin/env bash
# End-to-end tests of `statelab check` and `statelab extract`: outputs, exit codes and errors.
# usage: bridge_cli_test.sh STATELAB_BINARY TEST_DATA_DIR
# The checkpoint tests/data/bridge/tomita1_lstm.safetensors is examples/03_extract_tomita's
# network for tomita:n=1 (an LSTM, hidden size 32, 100% on validation up to length 20).
set -u
# shellcheck source=expect.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/expect.sh"
setup_cli_test "$@"

# check
expect "check: a perfect network agrees" 0 "^agree: no disagreement with tomita:n=1 on [0-9]+ distinct words$" "^$" -- \
  "$sl" check --ckpt "$net" --lang tomita:n=1 --tests 300 --exhaustive-up-to 8
expect "check: another language disagrees, minimal counterexample first" 1 '^  "1" \(length 1\): model accepts \(score 0\.9[0-9]*\), truth rejects$' "^$" -- \
  "$sl" check --ckpt "$net" --lang tomita:n=2 --tests 200
expect "check --json" 1 '^\{"language":"tomita:n=2",.*"agree":false,"tested":[0-9]+,"counterexamples":\[\{"word":"1","length":1,"model":true,"model_score":0\.9[0-9]*,"truth":false\}.*"by_length":\[\{"length":0,' "^$" -- \
  "$sl" check --ckpt "$net" --lang tomita:n=2 --tests 200 --json
"$sl" check --ckpt "$net" --lang tomita:n=2 --tests 200 --counterexamples 40 --json >many.json
check "check --counterexamples 40: every word it disagrees on (fewer than 40 here), the minimal first" jq -e \
  '([.by_length[] | .tested - .agree] | add) as $n | $n > 5 and $n < 40 and (.counterexamples | length) == $n
   and .counterexamples[0].word == "1" and (.counterexamples | map(.word) | unique | length) == $n' many.json
expect "check --counterexamples 0 is refused" 2 "^$" "counterexamples" -- \
  "$sl" check --ckpt "$net" --lang tomita:n=2 --counterexamples 0
expect "check: alphabet mismatch" 2 "^$" "^statelab: the checkpoint's alphabet \[0, 1\] does not match the language's alphabet \[\(, \)\]$" -- \
  "$sl" check --ckpt "$net" --lang dyck:k=1
expect "check: missing checkpoint" 2 "^$" "^statelab: .*nope.safetensors" -- "$sl" check --ckpt nope.safetensors --lang tomita:n=1
expect "check: --lang is required" 2 "^$" "lang is required" -- "$sl" check --ckpt "$net"

# extract
expect "extract: L* finds tomita 1's DFA" 0 "^accuracy 100\.00% against tomita:n=1; equivalent to its minimal DFA$" "^$" -- \
  "$sl" extract --ckpt "$net" --lang tomita:n=1 -o t1.json
check "extract: wrote the DFA" test -s t1.json
expect "extract: the DFA reads back" 0 "2 states" "^$" -- "$sl" dfa info t1.json
expect "extract --json" 0 '^\{"method":"lstar","oracle":"abstraction\+random-words","states":2,"membership_queries":[0-9]+,"equivalence_queries":[0-9]+,.*"complete":true,.*"fidelity":1\.0,.*"equivalent_to_truth":true,"counterexample":null' "^$" -- \
  "$sl" extract --ckpt "$net" --lang tomita:n=1 -o t1.dot --json
expect "extract: against another language, the separating word" 0 '^accuracy .* against tomita:n=2; differs from it on "1" \(truth rejects, network accepts\)$' "^$" -- \
  "$sl" extract --ckpt "$net" --lang tomita:n=2 -o t2.att
expect "extract: --svg draws it" 0 "^wrote t1b\.json and t1b\.svg$" "^$" -- \
  "$sl" extract --ckpt "$net" -o t1b.json --svg t1b.svg
check "extract: the SVG is an SVG" grep -q "<svg" t1b.svg
expect "extract: L# finds tomita 1's DFA too" 0 "^extracted 2 states by lsharp \\(abstraction\\+random-words\\)" "^$" -- \
  "$sl" extract --ckpt "$net" --method lsharp --lang tomita:n=1 -o t1s.json
check "extract: the summary's last clause, wrapped at '; '" grep -Eq "(; |^  )[0-9]+ equivalence queries; complete$" stdout
expect "extract -o - prints the DFA, the report on stderr" 0 '"format": *"statelab-automaton"' "^wrote - *$" -- \
  "$sl" extract --ckpt "$net" -o - --output-format json
expect "extract --svg refuses past --max-render-states" 2 "^$" "more than 1 to draw as SVG.*--max-render-states" -- \
  "$sl" extract --ckpt "$net" -o t1c.json --svg t1c.svg --max-render-states 1
check "extract: a refused --svg leaves no -o file behind" test ! -e t1c.json
expect "extract -o - without a format prints JSON" 0 '"format": *"statelab-automaton"' "^wrote - *$" -- \
  "$sl" extract --ckpt "$net" -o -
expect "extract: clustering" 0 "^extracted [0-9]+ states by cluster" "^$" -- "$sl" extract --ckpt "$net" --method cluster -o c.jff
expect "extract: a state limit marks the result incomplete" 0 '"complete":false,"stopped_by":"states"' "^$" -- \
  "$sl" extract --ckpt "$net" --max-states 1 -o s.json --json
expect "extract: time limit zero" 2 "^$" "^statelab: extract: --time-limit must be a positive number of seconds, got 0" -- \
  "$sl" extract --ckpt "$net" --time-limit 0 -o x.json
expect "extract: non-regular --lang" 2 "^$" "^statelab: extract: 'dyck:k=1' has no regular ground truth" -- \
  "$sl" extract --ckpt "$net" --lang dyck:k=1 -o x.json
expect "extract: unknown method" 2 "^$" "^statelab: extract: unknown method 'svm'" -- "$sl" extract --ckpt "$net" --method svm -o x.json
expect "extract: unknown output extension" 2 "^$" "^statelab: .*x\.txt" -- "$sl" extract --ckpt "$net" -o x.txt
check "extract: nothing written on error" test ! -e x.json

# negative numbers are refused with a line naming the option (CLI11 would wrap them to 2^64 - 1)
for opt in --tests --exhaustive-up-to --seed --max-length; do
  expect "check: $opt -1 is refused" 2 "^$" "^statelab: $opt: expected a whole number 0 or more" -- \
    "$sl" check --ckpt "$net" --lang tomita:n=1 $opt -1
done
for opt in --max-states --max-queries --random-tests --seed; do
  expect "extract: $opt -1 is refused" 2 "^$" "^statelab: $opt: expected a whole number 0 or more" -- \
    "$sl" extract --ckpt "$net" $opt -1 -o x.json
done
expect "extract: --clusters 0 is refused naming the option" 2 "^$" "^statelab: --clusters: expected a whole number of at least 1" -- \
  "$sl" extract --ckpt "$net" --method cluster --clusters 0 -o x.json
# testing nothing is not agreement
expect "check: --tests 0 alone is refused" 2 "^$" "^statelab: --tests 0 tests no word.*--exhaustive-up-to" -- \
  "$sl" check --ckpt "$net" --lang tomita:n=1 --tests 0
expect "check: --tests 0 with --exhaustive-up-to tests those words" 0 "^agree: no disagreement with tomita:n=1 on 15 distinct words$" "^$" -- \
  "$sl" check --ckpt "$net" --lang tomita:n=1 --tests 0 --exhaustive-up-to 3

# per-position heads: an LSTM tagging S3's word problem (the recipe of docs/bridge.md; ~1 s)
check "train: an S3 tagger" "$sl" train --quiet --lang word-problem:group=S3 --task tag --hidden 32 \
  --train-lengths 1..30 --validation-lengths 40..60 --test-lengths 31..100 --steps 3000 --eval-every 250 -o s3.safetensors
expect "check: every position of a tag head" 0 "^agreement by position: 100% at every position tested$" "^$" -- \
  "$sl" check --ckpt s3.safetensors --lang word-problem:group=S3 --max-length 12 --tests 300
expect "check --json: a tag head's report" 0 '^\{"language":"word-problem:group=S3",.*"head":"tag",.*"agree":true,.*"by_position":\[\{"position":0,' "^$" -- \
  "$sl" check --ckpt s3.safetensors --lang word-problem:group=S3 --max-length 12 --tests 300 --json
expect "extract: the S3 tagger is S3's Cayley automaton" 0 "^equivalent to the truth's Moore machine \(6 states\) at every position it asks$" "^$" -- \
  "$sl" extract --ckpt s3.safetensors -o s3.json --svg s3.svg
check "extract: the Moore machine's outputs are its states' group elements" \
  grep -q '"outputs": \["e", "(1,2)", "(1,2,3)", "(1,3)", "(2,3)", "(1,3,2)"\]' s3.json
check "extract: the SVG shows the outputs" grep -q "(1,3,2)" s3.svg
# L#'s tree asks other words than L*'s table: on this network it finds words of length 7 such as
# "(1,2,3) (1,3) e e e e e" where the network says e and the truth (1,2), and extracts those states too.
expect "extract --method lsharp: a tag head" 0 \
  "^extracted a Moore machine of [0-9]+ states \(tag head\) by lsharp \(abstraction\+random-words\) " "^$" -- \
  "$sl" extract --ckpt s3.safetensors --method lsharp -o s3l.json
check "extract --method lsharp: complete (the summary wraps at 100 columns)" grep -Eq "equivalence queries; complete$" stdout
expect "extract: AALpy's Moore dialect" 0 '^s0 \[label="s0\|e", shape=record, style=rounded\];$' "" -- \
  "$sl" extract --ckpt s3.safetensors -o - --output-format dot
expect "extract: a Moore machine cannot be AT&T text" 2 "^$" "^statelab: a Moore machine \(an output per state\) cannot be written as att \(use \.json or \.dot\)$" -- \
  "$sl" extract --ckpt s3.safetensors -o s3.att
expect "extract: a tag head is not a recognizer for clustering" 2 "^$" "^statelab: extract: a tag or next-set head is extracted as a Moore machine by lstar or lsharp \(cluster learns DFAs\)$" -- \
  "$sl" extract --ckpt s3.safetensors --method cluster -o x.json
expect "check: a tag head against a language of another alphabet" 2 "^$" "^statelab: .*does not match" -- \
  "$sl" check --ckpt s3.safetensors --lang tomita:n=1

check "train: a next-set model" "$sl" train --quiet --lang dyck:k=1,depth=2 --task next-set --steps 3000 -o ns.safetensors
expect "check: a next-set head, at every live position" 0 "^agree: no disagreement with dyck:k=1,depth=2 at any position of [0-9]+ distinct words$" "^$" -- \
  "$sl" check --ckpt ns.safetensors --lang dyck:k=1,depth=2 --tests 300
# Extracted on the prefixes it calls live (bridge::LiveNextSetTagger): complete, not stopped by the
# 60-second time limit as when its untrained outputs after dead prefixes were learned too.  Off a
# terminal stderr holds at most progress lines (cli/progress.h).
rc=0
"$sl" extract --ckpt ns.safetensors --lang dyck:k=1,depth=2 -o ns.json >stdout 2>stderr </dev/null || rc=$?
check "extract: a next-set head exits 0" test "$rc" -eq 0
check "extract: a next-set head is extracted completely" grep -Eq "equivalence queries; complete$" stdout
check "extract: a next-set head agrees with the truth wherever it asks" \
  grep -Eq "^equivalent to the truth's Moore machine \(4 states\) at every position it asks$" stdout
check "extract: off a terminal, progress lines and no other output on stderr" \
  bash -c '! grep -Ev -- "$1" stderr' _ "$progress_line"
check "train: a seq model" "$sl" train --quiet --lang copy-task:k=2 --task seq --steps 2 -o seq.safetensors
expect "check: a seq head (2 steps) fails on its greedy-decoded output, shrunk to a short prompt" 1 "^  \"a#\" \(length 2\): first wrong at position 1 \(after \"a#\"\): model b, truth a$" "^$" -- \
  "$sl" check --ckpt seq.safetensors --lang copy-task:k=2 --max-length 6 --tests 200
expect "extract: a seq head is refused in one line" 2 "^$" "^statelab: seq.safetensors: the model has a seq head \(a sequence output\); extract needs a recognize, tag or next-set head$" -- \
  "$sl" extract --ckpt seq.safetensors -o x.json

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
