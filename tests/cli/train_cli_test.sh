#!/usr/bin/env bash
# End-to-end tests of `statelab train`, `eval` and `score`: tiny models and few steps (the
# learning itself is tested in tests/models), outputs, files, exit codes and error messages.
# usage: train_cli_test.sh STATELAB_BINARY TEST_DATA_DIR
set -u
# shellcheck source=expect.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/expect.sh"
setup_cli_test "$@"
tab=$'\t'
tiny=(--hidden 8 --embedding 4 --train-count 16 --test-count 8 --batch 16 --seed 1 --quiet)
# Without --quiet: the summary on stdout, progress lines on stderr (no terminal here).
shown=(--hidden 8 --embedding 4 --train-count 16 --test-count 8 --batch 16 --seed 1)
progress='^step [0-9]+/[0-9]+  loss'

# train: a recognizer, its checkpoint and metrics
expect "train: a summary" 0 "^lstm on parity: 30 steps in " "$progress" -- \
  "$sl" train --lang parity --model lstm "${shown[@]}" --train-lengths 1..8 --test-lengths 9..12 --steps 30 \
  --threads 2 -o p.safetensors
check "train: the summary's clauses (wrapped at '; ')" sh -c "tr '\n' ' ' <stdout | tr -s ' ' | grep -Eq \
  'test accuracy [01]\.[0-9]{4} \(lengths 9\.\.12\); the budget of 30 steps ran out; kept step [0-9]+ \(validation [01]\.[0-9]{4}\) wrote p'"
check "train: every line of the summary fits 100 columns" test "$(awk 'length($0) > 100' stdout | wc -l)" -eq 0
expect "train --quiet prints nothing" 0 "^$" "^$" -- \
  "$sl" train --lang parity --model lstm "${tiny[@]}" --train-lengths 1..4 --test-lengths 5 --steps 3 -o q.safetensors
check "train: the checkpoint" test -s p.safetensors
check "train: metrics beside it" test -s p.metrics.json
for field in steps seconds steps_per_s final_loss test_accuracy accuracy_by_length; do
  check "metrics: $field" grep -q "\"$field\"" p.metrics.json
done
check "metrics: every test length" test "$(grep -c '"length":' p.metrics.json)" -eq 4
for key in statelab.model alphabet statelab.language statelab.training statelab.metrics; do
  check "checkpoint metadata: $key" grep -aq "\"$key\"" p.safetensors
done
check "checkpoint metadata: the alphabet as a JSON list" grep -aq '"alphabet":"\[\\"0\\",\\"1\\"\]"' p.safetensors
# A checkpoint trained on file:PATH keeps the file's definition: it works from any directory,
# and after the file is gone.
mkdir -p langs elsewhere
"$sl" dfa from-regex '0*(10*10*)*' --alphabet 01 -o langs/even.json >/dev/null
"$sl" train --lang file:langs/even.json --model lstm "${tiny[@]}" --train-lengths 1..6 --test-lengths 7..8 --steps 5 \
  -o langs/even.safetensors >/dev/null
check "checkpoint metadata: the file language's definition" grep -aq '"statelab.language_file"' langs/even.safetensors
rm langs/even.json
expect "eval: a file: checkpoint from another directory, its file gone" 0 "file:langs/even.json" "^$" -- \
  sh -c "cd elsewhere && '$sl' eval --ckpt ../langs/even.safetensors --lengths 3..4 --count 4 --json"
"$sl" train --lang parity --model lstm "${tiny[@]}" --train-lengths 1..8 --test-lengths 9..12 --steps 30 \
  --threads 1 -o p1.safetensors >/dev/null
check "train: the same parameters with 1 and 2 threads" \
  test "$("$sl" score --ckpt p.safetensors 0110 111 '')" = "$("$sl" score --ckpt p1.safetensors 0110 111 '')"
expect "train --json prints the metrics" 0 '^\{"language":"parity","task":"recognize",.*"steps":5,' "^$" -- \
  "$sl" train --lang parity --model gru "${tiny[@]}" --train-lengths 1..4 --test-lengths 5 --steps 5 -o g.safetensors --json
