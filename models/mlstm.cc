#include "models/mlstm.h"

#include <cmath>

#include "models/exp_gate.h"

namespace statelab::models {

template <typename T>
MlstmParams<T> zero_mlstm(const MlstmOptions& o, int H) {
  MlstmParams<T> p;
  p.q_proj.setZero(H, H);
  p.k_proj.setZero(H, H);
  p.v_proj.setZero(H, H);
  p.i_weight.setZero(o.heads, H);
  p.f_weight.setZero(o.heads, H);
  p.i_bias.setZero(o.heads);
  p.f_bias.setZero(o.heads);
  p.o_weight.setZero(H, H);
  p.o_bias.setZero(H);
  p.out_proj.setZero(H, H);
  return p;
}

void init_mlstm(MlstmParams<float>& p, Random& random) {
  const auto bound = static_cast<float>(1.0 / std::sqrt(static_cast<double>(p.q_proj.cols())));
  auto uniform = [&](auto& m) {
    for (Eigen::Index k = 0; k < m.size(); ++k) m.data()[k] = random.uniform(-bound, bound);
  };
  uniform(p.q_proj);
  uniform(p.k_proj);
  uniform(p.v_proj);
  uniform(p.i_weight);
  uniform(p.f_weight);
  const int h = static_cast<int>(p.f_bias.size());
  for (int g = 0; g < h; ++g) p.f_bias(g) = forget_bias(g, h);
  uniform(p.o_weight);
  uniform(p.o_bias);
  uniform(p.out_proj);
}

template <typename T>
void mlstm_forward(const MlstmOptions& opt, const MlstmParams<T>& p, const SequenceBatch& batch, const Matrix<T>& u,
                   MlstmCache<T>& c, Matrix<T>& out) {
  const int H = static_cast<int>(p.q_proj.rows()), h = opt.heads, d = H / h, B = batch.batch_size;
  const Eigen::Index N = u.cols();
  c.q.noalias() = p.q_proj * u;
  c.k.noalias() = p.k_proj * u;
  c.k *= T(1) / std::sqrt(static_cast<T>(d));
  c.v.noalias() = p.v_proj * u;
  c.i_pre.noalias() = p.i_weight * u;
  c.i_pre.colwise() += p.i_bias;
  c.f_pre.noalias() = p.f_weight * u;
  c.f_pre.colwise() += p.f_bias;
  c.o.noalias() = p.o_weight * u;
  c.o.colwise() += p.o_bias;
  c.o = c.o.unaryExpr([](T x) { return gate_sigmoid(x); });
  c.m.setZero(h, N);
  c.den.setZero(h, N);
  c.ht.setZero(H, N);
  Matrix<T> C(d, d);
  Vector<T> n(d);
  for (int b = 0; b < B; ++b)
    for (int g = 0; g < h; ++g) {
      C.setZero();
      n.setZero();
      T m_prev = 0;
      for (int t = 0; t < batch.lengths[b]; ++t) {
        const Eigen::Index j = static_cast<Eigen::Index>(t) * B + b;
        const ExpGate<T> gate = exp_gate(c.i_pre(g, j), c.f_pre(g, j), m_prev, t == 0);
        const auto k = c.k.col(j).segment(g * d, d), q = c.q.col(j).segment(g * d, d);
        C *= gate.f;
        C.noalias() += (gate.i * c.v.col(j).segment(g * d, d)) * k.transpose();
        n = gate.f * n + gate.i * k;
        const T den = std::max(std::abs(n.dot(q)), std::exp(-gate.m));
        c.ht.col(j).segment(g * d, d).noalias() = (C * q) / den;
        c.m(g, j) = gate.m;
        c.den(g, j) = den;
        m_prev = gate.m;
      }
    }
  c.hg = c.ht.cwiseProduct(c.o);  // zero in padding, where h~ is
  out.noalias() = p.out_proj * c.hg;
}

template <typename T>
void mlstm_backward(const MlstmOptions& opt, const MlstmParams<T>& p, const SequenceBatch& batch, const Matrix<T>& u,
                    MlstmCache<T>& c, const Matrix<T>& d_out, MlstmGrads<T>& g, Matrix<T>& d_u) {
  const int H = static_cast<int>(p.q_proj.rows()), h = opt.heads, d = H / h, B = batch.batch_size;
  const Eigen::Index N = u.cols();
  g.out_proj.noalias() += d_out * c.hg.transpose();
  c.d_hg.noalias() = p.out_proj.transpose() * d_out;  // zero in padding
  c.d_ht = c.d_hg.cwiseProduct(c.o);
  c.d_o = c.d_hg.cwiseProduct(c.ht).cwiseProduct(c.o.unaryExpr([](T s) { return s * (T(1) - s); }));
  g.o_weight.noalias() += c.d_o * u.transpose();
  g.o_bias += c.d_o.rowwise().sum();
  d_u.noalias() = p.o_weight.transpose() * c.d_o;
  c.d_q.setZero(H, N);
  c.d_k.setZero(H, N);
  c.d_v.setZero(H, N);
  c.d_i.setZero(h, N);
  c.d_f.setZero(h, N);
  const Eigen::Index dd = static_cast<Eigen::Index>(d) * d;
  Matrix<T> G(d, d);
  Vector<T> gn(d), y(d), dy(d), Gk(d);
  for (int b = 0; b < B; ++b)
    for (int k = 0; k < h; ++k) {
      const int len = batch.lengths[b];
      // states.col(t + 1) = (C_t, n_t), from the gates the forward pass stored (m_t).
      c.states.resize(dd + d, len + 1);
      c.states.col(0).setZero();
      for (int t = 0; t < len; ++t) {
        const Eigen::Index j = static_cast<Eigen::Index>(t) * B + b;
        const ExpGate<T> gate = exp_gate(c.i_pre(k, j), c.f_pre(k, j), t == 0 ? T(0) : c.m(k, j - B), t == 0);
        Eigen::Map<const Matrix<T>> C_prev(c.states.col(t).data(), d, d);
        Eigen::Map<Matrix<T>> C(c.states.col(t + 1).data(), d, d);
        const auto kv = c.k.col(j).segment(k * d, d);
        C = gate.f * C_prev;
        C.noalias() += (gate.i * c.v.col(j).segment(k * d, d)) * kv.transpose();
        c.states.col(t + 1).tail(d) = gate.f * c.states.col(t).tail(d) + gate.i * kv;
      }
      G.setZero();  // dL/dC_t and dL/dn_t, carried back in time
      gn.setZero();
      for (int t = len - 1; t >= 0; --t) {
        const Eigen::Index j = static_cast<Eigen::Index>(t) * B + b;
        const ExpGate<T> gate = exp_gate(c.i_pre(k, j), c.f_pre(k, j), t == 0 ? T(0) : c.m(k, j - B), t == 0);
        Eigen::Map<const Matrix<T>> C(c.states.col(t + 1).data(), d, d), C_prev(c.states.col(t).data(), d, d);
        const auto n = c.states.col(t + 1).tail(d), n_prev = c.states.col(t).tail(d);
        const auto q = c.q.col(j).segment(k * d, d), kv = c.k.col(j).segment(k * d, d);
        const auto v = c.v.col(j).segment(k * d, d), dht = c.d_ht.col(j).segment(k * d, d);
        const T den = c.den(k, j), a = n.dot(q);
        // h~ = C q / den, den = max(|a|, exp(-m)) with m held constant
        dy = dht / den;
        const T d_den = -dht.dot(c.ht.col(j).segment(k * d, d)) / den;
        const T da = std::abs(a) >= std::exp(-gate.m) ? (a < 0 ? -d_den : d_den) : T(0);
        G.noalias() += dy * q.transpose();
        gn += da * q;
        c.d_q.col(j).segment(k * d, d).noalias() = C.transpose() * dy;
        c.d_q.col(j).segment(k * d, d) += da * n;
        // C = f' C_prev + i' v kᵀ,  n = f' n_prev + i' k
        Gk.noalias() = G * kv;
        const T d_fp = (G.array() * C_prev.array()).sum() + gn.dot(n_prev);
        const T d_ip = v.dot(Gk) + gn.dot(kv);
        c.d_v.col(j).segment(k * d, d) = gate.i * Gk;
        c.d_k.col(j).segment(k * d, d).noalias() = gate.i * (G.transpose() * v + gn);
        c.d_i(k, j) = d_ip * gate.i;
        c.d_f(k, j) = t == 0 ? T(0) : d_fp * gate.f * log_sigmoid_grad(c.f_pre(k, j));
        G *= gate.f;
        gn *= gate.f;
      }
    }
  c.d_k *= T(1) / std::sqrt(static_cast<T>(d));
  g.q_proj.noalias() += c.d_q * u.transpose();
  g.k_proj.noalias() += c.d_k * u.transpose();
  g.v_proj.noalias() += c.d_v * u.transpose();
  g.i_weight.noalias() += c.d_i * u.transpose();
  g.f_weight.noalias() += c.d_f * u.transpose();
  g.i_bias += c.d_i.rowwise().sum();
  g.f_bias += c.d_f.rowwise().sum();
  d_u.noalias() += p.q_proj.transpose() * c.d_q;
  d_u.noalias() += p.k_proj.transpose() * c.d_k;
  d_u.noalias() += p.v_proj.transpose() * c.d_v;
  d_u.noalias() += p.i_weight.transpose() * c.d_i;
  d_u.noalias() += p.f_weight.transpose() * c.d_f;
}

#define STATELAB_INSTANTIATE(T)                                                                                    \
  template MlstmParams<T> zero_mlstm(const MlstmOptions&, int);                                                    \
  template void mlstm_forward(const MlstmOptions&, const MlstmParams<T>&, const SequenceBatch&, const Matrix<T>&,  \
                              MlstmCache<T>&, Matrix<T>&);                                                         \
  template void mlstm_backward(const MlstmOptions&, const MlstmParams<T>&, const SequenceBatch&, const Matrix<T>&, \
                               MlstmCache<T>&, const Matrix<T>&, MlstmGrads<T>&, Matrix<T>&);
STATELAB_INSTANTIATE(float)
STATELAB_INSTANTIATE(double)
#undef STATELAB_INSTANTIATE

}  // namespace statelab::models
