// The Mamba mixer (Gu & Dao 2023): mamba_ssm.modules.mamba_simple.Mamba's non-fused path with
// the selective scan of mamba_ssm's `selective_scan_ref` (real A, delta_softplus = True, z
// gate, D skip), over the time-major (D, T*B) layout of tensor.h.  E = expand * D channels,
// N states per channel, R = dt_rank, W = conv width:
//
//   x, z   = split(in_proj u)                       in_proj (2E, D), no bias
//   x      = SiLU(causal depthwise conv1d(x))       conv1d weight (E, 1, W), bias (E): x'_t = b + Σ_k w_k x_{t-W+1+k}
//   dt, Bt, Ct = split(x_proj x, [R, N, N])          x_proj (R+2N, E), no bias
//   delta  = softplus(dt_proj dt)                   dt_proj (E, R) with bias (E); softplus as torch (threshold 20)
//   A      = -exp(A_log)                            (E, N) real, negative
//   dA_t   = exp(delta_t ⊗ A)   [negative_eigenvalues: 2 exp(delta_t ⊗ A) - 1, Grazzi et al. 2024]
//   h_0 = 0,  h_t = dA_t ⊙ h_{t-1} + (delta_t ⊙ x_t) ⊗ Bt_t,   y_t = h_t Ct_t + D ⊙ x_t
//   out    = out_proj(y ⊙ SiLU(z))                  out_proj (D, E), no bias
//
// The convolution is causal within each sequence: sequences start at t = 0 and padding follows
// them, so it never reads padding.  The scan runs per sequence as plain loops vectorised over the
// E channels of each state (compiled for AVX-512, AVX2 and the baseline, see simd.h); backward
// recomputes one sequence's states at a time (O(T E N) workspace, no per-step cache).
// Time O(T B E (D + N + W)) forward and backward.
#pragma once

#include "models/tensor.h"

namespace statelab::models {

template <typename T>
struct MambaParams {
  Matrix<T> in_proj;      // (2E, D)   in_proj.weight
  Matrix<T> conv_weight;  // (E, W)    conv1d.weight, torch shape (E, 1, W)
  Vector<T> conv_bias;    // (E)       conv1d.bias
  Matrix<T> x_proj;       // (R+2N, E) x_proj.weight
  Matrix<T> dt_proj;      // (E, R)    dt_proj.weight
  Vector<T> dt_bias;      // (E)       dt_proj.bias
  Matrix<T> a_log;        // (E, N)    A_log
  Vector<T> d;            // (E)       D
  Matrix<T> out_proj;     // (D, E)    out_proj.weight
};
template <typename T>
using MambaGrads = MambaParams<T>;

struct MambaOptions {
  bool negative_eigenvalues = false;
};

template <typename T>
struct MambaCache {
  Matrix<T> xz;        // (2E, T*B) in_proj u: x rows 0..E-1, z rows E..2E-1
  Matrix<T> conv;      // (E, T*B) conv1d output before SiLU
  Matrix<T> xa;        // (E, T*B) SiLU(conv): the scan's input x
  Matrix<T> xdbl;      // (R+2N, T*B) x_proj x: dt, B, C
  Matrix<T> dt_pre;    // (E, T*B) dt_proj dt + bias
  Matrix<T> delta;     // (E, T*B) softplus(dt_pre)
  Matrix<T> y;         // (E, T*B) scan output with the D skip
  Matrix<T> gated;     // (E, T*B) y ⊙ SiLU(z)
  Matrix<T> a;         // (E, N) A = -exp(A_log)
  Matrix<T> h;         // (E, N) scan state / backward's dL/dh
  Matrix<T> states;    // (E*N, T) backward: one sequence's states, recomputed
  Vector<T> w;         // (E) backward scratch
  Matrix<T> d_xz, d_xa, d_xdbl, d_delta, d_gated;  // backward workspace, shaped as above
};

/// out (D, T*B) (resized), zero in padding.  u: (D, T*B), zero in padding.
template <typename T>
void mamba_forward(const MambaOptions& options, const MambaParams<T>& params, const SequenceBatch& batch,
                   const Matrix<T>& u, MambaCache<T>& cache, Matrix<T>& out);

/// Accumulates dL/dparams into grads and writes d_u = dL/du (D, T*B), zero in padding.
template <typename T>
void mamba_backward(const MambaOptions& options, const MambaParams<T>& params, const SequenceBatch& batch,
                    const Matrix<T>& u, MambaCache<T>& cache, const Matrix<T>& d_out, MambaGrads<T>& grads,
                    Matrix<T>& d_u);

}  // namespace statelab::models