expect "train: progress lines without a terminal" 0 "wrote" "^step 10/20  loss [0-9.]+  acc [01]\.[0-9]{3}  [0-9.]+ steps/s" -- \
  "$sl" train --lang parity --model rnn --hidden 8 --embedding 4 --train-count 16 --test-count 8 --batch 16 \
  --train-lengths 1..4 --test-lengths 5 --steps 20 --log-every 10 -o r.safetensors
expect "train: early stopping at the target" 0 '"stopped_early":true' "^$" -- \
  "$sl" train --lang parity "${tiny[@]}" --train-lengths 1..4 --test-lengths 5 --steps 50 --validation-count 8 \
  --target-accuracy 0 -o e.safetensors --json

# the dataset recipe for sparse languages: tomita:n=1 has one word of each length
recipe=(--lang tomita:n=1 "${tiny[@]}" --train-lengths 0..6 --test-lengths 7..8 --steps 5 --validation-count 8 --json
        --train-draws 1)
expect "train: validation outside the training set has no positive word left" 0 '"train_examples":112,.*"validation_examples":32,' "^$" -- \
  "$sl" train "${recipe[@]}" --validation-independent=false -o t1.safetensors
expect "train: --train-draws 3 (every length filled to 3 x 16) and independent validation (3 more draws, positives and epsilon included)" 0 \
  '"train_examples":336,.*"validation_examples":39,' "^$" -- \
  "$sl" train "${recipe[@]}" --train-draws 3 --validation-independent --threads 2 -o t3.safetensors
check "train: the recipe is recorded" grep -aq '\\"train-draws\\":3' t3.safetensors
check "train: independent validation is recorded" grep -aq '\\"validation-independent\\":true' t3.safetensors
"$sl" train "${recipe[@]}" --train-draws 3 --validation-independent --threads 1 -o t3b.safetensors >/dev/null
check "train: repeated draws give the same parameters with 1 and 2 threads" \
  test "$("$sl" score --ckpt t3.safetensors '' 1 11 0110)" = "$("$sl" score --ckpt t3b.safetensors '' 1 11 0110)"
expect "train: --train-draws 0 is refused" 2 "^$" "train-draws" -- \
  "$sl" train --lang tomita:n=1 "${tiny[@]}" --steps 5 --train-draws 0 -o x.safetensors

# tasks and the other heads
expect "train: tag on a task (prefix products of S3)" 0 "^lstm on word-problem:group=S3: 10 steps" "$progress" -- \
  "$sl" train --lang word-problem:group=S3 --task tag "${shown[@]}" --train-lengths 1..4 --test-lengths 5..6 --steps 10 \
  -o wp.safetensors
check "tag: the classes are recorded" grep -aq 'outputs' wp.safetensors
expect "train: tag on a language (is each prefix in it)" 0 "^gru on parity: 10 steps" "$progress" -- \
  "$sl" train --lang parity --model gru --task tag "${shown[@]}" --train-lengths 1..4 --test-lengths 5 --steps 10 \
  -o pt.safetensors
expect "train: next-set" 0 "^lstm on dyck:k=2: 10 steps" "$progress" -- \
  "$sl" train --lang dyck:k=2 --task next-set "${shown[@]}" --train-lengths 2..6 --test-lengths 8 --steps 10 -o d.safetensors
expect "train: seq on the copy task" 0 "^lstm on copy-task:k=2: 10 steps" "$progress" -- \
  "$sl" train --lang copy-task:k=2 --task seq "${shown[@]}" --train-lengths 1..4 --test-lengths 5..6 --steps 10 \
  -o c.safetensors
expect "eval: the copy task by size" 0 "^6 +8 +[01]\.[0-9]{4}$" "^$" -- "$sl" eval --ckpt c.safetensors --lengths 5..6 --count 8
expect "eval: tag on a task" 0 "^overall +16 " "^$" -- "$sl" eval --ckpt wp.safetensors --lengths 3..4 --count 8

