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

#include "models/mixer.h"
#include "models/tensor.h"

#include <cmath>
#include <cstdint>
#include <numbers>

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

/// The block's mixer for s4d (mixer.h): x + out_proj(GELU(S4D(LayerNorm(x)))).
template <>
struct MixerOf<Cell::s4d> {
  template <typename T>
  using Params = S4dParams<T>;
  template <typename T>
  using Cache = S4dCache<T>;
  static constexpr bool kGeluOutProj = true;
  static S4dOptions options(const ModelConfig& o) { return {o.negative_eigenvalues, o.s4d_convolution}; }
  template <typename T>
  static void zero(const ModelConfig& o, Params<T>& p) {
    const int H = o.hidden_size, N = o.state_size;
    p.log_dt.setZero(H);
    p.log_a_real.setZero(H, N);
    p.a_imag.setZero(H, N);
    p.b.setZero(2 * H * N);
    p.c.setZero(2 * H * N);
    p.d.setZero(H);
  }
  template <typename T>
  static void tensors(const ModelConfig& o, Params<T>& p, MixerTensors<T>& t) {
    const std::int64_t H = o.hidden_size, N = o.state_size;
    t.vector("mixer.log_dt", p.log_dt);
    t.weight("mixer.log_a_real", p.log_a_real);
    t.weight("mixer.a_imag", p.a_imag);
    t.flat("mixer.B", p.b, {H, N, 2});
    t.flat("mixer.C", p.c, {H, N, 2});
    t.vector("mixer.D", p.d);
  }
  /// log_dt U(log 1e-3, log 1e-1), log_a_real log 0.5, a_imag π n, B = 1, C ~ N(0, 1/2) per part, D = 1.
  static void init(const ModelConfig& o, Params<float>& p, Random& random) {
    const int H = o.hidden_size, N = o.state_size;
    for (int h = 0; h < H; ++h) p.log_dt(h) = std::log(init_log_uniform_dt(random));
    p.log_a_real.setConstant(std::log(0.5f));
    for (int n = 0; n < N; ++n) p.a_imag.col(n).setConstant(static_cast<float>(std::numbers::pi * n));
    for (Eigen::Index k = 0; k < p.b.size(); k += 2) p.b(k) = 1.0f;
    for (Eigen::Index k = 0; k < p.c.size(); ++k) p.c(k) = random.normal() * std::sqrt(0.5f);
    p.d.setOnes();
  }
  template <typename T>
  static void forward(const ModelConfig& o, const Params<T>& p, const SequenceBatch& batch, const Matrix<T>& u,
                      Cache<T>& c, Matrix<T>& out) {
    s4d_forward(options(o), p, batch, u, c, out);
  }
  template <typename T>
  static void backward(const ModelConfig& o, const Params<T>& p, const SequenceBatch& batch, const Matrix<T>& u,
                       Cache<T>& c, const Matrix<T>& d_out, Params<T>& g, Matrix<T>& d_u) {
    s4d_backward(options(o), p, batch, u, c, d_out, g, d_u);
  }
};

}  // namespace statelab::models
