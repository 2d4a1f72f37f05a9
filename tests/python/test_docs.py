# Every ```python block of docs/python.md and README.md runs, in order, in one namespace per file
# (a block that starts with "# needs torch" is skipped when torch is absent).
import contextlib
import io
import re

import pytest

from conftest import ROOT


def python_blocks(path):
    return re.findall(r"^```python\n(.*?)^```$", path.read_text(), flags=re.S | re.M)


@pytest.mark.parametrize("name", ["docs/python.md", "README.md"])
def test_python_blocks_run(name, tmp_path, monkeypatch):
    blocks = python_blocks(ROOT / name)
    assert blocks, f"{name} has no python block"
    try:
        import torch  # noqa: F401
        have_torch = True
    except ImportError:
        have_torch = False
    monkeypatch.chdir(tmp_path)
    namespace = {}
    for block in blocks:
        if block.startswith("# needs torch") and not have_torch:
            continue
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(block, name, "exec"), namespace)