expect "train: a transformer with its options" 0 "^transformer on parity: 5 steps" "$progress" -- \
  "$sl" train --lang parity --model transformer --heads 2 --pos alibi --ffn-size 12 --ffn-activation relu \
  "${shown[@]}" --layers 2 --train-lengths 1..6 --test-lengths 7..8 --steps 5 -o tf.safetensors
check "transformer: its options in the checkpoint" grep -aq 'positional\\":\\"alibi' tf.safetensors
expect "eval: a transformer" 0 "^overall +8 " "^$" -- "$sl" eval --ckpt tf.safetensors --lengths 5..6 --count 4
expect "train: learned positions cover the data" 0 '"max_length":12' "^$" -- \
  "$sl" train --lang parity --model transformer --heads 2 "${tiny[@]}" --train-lengths 1..6 --test-lengths 12 \
  --steps 2 -o tl.safetensors --json
expect "eval: longer than learned positions" 2 "^$" "max_length" -- "$sl" eval --ckpt tl.safetensors --lengths 13 --count 2
expect "train: seq needs a causal transformer" 2 "^$" "seq predicts the next token and needs a causal model" -- \
  "$sl" train --lang copy-task --task seq --model transformer --heads 2 --bidirectional "${tiny[@]}" --steps 1 -o x.safetensors
expect "train: heads must divide the hidden size" 2 "^$" "hidden_size" -- \
  "$sl" train --lang parity --model transformer --heads 3 "${tiny[@]}" --steps 1 -o x.safetensors
for model in s4d mamba ids4; do
  expect "train: $model" 0 "^$model on parity: 5 steps" "$progress" -- \
    "$sl" train --lang parity --model $model --state 3 "${shown[@]}" --layers 2 --train-lengths 1..6 --test-lengths 7..8 \
    --steps 5 -o $model.safetensors
  check "$model: --state in the checkpoint" grep -aq 'state_size\\":3' $model.safetensors
  expect "eval: $model" 0 "^overall +8 " "^$" -- "$sl" eval --ckpt $model.safetensors --lengths 5..6 --count 4
  expect "score: $model, the residual stream at each position" 0 \
    "^01${tab}0\.[0-9]+${tab}\[\[([-0-9.e]+,){15}[-0-9.e]+\],\[([-0-9.e]+,){15}[-0-9.e]+\]\]$" "^$" -- \
    "$sl" score --ckpt $model.safetensors --hidden 01
done
expect "train: mamba with negative eigenvalues" 0 '"negative_eigenvalues":true' "^$" -- \
  "$sl" train --lang parity --model mamba --negative-eigenvalues "${tiny[@]}" --train-lengths 1..6 --test-lengths 7 \
  --steps 3 -o mn.safetensors --json
check "mamba: --negative-eigenvalues in the checkpoint" grep -aq 'negative_eigenvalues\\":true' mn.safetensors
expect "train: deltanet with negative eigenvalues and 2 heads" 0 '"negative_eigenvalues":true' "^$" -- \
  "$sl" train --lang parity --model deltanet --negative-eigenvalues --heads 2 "${tiny[@]}" --layers 2 --train-lengths 1..6 \
  --test-lengths 7 --steps 3 -o dn.safetensors --json
check "deltanet: --heads in the checkpoint" grep -aq 'num_heads\\":2' dn.safetensors
expect "score: deltanet, the residual stream at each position" 0 \
  "^01${tab}0\.[0-9]+${tab}\[\[([-0-9.e]+,){15}[-0-9.e]+\],\[([-0-9.e]+,){15}[-0-9.e]+\]\]$" "^$" -- \
  "$sl" score --ckpt dn.safetensors --hidden 01
# A checkpoint whose statelab.model disagrees with its tensors: deltanet tensors of 2 heads, 4 stated
sed 's/num_heads\\":2/num_heads\\":4/g' dn.safetensors > dn4.safetensors
expect "score: statelab.model disagrees with the tensors" 2 "^$" "^statelab: .*dn4\.safetensors.*' has shape .*$" -- \
  "$sl" score --ckpt dn4.safetensors 01
