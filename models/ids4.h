// IDS4, the input-dependent S4 of Merrill, Petty & Sabharwal 2024 ("The Illusion of State in
// State-Space Models", section 6): a linear recurrence whose dense N x N transition matrix is a
// linear function of the current input, over the time-major (H, T*B) layout of tensor.h:
//
//   M_t = reshape(A_proj x_t + A_bias)        (N, N), row-major: M[i][j] = (A_proj x_t + A_bias)[i N + j]
//   A_t[i, :] = M_t[i, :] / max(1, Σ_j |M_t[i, j]|)     row-wise L1 normalisation (see below)
//   h_0 = 0,  h_t = A_t h_{t-1} + B_proj x_t + B_bias    (N)
//   y_t = C h_t + D ⊙ x_t                               C (H, N), D (H)
//
// Normalisation: an unconstrained input-dependent dense matrix makes h_t grow geometrically over
// long words.  Dividing each row by its L1 norm when that exceeds 1 gives ||A_t||_∞ <= 1, so
// ||h_t||_∞ <= ||h_{t-1}||_∞ + ||b_t||_∞ (at most linear growth), while permutation matrices and
// (sub)stochastic matrices — the transitions that simulate automata, and what the paper's
// construction uses for S5 — pass unchanged.  It is piecewise smooth (kinks where a row's L1
// norm is exactly 1 or an entry is exactly 0).
//
// Parameters (tools/make_torch_fixtures.py names): A_proj.weight (N*N, H), A_proj.bias (N*N),
// B_proj.weight (N, H), B_proj.bias (N), C (H, N), D (H).
// Time O(T B N² H) forward and backward (the projections are GEMMs; the scan O(T B N²)).
#pragma once

#include "models/mixer.h"
#include "models/tensor.h"

#include <cmath>

namespace statelab::models {

template <typename T>
struct Ids4Params {
  Matrix<T> a_proj;  // (N*N, H)
  Vector<T> a_bias;  // (N*N)
  Matrix<T> b_proj;  // (N, H)
  Vector<T> b_bias;  // (N)
  Matrix<T> c;       // (H, N)
  Vector<T> d;       // (H)
};
template <typename T>
using Ids4Grads = Ids4Params<T>;

template <typename T>
struct Ids4Cache {
  Matrix<T> m;      // (N*N, T*B) A_proj x + A_bias, then (in place) the normalised A_t
  Matrix<T> scale;  // (N, T*B) max(1, row L1 norm) of M_t
  Matrix<T> h;      // (N, T*B) states h_t; starts as B_proj x + B_bias
  Matrix<T> d_h;    // (N, T*B) backward: dL/dh_t (then dL/db_t)
  Matrix<T> d_m;    // (N*N, T*B) backward: dL/dA_t, then dL/dM_t
  Matrix<T> g;      // (N, B) backward: dL/dh carried back in time
};

/// y (H, T*B) (resized), zero in padding.  x: (H, T*B), zero in padding.
template <typename T>
void ids4_forward(const Ids4Params<T>& params, const SequenceBatch& batch, const Matrix<T>& x, Ids4Cache<T>& cache,
                  Matrix<T>& y);

/// Accumulates dL/dparams into grads and writes d_x = dL/dx (H, T*B), zero in padding.
template <typename T>
void ids4_backward(const Ids4Params<T>& params, const SequenceBatch& batch, const Matrix<T>& x, Ids4Cache<T>& cache,
                   const Matrix<T>& d_y, Ids4Grads<T>& grads, Matrix<T>& d_x);

/// The block's mixer for ids4 (mixer.h): x + out_proj(GELU(IDS4(LayerNorm(x)))).
template <>
struct MixerOf<Cell::ids4> {
  template <typename T>
  using Params = Ids4Params<T>;
  template <typename T>
  using Cache = Ids4Cache<T>;
  static constexpr bool kGeluOutProj = true;
  template <typename T>
  static void zero(const ModelConfig& o, Params<T>& p) {
    const int H = o.hidden_size, N = o.state_size;
    p.a_proj.setZero(N * N, H);
    p.a_bias.setZero(N * N);
    p.b_proj.setZero(N, H);
    p.b_bias.setZero(N);
    p.c.setZero(H, N);
    p.d.setZero(H);
  }
  template <typename T>
  static void tensors(const ModelConfig&, Params<T>& p, MixerTensors<T>& t) {
    t.weight("mixer.A_proj.weight", p.a_proj);
    t.vector("mixer.A_proj.bias", p.a_bias);
    t.weight("mixer.B_proj.weight", p.b_proj);
    t.vector("mixer.B_proj.bias", p.b_bias);
    t.weight("mixer.C", p.c);
    t.vector("mixer.D", p.d);
  }
  /// A_proj.bias = the identity, A_proj.weight U(±0.1/sqrt(H)), B_proj U(±1/sqrt(H)), C U(±1/sqrt(N)), D = 1.
  static void init(const ModelConfig& o, Params<float>& p, Random& random) {
    const int H = o.hidden_size, N = o.state_size;
    init_uniform(p.a_proj, 0.1 / std::sqrt(H), random);
    for (int i = 0; i < N; ++i) p.a_bias(i * N + i) = 1.0f;
    init_uniform(p.b_proj, 1.0 / std::sqrt(H), random);
    init_uniform(p.b_bias, 1.0 / std::sqrt(H), random);
    init_uniform(p.c, 1.0 / std::sqrt(N), random);
    p.d.setOnes();
  }
  template <typename T>
  static void forward(const ModelConfig&, const Params<T>& p, const SequenceBatch& batch, const Matrix<T>& u,
                      Cache<T>& c, Matrix<T>& out) {
    ids4_forward(p, batch, u, c, out);
  }
  template <typename T>
  static void backward(const ModelConfig&, const Params<T>& p, const SequenceBatch& batch, const Matrix<T>& u,
                       Cache<T>& c, const Matrix<T>& d_out, Params<T>& g, Matrix<T>& d_u) {
    ids4_backward(p, batch, u, c, d_out, g, d_u);
  }
};

}  // namespace statelab::models
