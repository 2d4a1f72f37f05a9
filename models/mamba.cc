#include "models/mamba.h"

#include <cassert>
#include <cmath>

namespace statelab::models {

namespace {

template <typename Derived>
auto sigmoid(const Eigen::ArrayBase<Derived>& x) {
  using T = typename Derived::Scalar;
  return (T(1) + (-x).exp()).inverse();
}

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

// The selective scan of sequence b: y at its positions (y_t = h_t C_t + D x_t) and, when keep,
// the state after every step in cache.states.  Negative selects the transition 2 exp(delta A) - 1.
template <bool negative, typename T>
void scan_sequence(const MambaParams<T>& p, const SequenceBatch& batch, int b, MambaCache<T>& c, bool keep) {
  const int B = batch.batch_size, E = static_cast<int>(c.a.rows()), N = static_cast<int>(c.a.cols());
  const int R = static_cast<int>(p.dt_proj.cols());
  c.h.setZero();
  for (int t = 0; t < batch.lengths[b]; ++t) {
    const int j = t * B + b;
    const auto dl = c.delta.col(j).array();
    c.v = (dl * c.xa.col(j).array()).matrix();  // delta ⊙ x
    auto y = c.y.col(j);
    y = p.d.cwiseProduct(c.xa.col(j));  // D x
    for (int n = 0; n < N; ++n) {
      const T bn = c.xdbl(R + n, j), cn = c.xdbl(R + N + n, j);
      auto h = c.h.col(n).array();
      if constexpr (negative) h = (T(2) * (c.a.col(n).array() * dl).exp() - T(1)) * h + c.v.array() * bn;
      else h = (c.a.col(n).array() * dl).exp() * h + c.v.array() * bn;
      y.array() += h * cn;
      if (keep) c.states.col(t).segment(static_cast<Eigen::Index>(n) * E, E) = c.h.col(n);
    }
  }
}

// Backward of the scan of sequence b: adds into d_xa, d_delta, d_xdbl (B and C rows) and
// grads.a_log; reads dL/dy from d_gated.  Needs cache.states from scan_sequence(keep).
template <bool negative, typename T>
void scan_sequence_backward(const SequenceBatch& batch, int b, MambaCache<T>& c, MambaGrads<T>& grads, int R) {
  const int B = batch.batch_size, E = static_cast<int>(c.a.rows()), N = static_cast<int>(c.a.cols());
  c.h.setZero();  // dL/dh
  for (int t = batch.lengths[b] - 1; t >= 0; --t) {
    const int j = t * B + b;
    const auto dy = c.d_gated.col(j).array();
    const auto dl = c.delta.col(j).array();
    const auto x = c.xa.col(j).array();
    c.v = (dl * x).matrix();
    c.w.setZero(E);  // dL/d(delta ⊙ x)
    auto d_delta = c.d_delta.col(j).array();
    for (int n = 0; n < N; ++n) {
      const T bn = c.xdbl(R + n, j), cn = c.xdbl(R + N + n, j);
      const auto h_t = c.states.col(t).segment(static_cast<Eigen::Index>(n) * E, E).array();
      auto g = c.h.col(n).array();
      c.d_xdbl(R + N + n, j) = (h_t * dy).sum();  // dC_n = Σ_e h dy
      g += dy * cn;                                // dh += dy C_n
      c.w.array() += g * bn;
      c.d_xdbl(R + n, j) = (g * c.v.array()).sum();  // dB_n = Σ_e dh (delta x)
      c.s = (c.a.col(n).array() * dl).exp().matrix();  // exp(delta A)
      const auto da = c.s.array();
      if (t > 0) {
        const auto h_prev = c.states.col(t - 1).segment(static_cast<Eigen::Index>(n) * E, E).array();
        // d(delta A) = dh ⊙ h_{t-1} ⊙ d(transition)/d(delta A), the derivative being (2) exp(delta A)
        const T factor = negative ? T(2) : T(1);
        c.r = (factor * g * h_prev * da).matrix();
        d_delta += c.r.array() * c.a.col(n).array();
        grads.a_log.col(n).array() += c.r.array() * dl * c.a.col(n).array();  // dA/dA_log = A
      }
      if constexpr (negative) g *= T(2) * da - T(1);  // dh_{t-1} = dh ⊙ transition
      else g *= da;
    }
    d_delta += c.w.array() * x;
    c.d_xa.col(j).array() += c.w.array() * dl;
  }
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
  for (int b = 0; b < B; ++b) {
    if (o.negative_eigenvalues) scan_sequence<true>(p, batch, b, c, false);
    else scan_sequence<false>(p, batch, b, c, false);
  }
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
  for (int b = 0; b < B; ++b) {
    if (batch.lengths[b] == 0) continue;
    if (o.negative_eigenvalues) {
      scan_sequence<true>(p, batch, b, c, true);
      scan_sequence_backward<true>(batch, b, c, grads, R);
    } else {
      scan_sequence<false>(p, batch, b, c, true);
      scan_sequence_backward<false>(batch, b, c, grads, R);
    }
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