# xLSTM's mixers (issue 15 §2): train, eval, probe
for model in mlstm slstm; do
  expect "train: $model with 2 heads" 0 "^$model on parity: 3 steps" "$progress" -- \
    "$sl" train --lang parity --model $model --heads 2 "${shown[@]}" --layers 2 --train-lengths 1..6 --test-lengths 7 \
    --steps 3 -o $model.safetensors
  check "$model: --heads in the checkpoint" grep -aq 'num_heads\\":2' $model.safetensors
  expect "eval: $model" 0 "^overall +4 " "^$" -- "$sl" eval --ckpt $model.safetensors --lengths 5 --count 4
  expect "score: $model, the residual stream at each position" 0 \
    "^01${tab}0\.[0-9]+${tab}\[\[([-0-9.e]+,){15}[-0-9.e]+\],\[([-0-9.e]+,){15}[-0-9.e]+\]\]$" "^$" -- \
    "$sl" score --ckpt $model.safetensors --hidden 01
  expect "train: $model has no negative eigenvalues" 2 "^$" "^statelab: train: --negative-eigenvalues applies to --model s4d, mamba, deltanet.* only \(not $model\)$" -- \
    "$sl" train --lang parity --model $model --negative-eigenvalues "${tiny[@]}" --steps 1 -o x.safetensors
done
# PyTorch-written files (tools/make_torch_fixtures.py): their tensor names and statelab.model
for model in deltanet mlstm slstm; do
  expect "score: a PyTorch-written $model" 0 "^abc${tab}0\.[0-9]{9}$" "^$" -- \
    "$sl" score --ckpt "$data/torch/${model}_l2_recognize.model.safetensors" abc
  # its statelab.model says 3 heads, its tensors were made for 2 (same length: the header stays valid)
  sed 's/num_heads\\": 2/num_heads\\": 3/' "$data/torch/${model}_l2_recognize.model.safetensors" > ${model}3.safetensors
  expect "score: a PyTorch-written $model whose statelab.model disagrees" 2 "^$" "^statelab: .*${model}3\.safetensors.*' has shape " -- \
    "$sl" score --ckpt ${model}3.safetensors abc
done
expect "train: s4d with negative eigenvalues, tagging" 0 "^s4d on parity: 3 steps" "$progress" -- \
  "$sl" train --lang parity --task tag --model s4d --negative-eigenvalues "${shown[@]}" --train-lengths 1..6 \
  --test-lengths 7 --steps 3 -o sn.safetensors
# --end-marker: the recognizer reads one more token after the word and decides there
expect "train: a strict NoPE transformer deciding at an end marker" 0 '"end_marker":true' "^$" -- \
  "$sl" train --lang 'regex:alphabet=ab:.*a' --model transformer --pos none --strict-mask --end-marker "${tiny[@]}" \
  --train-lengths 1..6 --test-lengths 7..8 --steps 3 -o em.safetensors --json
check "--end-marker in the checkpoint" grep -aq 'end_marker\\":true' em.safetensors
expect "eval: an end-marker checkpoint" 0 "^overall +8 " "^$" -- "$sl" eval --ckpt em.safetensors --lengths 9..10 --count 4
expect "score: an end-marker checkpoint, the states of the word's two positions" 0 \
  "^ab${tab}0\.[0-9]+${tab}\[\[[^]]*\],\[[^]]*\]\]$" "^$" -- "$sl" score --ckpt em.safetensors --hidden ab
expect "train: --end-marker is a recognizer's" 2 "^$" "^statelab: .*end_marker is true, but the head is tag" -- \
  "$sl" train --lang parity --task tag --model lstm --end-marker "${tiny[@]}" --steps 1 -o x.safetensors

# eval
expect "eval: a table by length" 0 "^12 +10 +[01]\.[0-9]{4}$" "^$" -- \
  "$sl" eval --ckpt p.safetensors --lang parity --lengths 9..12 --count 10
