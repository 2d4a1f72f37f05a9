"""Property-test any nn.Module through a wrapper of five lines: here a Hugging Face-style
sequence classifier (forward(input_ids, attention_mask) -> an object with .logits), untrained,
checked against parity.  Any module with such a forward works the same way.

    PYTHONPATH=build/python /usr/bin/python3 examples/python/check_module.py
"""
import sys
from types import SimpleNamespace

try:
    import torch
except ImportError:
    sys.exit("this example needs PyTorch: apt-get install python3-torch")

import statelab


class TinyClassifier(torch.nn.Module):
    """Stands in for a transformers model: token ids and an attention mask in, logits out."""

    def __init__(self, vocab=2, width=16, classes=2):
        super().__init__()
        self.embed = torch.nn.Embedding(vocab, width)
        self.encoder = torch.nn.GRU(width, width, batch_first=True)
        self.classifier = torch.nn.Linear(width, classes)

    def forward(self, input_ids, attention_mask):
        out, _ = self.encoder(self.embed(input_ids))
        last = attention_mask.sum(1).clamp(min=1) - 1
        return SimpleNamespace(logits=self.classifier(out[torch.arange(len(out)), last]))


torch.manual_seed(0)
module = TinyClassifier().eval()


# The wrapper: a padded batch in, the probability of class 1 out.
@torch.no_grad()
def wrapper(ids, lengths):
    ids, lengths = torch.from_numpy(ids), torch.from_numpy(lengths)
    mask = (torch.arange(ids.shape[1]) < lengths[:, None]).long()
    return module(input_ids=ids, attention_mask=mask).logits.softmax(-1)[:, 1].numpy()


report = statelab.check(wrapper, "parity", input="padded", tests=500, seed=0)
print(f"agree: {report['agree']} on {report['tested']} words")
for c in report["counterexamples"][:3]:
    print(f"  {c['word']!r}: model {'accepts' if c['model'] else 'rejects'} ({c['model_score']:.3f}), "
          f"truth {'accepts' if c['truth'] else 'rejects'}")
