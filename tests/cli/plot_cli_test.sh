#!/usr/bin/env bash
# End-to-end tests of `statelab plot` and `statelab report` over a small RESULTS.jsonl: images are
# valid PNG (signature, IHDR width and height = --size) and SVG (width and height attributes) for
# every kind (history: the cells' validation curves), the report's rows match the results, bad input is one line and exit 2, and no
# temporary file is left.  The image tests are skipped (and say so) when gnuplot is not installed.
# usage: plot_cli_test.sh STATELAB_BINARY
set -u
# shellcheck source=expect.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/expect.sh"
setup_cli_test "$@"
mkdir tmp
export TMPDIR="$work/tmp"

# A cell as `statelab sweep` writes it: its options, status, and what `statelab train --json` prints.
cell() {  # cell LANG MODEL HIDDEN SEED
  local metrics
  metrics=$("$sl" train --lang "$1" --model "$2" --hidden "$3" --seed "$4" --embedding 4 --steps 30 \
    --train-lengths 1..6 --test-lengths 7..12 --test-count 8 --train-count 16 --train-draws 1 --json -o m.safetensors 2>/dev/null)
  printf '{"cell":{"hidden":"%s","lang":"%s","model":"%s","seed":"%s"},"key":"hidden=%s lang=%s model=%s seed=%s","status":"ok","metrics":%s,"seconds":0.25}\n' \
    "$3" "$1" "$2" "$4" "$3" "$1" "$2" "$4" "$metrics"
}
{
  echo '{"config":"sweep.toml","cells":10}'
  for lang in parity tomita:n=3; do for model in lstm gru; do for hidden in 4 8; do
    cell $lang $model $hidden 1
  done; done; done
  cell parity lstm 4 2
  echo '{"cell":{"hidden":"4","lang":"parity","model":"transformer","seed":"1"},"key":"k","status":"failed","error":"train: diverged","seconds":0.1}'
  printf '{"cell":{"hidden":"8","lang":"par'  # a sweep killed while writing its last line
} > R.jsonl
rm -f m.safetensors m.metrics.json

# The report's rows, on a fixture with known means at the longest lengths (12..13 of 10..13 in 2
# bins): lstm seeds 1.0 and 0.5 -> mean 0.75, max 1.0; mamba 0.99 where classify predicts no.
line() {  # line MODEL SEED ACCURACY_AT_12_AND_13
  printf '{"cell":{"lang":"parity","model":"%s","seed":"%s"},"status":"ok","metrics":{"accuracy_by_length":[{"length":10,"examples":5,"accuracy":1},{"length":11,"examples":5,"accuracy":1},{"length":12,"examples":5,"accuracy":%s},{"length":13,"examples":5,"accuracy":%s}],"spec":{"lang":"parity","model":"%s","train-lengths":"1..5"}}}\n' \
    "$1" "$2" "$3" "$3" "$1"
}
{ line lstm 1 1; line lstm 2 0.5; line mamba 1 0.99; line transformer 1 0.5; } > known.jsonl
expect "report of known means" 0 "^wrote report.md" "^$" -- "$sl" report known.jsonl -o report.md --bins 2
check "lstm: mean 0.750, max 1.000, agrees" grep -qF "| parity | lstm | yes | 12..13 | 2 | 0.750 | 1.000 |  |" report.md
check "mamba: predicted no, learned: disagrees" grep -qF "| parity | mamba | no | 12..13 | 1 | 0.990 | 0.990 | **disagrees** |" report.md
check "transformer: open, never disagrees" grep -qF "| parity | transformer | open | 12..13 | 1 | 0.500 | 0.500 |  |" report.md
expect "report of a sweep to stdout" 0 "^\| tomita:n=3 \| gru \| 8 \| yes \|" "^wrote -" -- "$sl" report R.jsonl -o -
expect "the failed cell is listed" 0 "^- line 11 \(.*model=transformer.*\): train: diverged" "" -- "$sl" report R.jsonl -o -

# Bad input: one line, exit 2 (whether or not gnuplot is installed).
expect "unknown kind" 2 "^$" "--kind pie: unknown kind of plot \(expected curve, heatmap, hist or history\)" -- \
  "$sl" plot R.jsonl --kind pie -o f.png
expect "bad size" 2 "^$" "--size 800by600: expected WIDTHxHEIGHT" -- "$sl" plot R.jsonl --size 800by600 -o f.png
expect "bad extension" 2 "^$" "f.jpg: unknown image extension '.jpg' \(expected .png or .svg\)" -- "$sl" plot R.jsonl -o f.jpg
expect "unknown field" 2 "^$" "--by modle: no such field in the results \(fields: .*model" -- "$sl" plot R.jsonl --by modle -o f.png
expect "unknown --where field" 2 "^$" "--where widht: no such field" -- "$sl" plot R.jsonl --where widht=8 -o f.png
expect "empty selection" 2 "^$" "no result to draw: 0 of 10 cells match --where model=rnn, 0 of them failed" -- \
  "$sl" plot R.jsonl --where model=rnn -o f.png
expect "only failed cells" 2 "^$" "no result to draw: 1 of 10 cells match --where status=failed, 1 of them failed" -- \
  "$sl" plot R.jsonl --where status=failed -o f.png
