#!/usr/bin/env bash
# statelab against OpenFst, side by side in one run, on the seeded random DFAs of
# bench/reference (gen_random_dfa.py: n states, 4 symbols, seed 1, complete, ~2% unreachable).
#
# usage: bench/compare_openfst.sh [WORKDIR]      (default /tmp/statelab_vs_openfst)
# knobs: SIZES ["10000 100000 1000000"]  REPEATS [3]  STATELAB [build/cli/statelab]
#        REFERENCE [bench/reference]  TIMEOUT [300]
#
# Timed with /usr/bin/time (wall seconds, peak RSS), each command alone, the two tools
# alternating within each repeat so that machine noise hits both alike; the table shows medians.
#   minimize:   fstminimize A.fst A.min.fst            vs  statelab dfa minimize A.att -o A.min.att
#   equivalent: fstequivalent A.fst A.min.fst          vs  statelab dfa equiv A.att A.min.att
# OpenFst reads and writes its binary format (fstcompile, untimed, makes A.fst); statelab parses
# and writes AT&T text inside the timed command, so the comparison charges statelab for parsing.
# statelab's minimal DFA is complete, so it has one state more than OpenFst's (the dead state)
# whenever the language has one; the script checks that the two sizes agree in that sense.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/statelab_vs_openfst}
SIZES=${SIZES-"10000 100000 1000000"}
REPEATS=${REPEATS:-3}
STATELAB=${STATELAB:-$root/build/cli/statelab}
REFERENCE=${REFERENCE:-$root/bench/reference}
TIMEOUT=${TIMEOUT:-300}
gen="python3 $REFERENCE/gen_random_dfa.py"

for t in fstcompile fstminimize fstequivalent fstinfo; do
  command -v "$t" >/dev/null || { echo "compare_openfst: missing $t (apt-get install libfst-tools)" >&2; exit 2; }
done
[ -x "$STATELAB" ] || { echo "compare_openfst: $STATELAB not built (run scripts/bootstrap)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "compare_openfst: missing /usr/bin/time (apt-get install time)" >&2; exit 2; }
mkdir -p "$work"
cd "$work"

# run LABEL -- command...: appends "seconds kb" to the file LABEL.times
run() {
  local label=$1; shift 2
  /usr/bin/time -f '%e %M' -o .time timeout "$TIMEOUT" "$@" >/dev/null 2>.stderr || {
    local rc=$?
    # fstequivalent and statelab equiv exit non-zero only when not equivalent or on error
    echo "compare_openfst: '$*' failed (exit $rc): $(head -c 300 .stderr)" >&2; exit 2; }
  tail -n 1 .time >> "$label.times"
}
median() { sort -g | awk '{v[NR]=$1} END{print v[int((NR+1)/2)]}'; }
col() { awk -v c="$2" '{print $c}' "$1.times" | median; }

echo "# statelab vs OpenFst ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), libfst-tools $(dpkg-query -W -f='${Version}' libfst-tools), $REPEATS repeats, medians)"
echo
echo "| operation | n | OpenFst s | statelab s | speed-up | OpenFst MiB | statelab MiB | OpenFst states | statelab states |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $SIZES; do
  echo "compare_openfst: n = $n: generating" >&2
  $gen dfa -n "$n" -k 4 --seed 1 -o "A_$n.att" --isymbols syms.txt
  fstcompile --acceptor --isymbols=syms.txt "A_$n.att" "A_$n.fst"
  rm -f ./*.times
  for ((r = 1; r <= REPEATS; r++)); do
    echo "compare_openfst: n = $n: repeat $r/$REPEATS" >&2
    run fst_min -- fstminimize "A_$n.fst" "A_$n.min.fst"
    run sl_min -- "$STATELAB" dfa minimize "A_$n.att" -o "A_$n.min.att"
    run fst_eq -- fstequivalent "A_$n.fst" "A_$n.min.fst"
    run sl_eq -- "$STATELAB" dfa equiv "A_$n.att" "A_$n.min.att"
  done
  fst_states=$(fstinfo "A_$n.min.fst" | awk '/^# of states/{print $NF}')
  sl_states=$("$STATELAB" dfa info --json "A_$n.min.att" | python3 -c 'import json,sys; print(json.load(sys.stdin)["states"])')
  if [ "$sl_states" != "$fst_states" ] && [ "$sl_states" != "$((fst_states + 1))" ]; then
    echo "compare_openfst: minimal sizes disagree at n = $n: OpenFst $fst_states, statelab $sl_states" >&2; exit 1
  fi
  for op in min eq; do
    name=$([ $op = min ] && echo minimize || echo equivalent)
    fs=$(col fst_$op 1); ss=$(col sl_$op 1); fk=$(col fst_$op 2); sk=$(col sl_$op 2)
    ratio=$(awk -v a="$fs" -v b="$ss" 'BEGIN{ if (b > 0) printf "%.2fx", a / b; else print "n/a" }')
    states=$([ $op = min ] && echo "| $fst_states | $sl_states |" || echo "| | |")
    echo "| $name | $n | $fs | $ss | $ratio | $((fk / 1024)) | $((sk / 1024)) $states"
  done
  rm -f "A_$n".*
done