expect "eval: the language from the checkpoint" 0 "^overall +8 +[01]\.[0-9]{4}$" "^$" -- \
  "$sl" eval --ckpt p.safetensors --lengths 3..4 --count 4
expect "eval --json" 0 '^\{"checkpoint":"p\.safetensors","language":"parity","task":"recognize","lengths":"2\.\.3","examples":8,"accuracy":' \
  "^$" -- "$sl" eval --ckpt p.safetensors --lengths 2..3 --count 4 --json

# score
expect "score: WORD<TAB>probability with 9 significant digits" 0 "^0110${tab}0\.[0-9]{9}$" "^$" -- \
  "$sl" score --ckpt p.safetensors 0110
check "score: one line per word, the empty word too" test "$("$sl" score --ckpt p.safetensors 0 1 '' | wc -l)" -eq 3
check "score: words from stdin" test "$(printf '01\n110\n' | "$sl" score --ckpt p.safetensors - | cut -f1 | tr '\n' ' ')" = "01 110 "
expect "score --hidden: every position's state" 0 "^011${tab}0\.[0-9]+${tab}\[\[[-0-9.e,]+\],\[[-0-9.e,]+\],\[[-0-9.e,]+\]\]$" "^$" -- \
  "$sl" score --ckpt p.safetensors --hidden 011
expect "score: an unknown symbol names it and its position" 2 "^$" \
  "^statelab: score: word '01x1': unknown symbol 'x' at position 2 \(alphabet \{0 1\}\)$" -- "$sl" score --ckpt p.safetensors 0110 01x1
expect "score --json: a list of word and probability" 0 '^\[\{"word":"0110","probability":0\.[0-9]+\},\{"word":"","probability":' "^$" -- \
  "$sl" score --ckpt p.safetensors --json 0110 ''
check "score --json --hidden parses" sh -c "'$sl' score --ckpt p.safetensors --json --hidden 01 1 | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d[0][\"hidden\"]) == 2'"
expect "eval --seed -1 is refused naming the option" 2 "^$" "^statelab: --seed: expected a whole number 0 or more" -- \
  "$sl" eval --ckpt p.safetensors --lengths 2..3 --seed -1
expect "eval: longer than learned positions names no internal function" 2 "^$" "^statelab: sequence [0-9]+ has length 13, but the transformer's learned positions cover" -- \
  "$sl" eval --ckpt tl.safetensors --lengths 13 --count 2
expect "score: needs a recognizer" 2 "^$" "has a tag head" -- "$sl" score --ckpt wp.safetensors 'e'

# a module written by PyTorch (tools/make_torch_fixtures.py): metadata "alphabet" only
torch_file="$data/torch/lstm_l1_recognize.model.safetensors"
expect "score: a PyTorch file with its alphabet" 0 "^abc${tab}0\.[0-9]{9}$" "^$" -- "$sl" score --ckpt "$torch_file" abc
expect "score: --alphabet overrides it" 0 "^zyx${tab}0\.[0-9]{9}$" "^$" -- "$sl" score --ckpt "$torch_file" --alphabet x,y,z zyx
expect "eval: a PyTorch file on a language with its alphabet" 0 "^overall " "^$" -- \
  "$sl" eval --ckpt "$torch_file" --lang anbncn --lengths 0..3 --count 4
expect "score: no alphabet anywhere" 2 "^$" 'has no "alphabet" metadata: give the symbols with --alphabet' -- \
  "$sl" score --ckpt "$data/torch/adamw.model.safetensors" ab
expect "score: --alphabet supplies it" 0 "^ab${tab}" "^$" -- \
  "$sl" score --ckpt "$data/torch/adamw.model.safetensors" --alphabet a,b,c ab
expect "eval: lengths without an example" 2 "^$" "eval: no example of dyck:k=2 at lengths 3 \(next-set is evaluated on the words" -- \
  "$sl" eval --ckpt d.safetensors --lengths 3
