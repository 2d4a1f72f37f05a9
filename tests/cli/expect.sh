# Shared by the end-to-end CLI tests. A test script starts with
#   source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/expect.sh"
#   setup_cli_test "$@"
# Counts into $passed and $failed; the test prints "N passed, N failed" at its end.
passed=0 failed=0

# setup_cli_test STATELAB_BINARY [TEST_DATA_DIR]: sets $sl (the binary), $data (the test data
# folder, when given) and $net (its Tomita 1 LSTM checkpoint), then moves into a scratch folder,
# $work, removed when the script exits.
setup_cli_test() {
  sl=$(readlink -f "$1")
  if [ $# -ge 2 ]; then
    data=$(readlink -f "$2")
    net="$data/bridge/tomita1_lstm.safetensors"
  fi
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  cd "$work" || exit 2
}

# A TaskProgress line off a terminal: "label: 42% (4200/10000), 13s, ETA 2s", "label: 4200, 5s",
# "label: 13s" or "label: done, 1m05s".
duration='[0-9]+[hms]([0-9]+[ms])?'
progress_line=": ([0-9]+% \([0-9]+/[0-9]+\), $duration, ETA ($duration|\?)|[0-9]+, $duration|$duration|done, $duration)\$"

# expect NAME EXPECTED_EXIT EXPECTED_STDOUT_REGEX EXPECTED_STDERR_REGEX -- command...
expect() {
  local name=$1 code=$2 out_re=$3 err_re=$4
  shift 5
  "$@" >stdout 2>stderr </dev/null
  local rc=$?
  local ok=1
  [ "$rc" -eq "$code" ] || ok=0
  # "^$" means "prints nothing" (grep finds no line in an empty file); on stderr, nothing but the
  # progress lines a computation longer than 10 s writes off a terminal (cli/progress.h), which a
  # loaded machine may reach.
  if [ "$out_re" = "^$" ]; then [ ! -s stdout ] || ok=0; else grep -Eq -- "$out_re" stdout || ok=0; fi
  if [ "$err_re" = "^$" ]; then ! grep -Ev -- "$progress_line" stderr >/dev/null || ok=0; else grep -Eq -- "$err_re" stderr || ok=0; fi
  # Errors are one line on stderr.
  if [ "$code" -eq 2 ] && [ "$(wc -l <stderr)" -ne 1 ]; then ok=0; fi
  if [ $ok -eq 1 ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $name (exit $rc, expected $code)"
    echo "  stdout: $(head -c 400 stdout)"
    echo "  stderr: $(head -c 400 stderr)"
  fi
}

# check NAME CONDITION...: a plain shell condition counted like expect.
check() {
  local name=$1
  shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $name"; fi
}
