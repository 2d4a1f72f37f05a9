// S4D: a diagonal linear time-invariant state-space layer (Gu et al. 2022, "On the
// Parameterization and Initialization of Diagonal State Space Models"), one independent SSM of
// N complex states per channel, over the time-major (H, T*B) layout of tensor.h.
//
//   dt   = exp(log_dt)                                   (H)
//   A    = -exp(log_a_real) + i a_imag                   (H, N) complex, Re A < 0
//   Abar = exp(dt A)                                     zero-order hold for A
//   Bbar = (exp(dt A) - 1) / A ⊙ B                       zero-order hold for B
//   h_0 = 0,  h_t = Abar ⊙ h_{t-1} + Bbar x_t            (x_t ∈ R^H broadcast over N)
//   y_t = Re(Σ_n C_n ⊙ h_{t,n}) + D ⊙ x_t
//
// Negative eigenvalues (Grazzi et al. 2024): |Abar| = r = exp(-dt exp(log_a_real)) lies in
// (0, 1); with `negative_eigenvalues` the transition becomes (2r - 1) e^{i dt a_imag}, whose
// modulus |2r - 1| < 1 and whose real eigenvalues (a_imag = 0) cover (-1, 1) instead of (0, 1) —
// the range map 2 exp(dt A) - 1 of the paper applied to the modulus, the phase kept.  Bbar stays
// the zero-order hold of the continuous system (as the paper keeps Mamba's input term).
//
// Two computations of the same map (`convolution` switch):
//   recurrence   the scan above, per sequence, as plain loops vectorised over the H channels of each
//                state (compiled for AVX-512, AVX2 and the baseline, see simd.h); backward recomputes
//                each sequence's states (no per-step cache).  Time O(T B H N), space O(T H N).
//   convolution  y_t = Σ_{k<=t} K_k ⊙ x_{t-k} + D ⊙ x_t with the kernel K_k = Re(Σ_n C_n Abar_n^k Bbar_n)
//                (H, T), as one (B, T) x (T, T) Toeplitz product per channel.  Time O(H T (N + T B)).
// Sequences start at t = 0 and padding follows them, so the causal convolution never reads padding.
//
// Parameters are named and shaped as the reference module of tools/make_torch_fixtures.py
// (complex tensors stored as (re, im) pairs): log_dt (H), log_a_real (H, N), a_imag (H, N),
// B (H, N, 2), C (H, N, 2), D (H).
#pragma once

#include "models/tensor.h"

namespace statelab::models {

template <typename T>
struct S4dParams {
  Vector<T> log_dt;      // (H)
  Matrix<T> log_a_real;  // (H, N)
  Matrix<T> a_imag;      // (H, N)
  Vector<T> b;           // (H*N*2) torch's (H, N, 2) in row-major order: (re, im) of B[h, n]
  Vector<T> c;           // (H*N*2) the same for C
  Vector<T> d;           // (H)
};
template <typename T>
using S4dGrads = S4dParams<T>;

struct S4dOptions {
  bool negative_eigenvalues = false;
  bool convolution = false;
};

template <typename T>
struct S4dCache {
  using Array = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic>;
  Array ar, ai, br, bi, cr, ci;  // (H, N) re, im of Abar, Bbar, C
  Array hr, hi, gr, gi, tmp;     // (H, N) scan state and backward's dL/dh
  Array wr, wi, qr, qi;          // (H, N) convolution: C Bbar and k Abar^(k-1)
  Array g_ar, g_ai, g_br, g_bi, g_cr, g_ci;  // (H, N) dL/dAbar, dL/dBbar, dL/dC (conjugate convention)
  Matrix<T> states_r, states_i;  // (H*N, T) backward: one sequence's states, recomputed
  Matrix<T> kernel, d_kernel;    // (H, T) convolution: K and dL/dK
  Matrix<T> toeplitz, d_toeplitz;  // (T, T) convolution: K_{t-s} at (s, t), s <= t
  Matrix<T> x_t, y_t;            // (T*B, H) convolution: inputs and outputs, channel-major
};

/// y (H, T*B) (resized), zero in padding.  x: (H, T*B), zero in padding.
template <typename T>
void s4d_forward(const S4dOptions& options, const S4dParams<T>& params, const SequenceBatch& batch, const Matrix<T>& x,
                 S4dCache<T>& cache, Matrix<T>& y);

/// Accumulates dL/dparams into grads and writes d_x = dL/dx (H, T*B), zero in padding.  x is
/// forward's input; the cache is forward's.  Same cost as forward.
template <typename T>
void s4d_backward(const S4dOptions& options, const S4dParams<T>& params, const SequenceBatch& batch, const Matrix<T>& x,
                  S4dCache<T>& cache, const Matrix<T>& d_y, S4dGrads<T>& grads, Matrix<T>& d_x);

}  // namespace statelab::models
