# statelab's errors as Python exceptions: the hierarchy of base/error.h, the CLI's messages.
import subprocess

import pytest

import statelab


def test_hierarchy():
    for cls in (statelab.ParseError, statelab.InvalidArgument, statelab.LimitExceeded, statelab.IoError,
                statelab.ModelError):
        assert issubclass(cls, statelab.Error)
    assert issubclass(statelab.CheckpointError, statelab.ModelError)
    assert issubclass(statelab.DivergenceError, statelab.ModelError)
    assert issubclass(statelab.Error, Exception)


def test_unknown_language_is_invalid_argument():
    with pytest.raises(statelab.InvalidArgument, match="tomita"):
        statelab.Language("tomita:n=9")


def test_parse_error_names_the_text():
    with pytest.raises(statelab.ParseError):
        statelab.Dfa.parse("{ not json", "json")


def test_io_error_names_the_file(tmp_path):
    with pytest.raises(statelab.IoError, match="missing.json"):
        statelab.Dfa.read(str(tmp_path / "missing.json"))


def test_checkpoint_error(tmp_path):
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(b"\x01\x00")
    with pytest.raises(statelab.CheckpointError):
        statelab.Model.load(str(bad))


def test_limit_exceeded():
    with pytest.raises(statelab.LimitExceeded):
        statelab.check(lambda ws: [0.5] * len(ws), "parity", max_length=5000)


def test_same_message_as_the_cli(cli):
    with pytest.raises(statelab.InvalidArgument) as raised:
        statelab.Language("tomita:n=9")
    done = subprocess.run([cli, "lang", "member", "tomita:n=9", "01"], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.strip() == "statelab: " + str(raised.value)
