#include "models/ssm.h"

#include <cassert>
#include <cmath>
#include <numbers>

namespace statelab::models {

namespace {

// GELU(x) = x Φ(x) (exact, erf) and its derivative Φ(x) + x φ(x).
template <typename T>
T gelu(T x) {
  return T(0.5) * x * (T(1) + std::erf(x * T(std::numbers::sqrt2 / 2)));
}
template <typename T>
T gelu_grad(T x) {
  const T cdf = T(0.5) * (T(1) + std::erf(x * T(std::numbers::sqrt2 / 2)));
  return cdf + x * std::exp(T(-0.5) * x * x) * T(std::numbers::inv_sqrtpi / std::numbers::sqrt2);
}

bool has_out_proj(Cell cell) { return cell != Cell::mamba && cell != Cell::deltanet; }

DeltaNetOptions deltanet_options(const SsmOptions& o) { return {o.num_heads, o.negative_eigenvalues}; }

}  // namespace

template <typename T>
SsmBlockParams<T> zero_ssm_block(const SsmOptions& o) {
  const int H = o.hidden_size, N = o.state_size;
  SsmBlockParams<T> p;
  p.norm.weight.setZero(H);
  p.norm.bias.setZero(H);
  switch (o.cell) {
    case Cell::s4d:
      p.s4d.log_dt.setZero(H);
      p.s4d.log_a_real.setZero(H, N);
      p.s4d.a_imag.setZero(H, N);
      p.s4d.b.setZero(2 * H * N);
      p.s4d.c.setZero(2 * H * N);
      p.s4d.d.setZero(H);
      break;
    case Cell::mamba: {
      const int E = o.expand * H, R = mamba_dt_rank(H);
      p.mamba.in_proj.setZero(2 * E, H);
      p.mamba.conv_weight.setZero(E, o.conv_width);
      p.mamba.conv_bias.setZero(E);
      p.mamba.x_proj.setZero(R + 2 * N, E);
      p.mamba.dt_proj.setZero(E, R);
      p.mamba.dt_bias.setZero(E);
      p.mamba.a_log.setZero(E, N);
      p.mamba.d.setZero(E);
      p.mamba.out_proj.setZero(H, E);
      break;
    }
    case Cell::ids4:
      p.ids4.a_proj.setZero(N * N, H);
      p.ids4.a_bias.setZero(N * N);
      p.ids4.b_proj.setZero(N, H);
      p.ids4.b_bias.setZero(N);
      p.ids4.c.setZero(H, N);
      p.ids4.d.setZero(H);
      break;
    case Cell::deltanet: p.deltanet = zero_deltanet<T>(deltanet_options(o), H, o.conv_width); break;
    default: assert(false && "not a state-space cell");
  }
  if (has_out_proj(o.cell)) {
    p.out_proj.weight.setZero(H, H);
    p.out_proj.bias.setZero(H);
  }
  return p;
}

template <typename T>
void append_ssm_block_tensors(const SsmOptions& o, const std::string& prefix, SsmBlockParams<T>& p,
                              std::vector<NamedTensor<T>>& out) {
  // A weight matrix: ours (rows, cols) column-major, torch's shape given (rows first).
  auto matrix = [&](const char* name, Matrix<T>& m, std::vector<std::int64_t> shape) {
    out.push_back({prefix + name, std::move(shape), m.data(), m.size(), true});
  };
  auto weight = [&](const char* name, Matrix<T>& m) { matrix(name, m, {m.rows(), m.cols()}); };
  auto flat = [&](const char* name, Vector<T>& v, std::vector<std::int64_t> shape) {
    out.push_back({prefix + name, std::move(shape), v.data(), v.size(), false});
  };
  auto vector = [&](const char* name, Vector<T>& v) { flat(name, v, {v.size()}); };
  const std::int64_t H = o.hidden_size, N = o.state_size;
  vector("norm.weight", p.norm.weight);
  vector("norm.bias", p.norm.bias);
  switch (o.cell) {
    case Cell::s4d:
      vector("mixer.log_dt", p.s4d.log_dt);
      weight("mixer.log_a_real", p.s4d.log_a_real);
      weight("mixer.a_imag", p.s4d.a_imag);
      flat("mixer.B", p.s4d.b, {H, N, 2});
      flat("mixer.C", p.s4d.c, {H, N, 2});
      vector("mixer.D", p.s4d.d);
      break;
    case Cell::mamba:
      weight("mixer.in_proj.weight", p.mamba.in_proj);
      matrix("mixer.conv1d.weight", p.mamba.conv_weight, {p.mamba.conv_weight.rows(), 1, p.mamba.conv_weight.cols()});
      vector("mixer.conv1d.bias", p.mamba.conv_bias);
      weight("mixer.x_proj.weight", p.mamba.x_proj);
      weight("mixer.dt_proj.weight", p.mamba.dt_proj);
      vector("mixer.dt_proj.bias", p.mamba.dt_bias);
      weight("mixer.A_log", p.mamba.a_log);
      vector("mixer.D", p.mamba.d);
      weight("mixer.out_proj.weight", p.mamba.out_proj);
      break;
    case Cell::ids4:
      weight("mixer.A_proj.weight", p.ids4.a_proj);
      vector("mixer.A_proj.bias", p.ids4.a_bias);
      weight("mixer.B_proj.weight", p.ids4.b_proj);
      vector("mixer.B_proj.bias", p.ids4.b_bias);
      weight("mixer.C", p.ids4.c);
      vector("mixer.D", p.ids4.d);
      break;
    case Cell::deltanet: {  // fla's DeltaNet layer's names
      auto& m = p.deltanet;
      weight("mixer.q_proj.weight", m.q_proj);
      weight("mixer.k_proj.weight", m.k_proj);
      weight("mixer.v_proj.weight", m.v_proj);
      weight("mixer.b_proj.weight", m.b_proj);
      matrix("mixer.q_conv1d.weight", m.q_conv, {m.q_conv.rows(), 1, m.q_conv.cols()});
      matrix("mixer.k_conv1d.weight", m.k_conv, {m.k_conv.rows(), 1, m.k_conv.cols()});
      matrix("mixer.v_conv1d.weight", m.v_conv, {m.v_conv.rows(), 1, m.v_conv.cols()});
      vector("mixer.o_norm.weight", m.o_norm);
      weight("mixer.o_proj.weight", m.o_proj);
      break;
    }
    default: assert(false && "not a state-space cell");
  }
  if (has_out_proj(o.cell)) {
    weight("out_proj.weight", p.out_proj.weight);
    vector("out_proj.bias", p.out_proj.bias);
  }
}

void init_ssm_block(const SsmOptions& o, SsmBlockParams<float>& p, Random& random) {
  p = zero_ssm_block<float>(o);
  const int H = o.hidden_size, N = o.state_size;
  auto uniform = [&](auto& m, double bound) {
    for (Eigen::Index k = 0; k < m.size(); ++k)
      m.data()[k] = random.uniform(static_cast<float>(-bound), static_cast<float>(bound));
  };
  auto log_uniform_dt = [&] {  // dt = exp(U(log 1e-3, log 1e-1))
    return std::exp(random.uniform(static_cast<float>(std::log(1e-3)), static_cast<float>(std::log(1e-1))));
  };
  p.norm.weight.setOnes();
  switch (o.cell) {
    case Cell::s4d:
      for (int h = 0; h < H; ++h) p.s4d.log_dt(h) = std::log(log_uniform_dt());
      p.s4d.log_a_real.setConstant(std::log(0.5f));
      for (int n = 0; n < N; ++n) p.s4d.a_imag.col(n).setConstant(static_cast<float>(std::numbers::pi * n));
      for (Eigen::Index k = 0; k < p.s4d.b.size(); k += 2) p.s4d.b(k) = 1.0f;
      for (Eigen::Index k = 0; k < p.s4d.c.size(); ++k) p.s4d.c(k) = random.normal() * std::sqrt(0.5f);
      p.s4d.d.setOnes();
      break;
    case Cell::mamba: {
      const int E = o.expand * H, R = mamba_dt_rank(H);
      uniform(p.mamba.in_proj, 1.0 / std::sqrt(H));
      uniform(p.mamba.conv_weight, 1.0 / std::sqrt(o.conv_width));
      uniform(p.mamba.conv_bias, 1.0 / std::sqrt(o.conv_width));
      uniform(p.mamba.x_proj, 1.0 / std::sqrt(E));
      uniform(p.mamba.dt_proj, 1.0 / std::sqrt(R));
      for (int e = 0; e < E; ++e) {
        const float dt = std::max(log_uniform_dt(), 1e-4f);
        p.mamba.dt_bias(e) = dt + std::log(-std::expm1(-dt));  // softplus⁻¹(dt)
      }
      for (int n = 0; n < N; ++n) p.mamba.a_log.col(n).setConstant(std::log(static_cast<float>(n + 1)));
      p.mamba.d.setOnes();
      uniform(p.mamba.out_proj, 1.0 / std::sqrt(E));
      break;
    }
    case Cell::ids4:
      uniform(p.ids4.a_proj, 0.1 / std::sqrt(H));
      for (int i = 0; i < N; ++i) p.ids4.a_bias(i * N + i) = 1.0f;
      uniform(p.ids4.b_proj, 1.0 / std::sqrt(H));
      uniform(p.ids4.b_bias, 1.0 / std::sqrt(H));
      uniform(p.ids4.c, 1.0 / std::sqrt(N));
      p.ids4.d.setOnes();
      break;
    case Cell::deltanet: init_deltanet(p.deltanet, random); break;
    default: assert(false && "not a state-space cell");
  }
  if (has_out_proj(o.cell)) {
    uniform(p.out_proj.weight, 1.0 / std::sqrt(H));
    uniform(p.out_proj.bias, 1.0 / std::sqrt(H));
  }
}

template <typename T>
void ssm_block_forward(const SsmOptions& o, const SsmBlockParams<T>& p, const SequenceBatch& batch, const Matrix<T>& x,
                       SsmBlockCache<T>& c, Matrix<T>& out) {
  layer_norm_forward(p.norm, x, c.norm, c.normed);  // (H, T*B)
  zero_padding(batch, c.normed);
  switch (o.cell) {
    case Cell::mamba: mamba_forward({o.negative_eigenvalues}, p.mamba, batch, c.normed, c.mamba, c.branch); break;
    case Cell::deltanet: deltanet_forward(deltanet_options(o), p.deltanet, batch, c.normed, c.deltanet, c.branch); break;
    case Cell::s4d:
    case Cell::ids4:
      if (o.cell == Cell::s4d)
        s4d_forward({o.negative_eigenvalues, o.s4d_convolution}, p.s4d, batch, c.normed, c.s4d, c.mixed);
      else
        ids4_forward(p.ids4, batch, c.normed, c.ids4, c.mixed);
      c.activated = c.mixed.unaryExpr([](T v) { return gelu(v); });  // zero stays zero
      linear_forward(p.out_proj, c.activated, c.branch);
      zero_padding(batch, c.branch);
      break;
    default: assert(false && "not a state-space cell");
  }
  out = x + c.branch;
}

template <typename T>
void ssm_block_backward(const SsmOptions& o, const SsmBlockParams<T>& p, const SequenceBatch& batch, const Matrix<T>& x,
                        SsmBlockCache<T>& c, const Matrix<T>& d_out, SsmBlockGrads<T>& g, Matrix<T>& d_x) {
  (void)x;
  switch (o.cell) {
    case Cell::mamba: mamba_backward({o.negative_eigenvalues}, p.mamba, batch, c.normed, c.mamba, d_out, g.mamba, c.d_normed); break;
    case Cell::deltanet:
      deltanet_backward(deltanet_options(o), p.deltanet, batch, c.normed, c.deltanet, d_out, g.deltanet, c.d_normed);
      break;
    case Cell::s4d:
    case Cell::ids4:
      linear_backward(p.out_proj, c.activated, d_out, g.out_proj, &c.d_branch);  // d_out is zero in padding
      c.d_mixed = c.d_branch.binaryExpr(c.mixed, [](T d, T v) { return d * gelu_grad(v); });
      if (o.cell == Cell::s4d)
        s4d_backward({o.negative_eigenvalues, o.s4d_convolution}, p.s4d, batch, c.normed, c.s4d, c.d_mixed, g.s4d,
                     c.d_normed);
      else
        ids4_backward(p.ids4, batch, c.normed, c.ids4, c.d_mixed, g.ids4, c.d_normed);
      break;
    default: assert(false && "not a state-space cell");
  }
  zero_padding(batch, c.d_normed);  // so that padding adds nothing to dL/dbias and gives a zero d_x there
  layer_norm_backward(p.norm, c.norm, c.d_normed, g.norm, c.d_x_norm);
  d_x = d_out + c.d_x_norm;
}

#define STATELAB_INSTANTIATE(T)                                                                                     \
  template SsmBlockParams<T> zero_ssm_block(const SsmOptions&);                                                     \
  template void append_ssm_block_tensors(const SsmOptions&, const std::string&, SsmBlockParams<T>&,                 \
                                         std::vector<NamedTensor<T>>&);                                             \
  template void ssm_block_forward(const SsmOptions&, const SsmBlockParams<T>&, const SequenceBatch&,                \
                                  const Matrix<T>&, SsmBlockCache<T>&, Matrix<T>&);                                 \
  template void ssm_block_backward(const SsmOptions&, const SsmBlockParams<T>&, const SequenceBatch&,               \
                                   const Matrix<T>&, SsmBlockCache<T>&, const Matrix<T>&, SsmBlockGrads<T>&,        \
                                   Matrix<T>&);
STATELAB_INSTANTIATE(float)
STATELAB_INSTANTIATE(double)
#undef STATELAB_INSTANTIATE

}  // namespace statelab::models
