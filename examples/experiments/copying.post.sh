#!/usr/bin/env bash
# Experiment 6's second half (run.sh runs it after the sweep): where the Hard-ALiBi transformer errs.
# Jelassi et al.'s construction copies by looking up the last few letters of the copy so far in the
# input and emitting the letter after them; a lookup of m letters finds its place only where those
# m letters occur once in the string.  For each transformer of the sweep, `statelab check` lists
# every word it copies wrong (COUNT random words, default 600, of lengths up to 40 and longer
# ones beyond), and for the first wrong letter of each (s[j], the string s) we count u: the fewest
# letters before it, s[j-u..j-1], that occur only once in s.  OUT/copying.md compares the u of the
# errors with the u of every position of the same words but the copy's first (placed by the
# separator alone: u = 1, where no error fell), and gives the share of random strings of length n
# with a position that needs u >= 4 (the errors' own u).
# Usage: copying.post.sh OUT   (STATELAB: the binary; COUNT)
set -euo pipefail
out=$1
statelab=${STATELAB:-statelab}
count=${COUNT:-600}
report="$out/copying.md"

checks=()
while IFS=$'\t' read -r seed ckpt; do
  status=0
  "$statelab" check --ckpt "$ckpt" --lang copy-task:k=10 --max-length 40 --tests "$count" --seed 3 \
    --counterexamples 1000000 --json >"$out/check-transformer-$seed.json" || status=$?
  [ "$status" -le 1 ] || exit "$status"  # 1: it disagrees somewhere, which is what we read
  checks+=("$out/check-transformer-$seed.json")
done < <(jq -s -r 'map(select(.status == "ok" and .cell.model == "transformer" and .checkpoint)) | sort_by(.cell.seed | tonumber)[]
  | [.cell.seed, .checkpoint] | @tsv' "$out/results.jsonl")

python3 - "${checks[@]}" >"$report" <<'PY'
import json, random, sys

def unique_context(s, j):
    """The fewest letters before s[j] that occur only once in s (j + 1: only the separator does)."""
    for m in range(1, j + 1):
        ctx = s[j - m:j]
        if sum(s.startswith(ctx, i) for i in range(len(s) - m + 1)) == 1:
            return m
    return j + 1

def bucket(u):
    return min(u, 6)

names = {1: "1", 2: "2", 3: "3", 4: "4", 5: "5", 6: "6 or more"}
print("## Where the transformer copies wrong: u, the fewest letters before the first wrong one that occur once in the string")
print()
print("| seed | words tested | wrong | " + " | ".join(f"u = {names[k]}: errors / all positions" for k in names) + " |")
print("|---|---|---|" + "---|" * len(names))
for path in sys.argv[1:]:
    check = json.load(open(path))
    seed = path.rsplit("-", 1)[-1].removesuffix(".json")
    errors = dict.fromkeys(names, 0)
    positions = dict.fromkeys(names, 0)
    wrong = 0
    for c in check["counterexamples"][1:]:  # the first is shrunk (statelab check): not a random word
        s = c["word"].partition("#")[0]
        j = c["position"] - len(s)  # the output at position p predicts the copy's letter s[p - n]
        if not 0 <= j < len(s):
            continue
        wrong += 1
        errors[bucket(unique_context(s, j))] += 1
        for k in range(1, len(s)):
            positions[bucket(unique_context(s, k))] += 1
    total = max(sum(positions.values()), 1)
    cells = [f"{errors[k] / max(wrong, 1):.2f} / {positions[k] / total:.3f}" for k in names]
    print(f"| {seed} | {check['tested']} | {wrong} | " + " | ".join(cells) + " |")
print()
print("## Random strings over 10 letters: the share of positions, and of strings with a position, that need u >= 4")
print()
print("| n | positions with u >= 4 | strings with one |")
print("|---|---|---|")
rng = random.Random(1)
for n in (20, 40, 60, 80, 100):
    hard = strings = positions = 0
    for _ in range(2000):
        s = "".join(rng.choice("abcdefghij") for _ in range(n))
        h = sum(unique_context(s, j) >= 4 for j in range(1, n))
        hard += h
        positions += n - 1
        strings += h > 0
    print(f"| {n} | {hard / positions:.3f} | {strings / 2000:.2f} |")
PY
echo "copying: $report"
