#!/usr/bin/env bash
# End-to-end tests of `statelab lang`: outputs, exit codes and error messages.
# usage: lang_cli_test.sh STATELAB_BINARY
set -u
# shellcheck source=expect.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/expect.sh"
setup_cli_test "$@"

# list
expect "list: a table with a header" 0 "^NAME +CLASS +GROUND TRUTH +DESCRIPTION$" "^$" -- "$sl" lang list
expect "list: parameters in the name" 0 "^tomita:n=N +regular +dfa +the seven Tomita" "^$" -- "$sl" lang list
expect "list: optional parameters in brackets, both engines of dyck" 0 "^dyck\[:k=K\]\[,depth=DEPTH\] .* dfa or pda or " "^$" -- \
  "$sl" lang list
expect "list: a grammar entry" 0 "^palindrome\[:k=K\] +context-free +cfg +w = reverse\(w\)$" "^$" -- "$sl" lang list
expect "list: a counter entry" 0 "^anbncn +counter +counter +a\^n b\^n c\^n$" "^$" -- "$sl" lang list
expect "list: a PDA entry" 0 "^marked-reversal +context-free +pda +w#reverse\(w\)" "^$" -- "$sl" lang list
expect "list: a context-sensitive entry" 0 "^copy\[:k=K\] +context-sensitive +predicate +ww$" "^$" -- "$sl" lang list
expect "list: tasks too" 0 "^ +task +task +the letter at a given index$" "^$" -- "$sl" lang list
expect "list: a name wider than its column stands on its own line" 0 "^index-lookup\[:k=K\]\[,max=MAX\]$" "^$" -- "$sl" lang list
expect "list --json" 0 '^\[\{"name":"first","usage":"first","parameters":\[\],"class":"regular","alphabet":"0 1","engine":"dfa"' "^$" -- \
  "$sl" lang list --json

# show
expect "show: DFA summary" 0 "^automaton: +DFA, 5 states \(minimal, complete\), 3 accepting$" "^$" -- "$sl" lang show tomita:n=3
expect "show: counts of lengths 0..8" 0 "^counts 0\.\.8: +1, 2, 3, 6, 10, 18, 31, 54, 93$" "^$" -- "$sl" lang show tomita:n=3
expect "show: first words in shortlex order" 0 '^first words: +"" "0" "1" "00" "01" "11" "000" "001"$' "^$" -- \
  "$sl" lang show tomita:n=3
expect "show: a context-free language's first words" 0 '^first words: +"" "a" "b" "aa" "bb" "aaa" "aba" "bab"$' "^$" -- \
  "$sl" lang show palindrome
expect "show: a PDA and its grammar" 0 \
  "^automaton: +PDA, 3 states, 3 stack symbols \(bottom Z\), 9 moves, deterministic, final-state$" \
  "^$" -- "$sl" lang show dyck:k=2
expect "show: the grammar continues under the value" 0 "^ {15}acceptance; grammar, 1 nonterminal, 3 rules, start S$" "^$" -- "$sl" lang show dyck:k=2
expect "show: a counter machine" 0 \
  "^automaton: +counter machine, 3 states, 2 counters, 5 moves, deterministic real-time,$" \
  "^$" -- "$sl" lang show anbncn
expect "show: a grammar" 0 "^automaton: +grammar, 1 nonterminal, 5 rules, start S$" "^$" -- "$sl" lang show palindrome
expect "show: no automaton beyond context-free" 0 "^automaton: +none \(context-sensitive: decided by a predicate" "^$" -- \
  "$sl" lang show copy
expect "show --json" 0 \
  '"class":"context-free","engine":"pda".*"automaton":\{"kind":"pda","states":3,.*"machines":\[\{"kind":"pda".*\{"kind":"cfg".*"shortest_words":\["","\(\)","\[\]","\(\(\)\)","\(\)\(\)","\(\)\[\]","\(\[\]\)","\[\(\)\]"\],"shortest_words_complete":true,"counts":\["1","0","2","0","8","0","40","0","224"\]' \
  "^$" -- "$sl" lang show dyck:k=2 --json
expect "show: the canonical name" 0 "^name: +dyck:k=1$" "^$" -- "$sl" lang show dyck
expect "show: a task" 0 "^class: +task" "^$" -- "$sl" lang show copy-task:k=2

