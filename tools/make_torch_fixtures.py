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


def selective_scan_ref(u, delta, A, B, C, D, z=None, delta_softplus=True, negative_eigenvalues=False):
    """mamba_ssm.ops.selective_scan_interface.selective_scan_ref, real A, B and C input-dependent
    (one group), sequential over time; layout (batch, E, L) as there.  negative_eigenvalues maps
    the transition exp(delta A) to 2 exp(delta A) - 1 (Grazzi et al. 2024)."""
    if delta_softplus:
        delta = F.softplus(delta)
    batch, dim, L = u.shape
    x = A.new_zeros((batch, dim, A.shape[1]))
    deltaA = torch.exp(torch.einsum("bdl,dn->bdln", delta, A))
    if negative_eigenvalues:
        deltaA = 2 * deltaA - 1
    deltaB_u = torch.einsum("bdl,bnl,bdl->bdln", delta, B, u)
    ys = []
    for i in range(L):
        x = deltaA[:, :, i] * x + deltaB_u[:, :, i]
        ys.append(torch.einsum("bdn,bn->bd", x, C[:, :, i]))
    out = torch.stack(ys, dim=2) + u * D.unsqueeze(-1)
    return out if z is None else out * F.silu(z)


class MambaMixer(nn.Module):
    """mamba_ssm.modules.mamba_simple.Mamba, the non-fused path (conv1d then selective_scan_ref)."""

    def __init__(self, d_model, d_state, d_conv=4, expand=2, negative_eigenvalues=False):
        super().__init__()
        self.d_inner, self.d_state = expand * d_model, d_state
        self.dt_rank = math.ceil(d_model / 16)
        self.negative_eigenvalues = negative_eigenvalues
        self.in_proj = nn.Linear(d_model, 2 * self.d_inner, bias=False)
        self.conv1d = nn.Conv1d(self.d_inner, self.d_inner, d_conv, groups=self.d_inner, padding=d_conv - 1, bias=True)
        self.x_proj = nn.Linear(self.d_inner, self.dt_rank + 2 * d_state, bias=False)
        self.dt_proj = nn.Linear(self.dt_rank, self.d_inner, bias=True)
        dt = torch.exp(torch.rand(self.d_inner) * (math.log(0.1) - math.log(1e-3)) + math.log(1e-3)).clamp(min=1e-4)
        with torch.no_grad():
            self.dt_proj.bias.copy_(dt + torch.log(-torch.expm1(-dt)))
        self.A_log = nn.Parameter(torch.log(torch.arange(1, d_state + 1, dtype=torch.float32).repeat(self.d_inner, 1)))
        self.D = nn.Parameter(torch.ones(self.d_inner))
        self.out_proj = nn.Linear(self.d_inner, d_model, bias=False)

    def forward(self, u):  # (B, L, d_model)
        L = u.shape[1]
        xz = self.in_proj(u).transpose(1, 2)  # (B, 2E, L)
        x, z = xz.chunk(2, dim=1)
        x = F.silu(self.conv1d(x)[..., :L])
        x_dbl = self.x_proj(x.transpose(1, 2))  # (B, L, R + 2N)
        dt, B, C = torch.split(x_dbl, [self.dt_rank, self.d_state, self.d_state], dim=-1)
        delta = (dt @ self.dt_proj.weight.t()).transpose(1, 2)  # (B, E, L), bias added in the scan as mamba does
        y = selective_scan_ref(x, delta + self.dt_proj.bias.unsqueeze(-1), -torch.exp(self.A_log),
                               B.transpose(1, 2), C.transpose(1, 2), self.D, z=z, delta_softplus=True,
                               negative_eigenvalues=self.negative_eigenvalues)
        return self.out_proj(y.transpose(1, 2))