expect "eval: a PyTorch file needs --lang" 2 "^$" "no statelab.language metadata\): give --lang" -- \
  "$sl" eval --ckpt "$torch_file" --lengths 1..2

# bad input
expect "train: unknown language" 2 "^$" "^statelab: unknown language 'nope'" -- \
  "$sl" train --lang nope "${tiny[@]}" --steps 1 -o x.safetensors
expect "train: unknown model" 2 "^$" "^statelab: --model lstn: must be one of rnn, lstm, gru" -- \
  "$sl" train --lang parity --model lstn "${tiny[@]}" --steps 1 -o x.safetensors
expect "train: --help lists every architecture" 0 "architecture: rnn, lstm, gru, transformer, s4d, mamba, ids4, deltanet, mlstm, slstm, gated-deltanet, deltaproduct, cdssm" "^$" -- \
  "$sl" train --help
expect "train: an option of another architecture" 2 "^$" "--heads applies to --model transformer, deltanet, mlstm, slstm, gated-deltanet, deltaproduct only \(not lstm\)" -- \
  "$sl" train --lang parity --heads 4 "${tiny[@]}" --steps 1 -o x.safetensors
expect "train: --state belongs to the state-space models" 2 "^$" "--state applies to --model s4d, mamba, ids4, cdssm only \(not transformer\)" -- \
  "$sl" train --lang parity --model transformer --state 4 "${tiny[@]}" --steps 1 -o x.safetensors
expect "train: ids4 has no negative eigenvalues" 2 "^$" "--negative-eigenvalues applies to --model s4d, mamba, deltanet, gated-deltanet, deltaproduct only \(not ids4\)" -- \
  "$sl" train --lang parity --model ids4 --negative-eigenvalues "${tiny[@]}" --steps 1 -o x.safetensors
expect "train: deltanet has no state size" 2 "^$" "^statelab: train: --state applies to --model s4d, mamba, ids4, cdssm only \(not deltanet\)$" -- \
  "$sl" train --lang parity --model deltanet --state 4 "${tiny[@]}" --steps 1 -o x.safetensors
expect "train: lstm has no negative eigenvalues" 2 "^$" "^statelab: train: --negative-eigenvalues applies to --model s4d, mamba, deltanet, gated-deltanet, deltaproduct only \(not lstm\)$" -- \
  "$sl" train --lang parity --model lstm --negative-eigenvalues "${tiny[@]}" --steps 1 -o x.safetensors
expect "train: deltanet's heads divide --hidden" 2 "^$" "^statelab: .*hidden_size 8 is not a multiple of num_heads 3" -- \
  "$sl" train --lang parity --model deltanet --heads 3 "${tiny[@]}" --steps 1 -o x.safetensors
expect "train: --householder belongs to deltaproduct" 2 "^$" "^statelab: train: --householder applies to --model deltaproduct only \(not lstm\)$" -- \
  "$sl" train --lang parity --model lstm --householder 3 "${tiny[@]}" --steps 1 -o x.safetensors
expect "train: --householder is bounded" 2 "^$" "^statelab: .*householder is 17, expected 1..16" -- \
  "$sl" train --lang parity --model deltaproduct --householder 17 "${tiny[@]}" --steps 1 -o x.safetensors
expect "train: cdssm has no negative eigenvalues" 2 "^$" "--negative-eigenvalues applies to .* only \(not cdssm\)" -- \
  "$sl" train --lang parity --model cdssm --negative-eigenvalues "${tiny[@]}" --steps 1 -o x.safetensors
expect "train: impossible size" 2 "^$" "^statelab: --hidden 0: must be a whole number of at least 1$" -- \
  "$sl" train --lang parity --hidden 0 --steps 1 -o x.safetensors
expect "train: a model too large to train" 2 "^$" "--hidden 100000, --embedding 4 and --layers 1 is too large to train" -- \
  "$sl" train --lang parity --embedding 4 --hidden 100000 --steps 1 -o x.safetensors
