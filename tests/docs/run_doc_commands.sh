#!/usr/bin/env bash
# Runs every fenced ```sh block of README.md and docs/*.md against the built `statelab`, so that
# the documentation cannot drift from the program.  Each file's blocks run in order, in one
# scratch directory of their own (a later block may use what an earlier one wrote), each block
# as a bash script with `set -e -o pipefail`, with `statelab` on the PATH.  A block holding the
# comment `# docs-test: skip` is not run (an install, a multi-minute training); say why beside it.
# usage: run_doc_commands.sh STATELAB_BINARY REPOSITORY_ROOT [FILE.md ...]
set -u
sl=$(readlink -f "$1")
root=$(readlink -f "$2")
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin"
ln -s "$sl" "$work/bin/statelab"
export PATH="$work/bin:$PATH"

if [ $# -gt 0 ]; then files=("$@"); else files=("$root/README.md" "$root"/docs/*.md); fi
passed=0 failed=0 skipped=0
for file in "${files[@]}"; do
  name=${file#"$root"/}
  dir="$work/$(basename "$file" .md)"
  mkdir -p "$dir"
  # Splits the file into blocks: block N goes to $dir/block.N.sh, its first line number to .line.
  awk -v dir="$dir" '
    /^```sh[[:space:]]*$/ { n++; inside = 1; file = dir "/block." n ".sh"; print NR + 1 > (dir "/block." n ".line"); printf "" > file; next }
    inside && /^```[[:space:]]*$/ { inside = 0; close(file); next }
    inside { print >> file }
  ' "$file"
  for block in $(ls "$dir"/block.*.sh 2>/dev/null | sort -t. -k2 -n); do
    line=$(cat "${block%.sh}.line")
    if grep -q '# docs-test: skip' "$block"; then
      skipped=$((skipped + 1))
      continue
    fi
    if (cd "$dir" && timeout 300 bash -e -o pipefail "$block") >"$block.out" 2>&1; then
      passed=$((passed + 1))
    else
      failed=$((failed + 1))
      echo "FAIL: $name:$line: the sh block starting here"
      sed 's/^/  | /' "$block.out" | tail -20
    fi
  done
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
