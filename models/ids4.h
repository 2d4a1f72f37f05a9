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

#include "models/tensor.h"

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

}  // namespace statelab::models