expect "train: inverted lengths" 2 "^$" "--train-lengths 5\.\.2: the range is inverted" -- \
  "$sl" train --lang parity "${tiny[@]}" --train-lengths 5..2 --steps 1 -o x.safetensors
expect "train: seq needs a task" 2 "^$" "--task seq needs a sequence task such as copy-task:k=2" -- \
  "$sl" train --lang parity --task seq "${tiny[@]}" --steps 1 -o x.safetensors
expect "train: recognize on a task" 2 "^$" "'copy-task' is a task \(targets per position\): use --task tag or --task seq" -- \
  "$sl" train --lang copy-task --task recognize "${tiny[@]}" --steps 1 -o x.safetensors
expect "train: seq on a task that is not sequence output" 2 "^$" "the targets of word-problem:group=S3,gens=.* are not input symbols" -- \
  "$sl" train --lang word-problem:group=S3,gens=standard --task seq "${tiny[@]}" --steps 1 -o x.safetensors
expect "train: an impossible task size" 2 "^$" "size 0 is impossible" -- \
  "$sl" train --lang copy-task --task seq "${tiny[@]}" --train-lengths 0..2 --steps 1 -o x.safetensors
expect "train: an output folder that does not exist" 2 "^$" "train: -o nowhere/m.safetensors: the folder nowhere does not exist" -- \
  "$sl" train --lang parity "${tiny[@]}" --steps 1 -o nowhere/m.safetensors

# issue 12 #13: float options say what they must be, never DBL_MAX
expect "train: --lr 0" 2 "^$" "^statelab: --lr 0: must be positive$" -- "$sl" train --lang parity --lr 0 -o x.safetensors
expect "train: --min-lr -1" 2 "^$" "^statelab: --min-lr -1: must not be negative$" -- "$sl" train --lang parity --min-lr -1 -o x.safetensors
expect "train: --weight-decay -0.1" 2 "^$" "^statelab: --weight-decay -0.1: must not be negative$" -- \
  "$sl" train --lang parity --weight-decay -0.1 -o x.safetensors
expect "train: --clip x" 2 "^$" "^statelab: --clip x: must be a number$" -- "$sl" train --lang parity --clip x -o x.safetensors
expect "train: --target-accuracy 2" 2 "^$" "^statelab: --target-accuracy 2: must be between 0 and 1$" -- \
  "$sl" train --lang parity --target-accuracy 2 -o x.safetensors
expect "train: --seed -1 is refused, not wrapped" 2 "^$" "^statelab: --seed -1: must be a whole number of at least 0$" -- \
  "$sl" train --lang parity --seed -1 -o x.safetensors
expect "eval: --seed -1 is refused, not wrapped" 2 "^$" "seed" -- "$sl" eval --ckpt p.safetensors --lengths 2 --seed -1
# issue 12 #4: an empty test or validation set is an error, never an accuracy over nothing
expect "train: --test-count 1 gives no test word" 2 "^$" \
  "^statelab: train: no test example of parity at lengths 9 with --test-count 1 \(labels are balanced per length: give --test-count 2 or more\)$" -- \
  "$sl" train --lang parity "${tiny[@]}" --train-lengths 1..4 --test-lengths 9 --test-count 1 --steps 1 -o x.safetensors
expect "train: an empty validation set" 2 "^$" "^statelab: train: no validation example of first at lengths 1\.\.2 with --validation-count 2" -- \
  "$sl" train --lang first "${tiny[@]}" --train-lengths 1..6 --validation-lengths 1..2 --validation-count 2 \
  --validation-independent=false --steps 1 -o x.safetensors
# issue 12 #9: every option is checked before anything is written (no step-0 checkpoint left behind)
expect "train: --max-length shorter than the data" 2 "^$" \
  "^statelab: train: --max-length 1 is shorter than the longest sequence of the data \(8 tokens\)$" -- \
  "$sl" train --lang parity --model transformer --max-length 1 "${tiny[@]}" --train-lengths 1..6 --test-lengths 7..8 \
  --steps 5 --checkpoint-every 1 -o x.safetensors