# member
check "member: one line per word, in order" \
  test "$("$sl" lang member parity 0110 0111 '' 1 | tr '\n' ' ')" = "reject accept reject accept "
check "member: words from stdin" \
  test "$(printf '(())\n)(\n\n' | "$sl" lang member dyck - | tr '\n' ' ')" = "accept reject accept "
expect "member --json" 0 '^\[\{"word":"aabb","accepted":true\},\{"word":"abab","accepted":false\}\]$' "^$" -- \
  "$sl" lang member anbn aabb abab --json
expect "member: group elements as words" 0 "^accept$" "^$" -- "$sl" lang member word-problem:group=S3 '(1,2) (1,2)'
expect "member: a symbol outside the alphabet names it and its position" 2 "^$" \
  "^statelab: parity: word '01x1': unknown symbol 'x' at position 2 \(alphabet \{0 1\}\)$" -- "$sl" lang member parity 0110 01x1

# count
expect "count: exact" 0 "^224$" "^$" -- "$sl" lang count dyck:k=2 --length 8
expect "count: beyond 64 bits" 0 "^[0-9]{40,}$" "^$" -- "$sl" lang count dyck:k=2 --length 100
expect "count: a negative length" 2 "^$" "--length: expected a length, a whole number 0\.\.100000, got '-1'" -- \
  "$sl" lang count parity --length -1
expect "count: a length past the limit" 2 "^$" "got '100001'" -- "$sl" lang count parity --length 100001
expect "count --json" 0 '^\{"language":"tomita:n=5","length":8,"count":"128"\}$' "^$" -- \
  "$sl" lang count tomita:n=5 --length 8 --json
expect "count: a group word problem" 0 "^[0-9]+$" "^$" -- "$sl" lang count word-problem:group=S5 --length 6

# sample
expect "sample: JSON lines" 0 '^\{"word":"[01]{10}","label":1,"length":10\}$' "^$" -- \
  "$sl" lang sample parity --length 10 --count 3 --seed 1
check "sample: reproducible from the seed" \
  test "$("$sl" lang sample dyck:k=2 --length 12 --count 5 --seed 7)" = "$("$sl" lang sample dyck:k=2 --length 12 --count 5 --seed 7)"
check "sample: another seed, other words" \
  test "$("$sl" lang sample dyck:k=2 --length 12 --count 5 --seed 7)" != "$("$sl" lang sample dyck:k=2 --length 12 --count 5 --seed 8)"
check "sample: every word is in the language" \
  test "$("$sl" lang sample anbncn --lengths 0..9 --count 2 --seed 3 | sed 's/.*"word":"\([abc]*\)".*/\1/' | "$sl" lang member anbncn - | sort -u)" = "accept"
check "sample: a range skips the lengths with no word" \
  test "$("$sl" lang sample dyck --lengths 0..5 --count 2 --seed 1 | grep -o '"length":[0-9]*' | sort -u | tr '\n' ' ')" = '"length":0 "length":2 "length":4 '
"$sl" lang sample tomita:n=4 --lengths 6..8 --count 10 --negatives --seed 2 >mixed.jsonl
check "sample --negatives: balanced labels" \
  test "$(grep -c '"label":1' mixed.jsonl) $(grep -c '"label":0' mixed.jsonl)" = "15 15"
check "sample --negatives: labels agree with membership" \
  test "$(sed 's/.*"word":"\([01]*\)","label":\([01]\).*/\2/' mixed.jsonl | tr '\n' ' ')" = \
       "$(sed 's/.*"word":"\([01]*\)".*/\1/' mixed.jsonl | "$sl" lang member tomita:n=4 - | sed 's/accept/1/;s/reject/0/' | tr '\n' ' ')"
expect "sample: Abbadingo" 0 "^4 2$" "^$" -- "$sl" lang sample parity --length 6 --count 4 --format abbadingo --seed 1
expect "sample: with targets" 0 '"targets":\[\{"state":\[0\],"next":\["\(","\["\],"end":true\}' "^$" -- \
  "$sl" lang sample dyck:k=2 --length 4 --count 1 --seed 1 --targets
expect "sample -o writes the file" 0 "^wrote 6 words \(6 positive, 0 negative\) of parity to p\.jsonl$" "^$" -- \
  "$sl" lang sample parity --lengths 1..3 --count 2 --seed 1 -o p.jsonl
