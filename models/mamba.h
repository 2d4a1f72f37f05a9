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

#include "models/mixer.h"
#include "models/tensor.h"

#include <algorithm>
#include <cmath>

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

/// mamba's dt_rank: ceil(H / 16), as mamba_ssm's "auto".
constexpr int mamba_dt_rank(int hidden_size) { return (hidden_size + 15) / 16; }

/// mamba and cdssm (cdssm.h) are one selective-scan block: parameters, names, zero and
/// initialisation shared; the transition differs (real exp(delta A), or complex with the angles th
/// from a third group of N rows in x_proj).  kGroups: x_proj has R rows, then B, C (, th) of N rows each.
template <int kGroups>
struct SelectiveScanMixer {
  template <typename T>
  using Params = MambaParams<T>;
  static constexpr bool kGeluOutProj = false;
  template <typename T>
  static void zero(const ModelConfig& o, Params<T>& p) {
    const int H = o.hidden_size, N = o.state_size, E = o.expand * H, R = mamba_dt_rank(H);
    p.in_proj.setZero(2 * E, H);
    p.conv_weight.setZero(E, o.conv_width);
    p.conv_bias.setZero(E);
    p.x_proj.setZero(R + kGroups * N, E);
    p.dt_proj.setZero(E, R);
    p.dt_bias.setZero(E);
    p.a_log.setZero(E, N);
    p.d.setZero(E);
    p.out_proj.setZero(H, E);
  }
  template <typename T>
  static void tensors(const ModelConfig&, Params<T>& p, MixerTensors<T>& t) {
    t.weight("mixer.in_proj.weight", p.in_proj);
    t.conv("mixer.conv1d.weight", p.conv_weight);
    t.vector("mixer.conv1d.bias", p.conv_bias);
    t.weight("mixer.x_proj.weight", p.x_proj);
    t.weight("mixer.dt_proj.weight", p.dt_proj);
    t.vector("mixer.dt_proj.bias", p.dt_bias);
    t.weight("mixer.A_log", p.a_log);
    t.vector("mixer.D", p.d);
    t.weight("mixer.out_proj.weight", p.out_proj);
  }
  /// conv U(±1/sqrt(W)), dt_proj.weight U(±R^-1/2), dt_proj.bias = softplus⁻¹(dt) with
  /// dt = exp(U(log 1e-3, log 1e-1)) >= 1e-4, A_log = log(1..N), D = 1, projections U(±1/sqrt(fan_in)).
  static void init(const ModelConfig& o, Params<float>& p, Random& random) {
    const int H = o.hidden_size, N = o.state_size, E = o.expand * H, R = mamba_dt_rank(H);
    init_uniform(p.in_proj, 1.0 / std::sqrt(H), random);
    init_uniform(p.conv_weight, 1.0 / std::sqrt(o.conv_width), random);
    init_uniform(p.conv_bias, 1.0 / std::sqrt(o.conv_width), random);
    init_uniform(p.x_proj, 1.0 / std::sqrt(E), random);
    init_uniform(p.dt_proj, 1.0 / std::sqrt(R), random);
    for (int e = 0; e < E; ++e) {
      const float dt = std::max(init_log_uniform_dt(random), 1e-4f);
      p.dt_bias(e) = dt + std::log(-std::expm1(-dt));  // softplus⁻¹(dt)
    }
    for (int n = 0; n < N; ++n) p.a_log.col(n).setConstant(std::log(static_cast<float>(n + 1)));
    p.d.setOnes();
    init_uniform(p.out_proj, 1.0 / std::sqrt(E), random);
  }
};

/// The block's mixer for mamba (mixer.h): x + Mamba(LayerNorm(x)).
template <>
struct MixerOf<Cell::mamba> : SelectiveScanMixer<2> {
  template <typename T>
  using Cache = MambaCache<T>;
  template <typename T>
  static void forward(const ModelConfig& o, const Params<T>& p, const SequenceBatch& batch, const Matrix<T>& u,
                      Cache<T>& c, Matrix<T>& out) {
    mamba_forward({o.negative_eigenvalues}, p, batch, u, c, out);
  }
  template <typename T>
  static void backward(const ModelConfig& o, const Params<T>& p, const SequenceBatch& batch, const Matrix<T>& u,
                       Cache<T>& c, const Matrix<T>& d_out, Params<T>& g, Matrix<T>& d_u) {
    mamba_backward({o.negative_eigenvalues}, p, batch, u, c, d_out, g, d_u);
  }
};

}  // namespace statelab::models
