#!/usr/bin/env bash
# statelab against PyTorch, side by side in one run, on the workloads of
# bench/reference/README.md (torch_reference.py): PARITY over {0,1} at L = 64, batch 64,
# Embedding(2, 16) -> model -> last position -> Linear(d, 1) -> BCEWithLogitsLoss, Adam lr 1e-3
# (no weight decay, no clipping, constant rate), a fresh batch every step, 5 untimed warm-up
# steps, then `steps` timed steps; 2 threads each.
#
# usage: bench/compare_torch.sh [WORKDIR]      (default /tmp/statelab_vs_torch)
# knobs: WORKLOADS [all eleven]  STEPS [each workload's default]  THREADS [2]  CHUNK [32]
#        STATELAB [build/cli/statelab]  REFERENCE [bench/reference]
#
# For each workload, statelab's `train` runs first and torch_reference.py right after, each
# under /usr/bin/time (peak RSS).  statelab's steps/s is its metrics JSON's steps_per_s, which
# times the optimisation steps alone (data generation, evaluation, progress and checkpoint
# writes are outside the clock, and --timing-skip 5 leaves out the warm-up as torch does); the
# torch figure is its own JSON's steps_per_s.  The dataset is statelab's exact parity sampler at
# length 64 with (5 + steps) * 64 distinct words, so no batch is reused either; the words differ
# from torch's uniform draws (half are near misses), which changes nothing in the computation.
# --chunk-size CHUNK cuts each batch into 64 / CHUNK work items for the threads.
#
# PyTorch must run on OpenBLAS, as in bench/reference/README.md: Debian's python3-torch is
# satisfied by the netlib reference BLAS (libblas3), on which every workload runs 5-8x slower
# (lstm-h64: 8.5 instead of 64 steps/s here), so the script refuses to compare against that.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/statelab_vs_torch}
WORKLOADS=${WORKLOADS:-lstm-h64-L64-b64,lstm-h256-L64-b64,gru-h64-L64-b64,tf-d64-l2-h4-L64-b64,s4d-d64-n16-L64-b64,mamba-d64-n16-L64-b64,mlstm-d64-h4-L64-b64,slstm-d64-h4-L64-b64,gated-deltanet-d64-h4-L64-b64,deltaproduct-d64-h4-n2-neg-L64-b64,cdssm-d64-n16-L64-b64}
STEPS=${STEPS:-}
THREADS=${THREADS:-2}
CHUNK=${CHUNK:-32}
STATELAB=$(realpath -m "${STATELAB:-$root/build/cli/statelab}")
REFERENCE=$(realpath -m "${REFERENCE:-$root/bench/reference}")
torch_ref=$REFERENCE/torch_reference.py
warmup=5

[ -x "$STATELAB" ] || { echo "compare_torch: $STATELAB not built (run scripts/bootstrap)" >&2; exit 2; }
[ -f "$torch_ref" ] || { echo "compare_torch: missing $torch_ref" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "compare_torch: missing /usr/bin/time (apt-get install time)" >&2; exit 2; }
/usr/bin/python3 -c 'import torch' 2>/dev/null || { echo "compare_torch: /usr/bin/python3 has no torch (apt-get install python3-torch)" >&2; exit 2; }
blas=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 || true)
case $blas in
  *openblas*) ;;
  *) echo "compare_torch: PyTorch would use ${blas:-no BLAS} (the reference BLAS), not OpenBLAS: apt-get install libopenblas0-pthread" >&2; exit 2 ;;
esac
mkdir -p "$work"
cd "$work"