check "sample -o: the file has one line per word" test "$(wc -l <p.jsonl)" -eq 6
expect "sample: a length no word has" 2 "^$" "dyck:k=1 has no word of length 3$" -- \
  "$sl" lang sample dyck --length 3 --count 1 --seed 1 -o odd.jsonl
check "sample: nothing written on error" test ! -e odd.jsonl
expect "sample: a range with no word" 2 "^$" "has no word of lengths 1\.\.2$" -- \
  "$sl" lang sample anbncn --lengths 1..2 --count 1 --seed 1 --json
expect "sample: odd count with negatives" 2 "^$" "must be even" -- \
  "$sl" lang sample parity --length 4 --count 3 --negatives --seed 1
expect "sample: a length is needed" 2 "^$" "--length N or --lengths A\.\.B" -- "$sl" lang sample parity --count 3 --seed 1
expect "sample: malformed range" 2 "^$" "--lengths 5\.\.2" -- "$sl" lang sample parity --lengths 5..2 --count 3 --seed 1

# targets
expect "targets: a table with the state after each prefix" 0 '^4 +"0110" +0 +no +0 1$' "^$" -- "$sl" lang targets parity 0110
expect "targets: stack depth and next symbols" 0 '^2 +"\(\[" +2 +no +\( \[ \]$' "^$" -- "$sl" lang targets dyck:k=2 '([])'
expect "targets: dead prefixes" 0 '^2 +"ba" +dead +dead +no +\(none\)$' "^$" -- "$sl" lang targets anbncn bab
expect "targets: a negative state is not dead" 0 '^1 +"0" +-1 +no +0 1$' "^$" -- "$sl" lang targets majority 0011
expect "targets --json" 0 \
  '^\{"language":"anbn","word":"ab","state_names":\["a_minus_b"\],"targets":\[\{"length":0,"prefix":"","state":\[0\],"next":\["a"\],"end":true\}' \
  "^$" -- "$sl" lang targets anbn ab --json
expect "targets: symbol outside the alphabet" 2 "^$" "unknown symbol 'c' at position 1" -- "$sl" lang targets anbn acb

# export
expect "export JSON" 0 "^wrote tomita:n=5 \(DFA, 4 states\) to t5\.json$" "^$" -- "$sl" lang export tomita:n=5 -o t5.json
expect "export: the file is the language's DFA" 0 '"minimal":true.*"states":4' "^$" -- "$sl" dfa info --json t5.json
"$sl" lang export dyck:k=2,depth=2 -o d.json >/dev/null
for ext in dot jff att gv; do
  expect "export .$ext" 0 '^\{"language":"dyck:k=2,depth=2","engine":"dfa","states":8,"output":"d\.'$ext'"\}$' "^$" -- \
    "$sl" lang export dyck:k=2,depth=2 -o d.$ext --json
  check "export .$ext reads back as the same language" test "$("$sl" dfa equiv d.$ext d.json 2>&1)" = "equivalent"
done
# Word-problem symbols such as (1,2) hold a comma: DOT labels quote them, and they read back.
expect "export: a word problem as DOT" 0 "^wrote word-problem" "^$" -- "$sl" lang export word-problem:group=S3 -o s3.dot
check "export: DOT quotes a symbol with a comma" grep -qF 'label="\"(1,2)\""' s3.dot
"$sl" lang export word-problem:group=S3 -o s3.json >/dev/null
check "export: the word problem's DOT reads back as the same language" test "$("$sl" dfa equiv s3.dot s3.json 2>&1)" = "equivalent"
expect "export -o - writes the format named to stdout" 0 '"format": *"statelab-automaton"' "^wrote tomita:n=5 .* to -$" -- \
  "$sl" lang export tomita:n=5 -o - --output-format json
expect "export -o - without a format writes JSON" 0 '"format": *"statelab-automaton"' "^wrote tomita:n=5 .* to -$" -- \
  "$sl" lang export tomita:n=5 -o -
expect "export SVG of a big DFA is refused" 2 "^$" "more than 3 to draw as SVG.*--max-render-states" -- \
  "$sl" lang export tomita:n=5 -o t5big.svg --max-render-states 3
