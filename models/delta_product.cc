#include "models/delta_product.h"

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
using scalar::softplus_grad;

constexpr double kNormEps = 1e-6;  // q, k: x / sqrt(|x|² + eps)
constexpr double kRmsEps = 1e-5;   // o_norm

// The rows of step s, head g in k, v (nH rows) or q (H rows, s = 0).
inline Eigen::Index rows_of(int s, int g, int H, int d) { return static_cast<Eigen::Index>(s) * H + g * d; }

}  // namespace

template <typename T>
DeltaProductParams<T> zero_delta_product(const DeltaProductOptions& o, int H, int W) {
  const int n = o.householder, h = o.heads;
  DeltaProductParams<T> p;
  p.q_proj.setZero(H, H);
  p.k_proj.setZero(n * H, H);
  p.v_proj.setZero(n * H, H);
  p.b_proj.setZero(n * h, H);
  p.q_conv.setZero(H, W);
  p.k_conv.setZero(n * H, W);
  p.v_conv.setZero(n * H, W);
  if (o.gated) {
    p.a_proj.setZero(h, H);
    p.a_log.setZero(h);
    p.dt_bias.setZero(h);
    p.g_proj.setZero(H, H);
  }
  p.o_norm.setZero(H / h);
  p.o_proj.setZero(H, H);
  return p;
}

void init_delta_product(const DeltaProductOptions& o, DeltaProductParams<float>& p, Random& random) {
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
  if (o.gated) {
    uniform(p.a_proj, H);
    for (Eigen::Index g = 0; g < p.a_log.size(); ++g) p.a_log(g) = std::log(std::max(random.uniform(0.0f, 16.0f), 1e-4f));
    for (Eigen::Index g = 0; g < p.dt_bias.size(); ++g) {
      const float lo = std::log(1e-3f), hi = std::log(1e-1f);
      const float dt = std::max(std::exp(random.uniform(lo, hi)), 1e-4f);
      p.dt_bias(g) = dt + std::log(-std::expm1(-dt));  // softplus⁻¹(dt)
    }
    uniform(p.g_proj, H);
  }
  p.o_norm.setOnes();
  uniform(p.o_proj, H);
}

