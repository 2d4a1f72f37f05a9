#include "models/cdssm.h"

#include <algorithm>
#include <cmath>

#include "models/activation.h"
#include "models/causal_conv.h"

namespace statelab::models {

namespace {

using scalar::sigmoid;
using scalar::silu;
using scalar::silu_grad;
using scalar::softplus;

}  // namespace

template <typename T>
void cdssm_forward(const CdssmOptions& o, const CdssmParams<T>& p, const SequenceBatch& batch, const Matrix<T>& u,
                   CdssmCache<T>& c, Matrix<T>& out) {
  const int E = static_cast<int>(p.d.size()), N = o.state_size, R = static_cast<int>(p.dt_proj.cols());
  const int B = batch.batch_size;
  c.xz.noalias() = p.in_proj * u;
  c.x_pre = c.xz.topRows(E);
  causal_conv(p.conv_weight, batch, c.x_pre, c.conv);
  c.conv.colwise() += p.conv_bias;
  zero_padding(batch, c.conv);
  c.xa = c.conv.unaryExpr([](T x) { return silu(x); });
  c.xdbl.noalias() = p.x_proj * c.xa;
  c.dt_pre.noalias() = p.dt_proj * c.xdbl.topRows(R);
  c.dt_pre.colwise() += p.dt_bias;
  c.delta = c.dt_pre.unaryExpr([](T x) { return softplus(x); });
  c.y.setZero(E, u.cols());
  const Matrix<T> a = p.a_log.array().exp().matrix();  // (E, N)
  Matrix<T> hr(E, N), hi(E, N);
  for (int b = 0; b < B; ++b) {
    hr.setZero();
    hi.setZero();
    for (int t = 0; t < batch.lengths[b]; ++t) {
      const Eigen::Index j = static_cast<Eigen::Index>(t) * B + b;
      for (int n = 0; n < N; ++n) {
        const T bn = c.xdbl(R + n, j), cn = c.xdbl(R + N + n, j), th = c.xdbl(R + 2 * N + n, j);
        const T cs = std::cos(th), sn = std::sin(th);
        for (int e = 0; e < E; ++e) {
          const T r = std::exp(-c.delta(e, j) * a(e, n)), lr = r * cs, li = r * sn;
          const T pr = hr(e, n), pi = hi(e, n);
          hr(e, n) = lr * pr - li * pi + c.delta(e, j) * c.xa(e, j) * bn;
          hi(e, n) = li * pr + lr * pi;
          c.y(e, j) += hr(e, n) * cn;
        }
      }
      c.y.col(j) += (p.d.array() * c.xa.col(j).array()).matrix();
    }
  }
  c.gated = c.y.binaryExpr(c.xz.bottomRows(E), [](T y, T z) { return y * silu(z); });
  out.noalias() = p.out_proj * c.gated;  // zero in padding: y and z are
}

template <typename T>
void cdssm_backward(const CdssmOptions& o, const CdssmParams<T>& p, const SequenceBatch& batch, const Matrix<T>& u,
                    CdssmCache<T>& c, const Matrix<T>& d_out, CdssmGrads<T>& g, Matrix<T>& d_u) {
  const int E = static_cast<int>(p.d.size()), N = o.state_size, R = static_cast<int>(p.dt_proj.cols());
  const int B = batch.batch_size;
  const Eigen::Index cols = u.cols();
  g.out_proj.noalias() += d_out * c.gated.transpose();
  c.d_gated.noalias() = p.out_proj.transpose() * d_out;
  c.d_xz.resize(2 * E, cols);
  c.d_y = c.d_gated.binaryExpr(c.xz.bottomRows(E), [](T dg, T z) { return dg * silu(z); });
  for (Eigen::Index j = 0; j < cols; ++j)
    for (int e = 0; e < E; ++e)
      c.d_xz(E + e, j) = c.d_gated(e, j) * c.y(e, j) * silu_grad(c.xz(E + e, j));
  // D skip.
  g.d += (c.d_y.array() * c.xa.array()).rowwise().sum().matrix();
  c.d_xa = (c.d_y.array().colwise() * p.d.array()).matrix();
  c.d_xdbl.setZero(R + 3 * N, cols);
  c.d_delta.setZero(E, cols);
  const Matrix<T> a = p.a_log.array().exp().matrix();
  Matrix<T> gr(E, N), gi(E, N);
  for (int b = 0; b < B; ++b) {
    const int len = batch.lengths[b];
    c.hr.resize(static_cast<Eigen::Index>(E) * N, len);
    c.hi.resize(static_cast<Eigen::Index>(E) * N, len);
    for (int t = 0; t < len; ++t) {  // the states, recomputed as forward does
      const Eigen::Index j = static_cast<Eigen::Index>(t) * B + b;
      for (int n = 0; n < N; ++n) {
        const T bn = c.xdbl(R + n, j), th = c.xdbl(R + 2 * N + n, j);
        const T cs = std::cos(th), sn = std::sin(th);
        for (int e = 0; e < E; ++e) {
          const Eigen::Index k = static_cast<Eigen::Index>(n) * E + e;
          const T r = std::exp(-c.delta(e, j) * a(e, n)), lr = r * cs, li = r * sn;
          const T pr = t > 0 ? c.hr(k, t - 1) : T(0), pi = t > 0 ? c.hi(k, t - 1) : T(0);
          c.hr(k, t) = lr * pr - li * pi + c.delta(e, j) * c.xa(e, j) * bn;
          c.hi(k, t) = li * pr + lr * pi;
        }
      }
    }
    gr.setZero();  // dL/dRe(h_t), dL/dIm(h_t), carried back in time
    gi.setZero();
    for (int t = len - 1; t >= 0; --t) {
      const Eigen::Index j = static_cast<Eigen::Index>(t) * B + b;
      for (int n = 0; n < N; ++n) {
        const T bn = c.xdbl(R + n, j), cn = c.xdbl(R + N + n, j), th = c.xdbl(R + 2 * N + n, j);
        const T cs = std::cos(th), sn = std::sin(th);
        T d_b = 0, d_c = 0, d_th = 0;
        for (int e = 0; e < E; ++e) {
          const Eigen::Index k = static_cast<Eigen::Index>(n) * E + e;
          const T dy = c.d_y(e, j), dl = c.delta(e, j), x = c.xa(e, j);
          d_c += dy * c.hr(k, t);
          T g_r = gr(e, n) + dy * cn, g_i = gi(e, n);
          // h = lambda h_prev + delta x B (real).
          c.d_xa(e, j) += g_r * dl * bn;
          c.d_delta(e, j) += g_r * x * bn;
          d_b += g_r * dl * x;
          const T r = std::exp(-dl * a(e, n)), lr = r * cs, li = r * sn;
          const T pr = t > 0 ? c.hr(k, t - 1) : T(0), pi = t > 0 ? c.hi(k, t - 1) : T(0);
          const T d_lr = g_r * pr + g_i * pi, d_li = -g_r * pi + g_i * pr;
          const T d_r = d_lr * cs + d_li * sn;
          d_th += -d_lr * li + d_li * lr;
          c.d_delta(e, j) += d_r * (-a(e, n) * r);
          g.a_log(e, n) += d_r * (-dl * a(e, n) * r);
          gr(e, n) = lr * g_r + li * g_i;  // conj(lambda) g
          gi(e, n) = -li * g_r + lr * g_i;
        }
        c.d_xdbl(R + n, j) += d_b;
        c.d_xdbl(R + N + n, j) += d_c;
        c.d_xdbl(R + 2 * N + n, j) += d_th;
      }
    }
  }
  // delta = softplus(dt_proj dt + bias).
  c.d_delta = c.d_delta.binaryExpr(c.dt_pre, [](T dd, T x) { return x > T(20) ? dd : dd * sigmoid(x); });
  zero_padding(batch, c.d_delta);
  g.dt_bias += c.d_delta.rowwise().sum();
  g.dt_proj.noalias() += c.d_delta * c.xdbl.topRows(R).transpose();
  c.d_xdbl.topRows(R).noalias() += p.dt_proj.transpose() * c.d_delta;
  g.x_proj.noalias() += c.d_xdbl * c.xa.transpose();
  c.d_xa.noalias() += p.x_proj.transpose() * c.d_xdbl;
  zero_padding(batch, c.d_xa);
  c.d_conv = c.d_xa.binaryExpr(c.conv, [](T dx, T x) { return dx * silu_grad(x); });
  g.conv_bias += c.d_conv.rowwise().sum();
  causal_conv_backward(p.conv_weight, batch, c.x_pre, c.d_conv, g.conv_weight, c.d_x_pre);
  c.d_xz.topRows(E) = c.d_x_pre;
  g.in_proj.noalias() += c.d_xz * u.transpose();
  d_u.noalias() = p.in_proj.transpose() * c.d_xz;
}

#define STATELAB_INSTANTIATE(T)                                                                                    \
  template void cdssm_forward(const CdssmOptions&, const CdssmParams<T>&, const SequenceBatch&, const Matrix<T>&,  \
                              CdssmCache<T>&, Matrix<T>&);                                                         \
  template void cdssm_backward(const CdssmOptions&, const CdssmParams<T>&, const SequenceBatch&, const Matrix<T>&, \
                               CdssmCache<T>&, const Matrix<T>&, CdssmGrads<T>&, Matrix<T>&);
STATELAB_INSTANTIATE(float)
STATELAB_INSTANTIATE(double)
#undef STATELAB_INSTANTIATE

}  // namespace statelab::models
