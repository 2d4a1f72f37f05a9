#!/usr/bin/env bash
# End-to-end tests of `statelab dfa`: outputs, exit codes and error messages.
# usage: dfa_cli_test.sh STATELAB_BINARY TEST_DATA_DIR
set -u
# shellcheck source=expect.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/expect.sh"
setup_cli_test "$@"

expect "from-regex writes a minimal DFA" 0 "wrote even.json \(2 states\)" "^$" -- \
  "$sl" dfa from-regex '(0*10*1)*0*' --alphabet 01 -o even.json
expect "info --json has the documented keys" 0 \
  '"accepting":1.*"complete":true.*"empty":false.*"finite":false.*"minimal":true.*"states":2,"symbols":\["0","1"\],"universal":false' "^$" -- \
  "$sl" dfa info --json even.json
expect "equivalent descriptions" 0 "^equivalent$" "^$" -- \
  sh -c "'$sl' dfa from-regex '0*(10*10*)*' --alphabet 01 -o even.dot >/dev/null && '$sl' dfa equiv even.json even.dot"
"$sl" dfa from-regex '(0|11)*' --alphabet 01 -o paired.jff >/dev/null
expect "shortest counterexample, exit 1" 1 '^counterexample: "101" accepted by A' "^$" -- \
  "$sl" dfa equiv even.json paired.jff
expect "equiv --json" 1 '^\{"accepted_by":"B","counterexample":"101","equivalent":false\}$' "^$" -- \
  "$sl" dfa equiv --json paired.jff even.json
expect "member: one line per word, empty word included" 0 "^accept$" "^$" -- "$sl" dfa member even.json ''
[ "$("$sl" dfa member even.json 0110 0111 '' 1 | tr '\n' ' ')" = "accept reject accept reject " ] &&
  passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL: member order"; }
[ "$(printf '0110\n1\n' | "$sl" dfa member even.json - | tr '\n' ' ')" = "accept reject " ] &&
  passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL: member from stdin"; }
# negative numbers are refused with a line naming the option (CLI11 would wrap them to 2^64 - 1)
expect "count --length -1" 2 "^$" "^statelab: --length: expected a whole number 0 or more" -- "$sl" dfa count even.json --length -1
expect "sample --count -1" 2 "^$" "^statelab: --count: expected a whole number 0 or more" -- \
  "$sl" dfa sample even.json --length 4 --count -1 --seed 1
expect "sample --seed -1" 2 "^$" "^statelab: --seed: expected a whole number 0 or more" -- \
  "$sl" dfa sample even.json --length 4 --count 1 --seed -1
expect "sample --length -1" 2 "^$" "^statelab: --length: expected a whole number 0 or more" -- \
  "$sl" dfa sample even.json --length -1 --count 1 --seed 1
expect "random --seed -1" 2 "^$" "^statelab: --seed: expected a whole number 0 or more" -- \
  "$sl" dfa random --states 3 --symbols 2 --seed -1 -o r.json
expect "random --states -1" 2 "^$" "^statelab: --states: expected a whole number of at least 1" -- \
  "$sl" dfa random --states -1 --symbols 2 --seed 1 -o r.json
expect "info --max-states -1" 2 "^$" "^statelab: --max-states: expected a whole number of at least 1" -- \
  "$sl" dfa info even.json --max-states -1
# binary input: the message escapes its bytes
printf '{\177\001' >bin.json
expect "binary JSON: bytes escaped in the message" 2 "^$" '^statelab: .*bin\.json:1: JSON syntax error: .*\\x7f' -- "$sl" dfa info bin.json
# an unknown command says which word and lists the valid ones
expect "unknown command" 2 "^$" "^statelab: unknown command 'frobnicate' \(expected one of: dfa, lang, .*classify, check, extract, .*plot, report\)" -- \
  "$sl" frobnicate
expect "unknown dfa verb" 2 "^$" "^statelab: unknown command 'frobnicate' of 'statelab dfa' \(expected one of: from-regex, info, minimize, .*random, learn\)" -- \
  "$sl" dfa frobnicate even.json
expect "missing dfa verb" 2 "^$" "^statelab: 'statelab dfa' needs a command: one of from-regex, info" -- "$sl" dfa
expect "count is exact beyond 64 bits" 0 "^633825300114114700748351602688$" "^$" -- \
  "$sl" dfa count even.json --length 100
expect "sample is reproducible" 0 "^[01]{10}$" "^$" -- "$sl" dfa sample even.json --length 10 --count 3 --seed 9
[ "$("$sl" dfa sample even.json --length 10 --count 5 --seed 9)" = "$("$sl" dfa sample even.json --length 10 --count 5 --seed 9)" ] &&
  passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL: sample reproducibility"; }
