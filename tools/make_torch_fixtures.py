#!/usr/bin/python3
"""Writes the PyTorch fixtures the models tests compare statelab against.

Run with Debian's python3-torch:  /usr/bin/python3 tools/make_torch_fixtures.py [OUTDIR]
(OUTDIR defaults to tests/data/torch beside this script's repository).

For each case it builds the torch module statelab mirrors,
    embedding = nn.Embedding(V, E)
    rnn | lstm | gru = nn.RNN | nn.LSTM | nn.GRU(E, H, num_layers, batch_first=True)
    head = nn.Linear(H, O)
runs a batch of variable-length sequences through it (as a packed sequence, unsorted lengths,
including a sequence of length 1), and writes two safetensors files:

  <case>.model.safetensors  the module's state_dict exactly as safetensors.torch.save_file would
                            write it, with metadata {"alphabet": json list of symbol names}: what
                            a user who trained in PyTorch hands to statelab;
  <case>.data.safetensors   input.tokens (B, T) int64 padded with 0, input.lengths (B) int64,
                            input.targets, output.hidden (B, T, H) (top layer, zero in padding),
                            output.logits, output.loss (shape ()), and grad.<name> for every
                            parameter; metadata {"cell", "layers", "head", "vocab_size", ...}.

Transformer cases (transformer_<positional>_<causal|bidirectional>_<head>[_relu]) build
    embedding = nn.Embedding(V, E);  input_proj = nn.Linear(E, D);  positions = nn.Embedding(max_length, D)
    (learned only);  transformer = nn.TransformerEncoder(nn.TransformerEncoderLayer(D, A, F, dropout=0,
    activation, batch_first=True, norm_first=True), L, norm=nn.LayerNorm(D));  head = nn.Linear(D, O)
and run each sequence on its own (batch of one, no padding), with a float attention mask per head
(-inf outside the causal / hard-window range, -m_h |i - j| for ALiBi), so that the reference
shares no code with statelab's masking of a padded batch.  Their parameters are perturbed away
from torch's initialisation (LayerNorms are not 1 and 0, biases not 0, layers differ), output.hidden
is the residual stream after the last block (before the final LayerNorm), and the model file
carries metadata "statelab.model" (the config, which the tensors alone do not determine).

Heads: "recognize" (O = 1, logit at the last position, BCEWithLogitsLoss mean over sequences),
"tag" (O = classes at every position, CrossEntropyLoss mean over positions), "next-set"
(O = bits at every position, BCEWithLogitsLoss mean over positions and bits), "seq" (O = V,
next-token prediction: each sequence is a prompt and a teacher-forced output, targets -1 on the
prompt but its last position and the next token from there on; CrossEntropyLoss with
ignore_index=-1, mean over the target positions).

State-space cases (s4d, mamba, ids4, deltanet, mlstm, slstm; also with negative eigenvalues) use the reference
modules below (S4DMixer, MambaMixer with a sequential selective_scan_ref, IDS4Mixer, DeltaNetMixer, MLSTMMixer,
SLSTMMixer) in the stack
    embedding -> input_proj = Linear(E, H) -> L blocks -> final_norm = LayerNorm(H) -> head
with blocks  x + out_proj(gelu(mixer(norm(x))))  (s4d, ids4)  and  x + mixer(norm(x))  (the others);
output.hidden is then the residual stream after the last block.  Their parameters are perturbed
from the default initialisation (so that no tensor is degenerate) in float32, the forward and
backward run in float64, and the data file stores float64 values; the model file holds the
float32 parameters and the config as metadata "statelab.model".

safetensors is written by hand (python3-safetensors is not in Debian 12): 8-byte little-endian
header length, a JSON header {name: {dtype, shape, data_offsets}, "__metadata__": {str: str}}
padded with spaces to a multiple of 8, then the raw little-endian tensor bytes.
"""
import json
import math
import os
import struct
import sys

# Byte-identical output whatever the x86 CPU: torch's float results depend on which OpenBLAS
# kernels and which ATen vector kernels run (an AVX-512 machine's OpenBLAS picks SkylakeX
# kernels and changes the last bits of every data file).  Pinned to the ones the committed
# fixtures were made with, before torch loads them; one BLAS thread.
os.environ["OPENBLAS_CORETYPE"] = "Sandybridge"
os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["ATEN_CPU_CAPABILITY"] = "avx2"

