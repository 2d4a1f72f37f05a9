# Shared by the pytest files of the Python module: the test data, the statelab command (for
# differential tests against the CLI's --json) and a fixture that skips when torch is absent.
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
