#!/usr/bin/env bash
# Issue 12 #17 as a class: every command's default (text) output, on stdout and stderr, fits 100
# columns, and every command that prints results also speaks JSON (--json gives one JSON value
# per line). Long cases on purpose: a word problem's alphabet of 24 symbols, long names.
# usage: widths_cli_test.sh STATELAB_BINARY TEST_DATA_DIR
set -u
# shellcheck source=expect.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/expect.sh"
setup_cli_test "$@"

# fits NAME -- command...: exit 0 or 1, and no line of stdout or stderr past 100 columns.
fits() {
  local name=$1
  shift 2
  "$@" >out.txt 2>err.txt </dev/null
  local rc=$? wide
  wide=$(cat out.txt err.txt | awk 'length($0) > 100 { print length($0) ": " substr($0, 1, 60) "..."; exit }')
  if { [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]; } && [ -z "$wide" ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $name (exit $rc) ${wide:-}"
    head -c 300 err.txt
  fi
}

# json NAME -- command...: exit 0 or 1, and every line of stdout is a JSON value.
json() {
  local name=$1
  shift 2
  "$@" >out.txt 2>err.txt </dev/null
  local rc=$?
  if { [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]; } && [ -s out.txt ] &&
    python3 -c 'import json,sys; [json.loads(l) for l in open("out.txt") if l.strip()]' 2>/dev/null; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $name --json (exit $rc)"
    head -c 300 out.txt err.txt
  fi
}

wp='word-problem:group=S4'
"$sl" lang export "$wp" -o s4.json >/dev/null
"$sl" dfa from-regex '(0|1)*1' --alphabet 01 -o ends1.json >/dev/null
"$sl" dfa from-regex '(0|1)*0' --alphabet 01 -o ends0.json >/dev/null

both() {  # NAME -- command...: fits, and with --json is JSON
  local name=$1
  shift 2
  fits "$name" -- "$@"
  json "$name" -- "$@" --json
}

both "dfa info" -- "$sl" dfa info s4.json
both "dfa count" -- "$sl" dfa count s4.json --length 30
both "dfa sample" -- "$sl" dfa sample s4.json --length 6 --count 3 --seed 1
both "dfa member" -- "$sl" dfa member ends1.json 0101
both "dfa equiv" -- "$sl" dfa equiv ends1.json ends0.json
both "dfa minimize" -- "$sl" dfa minimize s4.json -o m.json
both "dfa ops" -- "$sl" dfa ops intersect ends1.json ends0.json -o i.json
both "dfa from-regex" -- "$sl" dfa from-regex '(0|1)*1(0|1)(0|1)(0|1)' --alphabet 01 -o r.json
both "dfa random" -- "$sl" dfa random --states 20 --symbols 3 --seed 1 -o rnd.json
both "dfa render" -- "$sl" dfa render s4.json -o s4.dot
# The summaries of dfa learn, extract and train are clauses wrapped at "; ".
both "dfa learn" -- "$sl" dfa learn s4.json -o learned.json
both "dfa learn --method lsharp" -- "$sl" dfa learn s4.json --method lsharp
both "lang list" -- "$sl" lang list
both "lang show" -- "$sl" lang show "$wp"
both "lang sample" -- "$sl" lang sample "$wp" --length 6 --count 2 --seed 1 -o s.jsonl
both "lang member" -- "$sl" lang member "$wp" '(1,2)' '(1,2,3,4)'
both "lang count" -- "$sl" lang count "$wp" --length 12
both "lang targets" -- "$sl" lang targets "$wp" '(1,2) (1,2,3,4)'
both "lang export" -- "$sl" lang export "$wp" -o wp.json
both "classify" -- "$sl" classify "$wp"
both "classify S5" -- "$sl" classify 'word-problem:group=S5'
both "check" -- "$sl" check --ckpt "$net" --lang tomita:n=1 --tests 50
both "check (disagreeing)" -- "$sl" check --ckpt "$net" --lang tomita:n=2 --tests 50
both "extract" -- "$sl" extract --ckpt "$net" --lang tomita:n=2 -o x.json
both "extract (incomplete, L#)" -- "$sl" extract --ckpt "$net" --method lsharp --lang tomita:n=2 --max-queries 5 -o x.json
both "extract (cluster)" -- "$sl" extract --ckpt "$net" --method cluster -o c.json
both "eval" -- "$sl" eval --ckpt "$net" --lang tomita:n=1 --lengths 1..12 --count 4
both "score" -- "$sl" score --ckpt "$net" 0110 111 ''
both "train" -- "$sl" train --lang tomita:n=1 --hidden 8 --embedding 4 --train-count 16 --test-count 8 --batch 16 \
  --seed 1 --steps 5 --validation-count 8 --test-lengths 21..30 -o t.safetensors

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