expect "ops complement" 0 "complement: 2 states" "^$" -- "$sl" dfa ops complement even.json -o odd.att
expect "ops xor of complements is universal" 0 '"universal":true' "^$" -- \
  sh -c "'$sl' dfa ops xor even.json odd.att -o all.json >/dev/null && '$sl' dfa info --json all.json"
expect "minimize a partial AT&T file from MLRegTest" 0 "minimized" "^$" -- \
  "$sl" dfa minimize "$data/mlregtest/att/04.03.TLT.2.1.0.att" -o tlt.json
expect "render DOT" 0 "rendered 2 states" "^$" -- "$sl" dfa render even.json -o even.gv
if command -v dot >/dev/null; then
  expect "render SVG through Graphviz" 0 "rendered" "^$" -- "$sl" dfa render even.json -o even.svg
  grep -q "<svg" even.svg && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL: svg content"; }
fi
expect "random is reproducible" 0 "wrote r1.json" "^$" -- "$sl" dfa random --states 50 --symbols 3 --seed 4 -o r1.json
"$sl" dfa random --states 50 --symbols 3 --seed 4 -o r2.json >/dev/null
cmp -s r1.json r2.json && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL: random reproducibility"; }

# learn: a black-box teacher answering with the target; exit 0 when the result is its minimal DFA.
expect "learn with L*" 0 '^lstar: 2 states; [0-9]+ membership queries; [0-9]+ equivalence queries; .* s;' "^$" -- \
  "$sl" dfa learn even.json
check "learn: the summary wrapped at '; ' (100 columns)" grep -Eq '(; |^  )the minimal DFA of the target \(2 states\)$' stdout
expect "learn with L# --json" 0 \
  '^\{"equivalence_queries":[0-9]+,"membership_queries":[0-9]+,"method":"lsharp","minimal":true,"minimal_states":2,"seconds":[0-9.e-]+,"states":2\}$' "^$" -- \
  "$sl" dfa learn even.json --method lsharp --json
expect "learn a random DFA with L#, writing the result" 0 '"minimal":true,"minimal_states":[0-9]+' "^$" -- \
  "$sl" dfa learn r1.json --method lsharp --json -o learned.att
expect "the learned DFA equals the target" 0 "^equivalent$" "^$" -- "$sl" dfa equiv learned.att r1.json
expect "learn: a partial MLRegTest automaton is completed first" 0 "the minimal DFA of the target" "^$" -- \
  "$sl" dfa learn "$data/mlregtest/att/04.03.TLT.2.1.0.att" --method lsharp
expect "learn: unknown method" 2 "^$" "--method.*(lstar|lsharp)" -- "$sl" dfa learn even.json --method kv
expect "learn: missing target" 2 "^$" "nothere.json" -- "$sl" dfa learn nothere.json
expect "learn: unknown output extension" 2 "^$" "learned\.txt" -- "$sl" dfa learn even.json -o learned.txt

# Bad input: one line naming the problem, exit 2, and no output file left behind.
echo '{"format": "statelab-automaton", "version": 1, "kind": "dfa", "alphabet": ["a"], "states": 2, "initial": [0], "accepting": [5], "transitions": []}' >bad_state.json
expect "state out of range" 2 "^$" "bad_state.json.*5" -- "$sl" dfa info bad_state.json
printf 'digraph {\n s0 -> s1 [label=a\n' >broken.dot
expect "malformed DOT names the file and line" 2 "^$" "broken.dot:[0-9]+" -- "$sl" dfa info broken.dot
expect "Moore machine refused" 2 "^$" "Moore" -- "$sl" dfa info "$data/aalpy-dot/Angluin_Moore.dot"
expect "Mealy machine refused" 2 "^$" "Mealy" -- "$sl" dfa info "$data/aalpy-dot/Angluin_Mealy.dot"
expect "unknown symbol names symbol and position" 2 "^$" "unknown symbol 'x' at position 2" -- \
  "$sl" dfa member even.json 01x
# Symbols are matched by name: {1 0} and {0 1} are the same alphabet (issue: a.json b.att).
printf '{"format":"statelab-automaton","version":1,"kind":"dfa","alphabet":["1","0"],"states":2,"initial":[0],"accepting":[0],"transitions":[[0,"0",0],[0,"1",1],[1,"0",1],[1,"1",0]]}\n' >ten.json
expect "equiv: the same symbols in another order" 0 "^equivalent$" "^$" -- "$sl" dfa equiv ten.json even.json
"$sl" dfa minimize ten.json -o ten.att >/dev/null
expect "equiv: JSON against AT&T" 0 "^equivalent$" "^$" -- "$sl" dfa equiv ten.json ten.att
expect "AT&T round trip keeps the symbol order" 0 '"symbols":\["1","0"\]' "^$" -- "$sl" dfa info --json ten.att
expect "mismatched alphabets" 2 "^$" "different alphabets" -- "$sl" dfa equiv even.json tlt.json
expect "missing file" 2 "^$" "nothere.att" -- "$sl" dfa info nothere.att
expect "construction past its limit" 2 "^$" "more than 100 states" -- \
  "$sl" dfa from-regex '(a|b)*a(a|b)(a|b)(a|b)(a|b)(a|b)(a|b)(a|b)' --alphabet ab -o big.json --max-states 100