class S4DMixer(nn.Module):
    """Diagonal complex LTI SSM per channel, zero-order hold for A and B, sequential recurrence:
    Abar = exp(dt A), Bbar = (exp(dt A) - 1) / A * B, h_t = Abar h_{t-1} + Bbar x_t,
    y_t = Re(sum_n C_n h_t,n) + D x_t.  negative_eigenvalues: Abar = (2 |exp(dt A)| - 1) e^{i dt a_imag}."""

    def __init__(self, H, N, negative_eigenvalues=False):
        super().__init__()
        self.negative_eigenvalues = negative_eigenvalues
        self.log_dt = nn.Parameter(torch.rand(H) * (math.log(0.1) - math.log(1e-3)) + math.log(1e-3))
        self.log_a_real = nn.Parameter(torch.full((H, N), math.log(0.5)))
        self.a_imag = nn.Parameter(math.pi * torch.arange(N, dtype=torch.float32).repeat(H, 1))
        self.B = nn.Parameter(torch.stack([torch.ones(H, N), torch.zeros(H, N)], -1))
        self.C = nn.Parameter(torch.randn(H, N, 2) * math.sqrt(0.5))
        self.D = nn.Parameter(torch.ones(H))

    def forward(self, x):  # (B, L, H)
        dt = torch.exp(self.log_dt).unsqueeze(-1)
        A = torch.complex(-torch.exp(self.log_a_real), self.a_imag)
        Abar0 = torch.exp(dt * A)
        if self.negative_eigenvalues:
            r = torch.exp(-dt * torch.exp(self.log_a_real))
            Abar = torch.polar(2 * r - 1, dt * self.a_imag)
        else:
            Abar = Abar0
        Bbar = (Abar0 - 1) / A * torch.view_as_complex(self.B)
        C = torch.view_as_complex(self.C)
        h = torch.zeros(x.shape[0], x.shape[2], A.shape[1], dtype=A.dtype)
        ys = []
        for x_t in x.unbind(1):
            h = Abar * h + Bbar * x_t.unsqueeze(-1)
            ys.append((h * C).real.sum(-1))
        return torch.stack(ys, 1) + x * self.D


class IDS4Mixer(nn.Module):
    """Input-dependent dense transition (Merrill et al. 2024): A_t = reshape(A_proj x_t) (N, N), each
    row divided by max(1, its L1 norm); h_t = A_t h_{t-1} + B_proj x_t; y_t = C h_t + D x_t."""

    def __init__(self, H, N):
        super().__init__()
        self.N = N
        self.A_proj = nn.Linear(H, N * N)
        self.B_proj = nn.Linear(H, N)
        self.C = nn.Parameter(torch.randn(H, N) / math.sqrt(N))
        self.D = nn.Parameter(torch.ones(H))
        with torch.no_grad():
            self.A_proj.weight.mul_(0.1)
            self.A_proj.bias.copy_(torch.eye(N).reshape(-1))

    def forward(self, x):  # (B, L, H)
        Bsz, L, _ = x.shape
        M = self.A_proj(x).view(Bsz, L, self.N, self.N)
        A = M / M.abs().sum(-1, keepdim=True).clamp(min=1)
        b = self.B_proj(x)
        h = x.new_zeros(Bsz, self.N)
        hs = []
        for A_t, b_t in zip(A.unbind(1), b.unbind(1)):
            h = (A_t @ h.unsqueeze(-1)).squeeze(-1) + b_t
            hs.append(h)
        return torch.stack(hs, 1) @ self.C.t() + x * self.D


class RMSNorm(nn.Module):
    """x / sqrt(mean(x^2) + eps) * weight over the last dimension (fla.modules.RMSNorm, no bias)."""

    def __init__(self, size, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(size))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


