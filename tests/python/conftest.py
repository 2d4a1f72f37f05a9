# Shared by the pytest files of the Python module: the test data, the statelab command (for
# differential tests against the CLI's --json), a fixture that skips when torch is absent, and the
# hidden states of a network that is a language's DFA.
import os
import pathlib
import shutil

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
TOMITA1_LSTM = DATA / "bridge" / "tomita1_lstm.safetensors"


@pytest.fixture
def cli():
    """The statelab command: $STATELAB_CLI (set by ctest), else the one on the PATH, else skip."""
    path = os.environ.get("STATELAB_CLI") or shutil.which("statelab")
    if not path:
        pytest.skip("no statelab command (set STATELAB_CLI)")
    return path


@pytest.fixture
def torch():
    return pytest.importorskip("torch")


def one_hot_dfa_states(name):
    """hidden_states of a network that is the language's DFA: the one-hot state after each prefix,
    (B, T + 1, states); and the list of the batch sizes it was called with."""
    import numpy as np

    import statelab

    dfa = statelab.Language(name).dfa
    k = len(dfa.alphabet)
    table = [[dfa.next(q, a) for a in range(k)] for q in range(dfa.num_states)]
    calls = []

    def hidden_states(batch):
        calls.append(len(batch))
        t = max(len(w) for w in batch)
        h = np.zeros((len(batch), t + 1, dfa.num_states))
        for i, w in enumerate(batch):
            q = dfa.initial
            h[i, 0, q] = 1
            for j, a in enumerate(w):
                q = table[q][a]
                h[i, j + 1, q] = 1
        return h

    return hidden_states, calls
