"""Datasets as numpy arrays, whole or one length at a time."""

from dataclasses import dataclass
from typing import Iterator, Optional

import numpy as np

from . import _core


@dataclass
class Split:
    """One split: ids (N, T) int64 padded with `pad`, lengths (N,), labels (N,) 0/1; with
    targets, end (N, T + 1) and next (N, T + 1, k) uint8: position t is the target after the
    first t symbols (Language.targets).  torch.utils.data.TensorDataset(*map(torch.from_numpy,
    (s.ids, s.lengths, s.labels))) is ready to train on."""

    ids: np.ndarray
    lengths: np.ndarray
    labels: np.ndarray
    end: Optional[np.ndarray] = None
    next: Optional[np.ndarray] = None

    def __len__(self):
        return len(self.lengths)


@dataclass
class Dataset:
    language: str
    alphabet: list
    train: Split
    test: Split


def _lengths(text):
    a, _, b = str(text).partition("..")
    return range(int(a), int(b or a) + 1)


def dataset(language, train_lengths="1..20", test_lengths="21..40", train_per_length=100, test_per_length=100,
            seed=0, targets=False, max_edits=3, pad=0) -> Dataset:
    """The dataset `statelab train` learns from (languages/dataset.h): per length, exact uniform
    positives and negatives (half uniform, half near misses), balanced; train and test share no
    word.  `language` is a statelab.Language or a catalogue name."""
    lang = language if isinstance(language, _core.Language) else _core.Language(language)
    train, test = _core._dataset(lang, str(train_lengths), str(test_lengths), train_per_length, test_per_length,
                                 seed, targets, max_edits, pad)
    return Dataset(lang.name, lang.alphabet, Split(**train), Split(**test))


def iter_dataset(language, split="train", train_lengths="1..20", test_lengths="21..40", train_per_length=100,
                 test_per_length=100, seed=0, targets=False, max_edits=3, pad=0) -> Iterator[Split]:
    """The same examples as dataset(...).train (or .test), one length at a time, in order, so that
    a large set is never built whole.  Each Split is padded to its own length."""
    lang = language if isinstance(language, _core.Language) else _core.Language(language)
    lengths = _lengths(train_lengths if split == "train" else test_lengths)
    for n in lengths:
        yield Split(**_core._dataset_length(lang, str(train_lengths), str(test_lengths), train_per_length,
                                            test_per_length, seed, targets, max_edits, pad, split, n))