import torch  # noqa: E402 (after the environment above)
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence  # noqa: E402
from torch_modules import (CdssmMixer, DeltaNetMixer, DeltaProductMixer, IDS4Mixer, MambaMixer,  # noqa: E402
                           MLSTMMixer, S4DMixer, SLSTMMixer)

DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64", torch.int32: "I32"}



def save_safetensors(path, tensors, metadata):
    """The format of safetensors.torch.save_file: tensors sorted by name, contiguous, no gaps."""
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous().cpu()
        data = t.numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


class Model(nn.Module):
    def __init__(self, cell, vocab, emb, hidden, layers, outputs):
        super().__init__()
        self.cell = cell
        self.embedding = nn.Embedding(vocab, emb)
        module = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[cell](emb, hidden, num_layers=layers,
                                                                        batch_first=True)
        setattr(self, cell, module)
        self.head = nn.Linear(hidden, outputs)

    def forward(self, tokens, lengths):
        packed = pack_padded_sequence(self.embedding(tokens), lengths, batch_first=True, enforce_sorted=False)
        out, state = getattr(self, self.cell)(packed)
        h_n = state[0] if self.cell == "lstm" else state
        hidden, _ = pad_packed_sequence(out, batch_first=True, total_length=tokens.shape[1])
        return hidden, h_n[-1]  # (B, T, H) top layer at every position, (B, H) after the last token


