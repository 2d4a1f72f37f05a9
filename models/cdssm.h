// The complex-diagonal selective SSM `cdssm`: Mamba's block (mamba.h) whose diagonal transition
// is complex and input-dependent, the model class of Shakerinava, Khavari, Ravanbakhsh and Chandar
// 2026 ("input-Dependent Complex-valued Diagonal" SSMs, ICLR 2026) and the data-dependent rotation
// that Mamba-3 adds to Mamba-2.  The parameterisation is statelab's: Mamba's names and
// initialisation, with a third group of N rows in x_proj giving the angles (its parameters are
// MambaParams; zero and initialisation are mamba's, mamba.h's SelectiveScanMixer).  E = expand * H
// channels, N states per channel, R = dt_rank = ceil(H / 16), W = conv width:
//
//   x, z   = split(in_proj u)                        in_proj (2E, H), no bias
//   x      = SiLU(causal depthwise conv1d(x) + b)    conv1d weight (E, 1, W), bias (E)
//   dt, Bt, Ct, th = split(x_proj x, [R, N, N, N])  x_proj (R+3N, E), no bias
//   delta  = softplus(dt_proj dt)                    dt_proj (E, R) with bias (E)
//   lambda_t[e, n] = exp(-delta_t[e] exp(A_log[e, n]) + i th_t[n])      A_log (E, N)
//   h_0 = 0,  h_t = lambda_t ⊙ h_{t-1} + (delta_t ⊙ x_t) ⊗ Bt_t   (complex, (E, N)),
//   y_t = Re(h_t) Ct_t + D ⊙ x_t                     D (E)
//   out    = out_proj(y ⊙ SiLU(z))                   out_proj (H, E), no bias
//
// |lambda| = exp(-delta exp(A_log)) < 1 is Mamba's decay; th rotates every channel's state n by
// the same input-dependent angle.  The scan runs per sequence as plain loops in a fixed order;
// backward recomputes one sequence's states (O(T E N) workspace).  Time O(T B E (H + N + W)).
#pragma once

#include "models/mamba.h"
#include "models/mixer.h"
#include "models/tensor.h"

namespace statelab::models {

/// Mamba's parameters (mamba.h), names and shapes, but x_proj (R+3N, E): dt, B, C and the angles th.
template <typename T>
using CdssmParams = MambaParams<T>;
template <typename T>
using CdssmGrads = CdssmParams<T>;

struct CdssmOptions {
  int state_size = 16;  // N
  int expand = 2;       // E = expand * H
  int conv_width = 4;   // W
};

template <typename T>
struct CdssmCache {
  Matrix<T> xz, x_pre, conv, xa, xdbl, dt_pre, delta, y, gated;  // as mamba.h's
  Matrix<T> hr, hi;                                              // backward: one sequence's states (E*N, T)
  Matrix<T> d_xz, d_xa, d_xdbl, d_delta, d_gated, d_y, d_conv, d_x_pre;  // backward workspace
};

/// out (H, T*B) (resized), zero in padding.  u: (H, T*B), zero in padding.
template <typename T>
void cdssm_forward(const CdssmOptions& options, const CdssmParams<T>& params, const SequenceBatch& batch,
                   const Matrix<T>& u, CdssmCache<T>& cache, Matrix<T>& out);

/// Accumulates dL/dparams into grads and writes d_u = dL/du (H, T*B).  d_out is zero in padding.
template <typename T>
void cdssm_backward(const CdssmOptions& options, const CdssmParams<T>& params, const SequenceBatch& batch,
                    const Matrix<T>& u, CdssmCache<T>& cache, const Matrix<T>& d_out, CdssmGrads<T>& grads,
                    Matrix<T>& d_u);

/// The block's mixer for cdssm (mixer.h): x + Cdssm(LayerNorm(x)); mamba's parameters with x_proj (R+3N, E).
template <>
struct MixerOf<Cell::cdssm> : SelectiveScanMixer<3> {
  template <typename T>
  using Cache = CdssmCache<T>;
  static CdssmOptions options(const ModelConfig& o) { return {o.state_size, o.expand, o.conv_width}; }
  template <typename T>
  static void forward(const ModelConfig& o, const Params<T>& p, const SequenceBatch& batch, const Matrix<T>& u,
                      Cache<T>& c, Matrix<T>& out) {
    cdssm_forward(options(o), p, batch, u, c, out);
  }
  template <typename T>
  static void backward(const ModelConfig& o, const Params<T>& p, const SequenceBatch& batch, const Matrix<T>& u,
                       Cache<T>& c, const Matrix<T>& d_out, Params<T>& g, Matrix<T>& d_u) {
    cdssm_backward(options(o), p, batch, u, c, d_out, g, d_u);
  }
};

}  // namespace statelab::models
