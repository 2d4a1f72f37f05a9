# The bridge from Python: a statelab checkpoint or any callable, checked and extracted; errors
# raised by the callable; wrong shapes.
import json
import subprocess

import numpy as np
import pytest

import statelab
from conftest import TOMITA1_LSTM, one_hot_dfa_states


def truth_of(name):
    lang = statelab.Language(name)
    return lambda batch: [1.0 if lang.contains(w) else 0.0 for w in batch]


def test_model_load_and_score():
    m = statelab.Model.load(str(TOMITA1_LSTM))
    assert m.head == "recognize" and m.alphabet == ["0", "1"]
    s = m.scores(["", "1111", "110"])
    assert s.shape == (3,) and s[1] > 0.5 and s[2] < 0.5
    h = m.hidden_states(["01"])
    assert h[0].shape == (3, m.state_dim)


def test_check_a_checkpoint_is_the_clis(cli):
    ours = statelab.check(statelab.Model.load(str(TOMITA1_LSTM)), "tomita:n=1", tests=300, seed=7)
    theirs = json.loads(subprocess.run([cli, "check", "--ckpt", str(TOMITA1_LSTM), "--lang", "tomita:n=1", "--tests",
                                        "300", "--seed", "7", "--json"], capture_output=True, text=True).stdout)
    assert ours == theirs


@pytest.mark.parametrize("task", ["tag", "next-set"])
def test_check_a_tag_checkpoint_is_the_clis(cli, tmp_path, task):
    # One writer (bridge/check_report.h) for the CLI's --json and statelab.check, every position.
    out = tmp_path / "t.safetensors"
    statelab.train("dyck:k=1,depth=2", output=out, task=task, train_lengths="1..8", test_lengths="9..12", steps=60,
                   hidden=8, seed=2)
    ours = statelab.check(statelab.Model.load(str(out)), "dyck:k=1,depth=2", head=task, tests=150, seed=4)
    theirs = json.loads(subprocess.run([cli, "check", "--ckpt", str(out), "--lang", "dyck:k=1,depth=2", "--tests",
                                        "150", "--seed", "4", "--json"], capture_output=True, text=True).stdout)
    assert ours == theirs
    assert ours["head"] == task and ours["by_position"]


def test_a_callable_that_is_the_truth_agrees():
    r = statelab.check(truth_of("tomita:n=3"), "tomita:n=3", tests=400, exhaustive_up_to=6)
    assert r["agree"] and r["counterexamples"] == []


def test_a_callable_gets_the_same_report_as_the_same_statelab_model():
    m = statelab.Model.load(str(TOMITA1_LSTM))
    direct = statelab.check(m, "tomita:n=2", tests=300, seed=1)
    through = statelab.check(lambda batch: m.scores(batch), "tomita:n=2", tests=300, seed=1)
    direct["checkpoint"] = None
    assert through == direct
    assert not direct["agree"]


def test_minimal_counterexample_of_a_wrong_callable():
    # accepts every word: the minimal counterexample of Tomita 3 is its shortest, least rejected word
    r = statelab.check(lambda batch: np.ones(len(batch)), "tomita:n=3", tests=200, exhaustive_up_to=4)
    assert not r["agree"]
    assert r["counterexamples"][0]["word"] == "10"


def test_padded_input_and_logits():
    lang = statelab.Language("parity")
    seen = []

    def model(ids, lengths):
        seen.append(ids.shape)
        return np.array([5.0 if ids[i, :n].sum() % 2 else -5.0 for i, n in enumerate(lengths)])

    r = statelab.check(model, lang, input="padded", logits=True, tests=500, batch_size=100)
    assert r["agree"]
    assert all(s[0] <= 100 for s in seen)


def test_batches_are_one_call_each():
    calls = []

    def model(batch):
        calls.append(len(batch))
        return [0.0] * len(batch)

    statelab.check(model, "parity", tests=1000, batch_size=256, max_counterexamples=1)
    assert max(calls) <= 256 and sum(1 for c in calls if c == 256) >= 3


def test_a_raising_callable_stops_the_check_and_reraises():
    class Boom(Exception):
        pass

    def model(batch):
        raise Boom("the model broke")

    with pytest.raises(Boom, match="the model broke"):
        statelab.check(model, "parity", tests=100)


@pytest.mark.parametrize("result, message", [
    (lambda b: np.zeros((len(b), 2)), r"returned shape \(\d+, 2\) for a batch of \d+ words"),
    (lambda b: [0.5] * (len(b) + 1), r"returned shape \(\d+,\) for a batch"),
    (lambda b: "nope", "numpy cannot read"),
    (lambda b: [2.0] * len(b), r"probabilities in \[0, 1\].*logits=True"),
])
def test_a_wrong_result_is_a_clear_error(result, message):
    with pytest.raises(statelab.InvalidArgument, match=message):
        statelab.check(result, "parity", tests=50)


