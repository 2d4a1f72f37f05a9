#include "models/slstm.h"

#include <cmath>

#include "models/exp_gate.h"

namespace statelab::models {

template <typename T>
SlstmParams<T> zero_slstm(const SlstmOptions& o, int H) {
  SlstmParams<T> p;
  p.in_weight.setZero(4 * H, H);
  p.in_bias.setZero(4 * H);
  p.recurrent.setZero(4 * H, H / o.heads);
  p.out_proj.setZero(H, H);
  return p;
}

void init_slstm(SlstmParams<float>& p, int heads, Random& random) {
  auto uniform = [&](auto& m, double fan_in) {
    const auto bound = static_cast<float>(1.0 / std::sqrt(fan_in));
    for (Eigen::Index k = 0; k < m.size(); ++k) m.data()[k] = random.uniform(-bound, bound);
  };
  const int H = static_cast<int>(p.out_proj.rows()), d = H / heads;
  uniform(p.in_weight, H);
  uniform(p.in_bias, H);
  for (int r = 0; r < H; ++r) p.in_bias(H + r) = forget_bias(r / d, heads);
  uniform(p.recurrent, d);
  uniform(p.out_proj, H);
}

template <typename T>
void slstm_forward(const SlstmOptions& opt, const SlstmParams<T>& p, const SequenceBatch& batch, const Matrix<T>& u,
                   SlstmCache<T>& c, Matrix<T>& out) {
  const int H = static_cast<int>(p.out_proj.rows()), h = opt.heads, d = H / h, B = batch.batch_size;
  const Eigen::Index N = u.cols();
  c.pre.noalias() = p.in_weight * u;
  c.pre.colwise() += p.in_bias;
  c.c.setZero(H, N);
  c.n.setZero(H, N);
  c.m.setZero(H, N);
  c.h.setZero(H, N);
  for (int t = 0; t < batch.max_length; ++t) {
    const int n = batch.active[t];
    const Eigen::Index j0 = static_cast<Eigen::Index>(t) * B;
    if (t > 0)  // memory mixing, head by head: x~ += R_g[head] h_{t-1}[head]
      for (int gate = 0; gate < 4; ++gate)
        for (int k = 0; k < h; ++k)
          c.pre.block(gate * H + k * d, j0, d, n).noalias() +=
              p.recurrent.block(gate * H + k * d, 0, d, d) * c.h.block(k * d, j0 - B, d, n);
    for (int b = 0; b < n; ++b)
      for (int r = 0; r < H; ++r) {
        const Eigen::Index j = j0 + b;
        const T m_prev = t > 0 ? c.m(r, j - B) : T(0);
        const ExpGate<T> gate = exp_gate(c.pre(r, j), c.pre(H + r, j), m_prev, t == 0);
        const T c_prev = t > 0 ? c.c(r, j - B) : T(0), n_prev = t > 0 ? c.n(r, j - B) : T(0);
        c.c(r, j) = gate.f * c_prev + gate.i * std::tanh(c.pre(2 * H + r, j));
        c.n(r, j) = gate.f * n_prev + gate.i;
        c.m(r, j) = gate.m;
        c.h(r, j) = gate_sigmoid(c.pre(3 * H + r, j)) * c.c(r, j) / c.n(r, j);
      }
  }
  out.noalias() = p.out_proj * c.h;  // zero in padding, where h is
}

template <typename T>
void slstm_backward(const SlstmOptions& opt, const SlstmParams<T>& p, const SequenceBatch& batch, const Matrix<T>& u,
                    SlstmCache<T>& c, const Matrix<T>& d_out, SlstmGrads<T>& g, Matrix<T>& d_u) {
  const int H = static_cast<int>(p.out_proj.rows()), h = opt.heads, d = H / h, B = batch.batch_size;
  g.out_proj.noalias() += d_out * c.h.transpose();
  c.d_h.noalias() = p.out_proj.transpose() * d_out;  // zero in padding
  c.d_pre.setZero(4 * H, u.cols());
  c.d_h_next.setZero(H, B);
  c.d_c_next.setZero(H, B);
  c.d_n_next.setZero(H, B);
  for (int t = batch.max_length - 1; t >= 0; --t) {
    const int n = batch.active[t];
    const Eigen::Index j0 = static_cast<Eigen::Index>(t) * B;
    for (int b = 0; b < n; ++b)
      for (int r = 0; r < H; ++r) {
        const Eigen::Index j = j0 + b;
        const T m_prev = t > 0 ? c.m(r, j - B) : T(0);
        const ExpGate<T> gate = exp_gate(c.pre(r, j), c.pre(H + r, j), m_prev, t == 0);
        const T c_prev = t > 0 ? c.c(r, j - B) : T(0), n_prev = t > 0 ? c.n(r, j - B) : T(0);
        const T z = std::tanh(c.pre(2 * H + r, j)), o = gate_sigmoid(c.pre(3 * H + r, j));
        const T cc = c.c(r, j), nn = c.n(r, j);
        const T dh = c.d_h(r, j) + c.d_h_next(r, b);
        const T dc = c.d_c_next(r, b) + dh * o / nn;
        const T dn = c.d_n_next(r, b) - dh * o * cc / (nn * nn);
        const T d_ip = dc * z + dn, d_fp = dc * c_prev + dn * n_prev;
        c.d_pre(r, j) = d_ip * gate.i;
        c.d_pre(H + r, j) = t > 0 ? d_fp * gate.f * log_sigmoid_grad(c.pre(H + r, j)) : T(0);
        c.d_pre(2 * H + r, j) = dc * gate.i * (T(1) - z * z);
        c.d_pre(3 * H + r, j) = dh * cc / nn * o * (T(1) - o);
        c.d_c_next(r, b) = gate.f * dc;
        c.d_n_next(r, b) = gate.f * dn;
      }
    c.d_h_next.leftCols(n).setZero();
    if (t > 0)  // x~_t = ... + R h_{t-1}
      for (int gate = 0; gate < 4; ++gate)
        for (int k = 0; k < h; ++k) {
          const auto d_pre = c.d_pre.block(gate * H + k * d, j0, d, n);
          c.d_h_next.block(k * d, 0, d, n).noalias() += p.recurrent.block(gate * H + k * d, 0, d, d).transpose() * d_pre;
          g.recurrent.block(gate * H + k * d, 0, d, d).noalias() += d_pre * c.h.block(k * d, j0 - B, d, n).transpose();
        }
  }
  g.in_weight.noalias() += c.d_pre * u.transpose();
  g.in_bias += c.d_pre.rowwise().sum();
  d_u.noalias() = p.in_weight.transpose() * c.d_pre;
}

#define STATELAB_INSTANTIATE(T)                                                                                    \
  template SlstmParams<T> zero_slstm(const SlstmOptions&, int);                                                    \
  template void slstm_forward(const SlstmOptions&, const SlstmParams<T>&, const SequenceBatch&, const Matrix<T>&,  \
                              SlstmCache<T>&, Matrix<T>&);                                                         \
  template void slstm_backward(const SlstmOptions&, const SlstmParams<T>&, const SequenceBatch&, const Matrix<T>&, \
                               SlstmCache<T>&, const Matrix<T>&, SlstmGrads<T>&, Matrix<T>&);
STATELAB_INSTANTIATE(float)
STATELAB_INSTANTIATE(double)
#undef STATELAB_INSTANTIATE

}  // namespace statelab::models
