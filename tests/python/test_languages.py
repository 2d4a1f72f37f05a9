# statelab.Language and the datasets.
import json
import subprocess

import numpy as np
import pytest

import statelab


def test_language_basics():
    t3 = statelab.Language("tomita:n=3")
    assert t3.alphabet == ["0", "1"]
    assert t3.language_class == "regular"
    assert t3.contains("") and t3.contains([0, 1, 1])
    assert "110" not in t3 or t3.contains([1, 1, 0])
    assert t3.format([1, 0]) == "10" and t3.parse("10") == [1, 0]


def test_count_is_an_exact_python_int():
    parity = statelab.Language("parity")
    assert parity.count(200) == 2**199
    assert isinstance(parity.count(200), int)
    dyck = statelab.Language("dyck:k=1")
    assert dyck.count(10) == 42  # Catalan(5)


def test_sample_is_exact_and_reproducible():
    t3 = statelab.Language("tomita:n=3")
    words = t3.sample(12, 50, seed=4)
    assert len(words) == 50 and all(len(w) == 12 and t3.contains(w) for w in words)
    assert words == t3.sample(12, 50, seed=4)


def test_targets():
    parity = statelab.Language("parity")
    t = parity.targets("11")
    assert len(t) == 3
    assert [x["end"] for x in t] == [False, True, False]


def test_bad_word():
    with pytest.raises(statelab.InvalidArgument, match="outside the alphabet"):
        statelab.Language("parity").contains([0, 2])


def test_dataset_matches_its_definition():
    d = statelab.dataset("tomita:n=3", train_lengths="1..8", test_lengths="9..12", train_per_length=10,
                         test_per_length=6, seed=3)
    t3 = statelab.Language("tomita:n=3")
    for split, lengths in ((d.train, range(1, 9)), (d.test, range(9, 13))):
        assert split.ids.dtype == np.int64 and split.ids.shape[0] == len(split)
        assert set(split.lengths.tolist()) == set(lengths)
        for ids, n, label in zip(split.ids, split.lengths, split.labels):
            assert t3.contains(ids[:n].tolist()) == bool(label)
    train = {tuple(i[:n]) for i, n in zip(d.train.ids, d.train.lengths)}
    test = {tuple(i[:n]) for i, n in zip(d.test.ids, d.test.lengths)}
    assert not train & test


def test_dataset_same_as_the_cli(cli, tmp_path):
    # `statelab lang sample --negatives` draws its words as the dataset builder draws training sets.
    d = statelab.dataset("tomita:n=3", train_lengths="5..7", test_lengths="9", train_per_length=4, seed=2)
    out = subprocess.run([cli, "lang", "sample", "tomita:n=3", "--lengths", "5..7", "--count", "4", "--seed", "2",
                          "--negatives"], capture_output=True, text=True, check=True).stdout.splitlines()
    t3 = statelab.Language("tomita:n=3")
    ours = [(t3.format(i[:n].tolist()), int(label)) for i, n, label in zip(d.train.ids, d.train.lengths, d.train.labels)]
    assert [(json.loads(line)["word"], json.loads(line)["label"]) for line in out] == ours


def test_iteration_gives_the_same_examples():
    kw = dict(train_lengths="1..6", test_lengths="4..9", train_per_length=8, test_per_length=8, seed=5,
              targets=True)
    whole = statelab.dataset("tomita:n=5", **kw)
    for name in ("train", "test"):
        split = getattr(whole, name)
        parts = list(statelab.iter_dataset("tomita:n=5", split=name, **kw))
        words = [tuple(i[:n]) for p in parts for i, n in zip(p.ids, p.lengths)]
        assert words == [tuple(i[:n]) for i, n in zip(split.ids, split.lengths)]
        assert np.concatenate([p.labels for p in parts]).tolist() == split.labels.tolist()


def test_targets_arrays():
    d = statelab.dataset("parity", train_lengths="3", test_lengths="4", train_per_length=4, test_per_length=2,
                         targets=True)
    parity = statelab.Language("parity")
    for ids, n, end, nxt in zip(d.train.ids, d.train.lengths, d.train.end, d.train.next):
        t = parity.targets(ids[:n].tolist())
        assert end[:n + 1].tolist() == [int(x["end"]) for x in t]
        assert nxt[:n + 1].tolist() == [[int(b) for b in x["next"]] for x in t]