expect "bad --where" 2 "^$" "--where model: expected key=value" -- "$sl" plot R.jsonl --where model -o f.png
expect "a field that is not a number" 2 "^$" "--x lang: not a number" -- "$sl" plot R.jsonl --kind hist --x lang -o f.png
expect "missing results" 2 "^$" "missing.jsonl" -- "$sl" plot missing.jsonl -o f.png
printf '{"cell":{},"status":"ok","metrics":{}}\nnot json\n{"cell":{},"status":"ok","metrics":{}}\n' > bad.jsonl
expect "a malformed line names the file and line" 2 "^$" "bad.jsonl:2: not a JSON object" -- "$sl" plot bad.jsonl -o f.png
expect "report of an empty file" 2 "^$" "report: e.jsonl holds no cell" -- bash -c ": > e.jsonl; exec \"\$0\" report e.jsonl -o r.md" "$sl"
expect "no gnuplot on PATH" 2 "^$" "gnuplot is not installed or not on PATH" -- env PATH=/nonexistent "$sl" plot R.jsonl -o f.png
expect "heatmap refuses --x" 2 "^$" "--x hidden: a heatmap's x axis is the test length" -- \
  "$sl" plot R.jsonl --kind heatmap --x hidden -o f.png
expect "hist refuses --y" 2 "^$" "--y hidden: a histogram counts runs" -- "$sl" plot R.jsonl --kind hist --y hidden -o f.png
expect "bad --vline" 2 "^$" "--vline x: expected a number and an optional label" -- "$sl" plot R.jsonl --vline x -o f.png
expect "a heatmap refuses --hline" 2 "^$" "--hline: a heatmap's axes are length bins" -- \
  "$sl" plot R.jsonl --kind heatmap --hline 0.5 -o f.png
expect "a history draws accuracy or loss" 2 "^$" "--y seconds: a history draws the validation accuracy or loss" -- \
  "$sl" plot R.jsonl --kind history --y seconds -o f.png
expect "a history needs a validation set" 2 "^$" "no selected result has a validation history" -- \
  "$sl" plot known.jsonl --kind history -o f.png
expect "a curve by length draws accuracy" 2 "^$" "--y seconds: a curve by test length draws the accuracy" -- \
  "$sl" plot R.jsonl --y seconds -o f.png

# A gnuplot that fails, and one that takes long and is interrupted: its script is removed, it dies too.
mkdir failing slow
printf '#!/bin/sh\necho "gnuplot> plot \$d0" >&2\necho "line 3: undefined variable: d0" >&2\nexit 1\n' > failing/gnuplot
printf '#!/bin/sh\necho $$ > "%s/slow.pid"\nexec sleep 30\n' "$work" > slow/gnuplot
chmod +x failing/gnuplot slow/gnuplot
expect "gnuplot fails: its error line" 2 "^$" "gnuplot failed \(status 1\): line 3: undefined variable: d0" -- \
  env PATH="$work/failing:$PATH" "$sl" plot R.jsonl -o f.png
PATH="$work/slow:$PATH" "$sl" plot R.jsonl -o f.png 2>/dev/null &
pid=$!
for _ in $(seq 50); do [ -s slow.pid ] && break; sleep 0.1; done
kill -TERM $pid
wait $pid
check "interrupted: dies of SIGTERM" test $? -eq 143
sleep 0.2
# Dead: gone, or a zombie left to an init that does not reap (containers).
check "interrupted: gnuplot dies with it" bash -c 'case $(ps -o stat= -p "$(cat slow.pid)") in ""|Z*) ;; *) exit 1;; esac'
check "interrupted: its script is removed" test -z "$(ls tmp)"
check "no image left by the failures" test ! -e f.png

if ! command -v gnuplot >/dev/null; then
  echo "SKIP: gnuplot is not installed: no images drawn"
else
  png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{print $1*16777216+$2*65536+$3*256+$4 "x" $5*16777216+$6*65536+$7*256+$8}'; }
  png_ok() { [ "$(od -An -tx1 -N8 "$1" | tr -d ' ')" = 89504e470d0a1a0a ] && [ "$(png_size "$1")" = "$2" ]; }
  svg_ok() { grep -q "<svg" "$1" && grep -q " width=\"${2%x*}\" height=\"${2#*x}\"" "$1" && grep -q "</svg>" "$1"; }
  for kind in curve heatmap hist history; do
    expect "$kind png" 0 "^wrote $kind.png" "^$" -- "$sl" plot R.jsonl --kind $kind --size 640x480 -o $kind.png
    check "$kind png is a 640x480 PNG" png_ok $kind.png 640x480
    expect "$kind svg" 0 "^wrote $kind.svg" "^$" -- "$sl" plot R.jsonl --kind $kind --size 500x300 -o $kind.svg
    check "$kind svg is 500x300" svg_ok $kind.svg 500x300
  done
  expect "defaults: curve by model" 0 "^wrote d.png" "^$" -- "$sl" plot R.jsonl -o d.png
  check "the default size is a PNG of 1100 by 500" png_ok d.png 1100x500
  expect "reference lines" 0 "^wrote v.png" "^$" -- "$sl" plot R.jsonl --vline "30:a bound" --hline 0.5 -o v.png
  check "reference lines: a PNG" test -s v.png
  expect "learning curves of the loss" 0 "^wrote h.png" "^$" -- "$sl" plot R.jsonl --kind history --y loss --by hidden -o h.png
  check "learning curves: a PNG" test -s h.png
  expect "curve against a field" 0 "^wrote x.svg" "^$" -- "$sl" plot R.jsonl --x hidden --y test_accuracy --where lang=parity -o x.svg
  expect "--where takes one value, so the results may follow it" 0 "^wrote w.png" "^$" -- \
    "$sl" plot --where lang=parity --where hidden=4 R.jsonl -o w.png
  expect "report with figures" 0 "^wrote r.md and its figures in figs" "^$" -- "$sl" report R.jsonl -o r.md --figures figs
  check "figures drawn" png_ok figs/curves.png 1100x500
  check "heatmap drawn (hidden varies)" test -s figs/heatmap.png
  check "figures linked relative to the report" grep -qF "](figs/curves.png)" r.md
fi
check "no temporary file left" test -z "$(ls tmp)"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