expect "train: --lang is required" 2 "^$" "^statelab: train: --lang is required" -- "$sl" train -o x.safetensors
check "train: nothing written on bad input" test ! -e x.safetensors
check "train: no metrics written on bad input" test ! -e x.metrics.json

# one run = one call: the metrics hold the whole spec, and --from repeats the run
check "metrics: the spec" grep -q '"spec": {' p.metrics.json
"$sl" train --from p.metrics.json --threads 1 --quiet -o again.safetensors >/dev/null
check "train --from: the same parameters" \
  test "$("$sl" score --ckpt p.safetensors 0110 111 '')" = "$("$sl" score --ckpt again.safetensors 0110 111 '')"
check "train --from: the same metrics" test "$(grep -E '"(final_loss|test_accuracy)"' p.metrics.json)" = \
  "$(grep -E '"(final_loss|test_accuracy)"' again.metrics.json)"
expect "train --from: options beside it change the run" 0 '"steps":3,' "^$" -- \
  "$sl" train --from p.metrics.json --steps 3 --json --quiet -o again3.safetensors
expect "train --from: not a metrics file" 2 "^$" 'p.safetensors: not a metrics file' -- \
  "$sl" train --from p.safetensors -o x.safetensors
expect "train: the summary says why training stopped and which step was kept" 0 \
  "stopped at step 0: validation accuracy reached 0\.[0-9]{4};( |$)" "^$" -- \
  "$sl" train --lang parity "${shown[@]}" --train-lengths 1..4 --test-lengths 5 --steps 50 --eval-every 1 \
  --target-accuracy 0 -o e2.safetensors
head -c 200 p.safetensors >truncated.safetensors
expect "eval: a truncated checkpoint" 2 "^$" "truncated.safetensors: truncated: the header announces" -- \
  "$sl" eval --ckpt truncated.safetensors --lengths 1..2
echo "not a checkpoint at all" >garbage.safetensors
expect "score: a file that is not safetensors" 2 "^$" "garbage.safetensors: header length" -- \
  "$sl" score --ckpt garbage.safetensors 01
expect "eval: a missing checkpoint" 2 "^$" "cannot open 'nowhere.safetensors'" -- \
  "$sl" eval --ckpt nowhere.safetensors --lengths 1..2
expect "eval: the checkpoint's alphabet is not the language's" 2 "^$" \
  "p.safetensors: the checkpoint's alphabet \{0 1\} does not match dyck:k=1's alphabet \{\( \)\}" -- \
  "$sl" eval --ckpt p.safetensors --lang dyck --lengths 2
expect "eval: outputs that do not fit the task" 2 "^$" "tag head has 6 outputs but index-lookup:k=2,max=4 needs 2" -- \
  "$sl" eval --ckpt wp.safetensors --lang index-lookup:k=2,max=4 --alphabet a,b,0,1,2,3 --lengths 2
expect "score: an alphabet of the wrong size" 2 "^$" "the alphabet has 3 symbols \(a b c\) but the model's vocabulary has 2 tokens" -- \
  "$sl" score --ckpt p.safetensors --alphabet a,b,c ab

# divergence: a huge learning rate; the checkpoint on disk stays the last good one
expect "train: NaN stops training" 2 "^$" "train: training diverged at step [0-9]+: the loss is .*; dv.safetensors holds the last good checkpoint, from step [0-9]+$" -- \
  "$sl" train --lang parity "${tiny[@]}" --train-lengths 1..8 --test-lengths 9 --steps 200 --lr 1e30 --clip 0 \
  --checkpoint-every 1 -o dv.safetensors
check "divergence: the last good checkpoint gives a probability" \
  grep -Eq "^01${tab}[0-9]\.[0-9]+(e-[0-9]+)?$" <("$sl" score --ckpt dv.safetensors 01)
check "divergence: it says training did not finish" grep -aq 'finished\\":false' dv.safetensors
check "divergence: no metrics file" test ! -e dv.metrics.json

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
