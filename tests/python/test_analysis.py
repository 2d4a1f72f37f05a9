# probe, track and sensitivity from Python: on a callable (built here from the truth itself, so
# the right answer is known exactly), on a statelab checkpoint (the same dict as the CLI's --json),
# and on a language.
import json
import subprocess
from math import comb

import numpy as np
import pytest

import statelab
from conftest import TOMITA1_LSTM, one_hot_dfa_states

SMALL = dict(train_lengths=(1, 6), test_lengths="1..10", train_words=8, test_words=4)


@pytest.mark.parametrize("name", ["tomita:n=3", "modular-count:m=3", "parity"])
def test_a_callable_holding_the_dfa_state_is_probed_at_one(name):
    hidden_states, calls = one_hot_dfa_states(name)
    r = statelab.probe(None, name, hidden_states=hidden_states, **SMALL)
    assert r["language"] == statelab.Language(name).name and r["target"] == "state"
    [layer] = r["layers"]
    assert layer["layer"] == 0
    model = layer["model"]
    assert model["accuracy_by_position"] == [1.0] * 10
    assert model["retention_end"] is None and model["test_accuracy"] == 1.0
    # The controls: no random-init network for a callable; shuffled labels at chance.
    assert layer["random_init"] is None
    chance = max(r["majority_by_position"])
    assert layer["shuffled_labels"]["test_accuracy"] < chance + 0.1
    # Batched: one call per batch of words (and one to learn the state size), not one per word.
    assert len(calls) < 20 and max(calls) > 1


def test_the_model_itself_may_be_the_hidden_states_callable():
    hidden_states, _ = one_hot_dfa_states("tomita:n=3")
    a = statelab.probe(hidden_states, "tomita:n=3", **SMALL)
    b = statelab.probe(None, statelab.Language("tomita:n=3"), hidden_states=hidden_states, **SMALL)
    assert a == b


def test_a_callable_that_holds_no_state_is_not_decoded():
    # the state of parity after a prefix is its number of ones mod 2: a constant state holds none of it
    r = statelab.probe(lambda batch: np.zeros((len(batch), max(map(len, batch)) + 1, 3)), "parity", **SMALL)
    assert r["layers"][0]["model"]["test_accuracy"] < 0.7
    assert r["layers"][0]["model"]["retention_end"] == 0


def test_probe_of_a_checkpoint_is_the_clis(cli):
    m = statelab.Model.load(str(TOMITA1_LSTM))
    ours = statelab.probe(m, "tomita:n=1", seed=3, **SMALL)
    theirs = json.loads(subprocess.run(
        [cli, "probe", "--ckpt", str(TOMITA1_LSTM), "--lang", "tomita:n=1", "--seed", "3", "--train-lengths", "1..6",
         "--test-lengths", "1..10", "--train-words", "8", "--test-words", "4", "--json"],
        capture_output=True, text=True, check=True).stdout)
    assert ours == theirs
    assert ours["layers"][0]["random_init"] is not None


def test_probe_errors_are_one_line():
    hidden_states, _ = one_hot_dfa_states("parity")
    with pytest.raises(statelab.InvalidArgument, match="has no per-position state"):
        statelab.probe(hidden_states, "palindrome", **SMALL)
    with pytest.raises(statelab.InvalidArgument, match="--target 'depth'"):
        statelab.probe(hidden_states, "parity", target="depth", **SMALL)
    with pytest.raises(statelab.InvalidArgument, match="hidden_states returned shape"):
        statelab.probe(lambda batch: np.zeros((len(batch), 2)), "parity", **SMALL)
    with pytest.raises(statelab.InvalidArgument, match="--layer 1"):
        statelab.probe(hidden_states, "parity", layer=1, **SMALL)
    with pytest.raises(statelab.InvalidArgument, match="statelab.Model"):
        statelab.probe(None, "parity", **SMALL)

    def raises(batch):
        if len(batch) > 1:
            raise KeyError("from the callable")
        return hidden_states(batch)

    with pytest.raises(KeyError, match="from the callable"):
        statelab.probe(raises, "parity", **SMALL)


def parity_scores(batch):
    return [float(sum(w) % 2) for w in batch]


def first_symbol_scores(batch):
    return [1.0 if w and w[0] == 1 else 0.0 for w in batch]


def majority_scores(batch):
    return [1.0 if 2 * sum(w) > len(w) else 0.0 for w in batch]


@pytest.mark.parametrize("n", [1, 4, 7])
def test_sensitivity_by_enumeration_is_exact(n):
    p = statelab.sensitivity(parity_scores, n, alphabet="01")
    assert p["exact"] and p["words"] == 2 ** n and p["mean"] == n and p["low"] == p["high"] == n
    assert statelab.sensitivity("parity", n)["mean"] == n
    assert statelab.sensitivity(statelab.Language("parity"), n)["mean"] == n
    assert statelab.sensitivity(first_symbol_scores, n, alphabet="01")["mean"] == 1
    if n % 2:  # majority: n C(n-1, (n-1)/2) / 2^(n-1)
        m = statelab.sensitivity(majority_scores, n, alphabet="01")["mean"]
        assert m == pytest.approx(n * comb(n - 1, (n - 1) // 2) / 2 ** (n - 1), abs=1e-12)


def test_sensitivity_of_a_callable_equals_that_of_its_language():
    lang = statelab.Language("tomita:n=3")
    through = statelab.sensitivity(lambda batch: [float(lang.contains(w)) for w in batch], 8, alphabet=lang.alphabet)
    direct = statelab.sensitivity(lang, 8)
    assert through["mean"] == direct["mean"] and through["words"] == direct["words"] == 256
    sampled = statelab.sensitivity(lang, 8, samples=2000, seed=5)
    assert not sampled["exact"] and sampled["seed"] == 5
    assert sampled["low"] <= direct["mean"] <= sampled["high"]


def test_sensitivity_of_a_checkpoint_is_the_clis(cli):
    ours = statelab.sensitivity(statelab.Model.load(str(TOMITA1_LSTM)), 6)
    theirs = json.loads(subprocess.run([cli, "sensitivity", "--ckpt", str(TOMITA1_LSTM), "--length", "6", "--json"],
                                       capture_output=True, text=True, check=True).stdout)
    assert ours == theirs


def test_sensitivity_errors():
    with pytest.raises(statelab.InvalidArgument, match="alphabet"):
        statelab.sensitivity(parity_scores, 3)
    with pytest.raises(statelab.InvalidArgument, match="--length|--samples"):
        statelab.sensitivity("parity", 30)  # 2^30 words: enumeration refused, up front


def test_track_of_a_checkpoint_is_the_clis(cli):
    m = statelab.Model.load(str(TOMITA1_LSTM))
    args = dict(max_length=12, train_lengths="0..6", count=20, tests=100, seed=2)
    ours = statelab.track(m, "tomita:n=1", **args)
    done = subprocess.run([cli, "track", "--ckpt", str(TOMITA1_LSTM), "--lang", "tomita:n=1", "--max-length", "12",
                           "--train-lengths", "0..6", "--count", "20", "--tests", "100", "--seed", "2", "--json"],
                          capture_output=True, text=True)
    assert done.returncode in (0, 1)
    assert ours == json.loads(done.stdout)
    assert ours["tracks"] == (done.returncode == 0)
    with pytest.raises(statelab.InvalidArgument, match="statelab.Model"):
        statelab.track(parity_scores, "parity")
