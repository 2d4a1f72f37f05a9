#include "models/s4d.h"

#include <cassert>
#include <cmath>
#include <complex>

#include "models/simd.h"

namespace statelab::models {

namespace {

template <typename T>
using Complex = std::complex<T>;

// e^z - 1 without cancellation for small |z|:  e^x cos y - 1 = expm1(x) cos y - 2 sin²(y/2).
template <typename T>
Complex<T> expm1(Complex<T> z) {
  const T s = std::sin(z.imag() / 2);
  return {std::expm1(z.real()) * std::cos(z.imag()) - 2 * s * s, std::exp(z.real()) * std::sin(z.imag())};
}

// Everything about channel h, state n that the discretisation and its derivatives need.
template <typename T>
struct Mode {
  T dt, ea, aim, r, alpha, alpha_prime;  // ea = exp(log_a_real); alpha = r or 2r - 1; alpha' = 1 or 2
  Complex<T> a, e, abar0, abar, b, bbar, c, hold;  // A, e^{i dt a_imag}, exp(dt A), the transition, B, Bbar, C, expm1(dt A)/A
};

template <typename T>
Mode<T> mode(const S4dOptions& o, const S4dParams<T>& p, int h, int n) {
  const int N = static_cast<int>(p.log_a_real.cols());
  Mode<T> m;
  m.dt = std::exp(p.log_dt(h));
  m.ea = std::exp(p.log_a_real(h, n));
  m.aim = p.a_imag(h, n);
  m.a = {-m.ea, m.aim};
  m.r = std::exp(-m.dt * m.ea);
  m.e = std::polar(T(1), m.dt * m.aim);
  m.abar0 = m.r * m.e;
  m.alpha = o.negative_eigenvalues ? 2 * m.r - 1 : m.r;
  m.alpha_prime = o.negative_eigenvalues ? T(2) : T(1);
  m.abar = m.alpha * m.e;
  const std::size_t k = (static_cast<std::size_t>(h) * N + n) * 2;
  m.b = {p.b(k), p.b(k + 1)};
  m.c = {p.c(k), p.c(k + 1)};
  m.hold = expm1(m.dt * m.a) / m.a;
  m.bbar = m.hold * m.b;
  return m;
}

// Abar, Bbar and C as (H, N) real and imaginary arrays.  Time O(H N).
template <typename T>
void discretise(const S4dOptions& o, const S4dParams<T>& p, S4dCache<T>& c) {
  const int H = static_cast<int>(p.log_a_real.rows()), N = static_cast<int>(p.log_a_real.cols());
  for (auto* a : {&c.ar, &c.ai, &c.br, &c.bi, &c.cr, &c.ci, &c.hr, &c.hi, &c.gr, &c.gi, &c.tmp, &c.g_ar, &c.g_ai,
                  &c.g_br, &c.g_bi, &c.g_cr, &c.g_ci})
    a->resize(H, N);
  for (int n = 0; n < N; ++n) {
    for (int h = 0; h < H; ++h) {
      const Mode<T> m = mode(o, p, h, n);
      c.ar(h, n) = m.abar.real(), c.ai(h, n) = m.abar.imag();
      c.br(h, n) = m.bbar.real(), c.bi(h, n) = m.bbar.imag();
      c.cr(h, n) = m.c.real(), c.ci(h, n) = m.c.imag();
    }
  }
}

// Re(conj(u) g): the derivative of L along a real parameter whose complex effect is u.
template <typename T>
T along(Complex<T> u, Complex<T> g) {
  return u.real() * g.real() + u.imag() * g.imag();
}

// From dL/dAbar, dL/dBbar, dL/dC (cache.g_*) to the parameters.  Time O(H N).
template <typename T>
void parameter_gradients(const S4dOptions& o, const S4dParams<T>& p, const S4dCache<T>& c, S4dGrads<T>& g) {
  const int H = static_cast<int>(p.log_a_real.rows()), N = static_cast<int>(p.log_a_real.cols());
  const Complex<T> i(0, 1);
  for (int h = 0; h < H; ++h) {
    T d_dt = 0;
    for (int n = 0; n < N; ++n) {
      const Mode<T> m = mode(o, p, h, n);
      const Complex<T> g_abar(c.g_ar(h, n), c.g_ai(h, n)), g_bbar(c.g_br(h, n), c.g_bi(h, n));
      // Transition alpha(r) e^{i dt a_imag} with r = exp(-dt e^{log_a_real}).
      const Complex<T> abar_dt = m.alpha_prime * (-m.ea * m.r) * m.e + m.alpha * i * m.aim * m.e;
      const Complex<T> abar_lar = m.alpha_prime * (-m.dt * m.ea * m.r) * m.e;
      const Complex<T> abar_aim = m.alpha * i * m.dt * m.e;
      // Bbar = expm1(dt A) / A B:  d/ddt = exp(dt A) B,  d/dA = B (dt exp(dt A) A - expm1(dt A)) / A².
      const Complex<T> q = m.b * (m.dt * m.abar0 - m.hold) / m.a;
      const Complex<T> bbar_dt = m.abar0 * m.b, bbar_lar = -m.ea * q, bbar_aim = i * q;
      d_dt += along(abar_dt, g_abar) + along(bbar_dt, g_bbar);
      g.log_a_real(h, n) += along(abar_lar, g_abar) + along(bbar_lar, g_bbar);
      g.a_imag(h, n) += along(abar_aim, g_abar) + along(bbar_aim, g_bbar);
      const Complex<T> g_b = std::conj(m.hold) * g_bbar;
      const std::size_t k = (static_cast<std::size_t>(h) * N + n) * 2;
      g.b(k) += g_b.real(), g.b(k + 1) += g_b.imag();
      g.c(k) += c.g_cr(h, n), g.c(k + 1) += c.g_ci(h, n);
    }
    g.log_dt(h) += std::exp(p.log_dt(h)) * d_dt;  // d dt / d log_dt = dt
  }
}

}  // namespace

namespace {

// The recurrence over one sequence of `len` positions (columns j = t*B + b), as plain loops the
// compiler vectorises over the H channels of each state (simd.h).  (H, N) arrays are column-major
// (state n's channels contiguous): ar, ai, br, bi, cr, ci are Abar, Bbar, C; hr, hi the state.
//   h = Abar h + Bbar x_t,   y_t = Re(Σ_n C h) + D x_t
// When states_r/i are given, the state after step t is written at + t*H*N.
template <typename T>
[[gnu::always_inline]] inline void scan_kernel(int H, int N, int len, int B, int b, const T* __restrict ar,
                                               const T* __restrict ai, const T* __restrict br,
                                               const T* __restrict bi, const T* __restrict cr,
                                               const T* __restrict ci, const T* __restrict d, const T* __restrict x,
                                               T* __restrict y, T* __restrict hr, T* __restrict hi,
                                               T* __restrict states_r, T* __restrict states_i) {
  const std::ptrdiff_t size = static_cast<std::ptrdiff_t>(H) * N;
  std::fill(hr, hr + size, T(0));
  std::fill(hi, hi + size, T(0));
  for (int t = 0; t < len; ++t) {
    const std::ptrdiff_t j = static_cast<std::ptrdiff_t>(t) * B + b;
    const T* xt = x + j * H;
    T* yt = y + j * H;
    for (int h = 0; h < H; ++h) yt[h] = d[h] * xt[h];
    for (int n = 0; n < N; ++n) {
      const std::ptrdiff_t o = static_cast<std::ptrdiff_t>(n) * H;
#pragma GCC ivdep
      for (int h = 0; h < H; ++h) {
        const std::ptrdiff_t i = o + h;
        const T re = ar[i] * hr[i] - ai[i] * hi[i] + br[i] * xt[h];
        const T im = ar[i] * hi[i] + ai[i] * hr[i] + bi[i] * xt[h];
        hr[i] = re;
        hi[i] = im;
        yt[h] += cr[i] * re - ci[i] * im;
      }
    }
    if (states_r) {
      std::copy(hr, hr + size, states_r + t * size);
      std::copy(hi, hi + size, states_i + t * size);
    }
  }
}

// Backward of scan_kernel for one sequence given its states: reads dL/dy, writes dL/dx at the
// sequence's columns, adds dL/dAbar, dL/dBbar, dL/dC (conjugate convention) into g_*; gr, gi
// (H, N) scratch for dL/dh.
template <typename T>
[[gnu::always_inline]] inline void scan_backward_kernel(
    int H, int N, int len, int B, int b, const T* __restrict ar, const T* __restrict ai, const T* __restrict br,
    const T* __restrict bi, const T* __restrict cr, const T* __restrict ci, const T* __restrict d,
    const T* __restrict x, const T* __restrict states_r, const T* __restrict states_i, const T* __restrict d_y,
    T* __restrict d_x, T* __restrict gr, T* __restrict gi, T* __restrict g_ar, T* __restrict g_ai,
    T* __restrict g_br, T* __restrict g_bi, T* __restrict g_cr, T* __restrict g_ci) {
  const std::ptrdiff_t size = static_cast<std::ptrdiff_t>(H) * N;
  std::fill(gr, gr + size, T(0));
  std::fill(gi, gi + size, T(0));
  for (int t = len - 1; t >= 0; --t) {
    const std::ptrdiff_t j = static_cast<std::ptrdiff_t>(t) * B + b;
    const T* dy = d_y + j * H;
    const T* xt = x + j * H;
    T* dxt = d_x + j * H;
    const T* hr = states_r + t * size;
    const T* hi = states_i + t * size;
    for (int h = 0; h < H; ++h) dxt[h] = d[h] * dy[h];
    for (int n = 0; n < N; ++n) {
      const std::ptrdiff_t o = static_cast<std::ptrdiff_t>(n) * H;
#pragma GCC ivdep
      for (int h = 0; h < H; ++h) {
        const std::ptrdiff_t i = o + h;
        gr[i] += cr[i] * dy[h];  // dh += dy conj(C)
        gi[i] -= ci[i] * dy[h];
        g_cr[i] += hr[i] * dy[h];  // dC += dy conj(h)
        g_ci[i] -= hi[i] * dy[h];
        g_br[i] += gr[i] * xt[h];  // dBbar += x dh
        g_bi[i] += gi[i] * xt[h];
        dxt[h] += br[i] * gr[i] + bi[i] * gi[i];  // dx += Re(conj(Bbar) dh)
      }
      if (t == 0) continue;
      const T* pr = hr - size;  // h_{t-1}
      const T* pi = hi - size;
#pragma GCC ivdep
      for (int h = 0; h < H; ++h) {
        const std::ptrdiff_t i = o + h;
        g_ar[i] += pr[i] * gr[i] + pi[i] * gi[i];  // dAbar += conj(h_{t-1}) dh
        g_ai[i] += pr[i] * gi[i] - pi[i] * gr[i];
        const T re = ar[i] * gr[i] + ai[i] * gi[i];  // dh_{t-1} = conj(Abar) dh
        gi[i] = ar[i] * gi[i] - ai[i] * gr[i];
        gr[i] = re;
      }
    }
  }
}

// The kernels above, compiled for each instruction set (simd.h).
STATELAB_SIMD_CLONES void scan(int H, int N, int len, int B, int b, const float* ar, const float* ai,
                               const float* br, const float* bi, const float* cr, const float* ci, const float* d,
                               const float* x, float* y, float* hr, float* hi, float* states_r, float* states_i) {
  scan_kernel(H, N, len, B, b, ar, ai, br, bi, cr, ci, d, x, y, hr, hi, states_r, states_i);
}
void scan(int H, int N, int len, int B, int b, const double* ar, const double* ai, const double* br, const double* bi,
          const double* cr, const double* ci, const double* d, const double* x, double* y, double* hr, double* hi,
          double* states_r, double* states_i) {
  scan_kernel(H, N, len, B, b, ar, ai, br, bi, cr, ci, d, x, y, hr, hi, states_r, states_i);
}
STATELAB_SIMD_CLONES void scan_backward(int H, int N, int len, int B, int b, const float* ar, const float* ai,
                                        const float* br, const float* bi, const float* cr, const float* ci,
                                        const float* d, const float* x, const float* states_r,
                                        const float* states_i, const float* d_y, float* d_x, float* gr, float* gi,
                                        float* g_ar, float* g_ai, float* g_br, float* g_bi, float* g_cr,
                                        float* g_ci) {
  scan_backward_kernel(H, N, len, B, b, ar, ai, br, bi, cr, ci, d, x, states_r, states_i, d_y, d_x, gr, gi, g_ar,
                       g_ai, g_br, g_bi, g_cr, g_ci);
}
void scan_backward(int H, int N, int len, int B, int b, const double* ar, const double* ai, const double* br,
                   const double* bi, const double* cr, const double* ci, const double* d, const double* x,
                   const double* states_r, const double* states_i, const double* d_y, double* d_x, double* gr,
                   double* gi, double* g_ar, double* g_ai, double* g_br, double* g_bi, double* g_cr, double* g_ci) {
  scan_backward_kernel(H, N, len, B, b, ar, ai, br, bi, cr, ci, d, x, states_r, states_i, d_y, d_x, gr, gi, g_ar,
                       g_ai, g_br, g_bi, g_cr, g_ci);
}

// The kernel K (T, H): K(k, h) = Re(Σ_n C Bbar Abar^k).  Time O(T H N).
template <typename T>
void make_kernel(int length, S4dCache<T>& c) {
  c.wr = c.cr * c.br - c.ci * c.bi;  // W = C Bbar
  c.wi = c.cr * c.bi + c.ci * c.br;
  c.hr.setOnes();  // p = Abar^k
  c.hi.setZero();
  c.kernel.resize(length, c.ar.rows());
  for (int k = 0; k < length; ++k) {
    c.kernel.row(k) = (c.wr * c.hr - c.wi * c.hi).rowwise().sum().transpose();
    c.tmp = c.hr * c.ar - c.hi * c.ai;
    c.hi = c.hr * c.ai + c.hi * c.ar;
    c.hr.swap(c.tmp);
  }
}

// toeplitz(s, t) = K(t - s, h) for s <= t (the strict lower part stays zero).
template <typename T>
void fill_toeplitz(const S4dCache<T>& c, int h, Matrix<T>& toeplitz) {
  const int T_ = static_cast<int>(toeplitz.rows());
  for (int t = 0; t < T_; ++t) toeplitz.col(t).head(t + 1) = c.kernel.col(h).head(t + 1).reverse();
}

}  // namespace

template <typename T>
void s4d_forward(const S4dOptions& o, const S4dParams<T>& p, const SequenceBatch& batch, const Matrix<T>& x,
                 S4dCache<T>& c, Matrix<T>& y) {
  const int H = static_cast<int>(p.log_dt.size()), B = batch.batch_size, T_ = batch.max_length;
  assert(x.rows() == H && x.cols() == batch.columns());
  discretise(o, p, c);
  y.resize(H, x.cols());
  if (!o.convolution) {
    for (int b = 0; b < B; ++b)
      scan(H, static_cast<int>(c.ar.cols()), batch.lengths[b], B, b, c.ar.data(), c.ai.data(), c.br.data(),
           c.bi.data(), c.cr.data(), c.ci.data(), p.d.data(), x.data(), y.data(), c.hr.data(), c.hi.data(),
           static_cast<T*>(nullptr), static_cast<T*>(nullptr));
    zero_padding(batch, y);
    return;
  }
  make_kernel(T_, c);
  c.x_t = x.transpose();  // (T*B, H): channel h is a (B, T) column-major block
  c.y_t.resize(x.cols(), H);
  c.toeplitz.setZero(T_, T_);
  for (int h = 0; h < H; ++h) {
    fill_toeplitz(c, h, c.toeplitz);
    Eigen::Map<const Matrix<T>> xh(c.x_t.col(h).data(), B, T_);
    Eigen::Map<Matrix<T>> yh(c.y_t.col(h).data(), B, T_);
    yh.noalias() = xh * c.toeplitz;  // y_t = Σ_{s<=t} K_{t-s} x_s
  }
  y = c.y_t.transpose();
  y += p.d.asDiagonal() * x;  // + D x
  zero_padding(batch, y);
}

template <typename T>
void s4d_backward(const S4dOptions& o, const S4dParams<T>& p, const SequenceBatch& batch, const Matrix<T>& x,
                  S4dCache<T>& c, const Matrix<T>& d_y, S4dGrads<T>& grads, Matrix<T>& d_x) {
  const int H = static_cast<int>(p.log_dt.size()), N = static_cast<int>(p.log_a_real.cols());
  const int B = batch.batch_size, T_ = batch.max_length;
  for (auto* a : {&c.g_ar, &c.g_ai, &c.g_br, &c.g_bi, &c.g_cr, &c.g_ci}) a->setZero();
  d_x.resize(H, x.cols());
  grads.d += (d_y.array() * x.array()).rowwise().sum().matrix();  // dD = Σ dy x (padding is zero)
  if (!o.convolution) {
    c.states_r.resize(static_cast<Eigen::Index>(H) * N, T_);
    c.states_i.resize(static_cast<Eigen::Index>(H) * N, T_);
    d_x.setZero();
    c.y_t.resize(H, x.cols());  // the recomputed outputs (not needed)
    for (int b = 0; b < B; ++b) {
      const int len = batch.lengths[b];
      if (len == 0) continue;
      scan(H, N, len, B, b, c.ar.data(), c.ai.data(), c.br.data(), c.bi.data(), c.cr.data(), c.ci.data(),
           p.d.data(), x.data(), c.y_t.data(), c.hr.data(), c.hi.data(), c.states_r.data(), c.states_i.data());
      scan_backward(H, N, len, B, b, c.ar.data(), c.ai.data(), c.br.data(), c.bi.data(), c.cr.data(), c.ci.data(),
                    p.d.data(), x.data(), c.states_r.data(), c.states_i.data(), d_y.data(), d_x.data(),
                    c.gr.data(), c.gi.data(), c.g_ar.data(), c.g_ai.data(), c.g_br.data(), c.g_bi.data(),
                    c.g_cr.data(), c.g_ci.data());
    }
    zero_padding(batch, d_x);
    parameter_gradients(o, p, c, grads);
    return;
  }

  // Convolution: dK(k, h) = Σ over s, b of dy_{s+k} x_s; dx_s = Σ_k K_k dy_{s+k}.
  c.x_t = x.transpose();
  c.y_t = d_y.transpose();
  c.d_kernel.resize(T_, H);
  c.toeplitz.setZero(T_, T_);
  for (int h = 0; h < H; ++h) {
    fill_toeplitz(c, h, c.toeplitz);
    Eigen::Map<Matrix<T>> xh(c.x_t.col(h).data(), B, T_);
    Eigen::Map<const Matrix<T>> dyh(c.y_t.col(h).data(), B, T_);
    c.d_toeplitz.noalias() = xh.transpose() * dyh;  // (T, T) dL/dtoeplitz
    for (int k = 0; k < T_; ++k) c.d_kernel(k, h) = c.d_toeplitz.diagonal(k).sum();
    xh.noalias() = dyh * c.toeplitz.transpose();  // x_t's block h now holds dL/dx (x is not needed again)
  }
  d_x = c.x_t.transpose();
  d_x += p.d.asDiagonal() * d_y;
  zero_padding(batch, d_x);
  // K_k = Re(Σ_n W Abar^k):  dW = Σ_k dK_k conj(Abar^k),  dAbar = Σ_k dK_k conj(W k Abar^(k-1)).
  c.hr.setOnes();  // p = Abar^k
  c.hi.setZero();
  c.qr.setZero(H, N);  // q = k Abar^(k-1)
  c.qi.setZero(H, N);
  Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic>& g_wr = c.gr;
  Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic>& g_wi = c.gi;
  g_wr.setZero();
  g_wi.setZero();
  for (int k = 0; k < T_; ++k) {
    const auto dk = c.d_kernel.row(k).transpose().array();
    g_wr += c.hr.colwise() * dk;
    g_wi -= c.hi.colwise() * dk;
    c.g_ar += (c.wr * c.qr - c.wi * c.qi).colwise() * dk;
    c.g_ai -= (c.wr * c.qi + c.wi * c.qr).colwise() * dk;
    c.tmp = c.qr * c.ar - c.qi * c.ai + c.hr;  // q = q Abar + p
    c.qi = c.qr * c.ai + c.qi * c.ar + c.hi;
    c.qr.swap(c.tmp);
    c.tmp = c.hr * c.ar - c.hi * c.ai;  // p = p Abar
    c.hi = c.hr * c.ai + c.hi * c.ar;
    c.hr.swap(c.tmp);
  }
  c.g_cr = c.br * g_wr + c.bi * g_wi;  // dC = conj(Bbar) dW
  c.g_ci = c.br * g_wi - c.bi * g_wr;
  c.g_br = c.cr * g_wr + c.ci * g_wi;  // dBbar = conj(C) dW
  c.g_bi = c.cr * g_wi - c.ci * g_wr;
  parameter_gradients(o, p, c, grads);
}

#define STATELAB_INSTANTIATE(T)                                                                                   \
  template void s4d_forward(const S4dOptions&, const S4dParams<T>&, const SequenceBatch&, const Matrix<T>&,       \
                            S4dCache<T>&, Matrix<T>&);                                                            \
  template void s4d_backward(const S4dOptions&, const S4dParams<T>&, const SequenceBatch&, const Matrix<T>&,      \
                             S4dCache<T>&, const Matrix<T>&, S4dGrads<T>&, Matrix<T>&);
STATELAB_INSTANTIATE(float)
STATELAB_INSTANTIATE(double)
#undef STATELAB_INSTANTIATE

}  // namespace statelab::models