template <typename T>
void delta_product_forward(const DeltaProductOptions& o, const DeltaProductParams<T>& p, const SequenceBatch& batch,
                           const Matrix<T>& u, DeltaProductCache<T>& c, Matrix<T>& out) {
  const int H = static_cast<int>(p.q_proj.rows()), h = o.heads, d = H / h, n = o.householder, B = batch.batch_size;
  const Eigen::Index N = u.cols();
  const Matrix<T>* proj[3] = {&p.q_proj, &p.k_proj, &p.v_proj};
  const Matrix<T>* conv[3] = {&p.q_conv, &p.k_conv, &p.v_conv};
  for (int s = 0; s < 3; ++s) {
    c.pre[s].noalias() = *proj[s] * u;  // zero in padding
    causal_conv(*conv[s], batch, c.pre[s], c.conv[s]);
    c.act[s] = c.conv[s].unaryExpr([](T x) { return silu(x); });
  }
  c.b_pre.noalias() = p.b_proj * u;  // (n h, T*B)
  const T beta_scale = o.negative_eigenvalues ? T(2) : T(1);
  c.beta = c.b_pre.unaryExpr([&](T x) { return beta_scale * sigmoid(x); });
  if (o.gated) {
    c.a_pre.noalias() = p.a_proj * u;
    c.a_pre.colwise() += p.dt_bias;
    c.alpha.resize(h, N);
    for (Eigen::Index j = 0; j < N; ++j)
      for (int g = 0; g < h; ++g) c.alpha(g, j) = std::exp(-std::exp(p.a_log(g)) * softplus(c.a_pre(g, j)));
    c.gate_pre.noalias() = p.g_proj * u;
  }
  c.qn.resize(H, N);
  c.kn.resize(static_cast<Eigen::Index>(n) * H, N);
  c.norms.resize(static_cast<Eigen::Index>(n + 1) * h, N);
  for (Eigen::Index j = 0; j < N; ++j)
    for (int g = 0; g < h; ++g) {
      const T nq = std::sqrt(c.act[0].col(j).segment(g * d, d).squaredNorm() + T(kNormEps));
      c.norms(g, j) = nq;
      c.qn.col(j).segment(g * d, d) = c.act[0].col(j).segment(g * d, d) / nq;
      for (int s = 0; s < n; ++s) {
        const auto k = c.act[1].col(j).segment(rows_of(s, g, H, d), d);
        const T nk = std::sqrt(k.squaredNorm() + T(kNormEps));
        c.norms((s + 1) * h + g, j) = nk;
        c.kn.col(j).segment(rows_of(s, g, H, d), d) = k / nk;
      }
    }
  // The recurrence, per sequence and head: S (d x d), column-major.
  c.o.setZero(H, N);
  const T scale = T(1) / std::sqrt(static_cast<T>(d));
  Matrix<T> S(d, d);
  Vector<T> e(d);
  for (int b = 0; b < B; ++b)
    for (int g = 0; g < h; ++g) {
      S.setZero();
      for (int t = 0; t < batch.lengths[b]; ++t) {
        const Eigen::Index j = static_cast<Eigen::Index>(t) * B + b;
        if (o.gated) S *= c.alpha(g, j);
        for (int s = 0; s < n; ++s) {
          const auto k = c.kn.col(j).segment(rows_of(s, g, H, d), d);
          e.noalias() = S * k;
          e -= c.act[2].col(j).segment(rows_of(s, g, H, d), d);       // e = S k - v
          S.noalias() -= (c.beta(s * h + g, j) * e) * k.transpose();  // S -= beta e kᵀ
        }
        c.o.col(j).segment(g * d, d).noalias() = scale * (S * c.qn.col(j).segment(g * d, d));
      }
    }
  // RMSNorm per head, the gate, o_proj.
  c.rms.resize(h, N);
  c.normed.resize(H, N);
  for (Eigen::Index j = 0; j < N; ++j)
    for (int g = 0; g < h; ++g) {
      const auto og = c.o.col(j).segment(g * d, d);
      const T r = T(1) / std::sqrt(og.squaredNorm() / static_cast<T>(d) + T(kRmsEps));
      c.rms(g, j) = r;
      c.normed.col(j).segment(g * d, d) = (og.array() * p.o_norm.array() * r).matrix();
    }
  if (o.gated) {
    c.mixed = c.normed.binaryExpr(c.gate_pre, [](T y, T z) { return y * silu(z); });
    out.noalias() = p.o_proj * c.mixed;
  } else {
    out.noalias() = p.o_proj * c.normed;  // zero in padding, where o is zero
  }
}

