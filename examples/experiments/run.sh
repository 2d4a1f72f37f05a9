#!/usr/bin/env bash
# Runs one experiment of docs/results.md end to end: its sweep (NAME.toml beside this script), its
# figure and its report, and says how long it took: wall clock, CPU time (user+sys of everything
# it ran) and the load average at the start and the end (the machine may be shared), and on which CPU.
#   examples/experiments/run.sh NAME [OUT_DIR]      (default OUT_DIR: build/experiments/NAME)
# NAME may also be the path of a config (X.toml, with X.plot beside it): the test suite runs small
# copies of the experiments that way.  Environment: STATELAB (default build/cli/statelab), JOBS
# (cells at a time, default 2), SWEEP_ARGS (more options of `statelab sweep`, e.g. --shard 0/10).
# Unless SWEEP_ARGS sets --threads, the sweep gets --threads $(nproc): its threads in all, which it
# shares out as nproc / JOBS per cell (at least 1), so JOBS cells together use the cores and no
# more (the results do not depend on the threads).
# Resumable: run it again after an interruption and the finished cells are kept (statelab sweep).
# NAME.post.sh beside the config, when there is one, runs last with OUT_DIR as its argument (and
# STATELAB in its environment): the work of an experiment that is not a sweep of trainings, such as
# extracting automata from the sweep's checkpoints (OUT_DIR/checkpoints).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
usage() { echo "usage: examples/experiments/run.sh NAME [OUT_DIR]; NAME is one of: $(cd "$here" && ls *.toml | sed 's/\.toml$//' | tr '\n' ' ')" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage
name=$1
config="$here/$name.toml"
case "$name" in *.toml) config=$name; name=$(basename "$name" .toml) ;; esac
[ -f "$config" ] || { echo "run.sh: no experiment '$name'" >&2; usage; }
out=${2:-$root/build/experiments/$name}
statelab=${STATELAB:-$root/build/cli/statelab}
[ -x "$statelab" ] || { echo "run.sh: $statelab is not built (run scripts/bootstrap, or set STATELAB)" >&2; exit 2; }
mkdir -p "$out"
results="$out/results.jsonl"
sweep_args=${SWEEP_ARGS:-}
case " $sweep_args " in *" --threads"*) ;; *) sweep_args="$sweep_args --threads $(nproc)" ;; esac
load() { cut -d' ' -f1-3 /proc/loadavg; }
load_start=$(load)
start=$(date +%s)
status=0
# shellcheck disable=SC2086  # word splitting wanted: the sweep's options
"$statelab" sweep "$config" -o "$results" --jobs "${JOBS:-2}" --checkpoints "$out/checkpoints" $sweep_args || status=$?
[ "$status" -le 1 ] || exit "$status"
# The figure: each experiment's own view of its results (NAME.plot holds the arguments of
# `statelab plot`, one invocation per line; FIGURE is replaced by the output path's stem).
plots="${config%.toml}.plot"
if [ -f "$plots" ]; then
  i=0
  while IFS= read -r line; do
    case "$line" in ''|'#'*) continue ;; esac
    i=$((i + 1))
    eval "args=($line)"
    "$statelab" plot "$results" "${args[@]}" -o "$out/figure-$i.png"
    echo "figure: $out/figure-$i.png"
  done <"$plots"
fi
"$statelab" report "$results" -o "$out/report.md" >/dev/null
echo "report: $out/report.md"
post="${config%.toml}.post.sh"
if [ -f "$post" ]; then STATELAB=$statelab SWEEP_ARGS=$sweep_args bash "$post" "$out" || exit 2; fi
# CPU: user and sys of this shell and of its finished children (the sweep, plots, the hook), what
# bash's `times` prints, read from /proc since `times` in $(...) would report the subshell's.
cpu=$(awk -v tick="$(getconf CLK_TCK)" '{ printf "%.0f", ($14 + $15 + $16 + $17) / tick }' /proc/$$/stat)
# The machine, since a seed's numbers and the times depend on it (docs/results.md, top).
machine=$(awk -F': ' '/^model name/ { n = $2 } /^cpu family/ { f = $2 } /^model\t/ { m = $2 } /^$/ { exit }
  END { print (n == "" ? "unknown CPU" : n (f == "" ? "" : " (family " f ", model " m ")")) }' /proc/cpuinfo 2>/dev/null || echo "unknown CPU")
echo "$name: $(( $(date +%s) - start )) s wall clock, $cpu s CPU (user+sys), load average $load_start at start, $(load) at end; $(grep -c '"status":"ok"' "$results") cells ok, $(grep -c '"status":"failed"' "$results" || true) failed; on $machine"
exit "$status"
