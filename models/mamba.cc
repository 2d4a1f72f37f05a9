#include "models/mamba.h"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "models/activation.h"
#include "models/simd.h"

namespace statelab::models {

namespace {

// SiLU'(x) = σ(x) (1 + x (1 - σ(x))).
template <typename Derived>
auto silu_grad(const Eigen::ArrayBase<Derived>& x) {
  using T = typename Derived::Scalar;
  return sigmoid(x) * (T(1) + x * (T(1) - sigmoid(x)));
}

// torch.nn.functional.softplus (beta 1, threshold 20): x above 20 passes through.
template <typename T>
T softplus(T x) {
  return x > T(20) ? x : std::log1p(std::exp(x));
}
template <typename T>
T softplus_grad(T x) {
  return x > T(20) ? T(1) : T(1) / (T(1) + std::exp(-x));
}

// The selective scan of one sequence of `len` positions whose columns are j = t*B + b, as
// plain loops the compiler vectorises over the E channels (see simd.h).  Arrays: a, h, states
// (E, N) column-major (state n's channels contiguous); delta, x, y (E, T*B); xdbl (R+2N, T*B).
//   h = transition(exp(delta A)) ⊙ h + (delta ⊙ x) ⊗ B_t;   y_t = h C_t + D ⊙ x_t
// When states is given, the state after step t is written at states + t*E*N.
template <bool negative, typename T>
[[gnu::always_inline]] inline void scan_kernel(int E, int N, int R, int len, int B, int b, const T* __restrict a,
                                               const T* __restrict delta, const T* __restrict x,
                                               const T* __restrict xdbl, const T* __restrict d, T* __restrict y,
                                               T* __restrict h, T* __restrict states) {
  const int rows = R + 2 * N;
  std::fill(h, h + static_cast<std::ptrdiff_t>(E) * N, T(0));
  for (int t = 0; t < len; ++t) {
    const std::ptrdiff_t j = static_cast<std::ptrdiff_t>(t) * B + b;
    const T* dl = delta + j * E;
    const T* xt = x + j * E;
    const T* bc = xdbl + j * rows + R;  // B_t then C_t
    T* yt = y + j * E;
    for (int e = 0; e < E; ++e) yt[e] = d[e] * xt[e];
    for (int n = 0; n < N; ++n) {
      const T bn = bc[n], cn = bc[N + n];
      T* hn = h + static_cast<std::ptrdiff_t>(n) * E;
      const T* an = a + static_cast<std::ptrdiff_t>(n) * E;
#pragma GCC ivdep
      for (int e = 0; e < E; ++e) {
        T da = vexp(an[e] * dl[e]);
        if constexpr (negative) da = T(2) * da - T(1);
        hn[e] = da * hn[e] + dl[e] * xt[e] * bn;
        yt[e] += hn[e] * cn;
      }
    }
    if (states) std::copy(h, h + static_cast<std::ptrdiff_t>(E) * N, states + static_cast<std::ptrdiff_t>(t) * E * N);
  }
}

// Backward of scan_kernel for one sequence, given its states: reads dL/dy from d_y, adds into
// d_delta, d_x, d_xdbl (the B and C rows) and g_a_log (E, N); g and w are (E, N) and (E) scratch.
template <bool negative, typename T>
[[gnu::always_inline]] inline void scan_backward_kernel(int E, int N, int R, int len, int B, int b,
                                                        const T* __restrict a, const T* __restrict delta,
                                                        const T* __restrict x, const T* __restrict xdbl,
                                                        const T* __restrict states, const T* __restrict d_y,
                                                        T* __restrict d_delta, T* __restrict d_x,
                                                        T* __restrict d_xdbl, T* __restrict g_a_log, T* __restrict g,
                                                        T* __restrict w) {
  const int rows = R + 2 * N;
  constexpr int kLanes = 16;  // independent partial sums, so that the reductions vectorise
  std::fill(g, g + static_cast<std::ptrdiff_t>(E) * N, T(0));
  for (int t = len - 1; t >= 0; --t) {
    const std::ptrdiff_t j = static_cast<std::ptrdiff_t>(t) * B + b;
    const T* dl = delta + j * E;
    const T* xt = x + j * E;
    const T* dy = d_y + j * E;
    const T* bc = xdbl + j * rows + R;
    T* dbc = d_xdbl + j * rows + R;
    T* ddl = d_delta + j * E;
    const T* h_t = states + static_cast<std::ptrdiff_t>(t) * E * N;
    const T* h_prev = t > 0 ? h_t - static_cast<std::ptrdiff_t>(E) * N : nullptr;
    std::fill(w, w + E, T(0));  // dL/d(delta ⊙ x)
    for (int n = 0; n < N; ++n) {
      const T bn = bc[n], cn = bc[N + n];
      const std::ptrdiff_t o = static_cast<std::ptrdiff_t>(n) * E;
      T* gn = g + o;
      const T* an = a + o;
      T sum_c[kLanes] = {}, sum_b[kLanes] = {};
      int e0 = 0;
      for (; e0 + kLanes <= E; e0 += kLanes) {
#pragma GCC ivdep
        for (int k = 0; k < kLanes; ++k) {
          const int e = e0 + k;
          sum_c[k] += h_t[o + e] * dy[e];        // dC_n = Σ_e h dy
          gn[e] += dy[e] * cn;                   // dh += dy C_n
          w[e] += gn[e] * bn;
          sum_b[k] += gn[e] * dl[e] * xt[e];     // dB_n = Σ_e dh (delta x)
        }
      }
      for (int e = e0; e < E; ++e) {
        sum_c[0] += h_t[o + e] * dy[e];
        gn[e] += dy[e] * cn;
        w[e] += gn[e] * bn;
        sum_b[0] += gn[e] * dl[e] * xt[e];
      }
      T dc = 0, db = 0;
      for (int k = 0; k < kLanes; ++k) dc += sum_c[k], db += sum_b[k];
      dbc[N + n] = dc;
      dbc[n] = db;
      if (h_prev) {
        const T* hp = h_prev + o;
        T* gan = g_a_log + o;
#pragma GCC ivdep
        for (int e = 0; e < E; ++e) {
          const T da = vexp(an[e] * dl[e]);  // exp(delta A)
          // d(delta A) = dh ⊙ h_{t-1} ⊙ (2) exp(delta A)
          const T r = (negative ? T(2) : T(1)) * gn[e] * hp[e] * da;
          ddl[e] += r * an[e];
          gan[e] += r * dl[e] * an[e];  // dA/dA_log = A
          gn[e] *= negative ? T(2) * da - T(1) : da;  // dh_{t-1} = dh ⊙ transition
        }
      }
    }
    T* dxt = d_x + j * E;
    for (int e = 0; e < E; ++e) {
      ddl[e] += w[e] * xt[e];
      dxt[e] += w[e] * dl[e];
    }
  }
}

// The kernels above, compiled for each instruction set (simd.h).
STATELAB_SIMD_CLONES void scan(bool negative, int E, int N, int R, int len, int B, int b, const float* a,
                               const float* delta, const float* x, const float* xdbl, const float* d, float* y,
                               float* h, float* states) {
  if (negative) scan_kernel<true>(E, N, R, len, B, b, a, delta, x, xdbl, d, y, h, states);
  else scan_kernel<false>(E, N, R, len, B, b, a, delta, x, xdbl, d, y, h, states);
}
void scan(bool negative, int E, int N, int R, int len, int B, int b, const double* a, const double* delta,
          const double* x, const double* xdbl, const double* d, double* y, double* h, double* states) {
  if (negative) scan_kernel<true>(E, N, R, len, B, b, a, delta, x, xdbl, d, y, h, states);
  else scan_kernel<false>(E, N, R, len, B, b, a, delta, x, xdbl, d, y, h, states);
}
STATELAB_SIMD_CLONES void scan_backward(bool negative, int E, int N, int R, int len, int B, int b, const float* a,
                                        const float* delta, const float* x, const float* xdbl, const float* states,
                                        const float* d_y, float* d_delta, float* d_x, float* d_xdbl, float* g_a_log,
                                        float* g, float* w) {
  if (negative) scan_backward_kernel<true>(E, N, R, len, B, b, a, delta, x, xdbl, states, d_y, d_delta, d_x, d_xdbl, g_a_log, g, w);
  else scan_backward_kernel<false>(E, N, R, len, B, b, a, delta, x, xdbl, states, d_y, d_delta, d_x, d_xdbl, g_a_log, g, w);
}
void scan_backward(bool negative, int E, int N, int R, int len, int B, int b, const double* a, const double* delta,
                   const double* x, const double* xdbl, const double* states, const double* d_y, double* d_delta,
                   double* d_x, double* d_xdbl, double* g_a_log, double* g, double* w) {
  if (negative) scan_backward_kernel<true>(E, N, R, len, B, b, a, delta, x, xdbl, states, d_y, d_delta, d_x, d_xdbl, g_a_log, g, w);
  else scan_backward_kernel<false>(E, N, R, len, B, b, a, delta, x, xdbl, states, d_y, d_delta, d_x, d_xdbl, g_a_log, g, w);
}

}  // namespace

template <typename T>
void mamba_forward(const MambaOptions& o, const MambaParams<T>& p, const SequenceBatch& batch, const Matrix<T>& u,
                   MambaCache<T>& c, Matrix<T>& out) {
  const int E = static_cast<int>(p.conv_weight.rows()), W = static_cast<int>(p.conv_weight.cols());
  const int N = static_cast<int>(p.a_log.cols()), R = static_cast<int>(p.dt_proj.cols());
  const int B = batch.batch_size, cols = batch.columns();
  assert(u.cols() == cols && p.in_proj.rows() == 2 * E && p.x_proj.rows() == R + 2 * N);
  c.xz.noalias() = p.in_proj * u;  // (2E, T*B)
  c.conv.resize(E, cols);
  for (int t = 0; t < batch.max_length; ++t) {
    for (int b = 0; b < batch.active[t]; ++b) {  // x'_t = bias + Σ_k w_k x_{t-W+1+k}
      auto col = c.conv.col(t * B + b);
      col = p.conv_bias;
      for (int k = std::max(0, W - 1 - t); k < W; ++k)
        col += p.conv_weight.col(k).cwiseProduct(c.xz.col((t - W + 1 + k) * B + b).head(E));
    }
  }
  zero_padding(batch, c.conv);
  c.xa = (c.conv.array() * sigmoid(c.conv.array())).matrix();  // SiLU
  c.xdbl.noalias() = p.x_proj * c.xa;                         // (R+2N, T*B)
  c.dt_pre.noalias() = p.dt_proj * c.xdbl.topRows(R);
  c.dt_pre.colwise() += p.dt_bias;
  c.delta = c.dt_pre.unaryExpr([](T x) { return softplus(x); });
  zero_padding(batch, c.delta);
  c.a = -p.a_log.array().exp().matrix();
  c.h.resize(E, N);
  c.y.resize(E, cols);
  for (int b = 0; b < B; ++b)
    scan(o.negative_eigenvalues, E, N, R, batch.lengths[b], B, b, c.a.data(), c.delta.data(), c.xa.data(),
         c.xdbl.data(), p.d.data(), c.y.data(), c.h.data(), static_cast<T*>(nullptr));
  zero_padding(batch, c.y);
  const auto z = c.xz.bottomRows(E).array();
  c.gated = (c.y.array() * z * sigmoid(z)).matrix();  // y ⊙ SiLU(z)
  out.noalias() = p.out_proj * c.gated;               // (D, T*B)
}

template <typename T>
void mamba_backward(const MambaOptions& o, const MambaParams<T>& p, const SequenceBatch& batch, const Matrix<T>& u,
                    MambaCache<T>& c, const Matrix<T>& d_out, MambaGrads<T>& grads, Matrix<T>& d_u) {
  const int E = static_cast<int>(p.conv_weight.rows()), W = static_cast<int>(p.conv_weight.cols());
  const int N = static_cast<int>(p.a_log.cols()), R = static_cast<int>(p.dt_proj.cols());
  const int B = batch.batch_size, cols = batch.columns();
  grads.out_proj.noalias() += d_out * c.gated.transpose();
  c.d_gated.noalias() = p.out_proj.transpose() * d_out;  // dL/d(y ⊙ SiLU(z))
  c.d_xz.resize(2 * E, cols);
  const auto z = c.xz.bottomRows(E).array();
  c.d_xz.bottomRows(E) = (c.d_gated.array() * c.y.array() * silu_grad(z)).matrix();  // dz
  c.d_gated.array() *= z * sigmoid(z);                                               // now dL/dy
  grads.d += (c.d_gated.array() * c.xa.array()).rowwise().sum().matrix();
  c.d_xa = p.d.asDiagonal() * c.d_gated;  // the D skip
  c.d_delta.setZero(E, cols);
  c.d_xdbl.setZero(R + 2 * N, cols);
  c.states.resize(static_cast<Eigen::Index>(E) * N, batch.max_length);
  c.w.resize(E);
  for (int b = 0; b < B; ++b) {
    const int len = batch.lengths[b];
    if (len == 0) continue;
    scan(o.negative_eigenvalues, E, N, R, len, B, b, c.a.data(), c.delta.data(), c.xa.data(), c.xdbl.data(),
         p.d.data(), c.y.data(), c.h.data(), c.states.data());
    scan_backward(o.negative_eigenvalues, E, N, R, len, B, b, c.a.data(), c.delta.data(), c.xa.data(),
                  c.xdbl.data(), c.states.data(), c.d_gated.data(), c.d_delta.data(), c.d_xa.data(), c.d_xdbl.data(),
                  grads.a_log.data(), c.h.data(), c.w.data());
  }
  // delta = softplus(dt_proj dt + bias)
  c.d_delta = c.d_delta.binaryExpr(c.dt_pre, [](T g, T x) { return g * softplus_grad(x); });
  zero_padding(batch, c.d_delta);
  grads.dt_proj.noalias() += c.d_delta * c.xdbl.topRows(R).transpose();
  grads.dt_bias += c.d_delta.rowwise().sum();
  c.d_xdbl.topRows(R).noalias() = p.dt_proj.transpose() * c.d_delta;
  // xdbl = x_proj x
  grads.x_proj.noalias() += c.d_xdbl * c.xa.transpose();
  c.d_xa.noalias() += p.x_proj.transpose() * c.d_xdbl;
  // x = SiLU(conv), conv = bias + Σ_k w_k x_{t-W+1+k}
  c.d_xa.array() *= silu_grad(c.conv.array());  // now dL/dconv (zero in padding)
  grads.conv_bias += c.d_xa.rowwise().sum();
  c.d_xz.topRows(E).setZero();
  for (int t = 0; t < batch.max_length; ++t) {
    for (int b = 0; b < batch.active[t]; ++b) {
      const auto d_conv = c.d_xa.col(t * B + b);
      for (int k = std::max(0, W - 1 - t); k < W; ++k) {
        const int s = (t - W + 1 + k) * B + b;
        grads.conv_weight.col(k) += d_conv.cwiseProduct(c.xz.col(s).head(E));
        c.d_xz.col(s).head(E) += p.conv_weight.col(k).cwiseProduct(d_conv);
      }
    }
  }
  grads.in_proj.noalias() += c.d_xz * u.transpose();
  d_u.noalias() = p.in_proj.transpose() * c.d_xz;
}

#define STATELAB_INSTANTIATE(T)                                                                                   \
  template void mamba_forward(const MambaOptions&, const MambaParams<T>&, const SequenceBatch&, const Matrix<T>&, \
                              MambaCache<T>&, Matrix<T>&);                                                        \
  template void mamba_backward(const MambaOptions&, const MambaParams<T>&, const SequenceBatch&, const Matrix<T>&, \
                               MambaCache<T>&, const Matrix<T>&, MambaGrads<T>&, Matrix<T>&);
STATELAB_INSTANTIATE(float)
STATELAB_INSTANTIATE(double)
#undef STATELAB_INSTANTIATE

}  // namespace statelab::models