def test_tag_head_callable():
    lang = statelab.Language("tomita:n=3")

    def tagger(batch):
        t = max((len(w) for w in batch), default=0)
        out = np.zeros((len(batch), t))
        for i, w in enumerate(batch):
            for p in range(len(w)):
                out[i, p] = lang.contains(w[:p + 1])
        return out

    r = statelab.check(tagger, lang, head="tag", tests=200)
    assert r["agree"] and r["head"] == "tag" and r["by_position"]
    wrong = statelab.check(lambda b: np.zeros((len(b), max(map(len, b)))), lang, head="tag", tests=200)
    assert not wrong["agree"] and wrong["counterexamples"][0]["position"] == 0


def test_extract_a_callable_equals_the_catalogue():
    r = statelab.extract(truth_of("tomita:n=4"), "01", language="tomita:n=4", time_limit=20, random_tests=200)
    assert r["equivalent_to_truth"] and r["states"] == r["dfa"].num_states
    assert statelab.equivalent(r["dfa"], statelab.Language("tomita:n=4").dfa) is None


def test_extract_with_hidden_states():
    states, _ = one_hot_dfa_states("parity")
    r = statelab.extract(truth_of("parity"), "01", language="parity", hidden_states=states, time_limit=20)
    assert r["equivalent_to_truth"] and "abstraction" in r["oracle"]


def test_extract_a_checkpoint_is_the_clis(cli, tmp_path):
    ours = statelab.extract(statelab.Model.load(str(TOMITA1_LSTM)), language="tomita:n=1", seed=2)
    out = tmp_path / "x.json"
    theirs = json.loads(subprocess.run([cli, "extract", "--ckpt", str(TOMITA1_LSTM), "--lang", "tomita:n=1", "--seed",
                                        "2", "-o", str(out), "--json"], capture_output=True, text=True).stdout)
    for key in ("states", "membership_queries", "equivalence_queries", "fidelity", "accuracy", "equivalent_to_truth"):
        assert ours[key] == theirs[key]


def test_train_from_a_run_spec(tmp_path):
    out = tmp_path / "p.safetensors"
    model, metrics, summary = statelab.train("parity", output=out, train_lengths="1..10", test_lengths="11..20",
                                             steps=200, hidden=8, seed=3)
    assert metrics["language"] == "parity" and metrics["spec"]["steps"] == 200
    history = metrics["validation_history"]  # the learning curve, a plain list of dicts
    assert history[0]["step"] == 0 and history[-1]["step"] == metrics["steps"]
    assert any(e["step"] == metrics["best_step"] and e["accuracy"] == metrics["validation_accuracy"] for e in history)
    assert "parity" in summary
    loaded = statelab.Model.load(str(out))
    assert np.allclose(loaded.scores(["0110", "1"]), model.scores(["0110", "1"]), atol=1e-6)
    with pytest.raises(statelab.InvalidArgument, match="--lr"):
        statelab.train("parity", lr=0)


def test_train_a_recognizer_that_decides_at_an_end_marker(tmp_path):
    out = tmp_path / "m.safetensors"
    model, metrics, _ = statelab.train("regex:alphabet=ab:.*a", output=out, model="transformer", pos="none",
                                       strict_mask=True, end_marker=True, hidden=8, steps=3, train_lengths="1..6",
                                       test_lengths="7..8", validation_count=0)
    assert metrics["model"]["end_marker"] and metrics["spec"]["end-marker"]
    loaded = statelab.Model.load(str(out))
    assert loaded.config["end_marker"] and loaded.config["vocab_size"] == 2
    assert np.allclose(loaded.scores(["ab", "ba", ""]), model.scores(["ab", "ba", ""]), atol=1e-6)
    # the states of the word: the initial one and one per letter, not the marker's
    assert [h.shape[0] for h in loaded.hidden_states(["ab", "babab"])] == [3, 6]
    with pytest.raises(statelab.ModelError, match="end_marker is true, but the head is tag"):
        statelab.train("parity", task="tag", end_marker=True, steps=1)


def test_the_gil_is_released_while_cpp_works():
    import threading
    import time

    ticks, done = [0], threading.Event()

    def ticker():
        while not done.is_set():
            ticks[0] += 1
            time.sleep(0.0005)

    model = statelab.Model.load(str(TOMITA1_LSTM))
    thread = threading.Thread(target=ticker)
    thread.start()
    start = time.perf_counter()
    statelab.check(model, "tomita:n=1", tests=20000, max_counterexamples=1)
    seconds = time.perf_counter() - start
    before = ticks[0]
    done.set()
    thread.join()
    # held throughout, the GIL would let the ticker run only between calls
    assert before > 20 * seconds


def test_extract_a_tag_head_callable():
    lang = statelab.Language("tomita:n=3")

    def tagger(batch):
        out = np.zeros((len(batch), max(map(len, batch))))
        for i, w in enumerate(batch):
            for p in range(len(w)):
                out[i, p] = lang.contains(w[:p + 1])
        return out

    r = statelab.extract(tagger, language=lang, head="tag", time_limit=20, random_tests=200)
    assert r["equivalent_to_truth"] and r["head"] == "tag" and r["machine"].startswith("digraph")
    with pytest.raises(statelab.InvalidArgument, match="needs language="):
        statelab.extract(tagger, "01", head="tag")