class DeltaNetMixer(nn.Module):
    """flash-linear-attention's DeltaNet layer (its parameter names; SiLU short convolutions, L2-normalised
    q and k, sigmoid beta, per-head RMSNorm of the output), with the delta rule as a naive sequential
    recurrence: S_t = S_{t-1} - beta_t (S_{t-1} k_t - v_t) k_t^T, o_t = S_t q_t / sqrt(d).
    negative_eigenvalues: beta <- 2 beta (Grazzi et al. 2025).  A researcher's own module with these
    names, saved with metadata statelab.model, is what statelab loads as a deltanet."""

    def __init__(self, H, heads, conv=4, negative_eigenvalues=False):
        super().__init__()
        self.h, self.d = heads, H // heads
        self.negative_eigenvalues = negative_eigenvalues
        self.q_proj = nn.Linear(H, H, bias=False)
        self.k_proj = nn.Linear(H, H, bias=False)
        self.v_proj = nn.Linear(H, H, bias=False)
        self.b_proj = nn.Linear(H, heads, bias=False)
        self.q_conv1d = nn.Conv1d(H, H, conv, groups=H, padding=conv - 1, bias=False)
        self.k_conv1d = nn.Conv1d(H, H, conv, groups=H, padding=conv - 1, bias=False)
        self.v_conv1d = nn.Conv1d(H, H, conv, groups=H, padding=conv - 1, bias=False)
        self.o_norm = RMSNorm(self.d)
        self.o_proj = nn.Linear(H, H, bias=False)

    def forward(self, u):  # (B, L, H)
        Bsz, L, H = u.shape

        def branch(proj, conv):  # (B, L, h, d)
            return F.silu(conv(proj(u).transpose(1, 2))[..., :L]).transpose(1, 2).reshape(Bsz, L, self.h, self.d)

        q, k, v = branch(self.q_proj, self.q_conv1d), branch(self.k_proj, self.k_conv1d), branch(self.v_proj, self.v_conv1d)
        q = q / torch.sqrt((q * q).sum(-1, keepdim=True) + 1e-6)
        k = k / torch.sqrt((k * k).sum(-1, keepdim=True) + 1e-6)
        beta = torch.sigmoid(self.b_proj(u))  # (B, L, h)
        if self.negative_eigenvalues:
            beta = 2 * beta
        S = u.new_zeros(Bsz, self.h, self.d, self.d)
        outs = []
        for t in range(L):
            e = torch.einsum("bhij,bhj->bhi", S, k[:, t]) - v[:, t]
            S = S - torch.einsum("bhi,bhj->bhij", beta[:, t].unsqueeze(-1) * e, k[:, t])
            outs.append(torch.einsum("bhij,bhj->bhi", S, q[:, t]) / math.sqrt(self.d))
        o = self.o_norm(torch.stack(outs, 1))  # (B, L, h, d)
        return self.o_proj(o.reshape(Bsz, L, H))


class MLSTMMixer(nn.Module):
    """xLSTM's mLSTM cell (Beck et al. 2024, equations 19-27) as statelab's mlstm mixer (models/mlstm.h),
    computed the naive way: the UNSTABILISED recurrence with i = exp(i~), f = sigmoid(f~),
    C_t = f C_{t-1} + i v k^T, n_t = f n_{t-1} + i k, h~ = C q / max(|n^T q|, 1), h = sigmoid(ogate u) * h~,
    so that it shares no code path with statelab's stabilised one (equal in exact arithmetic).
    Tensors: q_proj, k_proj, v_proj (H, H) no bias (k divided by sqrt(d)); igate, fgate Linear(H, heads);
    ogate Linear(H, H); out_proj (H, H) no bias."""

    def __init__(self, H, heads):
        super().__init__()
        self.h, self.d = heads, H // heads
        self.q_proj = nn.Linear(H, H, bias=False)
        self.k_proj = nn.Linear(H, H, bias=False)
        self.v_proj = nn.Linear(H, H, bias=False)
        self.igate = nn.Linear(H, heads)
        self.fgate = nn.Linear(H, heads)
        self.ogate = nn.Linear(H, H)
        self.out_proj = nn.Linear(H, H, bias=False)

    def forward(self, u):  # (B, L, H)
        Bsz, L, H = u.shape
        q = self.q_proj(u).view(Bsz, L, self.h, self.d)
        k = self.k_proj(u).view(Bsz, L, self.h, self.d) / math.sqrt(self.d)
        v = self.v_proj(u).view(Bsz, L, self.h, self.d)
        i, f = torch.exp(self.igate(u)), torch.sigmoid(self.fgate(u))  # (B, L, h)
        C = u.new_zeros(Bsz, self.h, self.d, self.d)
        n = u.new_zeros(Bsz, self.h, self.d)
        outs = []
        for t in range(L):
            it, ft = i[:, t].unsqueeze(-1), f[:, t].unsqueeze(-1)
            C = ft.unsqueeze(-1) * C + it.unsqueeze(-1) * torch.einsum("bhi,bhj->bhij", v[:, t], k[:, t])
            n = ft * n + it * k[:, t]
            den = torch.maximum((n * q[:, t]).sum(-1).abs(), torch.ones_like(n[..., 0]))
            outs.append(torch.einsum("bhij,bhj->bhi", C, q[:, t]) / den.unsqueeze(-1))
        ht = torch.stack(outs, 1).reshape(Bsz, L, H)
        return self.out_proj(torch.sigmoid(self.ogate(u)) * ht)