check "export: no SVG written" test ! -e t5big.svg
if command -v dot >/dev/null; then
  expect "export SVG" 0 "^wrote" "^$" -- "$sl" lang export tomita:n=5 -o t5.svg
  check "export SVG content" grep -q "<svg" t5.svg
  expect "export a word problem as SVG" 0 "^wrote" "^$" -- "$sl" lang export word-problem:group=S3 -o s3.svg
  check "export word problem SVG content" grep -q "(1,2)" s3.svg
  # A drawing shows the symbol as it is, not the inner quotes a .dot file keeps for reading back.
  check "export word problem SVG: no quotes around symbols" test "$(grep -c '&quot;' s3.svg)" -eq 0
fi
expect "export: no automaton" 2 "^$" "copy:k=2 is context-sensitive and has no automaton or grammar" -- \
  "$sl" lang export copy -o copy.json
check "export: nothing written on error" test ! -e copy.json
expect "export: no finite automaton" 2 "^$" "palindrome:k=2 has no finite automaton \(its ground truth is cfg\)" -- \
  "$sl" lang export palindrome -o pal.dot
expect "export: a format that cannot hold the machine" 2 "^$" "a counter machine cannot be written as \.jff \(use \.json\)" -- \
  "$sl" lang export anbncn -o a.jff --engine counter
expect "export: a machine the language lacks" 2 "^$" "anbncn has no pushdown automaton \(its ground truth is counter\)" -- \
  "$sl" lang export anbncn -o a.jff
# export then file: gives the same language, for every kind of machine and format: the same
# counts of lengths 0..10 (by membership of every word where the file's machine does not count)
roundtrip() {  # NAME FILE SYMBOLS [export options]
  local name=$1 file=$2 symbols=$3 n a b
  shift 3
  "$sl" lang export "$name" -o "$file" "$@" >/dev/null 2>export.err || { echo "export $name -o $file: $(cat export.err)"; return 1; }
  for n in 0 1 2 3 4 5 6 7 8 9 10; do
    a=$("$sl" lang count "$name" --length $n) || return 1
    b=$("$sl" lang count "file:$file" --length $n 2>/dev/null) || b=$(enumerate_count "file:$file" $n "$symbols") || return 1
    [ "$a" = "$b" ] || { echo "$name vs $file: length $n: $a != $b"; return 1; }
  done
}
enumerate_count() {  # NAME N SYMBOLS: the words of length N over SYMBOLS (space-separated) NAME accepts
  local name=$1 n=$2 i w s
  local -a symbols words=("") next
  read -r -a symbols <<<"$3"
  for ((i = 0; i < n; i++)); do
    next=()
    for w in "${words[@]}"; do for s in "${symbols[@]}"; do next+=("$w$s"); done; done
    words=("${next[@]}")
  done
  printf '%s\n' "${words[@]}" | "$sl" lang member "$name" - | { grep -c accept || true; }
}
check "export/file: dyck:k=2 as PDA JSON" roundtrip dyck:k=2 dyck2.json '( ) [ ]'
check "export/file: dyck:k=2 as JFLAP PDA" roundtrip dyck:k=2 dyck2.jff '( ) [ ]'
check "export/file: dyck:k=2 as grammar text" roundtrip dyck:k=2 dyck2.cfg '( ) [ ]'
check "export/file: dyck:k=2 as grammar JSON" roundtrip dyck:k=2 dyck2g.json '( ) [ ]' --engine cfg
check "export/file: marked-reversal as PDA" roundtrip marked-reversal mr.json '0 1 #'
check "export/file: palindrome as grammar" roundtrip palindrome pal.cfg 'a b'
check "export/file: palindrome as JFLAP PDA" roundtrip palindrome pal.jff 'a b'
check "export/file: anbn as counter machine" roundtrip anbn anbn.json 'a b'
check "export/file: anbn as grammar" roundtrip anbn anbn.cfg 'a b'
check "export/file: anbncn as counter machine" roundtrip anbncn anbncn.json 'a b c'
check "export/file: dyck:k=1 as counter machine" roundtrip dyck:k=1 dyck1.json '( )'
check "export/file: shuffle-dyck:k=2 as counter machine" roundtrip shuffle-dyck:k=2 sd.json '( ) [ ]'
check "export/file: majority as counter machine" roundtrip majority maj.json '0 1'
check "export/file: a DFA" roundtrip tomita:n=3 t3.json '0 1'
expect "file: a PDA's show" 0 "^ground truth: +pda$" "^$" -- "$sl" lang show file:dyck2.json
expect "file: a PDA's targets" 0 '^2 +"\(\[" +2 +no +\( \[ \]$' "^$" -- "$sl" lang targets file:dyck2.json '([])'
expect "file: a counter machine's targets" 0 '^2 +"aa" +2 +no +a b$' "^$" -- "$sl" lang targets file:anbn.json aabb
expect "file: sampling from a grammar file" 0 '^\{"word":"[ab]{7}","label":1,"length":7\}$' "^$" -- \
  "$sl" lang sample file:pal.cfg --length 7 --count 2 --seed 1