[ ! -e big.json ] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL: output written despite error"; }
expect "no accepted word of that length" 2 "^$" "no accepted word of length 3" -- \
  sh -c "'$sl' dfa from-regex '(aa)*' --alphabet a -o aa.json >/dev/null && '$sl' dfa sample aa.json --length 3 --count 1 --seed 1"
expect "unknown output extension" 2 "^$" "extension" -- "$sl" dfa minimize even.json -o out.xyz
expect "bad regex names the column" 2 "^$" "column" -- "$sl" dfa from-regex '(0|1' --alphabet 01 -o x.json
expect "impossible parameter" 2 "^$" "--states" -- "$sl" dfa random --states 0 --symbols 2 --seed 1 -o z.json
expect "complement takes one automaton" 2 "^$" "one automaton" -- "$sl" dfa ops complement even.json odd.att -o c.json
: >empty.att  # OpenFst compiles an empty text file to the FST with no state: the empty language
expect "empty AT&T file is the empty language" 0 '"empty":true' "^$" -- "$sl" dfa info --json empty.att

# Outputs that are not regular files: standard output, FIFOs and links are written through or
# followed, never renamed over (a device is tested in tests/base, never the system's /dev/null).
expect "-o /dev/stdout prints the JSON, the summary on stderr" 0 '"format": *"statelab-automaton"' "minimized 2 -> 2" -- \
  "$sl" dfa minimize even.json -o /dev/stdout --output-format json
expect "-o - prints the JSON" 0 '"format": *"statelab-automaton"' "minimized" -- \
  "$sl" dfa minimize even.json -o - --output-format json
check "-o - makes no file named -" test ! -e -
expect "-o - without a format prints JSON" 0 '"format": *"statelab-automaton"' "minimized" -- \
  "$sl" dfa minimize even.json -o -
mkfifo out.fifo
cat out.fifo >fifo.txt &
reader=$!
expect "-o FIFO writes through it" 0 "minimized" "^$" -- "$sl" dfa minimize even.json -o out.fifo --output-format att
wait "$reader"
check "the FIFO is still a FIFO" test -p out.fifo
check "the FIFO's reader got the automaton" grep -q "^0" fifo.txt
mkdir real
"$sl" dfa from-regex '1*' --alphabet 01 -o real/target.json >/dev/null
ln -s real/target.json link.json
expect "-o LINK replaces the link's target" 0 "minimized" "^$" -- "$sl" dfa minimize even.json -o link.json
check "the link is still a link" test -L link.json
check "its target has the new automaton" cmp -s link.json real/target.json
expect "ops to standard output" 0 '^0[[:space:]]' "complement" -- "$sl" dfa ops complement even.json -o - --output-format att
expect "render to standard output is DOT" 0 "^digraph" "rendered 2 states: -" -- "$sl" dfa render even.json -o -
check "no temporary file left by any of these" test -z "$(find . -name '*.tmp*')"

# Rendering a big DFA as SVG is refused unless asked for; an interrupted rendering leaves nothing.
"$sl" dfa random --states 3000 --symbols 2 --seed 1 -o big.json >/dev/null
expect "render refuses a DFA past --max-render-states" 2 "^$" "3000 states is more than 1000.*--max-render-states" -- \
  "$sl" dfa render big.json -o big.svg
expect "render DOT of a big DFA is fine" 0 "rendered 3000 states" "^$" -- "$sl" dfa render big.json -o big.dot
if command -v dot >/dev/null; then
  mkdir tmpd
  TMPDIR=$PWD/tmpd "$sl" dfa render big.json -o big.svg --max-render-states 5000 >/dev/null 2>&1 &
  renderer=$!
  for _ in $(seq 100); do [ -n "$(find tmpd . -name '*.tmp*' 2>/dev/null)" ] && break; sleep 0.1; done
  sleep 0.3
  kill -TERM "$renderer"
  wait "$renderer"
  rc=$?
  check "SIGTERM ends the rendering with status 143" test "$rc" -eq 143
  sleep 0.2
  check "no temporary file after SIGTERM" test -z "$(find tmpd . -name '*.tmp*')"
  check "no half-written SVG after SIGTERM" test ! -e big.svg
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
