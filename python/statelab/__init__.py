"""statelab from Python: exact data from formal languages, automata, and property tests and
extraction for any model -- a statelab checkpoint or a Python callable such as a torch module.

    import statelab
    tomita3 = statelab.Language("tomita:n=3")
    report = statelab.check(my_model, tomita3)          # my_model(batch) -> scores
    print(report["agree"], report["counterexamples"][:1])

docs/python.md is the walk-through.  Errors are statelab.Error and its subclasses (ParseError,
InvalidArgument, LimitExceeded, IoError, ModelError, CheckpointError, DivergenceError), with the
one-line messages of the command line.
"""

from ._core import (  # noqa: F401
    CheckpointError,
    DivergenceError,
    Dfa,
    Error,
    InvalidArgument,
    IoError,
    Language,
    LimitExceeded,
    Model,
    ModelError,
    ParseError,
    equivalent,
)
from ._data import Dataset, Split, dataset, iter_dataset  # noqa: F401
from ._model import check, classify, extract, probe, sensitivity, track, train  # noqa: F401

__all__ = [
    "CheckpointError", "DivergenceError", "Dfa", "Error", "InvalidArgument", "IoError", "Language",
    "LimitExceeded", "Model", "ModelError", "ParseError", "equivalent", "Dataset", "Split", "dataset",
    "iter_dataset", "check", "classify", "extract", "probe", "sensitivity", "track", "train",
]


def _dfa_svg(self):
    """The DFA drawn by Graphviz's dot, for notebooks (None when dot is not installed)."""
    import shutil
    import subprocess

    if shutil.which("dot") is None:
        return None
    done = subprocess.run(["dot", "-Tsvg"], input=self.to_dot(), capture_output=True, text=True, check=True)
    return done.stdout


Dfa._repr_svg_ = _dfa_svg