echo '{"format": "statelab-pda", "version": 1}' >bad.json
expect "file: a bad PDA file" 2 "^$" "^statelab: bad\.json:1: .*" -- "$sl" lang show file:bad.json
echo '{"format": "statelab-tm"}' >tm.json
expect "file: an unknown JSON format" 2 "^$" 'tm\.json:[0-9]+: unknown "format": "statelab-tm"' -- "$sl" lang show file:tm.json
echo 'S -> a S |' >bad.cfg
expect "file: a bad grammar" 2 "^$" "^statelab: bad\.cfg:1:" -- "$sl" lang count file:bad.cfg --length 2
expect "file: an unknown extension" 2 "^$" "unknown extension '\.txt'" -- "$sl" lang show file:x.txt
expect "export: unknown extension" 2 "^$" "unknown output extension '\.xyz'" -- "$sl" lang export parity -o p.xyz

# names
expect "unknown language lists the catalogue" 2 "^$" "^statelab: unknown language 'nope' \(the catalogue has first, parity, .*dyck.*\)$" -- \
  "$sl" lang show nope
expect "unknown parameter lists the parameters" 2 "^$" "tomita: unknown parameter 'm' \(its parameters are n\)" -- \
  "$sl" lang count tomita:m=3 --length 2
expect "missing parameter" 2 "^$" "tomita: missing parameter 'n'" -- "$sl" lang show tomita
expect "impossible parameter: depth 0" 2 "^$" "dyck: depth=0 is impossible \(expected 1\.\.64\)" -- \
  "$sl" lang member dyck:k=2,depth=0 '()'
expect "impossible parameter: a group that does not exist" 2 "^$" "Q8" -- "$sl" lang show word-problem:group=Q8
expect "a task is not a language" 2 "^$" "'index-lookup' is a task" -- "$sl" lang count index-lookup --length 3
expect "help" 0 "sample" "^$" -- "$sl" lang --help
expect "unknown lang verb" 2 "^$" "^statelab: unknown command 'frobnicate' of 'statelab lang' \(expected one of: list, show, member, count, sample, targets, export\)" -- \
  "$sl" lang frobnicate parity

# binary bytes in a word are escaped, not printed raw
expect "member: binary bytes escaped" 2 "^$" '^statelab: parity: word .\\x01\\xff.: unknown symbol .\\x01. at position 0' -- \
  "$sl" lang member parity "$(printf '\001\377')"

# negative numbers are refused with a line naming the option
expect "sample --seed -1" 2 "^$" "^statelab: --seed: expected a whole number 0 or more" -- \
  "$sl" lang sample parity --length 3 --count 2 --seed -1
expect "sample --count -1" 2 "^$" "^statelab: --count: expected a whole number of at least 1" -- \
  "$sl" lang sample parity --length 3 --count -1 --seed 1
expect "count --length -1" 2 "^$" "^statelab: --length: expected a length" -- "$sl" lang count parity --length -1

# every line of the text output fits 100 columns; --json parses
check "list fits 100 columns" test "$("$sl" lang list | awk 'length > 100' | wc -l)" -eq 0
check "list --json parses" sh -c "'$sl' lang list --json | python3 -c 'import json,sys; json.load(sys.stdin)'"
for name in parity tomita:n=3 dyck:k=2 'word-problem:group=S3' anbncn index-lookup; do
  check "show $name fits 100 columns" test "$("$sl" lang show "$name" | awk 'length > 100' | wc -l)" -eq 0
  check "show $name --json parses" sh -c "'$sl' lang show --json '$name' | python3 -c 'import json,sys; json.load(sys.stdin)'"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
