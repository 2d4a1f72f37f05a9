#!/usr/bin/python3
"""Looks inside a one-layer statelab Mamba recognizer over {0, 1} (docs/results.md, experiment 1).

    /usr/bin/python3 tools/mamba_inspect.py CKPT.safetensors [LENGTH]

Recomputes the network in numpy from the checkpoint (models/mamba.h's equations: embedding,
input projection, pre-norm, the Mamba mixer with its selective scan, the residual, the final norm,
the recognize head) on words of LENGTH symbols (default 40), and prints
  - the logit of 20 uniform words (seed 0) beside their parity,
  - delta (the step size softplus(dt_proj dt + bias)) and the transitions (exp(delta A), or
    2 exp(delta A) - 1 with negative eigenvalues) read at the 0s and at the 1s of 0101...,
  - the norm of the residual stream after the block at positions 1, 10 and LENGTH.
numpy only (Debian's /usr/bin/python3 has it); a developer's tool, never run by the tests.
"""
import json
import struct
import sys

import numpy as np


def load(path):
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    meta = header.pop("__metadata__")
    params = {}
    for name, t in header.items():
        a, b = t["data_offsets"]
        params[name] = np.frombuffer(raw[8 + n + a:8 + n + b], dtype=np.float32).reshape(t["shape"]).astype(np.float64)
    return params, json.loads(meta["statelab.model"])


def layer_norm(x, w, b):
    m = x.mean(-1, keepdims=True)
    v = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / np.sqrt(v + 1e-5) * w + b


def softplus(x):
    return np.where(x > 20, x, np.log1p(np.exp(np.minimum(x, 20))))


def silu(x):
    return x / (1 + np.exp(-x))


def forward(P, model, word):
    """(logit, delta (T, E), transitions (T, E, N), residual norm by position)."""
    p = "layers.0.mixer."
    x = P["embedding.weight"][word] @ P["input_proj.weight"].T + P["input_proj.bias"]  # (T, H)
    u = layer_norm(x, P["layers.0.norm.weight"], P["layers.0.norm.bias"])
    xz = u @ P[p + "in_proj.weight"].T
    E = xz.shape[1] // 2
    xs, z = xz[:, :E], xz[:, E:]
    w = P[p + "conv1d.weight"][:, 0, :]
    W, T = w.shape[1], len(word)
    conv = np.array([P[p + "conv1d.bias"] + sum(w[:, k] * xs[t - W + 1 + k] for k in range(W) if t - W + 1 + k >= 0)
                     for t in range(T)])
    xa = silu(conv)
    xdbl = xa @ P[p + "x_proj.weight"].T
    R, N = P[p + "dt_proj.weight"].shape[1], P[p + "A_log"].shape[1]
    delta = softplus(xdbl[:, :R] @ P[p + "dt_proj.weight"].T + P[p + "dt_proj.bias"])
    Bt, Ct = xdbl[:, R:R + N], xdbl[:, R + N:]
    A = -np.exp(P[p + "A_log"])
    h = np.zeros((E, N))
    ys, transitions = [], []
    for t in range(T):
        da = np.exp(delta[t][:, None] * A)
        if model["negative_eigenvalues"]:
            da = 2 * da - 1
        transitions.append(da)
        h = da * h + (delta[t] * xa[t])[:, None] * Bt[t][None, :]
        ys.append(h @ Ct[t] + P[p + "D"] * xa[t])
    out = x + (np.array(ys) * silu(z)) @ P[p + "out_proj.weight"].T
    top = layer_norm(out, P["final_norm.weight"], P["final_norm.bias"])
    logit = top[-1] @ P["head.weight"][0] + P["head.bias"][0]
    return logit, delta, np.array(transitions), np.linalg.norm(out, axis=1)


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    P, model = load(sys.argv[1])
    if model["cell"] != "mamba" or model["num_layers"] != 1 or model["head"] != "recognize" or model["vocab_size"] != 2:
        sys.exit("mamba_inspect.py: needs a one-layer mamba recognizer over two symbols")
    length = int(sys.argv[2]) if len(sys.argv) == 3 else 40
    rng = np.random.default_rng(0)
    words = [rng.integers(0, 2, length) for _ in range(20)]
    print("logit/parity:", " ".join(f"{forward(P, model, w)[0]:+.3f}/{w.sum() % 2}" for w in words))
    word = np.arange(length) % 2
    _, delta, transitions, norms = forward(P, model, word)
    for symbol in (0, 1):
        d, e = delta[word == symbol], transitions[word == symbol]
        print(f"at the {symbol}s: delta min {d.min():.4f} median {np.median(d):.4f} max {d.max():.4f}; "
              f"transition min {e.min():+.4f} median {np.median(e):+.4f} max {e.max():+.4f}")
    print(f"residual norm after the block: position 1 {norms[0]:.3f}, 10 {norms[min(9, length - 1)]:.3f}, "
          f"{length} {norms[-1]:.3f}")


if __name__ == "__main__":
    main()