# The statelab options of each workload (the model between embedding and head) and its default steps.
workload_options() {
  case $1 in
    lstm-h64-L64-b64) echo "--model lstm --hidden 64 --layers 1 600" ;;
    lstm-h256-L64-b64) echo "--model lstm --hidden 256 --layers 1 120" ;;
    gru-h64-L64-b64) echo "--model gru --hidden 64 --layers 1 800" ;;
    tf-d64-l2-h4-L64-b64)
      echo "--model transformer --hidden 64 --layers 2 --heads 4 --pos learned --bidirectional --ffn-size 256 --ffn-activation relu 240" ;;
    s4d-d64-n16-L64-b64) echo "--model s4d --hidden 64 --layers 2 --state 16 100" ;;
    mamba-d64-n16-L64-b64) echo "--model mamba --hidden 64 --layers 2 --state 16 60" ;;
    mlstm-d64-h4-L64-b64) echo "--model mlstm --hidden 64 --layers 2 --heads 4 40" ;;
    slstm-d64-h4-L64-b64) echo "--model slstm --hidden 64 --layers 2 --heads 4 40" ;;
    gated-deltanet-d64-h4-L64-b64) echo "--model gated-deltanet --hidden 64 --layers 2 --heads 4 40" ;;
    deltaproduct-d64-h4-n2-neg-L64-b64)
      echo "--model deltaproduct --hidden 64 --layers 2 --heads 4 --householder 2 --negative-eigenvalues 20" ;;
    cdssm-d64-n16-L64-b64) echo "--model cdssm --hidden 64 --layers 2 --state 16 30" ;;
    *) echo "compare_torch: unknown workload $1" >&2; exit 2 ;;
  esac
}

# rate FILE: the steps/s of a JSON object file, to 2 decimals (4 below 0.1 steps/s, where the naive
# PyTorch recurrences are; torch's JSON rounds steps_per_s to 3 decimals, so from steps / seconds).
rate() {
  /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r=d["steps"]/d["seconds"] if "workload" in d else d["steps_per_s"]; print("%.2f" % r if r >= 0.1 else "%.4f" % r)' "$1"
}
# rss_mib FILE: the peak RSS /usr/bin/time -v wrote, in MiB.
rss_mib() { awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$1"; }

rows=()
IFS=, read -r -a names <<<"$WORKLOADS"
for w in "${names[@]}"; do
  read -r -a opts <<<"$(workload_options "$w")"
  steps=${STEPS:-${opts[-1]}}
  unset 'opts[-1]'
  echo "== $w ($steps timed steps)" >&2
  # statelab
  sl_rate="failed" sl_rss="-"
  if /usr/bin/time -v -o "$w.statelab.time" "$STATELAB" train --lang parity --task recognize "${opts[@]}" \
      --embedding 16 --train-lengths 64 --test-lengths 64 --train-count $(((warmup + steps) * 64)) --test-count 64 \
      --steps $((warmup + steps)) --timing-skip $warmup --batch 64 --lr 1e-3 --schedule constant --warmup 0 \
      --weight-decay 0 --clip 0 --train-draws 1 --validation-count 0 --seed 1 --threads "$THREADS" --chunk-size "$CHUNK" --checkpoint-every 0 --quiet \
      -o "$w.safetensors" >"$w.statelab.out" 2>"$w.statelab.err"; then
    sl_rate=$(rate "$w.metrics.json")
    sl_rss=$(rss_mib "$w.statelab.time")
  else
    echo "compare_torch: statelab failed on $w: $(cat "$w.statelab.err")" >&2
  fi
  # PyTorch
  /usr/bin/time -v -o "$w.torch.time" /usr/bin/python3 "$torch_ref" --workloads "$w" --steps "$steps" \
    --threads "$THREADS" >"$w.torch.jsonl" 2>"$w.torch.err" || { echo "compare_torch: torch failed on $w" >&2; cat "$w.torch.err" >&2; exit 2; }
  tail -n 1 "$w.torch.jsonl" >"$w.torch.json"
  t_rate=$(rate "$w.torch.json")
  t_rss=$(rss_mib "$w.torch.time")
  ratio="-"
  case $sl_rate in
    [0-9]*) ratio=$(/usr/bin/python3 -c "print(f'{$sl_rate / $t_rate:.2f}x')") ;;
  esac
  rows+=("$w|$steps|$sl_rate|$t_rate|$ratio|$sl_rss|$t_rss")
done

echo
echo "threads: $THREADS each; statelab --chunk-size $CHUNK ($STATELAB); PyTorch on $blas; $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ); files in $work"
echo
echo "| workload | timed steps | statelab steps/s | PyTorch steps/s | ratio | statelab peak RSS MiB | PyTorch peak RSS MiB |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for r in "${rows[@]}"; do
  IFS='|' read -r w steps a b ratio ra rb <<<"$r"
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$w" "$steps" "$a" "$b" "$ratio" "$ra" "$rb"
done