class SLSTMMixer(nn.Module):
    """xLSTM's sLSTM cell (Beck et al. 2024, equations 8-14) as statelab's slstm mixer (models/slstm.h),
    UNSTABILISED: gates in the order i, f, z, o, x~_t = in_proj u_t + R h_{t-1} with R block-diagonal
    over the heads, c_t = sigmoid(f~) c_{t-1} + exp(i~) tanh(z~), n_t = sigmoid(f~) n_{t-1} + exp(i~),
    h_t = sigmoid(o~) c_t / n_t, out = out_proj h.  Tensors: in_proj Linear(H, 4H); recurrent_kernel
    (4H, d), row g*H + head*d + a, column b = R_g[head](a, b); out_proj (H, H) no bias."""

    def __init__(self, H, heads):
        super().__init__()
        self.h, self.d, self.H = heads, H // heads, H
        self.in_proj = nn.Linear(H, 4 * H)
        self.recurrent_kernel = nn.Parameter(torch.empty(4 * H, self.d).uniform_(-1 / math.sqrt(self.d),
                                                                                  1 / math.sqrt(self.d)))
        self.out_proj = nn.Linear(H, H, bias=False)

    def forward(self, u):  # (B, L, H)
        Bsz, L, H = u.shape
        pre = self.in_proj(u)  # (B, L, 4H)
        R = self.recurrent_kernel.view(4, self.h, self.d, self.d)  # [gate, head, a, b]
        h = u.new_zeros(Bsz, H)
        c = u.new_zeros(Bsz, H)
        n = u.new_zeros(Bsz, H)
        outs = []
        for t in range(L):
            x = pre[:, t] + torch.einsum("ghab,zhb->zgha", R, h.view(Bsz, self.h, self.d)).reshape(Bsz, 4 * H)
            i, f, z, o = x.split(H, dim=-1)
            c = torch.sigmoid(f) * c + torch.exp(i) * torch.tanh(z)
            n = torch.sigmoid(f) * n + torch.exp(i)
            h = torch.sigmoid(o) * c / n
            outs.append(h)
        return self.out_proj(torch.stack(outs, 1))
class DeltaProductMixer(nn.Module):
    """flash-linear-attention's GatedDeltaProduct layer (Siems et al. 2025) and, with householder=1 and
    gated=True, its GatedDeltaNet layer (Yang, Kautz, Hatamizadeh, ICLR 2025), with their parameter names,
    keys and values of the same width (fla's expand_v = 1), as a naive sequential recurrence.  Per token:
    gated: S <- alpha S with alpha = exp(-exp(A_log) softplus(a_proj u + dt_bias)) per head; then for each
    of the n Householder steps j (its own k_j, v_j, beta_j; k_proj, v_proj, b_proj rows ordered (n h d)
    and (n h) as fla's rearrange): S <- S - beta_j (S k_j - v_j) k_j^T; o_t = S q_t / sqrt(d);
    o <- RMSNorm(o) per head, gated: o <- o * silu(g_proj u) (fla's FusedRMSNormGated); out = o_proj o.
    negative_eigenvalues: beta <- 2 beta."""

    def __init__(self, H, heads, householder=1, gated=False, conv=4, negative_eigenvalues=False):
        super().__init__()
        self.h, self.d, self.n, self.gated = heads, H // heads, householder, gated
        self.negative_eigenvalues = negative_eigenvalues
        n = householder
        self.q_proj = nn.Linear(H, H, bias=False)
        self.k_proj = nn.Linear(H, n * H, bias=False)
        self.v_proj = nn.Linear(H, n * H, bias=False)
        if gated:
            self.a_proj = nn.Linear(H, heads, bias=False)
            self.A_log = nn.Parameter(torch.log(torch.empty(heads).uniform_(0, 16)))
            dt = torch.exp(torch.rand(heads) * (math.log(0.1) - math.log(1e-3)) + math.log(1e-3)).clamp(min=1e-4)
            self.dt_bias = nn.Parameter(dt + torch.log(-torch.expm1(-dt)))
        self.b_proj = nn.Linear(H, n * heads, bias=False)
        self.q_conv1d = nn.Conv1d(H, H, conv, groups=H, padding=conv - 1, bias=False)
        self.k_conv1d = nn.Conv1d(n * H, n * H, conv, groups=n * H, padding=conv - 1, bias=False)
        self.v_conv1d = nn.Conv1d(n * H, n * H, conv, groups=n * H, padding=conv - 1, bias=False)
        if gated:
            self.g_proj = nn.Linear(H, H, bias=False)
        self.o_norm = RMSNorm(self.d)
        self.o_proj = nn.Linear(H, H, bias=False)

    def forward(self, u):  # (B, L, H)
        Bsz, L, H = u.shape
        h, d, n = self.h, self.d, self.n

        def branch(proj, conv):
            return F.silu(conv(proj(u).transpose(1, 2))[..., :L]).transpose(1, 2)

        def l2(x):
            return x / torch.sqrt((x * x).sum(-1, keepdim=True) + 1e-6)

        q = l2(branch(self.q_proj, self.q_conv1d).reshape(Bsz, L, h, d))
        k = l2(branch(self.k_proj, self.k_conv1d).reshape(Bsz, L, n, h, d))
        v = branch(self.v_proj, self.v_conv1d).reshape(Bsz, L, n, h, d)
        beta = torch.sigmoid(self.b_proj(u)).reshape(Bsz, L, n, h)
        if self.negative_eigenvalues:
            beta = 2 * beta
        if self.gated:
            alpha = torch.exp(-torch.exp(self.A_log) * F.softplus(self.a_proj(u) + self.dt_bias))  # (B, L, h)
        S = u.new_zeros(Bsz, h, d, d)
        outs = []
        for t in range(L):
            if self.gated:
                S = S * alpha[:, t, :, None, None]
            for j in range(n):
                e = torch.einsum("bhij,bhj->bhi", S, k[:, t, j]) - v[:, t, j]
                S = S - torch.einsum("bhi,bhj->bhij", beta[:, t, j].unsqueeze(-1) * e, k[:, t, j])
            outs.append(torch.einsum("bhij,bhj->bhi", S, q[:, t]) / math.sqrt(d))
        o = self.o_norm(torch.stack(outs, 1))  # (B, L, h, d)
        if self.gated:
            o = o * F.silu(self.g_proj(u)).reshape(Bsz, L, h, d)
        return self.o_proj(o.reshape(Bsz, L, H))


