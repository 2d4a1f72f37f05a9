"""Train a torch.nn.LSTM on Tomita 3 in PyTorch, property-test it with statelab.check, extract
the automaton it learned with statelab.extract, and compare it with the catalogue's DFA.

    PYTHONPATH=build/python /usr/bin/python3 examples/python/tomita3_lstm.py

A few seconds of CPU.  docs/python.md walks through it.
"""
import sys
import time

try:
    import torch
except ImportError:
    sys.exit("this example needs PyTorch: apt-get install python3-torch")

import statelab

torch.manual_seed(0)
tomita3 = statelab.Language("tomita:n=3")

# Exact data: positives uniform per length, negatives half uniform, half near misses.
data = statelab.dataset(tomita3, train_lengths="0..14", test_lengths="15..30", train_per_length=128,
                        test_per_length=64, seed=1)


class Net(torch.nn.Module):
    def __init__(self, symbols=2, hidden=16):
        super().__init__()
        self.embed = torch.nn.Embedding(symbols, 8)
        self.lstm = torch.nn.LSTM(8, hidden, batch_first=True)
        self.head = torch.nn.Linear(hidden, 1)

    def states(self, ids):
        """The hidden state after every prefix, (B, T + 1, H): column 0 is the initial state."""
        out, _ = self.lstm(self.embed(ids))
        return torch.cat([out.new_zeros(len(ids), 1, out.shape[2]), out], 1)

    def forward(self, ids, lengths):
        """The logit of each word, read after its last symbol."""
        return self.head(self.states(ids)[torch.arange(len(ids)), lengths]).squeeze(1)


net = Net()
ids, lengths, labels = (torch.from_numpy(a) for a in (data.train.ids, data.train.lengths, data.train.labels))
optimiser = torch.optim.Adam(net.parameters(), lr=0.01)
start = time.time()
for epoch in range(60):
    for batch in torch.randperm(len(ids)).split(64):
        loss = torch.nn.functional.binary_cross_entropy_with_logits(net(ids[batch], lengths[batch]),
                                                                    labels[batch].float())
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
with torch.no_grad():
    test = net(*(torch.from_numpy(a) for a in (data.test.ids, data.test.lengths))) > 0
    accuracy = (test == torch.from_numpy(data.test.labels).bool()).float().mean().item()
print(f"trained in {time.time() - start:.1f} s: test accuracy {accuracy:.3f} on lengths 15..30")


# statelab sees the network through two callables on a padded batch: scores and hidden states.
@torch.no_grad()
def scores(ids, lengths):
    return torch.sigmoid(net(torch.from_numpy(ids), torch.from_numpy(lengths))).numpy()


@torch.no_grad()
def hidden_states(ids, lengths):
    return net.states(torch.from_numpy(ids)).numpy()


report = statelab.check(scores, tomita3, input="padded", tests=2000, max_length=40, seed=0)
if report["agree"]:
    print(f"check: agrees with {report['language']} on {report['tested']} words")
else:
    c = report["counterexamples"][0]
    print(f"check: disagrees; minimal counterexample {c['word']!r} (model score {c['model_score']:.3f}, "
          f"truth {'accepts' if c['truth'] else 'rejects'})")

extracted = statelab.extract(scores, "01", language=tomita3, input="padded", hidden_states=hidden_states,
                             time_limit=30, seed=0)
print(f"extract: {extracted['states']} states by {extracted['method']} ({extracted['oracle']}), "
      f"fidelity {extracted['fidelity']:.3f}")
same = statelab.equivalent(extracted["dfa"], tomita3.dfa)
print("the extracted DFA equals the catalogue's" if same is None else
      f"the extracted DFA differs from the catalogue's on {tomita3.format(same)!r}")
