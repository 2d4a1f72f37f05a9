# The examples of examples/python/ run as they are (they need torch; without it they must say how
# to install it, in one line).
import os
import subprocess
import sys

import pytest

from conftest import ROOT

EXAMPLES = ROOT / "examples" / "python"


def run(script):
    return subprocess.run([sys.executable, str(EXAMPLES / script)], capture_output=True, text=True, timeout=300,
                          env=dict(os.environ))


def test_tomita3_lstm(torch):
    done = run("tomita3_lstm.py")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("trained in") and lines[1].startswith("check: ")
    assert lines[2].startswith("extract: ") and lines[3].startswith("the extracted DFA")


def test_check_module(torch):
    done = run("check_module.py")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("agree: ")


def test_without_torch_they_say_how_to_install_it(tmp_path):
    # A torch that cannot be imported, first on the path.
    (tmp_path / "torch.py").write_text("raise ImportError('no torch here')\n")
    env = dict(os.environ, PYTHONPATH=f"{tmp_path}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    for script in ("tomita3_lstm.py", "check_module.py"):
        done = subprocess.run([sys.executable, str(EXAMPLES / script)], capture_output=True, text=True, env=env)
        assert done.returncode == 1
        assert done.stderr.strip() == "this example needs PyTorch: apt-get install python3-torch"
