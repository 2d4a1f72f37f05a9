# A torch module through a few lines of wrapper (skipped without torch).
import numpy as np
import pytest

import statelab


def test_torch_module_through_a_wrapper(torch):
    torch.manual_seed(0)
    emb, lstm, head = torch.nn.Embedding(2, 4), torch.nn.LSTM(4, 8, batch_first=True), torch.nn.Linear(8, 1)

    @torch.no_grad()
    def model(ids, lengths):
        out, _ = lstm(emb(torch.from_numpy(ids)))
        last = out[torch.arange(len(lengths)), torch.from_numpy(lengths).clamp(min=1) - 1]
        return torch.sigmoid(head(last)).squeeze(1).numpy()

    r = statelab.check(model, "parity", input="padded", tests=300, seed=2)
    assert r["tested"] > 0
    for c in r["counterexamples"]:
        if c["word"]:
            w = np.array([[int(ch) for ch in c["word"]]], dtype=np.int64)
            assert (model(w, np.array([len(c["word"])]))[0] > 0.5) == c["model"]


def test_a_tensor_that_requires_grad_is_a_clear_error(torch):
    lin = torch.nn.Linear(1, 1)

    def model(batch):
        return torch.sigmoid(lin(torch.ones(len(batch), 1))).squeeze(1)

    with pytest.raises(statelab.InvalidArgument, match="numpy cannot read"):
        statelab.check(model, "parity", tests=10)