class CdssmMixer(nn.Module):
    """statelab's cdssm (models/cdssm.h): Mamba's block with a complex, input-dependent diagonal transition
    lambda_t[e, n] = exp(-delta_t[e] exp(A_log[e, n]) + i theta_t[n]) (Shakerinava et al. 2026's model class; the
    rotation Mamba-3 adds), theta the last N rows of x_proj; h_t = lambda_t h_{t-1} + (delta_t x_t) B_t (complex),
    y_t = Re(h_t) C_t + D x_t; out = out_proj(y * silu(z)).  Mamba's names; a sequential complex scan."""

    def __init__(self, d_model, d_state, expand=2, d_conv=4):
        super().__init__()
        self.d_inner, self.d_state = expand * d_model, d_state
        self.dt_rank = math.ceil(d_model / 16)
        E, N, R = self.d_inner, d_state, self.dt_rank
        self.in_proj = nn.Linear(d_model, 2 * E, bias=False)
        self.conv1d = nn.Conv1d(E, E, d_conv, groups=E, padding=d_conv - 1, bias=True)
        self.x_proj = nn.Linear(E, R + 3 * N, bias=False)
        self.dt_proj = nn.Linear(R, E, bias=True)
        self.A_log = nn.Parameter(torch.log(torch.arange(1, N + 1, dtype=torch.float32).repeat(E, 1)))
        self.D = nn.Parameter(torch.ones(E))
        self.out_proj = nn.Linear(E, d_model, bias=False)

    def forward(self, u):  # (B, L, d_model)
        L = u.shape[1]
        E, N, R = self.d_inner, self.d_state, self.dt_rank
        x, z = self.in_proj(u).chunk(2, dim=-1)  # (B, L, E)
        x = F.silu(self.conv1d(x.transpose(1, 2))[..., :L]).transpose(1, 2)
        dt, Bt, Ct, theta = torch.split(self.x_proj(x), [R, N, N, N], dim=-1)
        delta = F.softplus(self.dt_proj(dt))  # (B, L, E)
        A = torch.exp(self.A_log)  # (E, N)
        h = torch.zeros(u.shape[0], E, N, dtype=torch.complex128 if u.dtype == torch.float64 else torch.complex64)
        ys = []
        for t in range(L):
            lam = torch.polar(torch.exp(-delta[:, t].unsqueeze(-1) * A), theta[:, t].unsqueeze(1).expand(-1, E, -1))
            h = lam * h + (delta[:, t] * x[:, t]).unsqueeze(-1) * Bt[:, t].unsqueeze(1)
            ys.append((h.real * Ct[:, t].unsqueeze(1)).sum(-1) + self.D * x[:, t])
        y = torch.stack(ys, 1)
        return self.out_proj(y * F.silu(z))


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
