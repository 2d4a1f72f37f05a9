#include "models/deltanet.h"

#include <cassert>
#include <cmath>

#include "models/causal_conv.h"

namespace statelab::models {

namespace {

constexpr double kNormEps = 1e-6;  // q, k: x / sqrt(|x|² + eps)
constexpr double kRmsEps = 1e-5;   // o_norm

template <typename T>
T sigmoid(T x) {
  return T(1) / (T(1) + std::exp(-x));
}

}  // namespace

template <typename T>
DeltaNetParams<T> zero_deltanet(const DeltaNetOptions& o, int H, int W) {
  DeltaNetParams<T> p;
  p.q_proj.setZero(H, H);
  p.k_proj.setZero(H, H);
  p.v_proj.setZero(H, H);
  p.b_proj.setZero(o.heads, H);
  p.q_conv.setZero(H, W);
  p.k_conv.setZero(H, W);
  p.v_conv.setZero(H, W);
  p.o_norm.setZero(H / o.heads);
  p.o_proj.setZero(H, H);
  return p;
}

void init_deltanet(DeltaNetParams<float>& p, Random& random) {
  auto uniform = [&](Matrix<float>& m, double fan_in) {
    const auto bound = static_cast<float>(1.0 / std::sqrt(fan_in));
    for (Eigen::Index k = 0; k < m.size(); ++k) m.data()[k] = random.uniform(-bound, bound);
  };
  const double H = static_cast<double>(p.q_proj.cols()), W = static_cast<double>(p.q_conv.cols());
  uniform(p.q_proj, H);
  uniform(p.k_proj, H);
  uniform(p.v_proj, H);
  uniform(p.b_proj, H);
  uniform(p.q_conv, W);
  uniform(p.k_conv, W);
  uniform(p.v_conv, W);
  p.o_norm.setOnes();
  uniform(p.o_proj, H);
}

template <typename T>
void deltanet_forward(const DeltaNetOptions& o, const DeltaNetParams<T>& p, const SequenceBatch& batch,
                      const Matrix<T>& u, DeltaNetCache<T>& c, Matrix<T>& out) {
  const int H = static_cast<int>(p.q_proj.rows()), h = o.heads, d = H / h, B = batch.batch_size;
  const Eigen::Index N = u.cols();
  const Matrix<T>* proj[3] = {&p.q_proj, &p.k_proj, &p.v_proj};
  const Matrix<T>* conv[3] = {&p.q_conv, &p.k_conv, &p.v_conv};
  for (int s = 0; s < 3; ++s) {
    c.pre[s].noalias() = *proj[s] * u;  // (H, T*B)  W u, zero in padding
    causal_conv(*conv[s], batch, c.pre[s], c.conv[s]);
    c.act[s] = c.conv[s].unaryExpr([](T x) { return x * sigmoid(x); });  // SiLU; zero stays zero
  }
  c.b_pre.noalias() = p.b_proj * u;  // (h, T*B)
  const T beta_scale = o.negative_eigenvalues ? T(2) : T(1);
  c.beta = c.b_pre.unaryExpr([&](T x) { return beta_scale * sigmoid(x); });
  c.qn.resize(H, N);
  c.kn.resize(H, N);
  c.norms.resize(2 * h, N);
  for (Eigen::Index j = 0; j < N; ++j)
    for (int g = 0; g < h; ++g) {
      const T nq = std::sqrt(c.act[0].col(j).segment(g * d, d).squaredNorm() + T(kNormEps));
      const T nk = std::sqrt(c.act[1].col(j).segment(g * d, d).squaredNorm() + T(kNormEps));
      c.norms(g, j) = nq;
      c.norms(h + g, j) = nk;
      c.qn.col(j).segment(g * d, d) = c.act[0].col(j).segment(g * d, d) / nq;
      c.kn.col(j).segment(g * d, d) = c.act[1].col(j).segment(g * d, d) / nk;
    }
  // The delta rule, per sequence and head: S (d x d), column-major.
  c.o.setZero(H, N);
  const T scale = T(1) / std::sqrt(static_cast<T>(d));
  Matrix<T> S(d, d);
  Vector<T> e(d);
  for (int b = 0; b < B; ++b)
    for (int g = 0; g < h; ++g) {
      S.setZero();
      for (int t = 0; t < batch.lengths[b]; ++t) {
        const Eigen::Index j = static_cast<Eigen::Index>(t) * B + b;
        const auto k = c.kn.col(j).segment(g * d, d);
        e.noalias() = S * k;
        e -= c.act[2].col(j).segment(g * d, d);            // e = S k - v
        S.noalias() -= (c.beta(g, j) * e) * k.transpose();  // S -= beta e kᵀ
        c.o.col(j).segment(g * d, d).noalias() = scale * (S * c.qn.col(j).segment(g * d, d));
      }
    }
  // RMSNorm per head, then o_proj.
  c.rms.resize(h, N);
  c.normed.resize(H, N);
  for (Eigen::Index j = 0; j < N; ++j)
    for (int g = 0; g < h; ++g) {
      const auto og = c.o.col(j).segment(g * d, d);
      const T r = T(1) / std::sqrt(og.squaredNorm() / static_cast<T>(d) + T(kRmsEps));
      c.rms(g, j) = r;
      c.normed.col(j).segment(g * d, d) = (og.array() * p.o_norm.array() * r).matrix();
    }
  out.noalias() = p.o_proj * c.normed;  // (H, T*B); zero in padding, where o is zero
}

template <typename T>
void deltanet_backward(const DeltaNetOptions& o, const DeltaNetParams<T>& p, const SequenceBatch& batch,
                       const Matrix<T>& u, DeltaNetCache<T>& c, const Matrix<T>& d_out, DeltaNetGrads<T>& g,
                       Matrix<T>& d_u) {
  const int H = static_cast<int>(p.q_proj.rows()), h = o.heads, d = H / h, B = batch.batch_size;
  const Eigen::Index N = u.cols();
  // out = o_proj normed
  g.o_proj.noalias() += d_out * c.normed.transpose();
  c.d_normed.noalias() = p.o_proj.transpose() * d_out;  // (H, T*B)
  // normed = o r w:  dw += d_normed ⊙ o r;  d_o = r gr - r³ o (gr·o) / d,  gr = d_normed ⊙ w
  c.d_o.resize(H, N);
  for (Eigen::Index j = 0; j < N; ++j)
    for (int k = 0; k < h; ++k) {
      const auto og = c.o.col(j).segment(k * d, d);
      const auto dn = c.d_normed.col(j).segment(k * d, d);
      const T r = c.rms(k, j);
      g.o_norm.array() += dn.array() * og.array() * r;
      const auto gr = dn.array() * p.o_norm.array();  // an expression: nothing allocated per column
      const T gr_o = (gr * og.array()).sum();
      c.d_o.col(j).segment(k * d, d) = (r * gr - (r * r * r * gr_o / static_cast<T>(d)) * og.array()).matrix();
    }
  // The delta rule backward, one (sequence, head) at a time, its states recomputed.
  c.d_qn.setZero(H, N);
  c.d_kn.setZero(H, N);
  c.d_act[2].setZero(H, N);
  c.d_beta.setZero(h, N);
  const T scale = T(1) / std::sqrt(static_cast<T>(d));
  Matrix<T> G(d, d);
  Vector<T> e(d), Gk(d);
  for (int b = 0; b < B; ++b)
    for (int k = 0; k < h; ++k) {
      const int len = batch.lengths[b];
      c.states.resize(static_cast<Eigen::Index>(d) * d, len + 1);
      c.states.col(0).setZero();
      for (int t = 0; t < len; ++t) {  // states.col(t + 1) = S_t
        const Eigen::Index j = static_cast<Eigen::Index>(t) * B + b;
        Eigen::Map<const Matrix<T>> prev(c.states.col(t).data(), d, d);
        Eigen::Map<Matrix<T>> next(c.states.col(t + 1).data(), d, d);
        const auto kv = c.kn.col(j).segment(k * d, d);
        e.noalias() = prev * kv;
        e -= c.act[2].col(j).segment(k * d, d);
        next = prev;
        next.noalias() -= (c.beta(k, j) * e) * kv.transpose();
      }
      G.setZero();  // dL/dS_t, carried back in time
      for (int t = len - 1; t >= 0; --t) {
        const Eigen::Index j = static_cast<Eigen::Index>(t) * B + b;
        Eigen::Map<const Matrix<T>> S_prev(c.states.col(t).data(), d, d), S(c.states.col(t + 1).data(), d, d);
        const auto dot = c.d_o.col(j).segment(k * d, d);
        const auto kv = c.kn.col(j).segment(k * d, d);
        const T beta = c.beta(k, j);
        G.noalias() += (scale * dot) * c.qn.col(j).segment(k * d, d).transpose();  // o = scale S q
        c.d_qn.col(j).segment(k * d, d).noalias() = scale * (S.transpose() * dot);
        e.noalias() = S_prev * kv;
        e -= c.act[2].col(j).segment(k * d, d);  // e = S_{t-1} k - v
        Gk.noalias() = G * kv;
        c.d_beta(k, j) = -e.dot(Gk);
        c.d_act[2].col(j).segment(k * d, d) = beta * Gk;
        c.d_kn.col(j).segment(k * d, d).noalias() = -beta * (S_prev.transpose() * Gk + G.transpose() * e);
        G.noalias() -= (beta * Gk) * kv.transpose();  // dL/dS_{t-1} = G (I - beta k kᵀ)
      }
    }
  // Normalisation: d_x = (d_xn - xn (xn·d_xn)) / n.
  c.d_act[0].resize(H, N);
  c.d_act[1].resize(H, N);
  for (Eigen::Index j = 0; j < N; ++j)
    for (int k = 0; k < h; ++k) {
      const auto qn = c.qn.col(j).segment(k * d, d), kn = c.kn.col(j).segment(k * d, d);
      const auto dq = c.d_qn.col(j).segment(k * d, d), dk = c.d_kn.col(j).segment(k * d, d);
      c.d_act[0].col(j).segment(k * d, d) = (dq - qn * qn.dot(dq)) / c.norms(k, j);
      c.d_act[1].col(j).segment(k * d, d) = (dk - kn * kn.dot(dk)) / c.norms(h + k, j);
    }
  // SiLU, convolution and projections.
  const Matrix<T>* proj[3] = {&p.q_proj, &p.k_proj, &p.v_proj};
  const Matrix<T>* conv[3] = {&p.q_conv, &p.k_conv, &p.v_conv};
  Matrix<T>* d_proj[3] = {&g.q_proj, &g.k_proj, &g.v_proj};
  Matrix<T>* d_conv[3] = {&g.q_conv, &g.k_conv, &g.v_conv};
  const T beta_scale = o.negative_eigenvalues ? T(2) : T(1);
  c.d_beta = c.d_beta.binaryExpr(c.b_pre, [&](T db, T x) {
    const T s = sigmoid(x);
    return db * beta_scale * s * (T(1) - s);  // now dL/d b_pre
  });
  g.b_proj.noalias() += c.d_beta * u.transpose();
  d_u.noalias() = p.b_proj.transpose() * c.d_beta;
  for (int s = 0; s < 3; ++s) {
    c.d_act[s] = c.d_act[s].binaryExpr(c.conv[s], [](T dy, T x) {
      const T sg = sigmoid(x);
      return dy * sg * (T(1) + x * (T(1) - sg));  // now dL/d conv
    });
    causal_conv_backward(*conv[s], batch, c.pre[s], c.d_act[s], *d_conv[s], c.d_pre[s]);
    d_proj[s]->noalias() += c.d_pre[s] * u.transpose();
    d_u.noalias() += proj[s]->transpose() * c.d_pre[s];
  }
}

#define STATELAB_INSTANTIATE(T)                                                                                    \
  template DeltaNetParams<T> zero_deltanet(const DeltaNetOptions&, int, int);                                      \
  template void deltanet_forward(const DeltaNetOptions&, const DeltaNetParams<T>&, const SequenceBatch&,           \
                                 const Matrix<T>&, DeltaNetCache<T>&, Matrix<T>&);                                 \
  template void deltanet_backward(const DeltaNetOptions&, const DeltaNetParams<T>&, const SequenceBatch&,          \
                                  const Matrix<T>&, DeltaNetCache<T>&, const Matrix<T>&, DeltaNetGrads<T>&,        \
                                  Matrix<T>&);
STATELAB_INSTANTIATE(float)
STATELAB_INSTANTIATE(double)
#undef STATELAB_INSTANTIATE

}  // namespace statelab::models