def head_loss(head_module, head, O, top, last, mask, gen, tokens=None, lengths=None):
    """Draws the targets and computes the logits and mean loss of a head on top (B, T, H) / last (B, H).
    seq also needs the tokens (B, T) and lengths (B): its targets are the next tokens."""
    B, T = mask.shape
    if head == "recognize":
        targets = torch.randint(0, 2, (B,), generator=gen).to(torch.float32)
        logits = head_module(last).squeeze(-1)  # (B)
        loss = F.binary_cross_entropy_with_logits(logits, targets)
    elif head == "tag":
        targets = torch.randint(0, O, (B, T), generator=gen) * mask
        logits = head_module(top)  # (B, T, O)
        loss = F.cross_entropy(logits[mask], targets[mask])
    elif head == "next-set":
        targets = torch.randint(0, 2, (B, T, O), generator=gen).to(torch.float32) * mask.unsqueeze(-1)
        logits = head_module(top)  # (B, T, O)
        loss = F.binary_cross_entropy_with_logits(logits[mask], targets[mask])
    else:  # seq: prompt tokens[0..p], output from position p = len // 2 on, teacher-forced
        targets = torch.full((B, T), -1, dtype=torch.int64)
        final = torch.randint(0, O, (B,), generator=gen)
        for b in range(B):
            n = int(lengths[b])
            for t in range(n // 2, n - 1):
                targets[b, t] = tokens[b, t + 1]
            targets[b, n - 1] = final[b]
        logits = head_module(top)  # (B, T, V)
        loss = F.cross_entropy(logits.reshape(B * T, O), targets.reshape(B * T), ignore_index=-1)
    return targets, logits, loss


def save_case(outdir, name, model, model_metadata, data, data_metadata):
    """After loss.backward(): writes <name>.model (the state_dict) and <name>.data
    (data plus grad.<name> of every parameter)."""
    save_safetensors(os.path.join(outdir, name + ".model.safetensors"), dict(model.state_dict()), model_metadata)
    for k, p in model.named_parameters():
        data["grad." + k] = p.grad
    save_safetensors(os.path.join(outdir, name + ".data.safetensors"), data, data_metadata)


def fixture_batch(V, seed):
    """The batch of every case: lengths 5, 7, 1, 4, 7, 2 (unsorted), random tokens padded with 0,
    the mask (B, T) of real positions, and the generator that then draws the targets."""
    lengths = torch.tensor([5, 7, 1, 4, 7, 2], dtype=torch.int64)
    B, T = len(lengths), int(lengths.max())
    gen = torch.Generator().manual_seed(seed + 100)
    tokens = torch.randint(0, V, (B, T), generator=gen)
    mask = torch.arange(T).unsqueeze(0) < lengths.unsqueeze(1)  # (B, T)
    return tokens * mask, lengths, mask, gen


def make_case(outdir, cell, layers, head, seed):
    V, E, H = 3, 4, 5
    O = {"recognize": 1, "tag": 3, "next-set": 4, "seq": V}[head]
    torch.manual_seed(seed)
    model = Model(cell, V, E, H, layers, O)
    tokens, lengths, mask, gen = fixture_batch(V, seed)
    hidden, last = model(tokens, lengths)
    targets, logits, loss = head_loss(model.head, head, O, hidden, last, mask, gen, tokens, lengths)
    loss.backward()
    name = f"{cell}_l{layers}_{head}"
    save_case(outdir, name, model, {"alphabet": json.dumps(["a", "b", "c"])},
              {"input.tokens": tokens, "input.lengths": lengths, "input.targets": targets,
               "output.hidden": hidden, "output.logits": logits, "output.loss": loss.reshape(())},
              {"cell": cell, "layers": layers, "head": head, "vocab_size": V, "embedding_dim": E,
               "hidden_size": H, "num_outputs": O, "seed": seed, "torch_version": torch.__version__})
    return name


def alibi_slopes(n):
    """get_slopes of Press et al. (attention_with_linear_biases)."""
    def power_of_2(n):
        start = 2 ** (-2 ** -(math.log2(n) - 3))
        return [start * start ** i for i in range(n)]
    if math.log2(n).is_integer():
        return power_of_2(n)
    p = 2 ** math.floor(math.log2(n))
    return power_of_2(p) + alibi_slopes(2 * p)[0::2][:n - p]


class TransformerModel(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        V, E, D = cfg["vocab_size"], cfg["embedding_dim"], cfg["hidden_size"]
        self.embedding = nn.Embedding(V, E)
        self.input_proj = nn.Linear(E, D)
        if cfg["positional"] == "learned":
            self.positions = nn.Embedding(cfg["max_length"], D)
        layer = nn.TransformerEncoderLayer(D, cfg["num_heads"], dim_feedforward=cfg["ffn_size"], dropout=0.0,
                                           activation=cfg["ffn_activation"], batch_first=True, norm_first=True)
        self.transformer = nn.TransformerEncoder(layer, cfg["num_layers"], norm=nn.LayerNorm(D),
                                                 enable_nested_tensor=False)
        self.head = nn.Linear(D, cfg["num_outputs"])

    def mask(self, n):
        """(A, n, n) float mask added to the scores: [h, query j, key i]."""
        cfg = self.cfg
        A = cfg["num_heads"]
        j = torch.arange(n).unsqueeze(1)  # query
        i = torch.arange(n).unsqueeze(0)  # key
        m = torch.zeros(A, n, n, dtype=torch.float64)
        slopes = alibi_slopes(A) if cfg["positional"] == "alibi" else [0.0] * A
        windowed = cfg["hard_alibi_heads"] if cfg["positional"] == "hard-alibi" else 0
        w = cfg["hard_alibi_window"]
        for h in range(A):
            allowed = torch.ones(n, n, dtype=torch.bool)
            if cfg["causal"]:
                allowed &= i <= j
            if h < windowed:
                allowed &= (j - i < w) & (i - j < w)
            m[h] = -slopes[h] * (j - i).abs().to(torch.float64)
            m[h][~allowed] = float("-inf")
        return m.to(torch.float32)

    def sinusoid(self, n):
        D = self.cfg["hidden_size"]
        t = torch.arange(n, dtype=torch.float64).unsqueeze(1)
        k = torch.arange(D)
        freq = torch.pow(torch.tensor(10000.0, dtype=torch.float64), -(k - k % 2).to(torch.float64) / D)
        angle = t * freq
        return torch.where(k % 2 == 0, torch.sin(angle), torch.cos(angle)).to(torch.float32)  # (n, D)

    def forward(self, tokens, lengths):
        """(B, T, D) residual stream after the last block and (B, T, D) final LayerNorm, zero in
        padding; each sequence runs alone."""
        B, T = tokens.shape
        D = self.cfg["hidden_size"]
        streams, normed = [], []
        for b in range(B):
            n = int(lengths[b])
            x = self.input_proj(self.embedding(tokens[b, :n]))  # (n, D)
            if self.cfg["positional"] == "learned":
                x = x + self.positions.weight[:n]
            elif self.cfg["positional"] == "sinusoidal":
                x = x + self.sinusoid(n)
            x = x.unsqueeze(0)
            mask = self.mask(n)
            for layer in self.transformer.layers:
                x = layer(x, src_mask=mask)
            pad = torch.zeros(1, T - n, D)
            streams.append(torch.cat([x, pad], 1))
            normed.append(torch.cat([self.transformer.norm(x), pad], 1))
        return torch.cat(streams, 0), torch.cat(normed, 0)


def make_transformer_case(outdir, positional, causal, head, activation, seed):
    V, E, D, A, F_, L = 3, 4, 8, 2, 12, 2
    O = {"recognize": 1, "tag": 3, "next-set": 4}[head]
    cfg = {"cell": "transformer", "vocab_size": V, "embedding_dim": E, "hidden_size": D, "num_layers": L,
           "head": head, "num_outputs": O, "num_heads": A, "positional": positional, "causal": causal,
           "ffn_size": F_, "ffn_activation": activation, "max_length": 10, "hard_alibi_heads": 1,
           "hard_alibi_window": 3}
    torch.manual_seed(seed)
    model = TransformerModel(cfg)
    with torch.no_grad():  # away from the initialisation: LayerNorms not 1/0, zero biases not zero, layers differ
        for p in model.parameters():
            p.add_(torch.empty_like(p).uniform_(-0.3, 0.3))
    tokens, lengths, mask, gen = fixture_batch(V, seed)
    hidden, normed = model(tokens, lengths)
    last = normed[torch.arange(len(lengths)), lengths - 1]  # (B, D)
    targets, logits, loss = head_loss(model.head, head, O, normed, last, mask, gen)
    loss.backward()
    name = f"transformer_{positional}_{'causal' if causal else 'bidirectional'}_{head}" + \
           ("_relu" if activation == "relu" else "")
    save_case(outdir, name, model, {"alphabet": json.dumps(["a", "b", "c"]),
                                    "statelab.model": json.dumps(cfg, separators=(",", ":"))},
              {"input.tokens": tokens, "input.lengths": lengths, "input.targets": targets,
               "output.hidden": hidden, "output.logits": logits, "output.loss": loss.reshape(())},
              {"cell": "transformer", "layers": L, "head": head, "vocab_size": V, "embedding_dim": E,
               "hidden_size": D, "num_outputs": O, "seed": seed, "torch_version": torch.__version__})
    return name


class SsmBlock(nn.Module):
    def __init__(self, kind, H, N, negative, heads=2):
        super().__init__()
        self.kind = kind
        self.norm = nn.LayerNorm(H)
        if kind == "mamba":
            self.mixer = MambaMixer(H, N, negative_eigenvalues=negative)
        elif kind == "deltanet":
            self.mixer = DeltaNetMixer(H, heads, negative_eigenvalues=negative)
        elif kind == "mlstm":
            self.mixer = MLSTMMixer(H, heads)
        elif kind == "slstm":
            self.mixer = SLSTMMixer(H, heads)
        elif kind == "gated-deltanet":
            self.mixer = DeltaProductMixer(H, heads, gated=True, negative_eigenvalues=negative)
        elif kind == "deltaproduct":
            self.mixer = DeltaProductMixer(H, heads, householder=2, negative_eigenvalues=negative)
        elif kind == "cdssm":
            self.mixer = CdssmMixer(H, N)
        else:
            self.mixer = S4DMixer(H, N, negative) if kind == "s4d" else IDS4Mixer(H, N)
            self.out_proj = nn.Linear(H, H)

    def forward(self, x):
        if self.kind in ("mamba", "deltanet", "mlstm", "slstm", "gated-deltanet", "deltaproduct", "cdssm"):
            return x + self.mixer(self.norm(x))
        return x + self.out_proj(F.gelu(self.mixer(self.norm(x))))


class SsmModel(nn.Module):
    def __init__(self, kind, vocab, emb, hidden, layers, outputs, state, negative):
        super().__init__()
        self.embedding = nn.Embedding(vocab, emb)
        self.input_proj = nn.Linear(emb, hidden)
        self.layers = nn.ModuleList([SsmBlock(kind, hidden, state, negative) for _ in range(layers)])
        self.final_norm = nn.LayerNorm(hidden)
        self.head = nn.Linear(hidden, outputs)

    def forward(self, tokens, lengths):
        """(B, T, H) residual stream after the last block, (B, T, H) final_norm of it, (B, H) at the
        last position.  Every operation is causal, so padding never reaches a real position."""
        x = self.input_proj(self.embedding(tokens))
        for block in self.layers:
            x = block(x)
        top = self.final_norm(x)
        return x, top, top[torch.arange(tokens.shape[0]), lengths - 1]


def make_ssm_case(outdir, kind, negative, layers, head, seed):
    V, E, H, N = 3, 4, 6, 3
    O = {"recognize": 1, "tag": 3, "next-set": 4}[head]
    torch.manual_seed(seed)
    model = SsmModel(kind, V, E, H, layers, O, N, negative)
    with torch.no_grad():  # perturb every parameter so that none is degenerate, in float32
        for name, p in model.named_parameters():
            p.add_(0.3 * (2 * torch.rand(p.shape) - 1))
            if name.endswith("log_dt"):
                p.add_(2.5)  # dt ~ 0.1 .. 1: the states move within a few steps
    config = {"cell": kind, "vocab_size": V, "embedding_dim": E, "hidden_size": H, "num_layers": layers,
              "head": head, "num_outputs": O, "state_size": N, "negative_eigenvalues": negative}
    if kind == "deltanet":  # SsmBlock's default: 2 heads of width 3, convolutions of width 4
        del config["state_size"]
        config.update({"num_heads": 2, "conv_width": 4})
    if kind in ("mlstm", "slstm"):  # SsmBlock's default: 2 heads of width 3
        del config["state_size"], config["negative_eigenvalues"]
        config["num_heads"] = 2
    if kind in ("gated-deltanet", "deltaproduct"):  # 2 heads of width 3, convolutions of width 4
        del config["state_size"]
        config.update({"num_heads": 2, "conv_width": 4})
        if kind == "deltaproduct":
            config["householder"] = 2
    if kind == "cdssm":
        del config["negative_eigenvalues"]
        config.update({"expand": 2, "conv_width": 4})
    if kind == "mamba":
        config.update({"expand": 2, "conv_width": 4})
    if kind == "s4d":
        config["s4d_convolution"] = False
    name = f"{kind}{'_negative' if negative else ''}_l{layers}_{head}"
    save_safetensors(os.path.join(outdir, name + ".model.safetensors"), dict(model.state_dict()),
                     {"alphabet": json.dumps(["a", "b", "c"]), "statelab.model": json.dumps(config)})
    model = model.double()
    tokens, lengths, mask, gen = fixture_batch(V, seed)
    B, T = tokens.shape
    hidden, top, last = model(tokens, lengths)
    hidden = hidden * mask.unsqueeze(-1)
    if head == "recognize":
        targets = torch.randint(0, 2, (B,), generator=gen).to(torch.float64)
        logits = model.head(last).squeeze(-1)
        loss = F.binary_cross_entropy_with_logits(logits, targets)
    elif head == "tag":
        targets = torch.randint(0, O, (B, T), generator=gen) * mask
        logits = model.head(top)
        loss = F.cross_entropy(logits[mask], targets[mask])
    else:
        targets = torch.randint(0, 2, (B, T, O), generator=gen).to(torch.float64) * mask.unsqueeze(-1)
        logits = model.head(top)
        loss = F.binary_cross_entropy_with_logits(logits[mask], targets[mask])
    loss.backward()
    data = {"input.tokens": tokens, "input.lengths": lengths, "input.targets": targets,
            "output.hidden": hidden, "output.logits": logits, "output.loss": loss.reshape(())}
    for k, p in model.named_parameters():
        data["grad." + k] = p.grad
    meta = dict(config)
    meta.update({"layers": layers, "seed": seed, "torch_version": torch.__version__})
    save_safetensors(os.path.join(outdir, name + ".data.safetensors"), data, meta)
    return name


def make_adamw_case(outdir, seed):
    """Three torch.optim.AdamW steps (lr 0.01, weight decay 0.1) with clip_grad_norm_(0.5) on
    one batch of the 1-layer LSTM: adamw.data.safetensors holds the batch and the parameters
    after each step (step<k>.<name>); the initial parameters are adamw.model.safetensors."""
    torch.manual_seed(seed)
    model = Model("lstm", 3, 4, 5, 1, 1)
    save_safetensors(os.path.join(outdir, "adamw.model.safetensors"), dict(model.state_dict()), {})
    lengths = torch.tensor([3, 6, 2, 6], dtype=torch.int64)
    gen = torch.Generator().manual_seed(seed + 100)
    tokens = torch.randint(0, 3, (4, 6), generator=gen) * (torch.arange(6).unsqueeze(0) < lengths.unsqueeze(1))
    targets = torch.tensor([1.0, 0.0, 0.0, 1.0])
    opt = torch.optim.AdamW(model.parameters(), lr=0.01, weight_decay=0.1)
    data = {"input.tokens": tokens, "input.lengths": lengths, "input.targets": targets}
    for step in range(1, 4):
        opt.zero_grad()
        _, last = model(tokens, lengths)
        loss = F.binary_cross_entropy_with_logits(model.head(last).squeeze(-1), targets)
        loss.backward()
        data[f"norm{step}"] = torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5).reshape(())
        opt.step()
        for k, v in model.state_dict().items():
            data[f"step{step}.{k}"] = v.clone()
    save_safetensors(os.path.join(outdir, "adamw.data.safetensors"), data,
                     {"lr": "0.01", "weight_decay": "0.1", "clip_norm": "0.5"})
    return "adamw"


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "tests", "data", "torch")
    os.makedirs(outdir, exist_ok=True)
    torch.set_num_threads(1)
    names = []
    seed = 1
    for cell in ("rnn", "lstm", "gru"):
        for layers in (1, 2):
            names.append(make_case(outdir, cell, layers, "recognize", seed))
            seed += 1
        for head in ("tag", "next-set"):
            names.append(make_case(outdir, cell, 2, head, seed))
            seed += 1
    names.append(make_adamw_case(outdir, seed))
    seed += 1
    family_seed = seed  # each family added later starts here, so that adding one changes no other file
    for positional, causal, head, activation in (
            ("learned", True, "recognize", "gelu"), ("learned", False, "recognize", "relu"),
            ("none", True, "tag", "gelu"), ("sinusoidal", False, "next-set", "gelu"),
            ("sinusoidal", True, "recognize", "gelu"), ("alibi", True, "recognize", "gelu"),
            ("alibi", False, "tag", "gelu"), ("hard-alibi", True, "next-set", "gelu"),
            ("hard-alibi", False, "tag", "relu")):
        names.append(make_transformer_case(outdir, positional, causal, head, activation, seed))
        seed += 1
    seed = family_seed
    for cell, layers in (("lstm", 1), ("gru", 2), ("rnn", 1)):  # added later: new seeds, new files
        names.append(make_case(outdir, cell, layers, "seq", seed))
        seed += 1
    seed = family_seed
    for kind in ("s4d", "mamba", "ids4"):
        for head in ("recognize", "tag", "next-set"):
            names.append(make_ssm_case(outdir, kind, False, 2, head, seed))
            seed += 1
        if kind != "ids4":
            names.append(make_ssm_case(outdir, kind, True, 2, "recognize", seed))
            seed += 1
    seed = family_seed + 100  # deltanet (issue 15): its own seeds, so the files above stay as they were
    for negative, head in ((False, "recognize"), (False, "tag"), (True, "next-set"), (True, "recognize")):
        names.append(make_ssm_case(outdir, "deltanet", negative, 2, head, seed))
        seed += 1
    seed = family_seed + 200  # mlstm, slstm (issue 15): their own seeds
    for kind in ("mlstm", "slstm"):
        for head in ("recognize", "tag", "next-set"):
            names.append(make_ssm_case(outdir, kind, False, 2, head, seed))
            seed += 1
    seed = family_seed + 200  # gated-deltanet, deltaproduct (issue 15): their own seeds
    for kind in ("gated-deltanet", "deltaproduct"):
        for negative, head in ((False, "recognize"), (False, "tag"), (True, "next-set"), (True, "recognize")):
            names.append(make_ssm_case(outdir, kind, negative, 2, head, seed))
            seed += 1
    seed = family_seed + 300  # cdssm (issue 15): its own seeds
    for head in ("recognize", "tag", "next-set"):
        names.append(make_ssm_case(outdir, "cdssm", False, 2, head, seed))
        seed += 1
    print("\n".join(names))


if __name__ == "__main__":
    main()