template <typename T>
void delta_product_backward(const DeltaProductOptions& o, const DeltaProductParams<T>& p, const SequenceBatch& batch,
                            const Matrix<T>& u, DeltaProductCache<T>& c, const Matrix<T>& d_out,
                            DeltaProductGrads<T>& g, Matrix<T>& d_u) {
  const int H = static_cast<int>(p.q_proj.rows()), h = o.heads, d = H / h, n = o.householder, B = batch.batch_size;
  const Eigen::Index N = u.cols();
  // out = o_proj mixed; mixed = normed ⊙ SiLU(gate_pre) (gated) or normed.
  g.o_proj.noalias() += d_out * (o.gated ? c.mixed : c.normed).transpose();
  c.d_mixed.noalias() = p.o_proj.transpose() * d_out;  // (H, T*B): dL/d mixed, then dL/d normed
  if (o.gated) {
    c.d_gate = c.d_mixed.binaryExpr(c.normed, [](T dy, T y) { return dy * y; });
    c.d_gate = c.d_gate.binaryExpr(c.gate_pre, [](T dyy, T z) { return dyy * silu_grad(z); });
    c.d_mixed = c.d_mixed.binaryExpr(c.gate_pre, [](T dy, T z) { return dy * silu(z); });
  }
  // normed = o r w:  dw += dn ⊙ o r;  d_o = r gr - r³ o (gr·o) / d,  gr = dn ⊙ w
  c.d_o.resize(H, N);
  for (Eigen::Index j = 0; j < N; ++j)
    for (int k = 0; k < h; ++k) {
      const auto og = c.o.col(j).segment(k * d, d);
      const auto dn = c.d_mixed.col(j).segment(k * d, d);
      const T r = c.rms(k, j);
      g.o_norm.array() += dn.array() * og.array() * r;
      const auto gr = dn.array() * p.o_norm.array();
      const T gr_o = (gr * og.array()).sum();
      c.d_o.col(j).segment(k * d, d) = (r * gr - (r * r * r * gr_o / static_cast<T>(d)) * og.array()).matrix();
    }
  // The recurrence backward, one (sequence, head) at a time, its states recomputed: for token t,
  // columns t (n+1) + s hold the state entering step s (s = 0: after the decay), t (n+1) + n the
  // state after the token.
  c.d_qn.setZero(H, N);
  c.d_kn.setZero(static_cast<Eigen::Index>(n) * H, N);
  c.d_act[2].setZero(static_cast<Eigen::Index>(n) * H, N);
  c.d_beta.setZero(static_cast<Eigen::Index>(n) * h, N);
  if (o.gated) c.d_alpha.setZero(h, N);
  const T scale = T(1) / std::sqrt(static_cast<T>(d));
  const Eigen::Index dd = static_cast<Eigen::Index>(d) * d;
  Matrix<T> G(d, d);
  Vector<T> e(d), Gk(d);
  for (int b = 0; b < B; ++b)
    for (int k = 0; k < h; ++k) {
      const int len = batch.lengths[b];
      c.states.resize(dd, static_cast<Eigen::Index>(len) * (n + 1));
      for (int t = 0; t < len; ++t) {
        const Eigen::Index j = static_cast<Eigen::Index>(t) * B + b, col = static_cast<Eigen::Index>(t) * (n + 1);
        Eigen::Map<Matrix<T>> first(c.states.col(col).data(), d, d);
        if (t == 0) first.setZero();
        else first = Eigen::Map<const Matrix<T>>(c.states.col(col - 1).data(), d, d);
        if (o.gated) first *= c.alpha(k, j);
        for (int s = 0; s < n; ++s) {
          Eigen::Map<const Matrix<T>> in(c.states.col(col + s).data(), d, d);
          Eigen::Map<Matrix<T>> next(c.states.col(col + s + 1).data(), d, d);
          const auto kv = c.kn.col(j).segment(rows_of(s, k, H, d), d);
          e.noalias() = in * kv;
          e -= c.act[2].col(j).segment(rows_of(s, k, H, d), d);
          next = in;
          next.noalias() -= (c.beta(s * h + k, j) * e) * kv.transpose();
        }
      }
      G.setZero();  // dL/dS after token t, carried back in time
      for (int t = len - 1; t >= 0; --t) {
        const Eigen::Index j = static_cast<Eigen::Index>(t) * B + b, col = static_cast<Eigen::Index>(t) * (n + 1);
        Eigen::Map<const Matrix<T>> S(c.states.col(col + n).data(), d, d);
        const auto dot = c.d_o.col(j).segment(k * d, d);
        G.noalias() += (scale * dot) * c.qn.col(j).segment(k * d, d).transpose();  // o = scale S q
        c.d_qn.col(j).segment(k * d, d).noalias() = scale * (S.transpose() * dot);
        for (int s = n - 1; s >= 0; --s) {
          Eigen::Map<const Matrix<T>> in(c.states.col(col + s).data(), d, d);
          const auto kv = c.kn.col(j).segment(rows_of(s, k, H, d), d);
          const T beta = c.beta(s * h + k, j);
          e.noalias() = in * kv;
          e -= c.act[2].col(j).segment(rows_of(s, k, H, d), d);  // e = S_in k - v
          Gk.noalias() = G * kv;
          c.d_beta(s * h + k, j) = -e.dot(Gk);
          c.d_act[2].col(j).segment(rows_of(s, k, H, d), d) = beta * Gk;
          c.d_kn.col(j).segment(rows_of(s, k, H, d), d).noalias() = -beta * (in.transpose() * Gk + G.transpose() * e);
          G.noalias() -= (beta * Gk) * kv.transpose();  // dL/dS_in = G (I - beta k kᵀ)
        }
        if (o.gated) {  // S_in of step 0 = alpha S_prev
          const T alpha = c.alpha(k, j);
          if (t > 0) {
            Eigen::Map<const Matrix<T>> prev(c.states.col(col - 1).data(), d, d);
            c.d_alpha(k, j) = (G.array() * prev.array()).sum();
          }
          G *= alpha;
        }
      }
    }
  // Normalisation: d_x = (d_xn - xn (xn·d_xn)) / |x|.
  c.d_act[0].resize(H, N);
  c.d_act[1].resize(static_cast<Eigen::Index>(n) * H, N);
  for (Eigen::Index j = 0; j < N; ++j)
    for (int k = 0; k < h; ++k) {
      const auto qn = c.qn.col(j).segment(k * d, d);
      const auto dq = c.d_qn.col(j).segment(k * d, d);
      c.d_act[0].col(j).segment(k * d, d) = (dq - qn * qn.dot(dq)) / c.norms(k, j);
      for (int s = 0; s < n; ++s) {
        const auto kn = c.kn.col(j).segment(rows_of(s, k, H, d), d);
        const auto dk = c.d_kn.col(j).segment(rows_of(s, k, H, d), d);
        c.d_act[1].col(j).segment(rows_of(s, k, H, d), d) = (dk - kn * kn.dot(dk)) / c.norms((s + 1) * h + k, j);
      }
    }
  // beta, the decay and the gate, then SiLU, convolution and projections.
  const T beta_scale = o.negative_eigenvalues ? T(2) : T(1);
  c.d_beta = c.d_beta.binaryExpr(c.b_pre, [&](T db, T x) {
    const T sg = sigmoid(x);
    return db * beta_scale * sg * (T(1) - sg);  // now dL/d b_pre
  });
  g.b_proj.noalias() += c.d_beta * u.transpose();
  d_u.noalias() = p.b_proj.transpose() * c.d_beta;
  if (o.gated) {
    // alpha = exp(-A sp(a_pre)), A = exp(A_log): dalpha/da_pre = -alpha A sp'(a_pre), dalpha/dA_log = alpha log alpha.
    for (Eigen::Index j = 0; j < N; ++j)
      for (int k = 0; k < h; ++k) {
        const T da = c.d_alpha(k, j), alpha = c.alpha(k, j), A = std::exp(p.a_log(k)), x = c.a_pre(k, j);
        g.a_log(k) += da * alpha * (-A * softplus(x));
        c.d_alpha(k, j) = -da * alpha * A * softplus_grad(x);  // now dL/d a_pre
      }
    g.dt_bias += c.d_alpha.rowwise().sum();
    g.a_proj.noalias() += c.d_alpha * u.transpose();
    d_u.noalias() += p.a_proj.transpose() * c.d_alpha;
    g.g_proj.noalias() += c.d_gate * u.transpose();
    d_u.noalias() += p.g_proj.transpose() * c.d_gate;
  }
  const Matrix<T>* proj[3] = {&p.q_proj, &p.k_proj, &p.v_proj};
  const Matrix<T>* conv[3] = {&p.q_conv, &p.k_conv, &p.v_conv};
  Matrix<T>* d_proj[3] = {&g.q_proj, &g.k_proj, &g.v_proj};
  Matrix<T>* d_conv[3] = {&g.q_conv, &g.k_conv, &g.v_conv};
  for (int s = 0; s < 3; ++s) {
    c.d_act[s] = c.d_act[s].binaryExpr(c.conv[s], [](T dy, T x) { return dy * silu_grad(x); });  // dL/d conv
    causal_conv_backward(*conv[s], batch, c.pre[s], c.d_act[s], *d_conv[s], c.d_pre[s]);
    d_proj[s]->noalias() += c.d_pre[s] * u.transpose();
    d_u.noalias() += proj[s]->transpose() * c.d_pre[s];
  }
}

#define STATELAB_INSTANTIATE(T)                                                                                     \
  template DeltaProductParams<T> zero_delta_product(const DeltaProductOptions&, int, int);                          \
  template void delta_product_forward(const DeltaProductOptions&, const DeltaProductParams<T>&,                     \
                                      const SequenceBatch&, const Matrix<T>&, DeltaProductCache<T>&, Matrix<T>&);   \
  template void delta_product_backward(const DeltaProductOptions&, const DeltaProductParams<T>&,                    \
                                       const SequenceBatch&, const Matrix<T>&, DeltaProductCache<T>&,               \
                                       const Matrix<T>&, DeltaProductGrads<T>&, Matrix<T>&);
STATELAB_INSTANTIATE(float)
STATELAB_INSTANTIATE(double)
#undef STATELAB_INSTANTIATE

}  // namespace statelab::models
