#include "models/ssm.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>
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

// The tensors of a block, named `prefix` + the reference module's name, appended to `out`.
template <typename T>
struct TensorList {
  const std::string& prefix;
  std::vector<NamedTensor<T>>& out;
  // A weight matrix: ours (rows, cols) column-major, torch's shape given (rows first).
  void matrix(const char* name, Matrix<T>& m, std::vector<std::int64_t> shape) {
    out.push_back({prefix + name, std::move(shape), m.data(), m.size(), true});
  }
  void weight(const char* name, Matrix<T>& m) { matrix(name, m, {m.rows(), m.cols()}); }
  void conv(const char* name, Matrix<T>& m) { matrix(name, m, {m.rows(), 1, m.cols()}); }  // torch (C, 1, W)
  void flat(const char* name, Vector<T>& v, std::vector<std::int64_t> shape) {
    out.push_back({prefix + name, std::move(shape), v.data(), v.size(), false});
  }
  void vector(const char* name, Vector<T>& v) { flat(name, v, {v.size()}); }
};

float log_uniform_dt(Random& random) {  // dt = exp(U(log 1e-3, log 1e-1))
  return std::exp(random.uniform(static_cast<float>(std::log(1e-3)), static_cast<float>(std::log(1e-1))));
}

template <typename M>
void uniform(M& m, double bound, Random& random) {
  for (Eigen::Index k = 0; k < m.size(); ++k)
    m.data()[k] = random.uniform(static_cast<float>(-bound), static_cast<float>(bound));
}

// ---- The mixers: everything the block needs from each, in one struct per mixer ------------------
// kGeluOutProj: the block is x + out_proj(GELU(mixer(LayerNorm(x)))) (else x + mixer(LayerNorm(x)));
// zero, tensors, init, forward (into `out`), backward (from d_out, writing d_u = dL/d LayerNorm(x)).
// A new mixer is a struct here and a line in with_mixer (docs/hacking.md).

struct S4dMixer {
  static constexpr bool kGeluOutProj = true;
  static S4dOptions options(const SsmOptions& o) { return {o.negative_eigenvalues, o.s4d_convolution}; }
  template <typename T>
  static void zero(const SsmOptions& o, SsmBlockParams<T>& p) {
    const int H = o.hidden_size, N = o.state_size;
    p.s4d.log_dt.setZero(H);
    p.s4d.log_a_real.setZero(H, N);
    p.s4d.a_imag.setZero(H, N);
    p.s4d.b.setZero(2 * H * N);
    p.s4d.c.setZero(2 * H * N);
    p.s4d.d.setZero(H);
  }
  template <typename T>
  static void tensors(const SsmOptions& o, SsmBlockParams<T>& p, TensorList<T>& t) {
    const std::int64_t H = o.hidden_size, N = o.state_size;
    t.vector("mixer.log_dt", p.s4d.log_dt);
    t.weight("mixer.log_a_real", p.s4d.log_a_real);
    t.weight("mixer.a_imag", p.s4d.a_imag);
    t.flat("mixer.B", p.s4d.b, {H, N, 2});
    t.flat("mixer.C", p.s4d.c, {H, N, 2});
    t.vector("mixer.D", p.s4d.d);
  }
  static void init(const SsmOptions& o, SsmBlockParams<float>& p, Random& random) {
    const int H = o.hidden_size, N = o.state_size;
    for (int h = 0; h < H; ++h) p.s4d.log_dt(h) = std::log(log_uniform_dt(random));
    p.s4d.log_a_real.setConstant(std::log(0.5f));
    for (int n = 0; n < N; ++n) p.s4d.a_imag.col(n).setConstant(static_cast<float>(std::numbers::pi * n));
    for (Eigen::Index k = 0; k < p.s4d.b.size(); k += 2) p.s4d.b(k) = 1.0f;
    for (Eigen::Index k = 0; k < p.s4d.c.size(); ++k) p.s4d.c(k) = random.normal() * std::sqrt(0.5f);
    p.s4d.d.setOnes();
  }
  template <typename T>
  static void forward(const SsmOptions& o, const SsmBlockParams<T>& p, const SequenceBatch& batch, const Matrix<T>& u,
                      SsmBlockCache<T>& c, Matrix<T>& out) {
    s4d_forward(options(o), p.s4d, batch, u, c.s4d, out);
  }
  template <typename T>
  static void backward(const SsmOptions& o, const SsmBlockParams<T>& p, const SequenceBatch& batch, const Matrix<T>& u,
                       SsmBlockCache<T>& c, const Matrix<T>& d_out, SsmBlockGrads<T>& g, Matrix<T>& d_u) {
    s4d_backward(options(o), p.s4d, batch, u, c.s4d, d_out, g.s4d, d_u);
  }
};

// mamba (mamba.h) and cdssm (cdssm.h): one selective-scan block, its parameters, names, zero and
// initialisation shared; the transition differs (real exp(delta A), or complex with the angles th
// from a third group of N rows in x_proj).
template <Cell kCell>
struct SelectiveScanMixer {
  static constexpr bool kGeluOutProj = false;
  static constexpr int kGroups = kCell == Cell::cdssm ? 3 : 2;  // x_proj: R rows, then B, C (, th) of N rows each
  template <typename T>
  static auto& params(SsmBlockParams<T>& p) { return kCell == Cell::cdssm ? p.cdssm : p.mamba; }
  template <typename T>
  static const auto& params(const SsmBlockParams<T>& p) { return kCell == Cell::cdssm ? p.cdssm : p.mamba; }
  template <typename T>
  static void zero(const SsmOptions& o, SsmBlockParams<T>& block) {
    auto& p = params(block);
    const int H = o.hidden_size, N = o.state_size, E = o.expand * H, R = mamba_dt_rank(H);
    p.in_proj.setZero(2 * E, H);
    p.conv_weight.setZero(E, o.conv_width);
    p.conv_bias.setZero(E);
    p.x_proj.setZero(R + kGroups * N, E);
    p.dt_proj.setZero(E, R);
    p.dt_bias.setZero(E);
    p.a_log.setZero(E, N);
    p.d.setZero(E);
    p.out_proj.setZero(H, E);
  }
  template <typename T>
  static void tensors(const SsmOptions&, SsmBlockParams<T>& block, TensorList<T>& t) {
    auto& p = params(block);
    t.weight("mixer.in_proj.weight", p.in_proj);
    t.conv("mixer.conv1d.weight", p.conv_weight);
    t.vector("mixer.conv1d.bias", p.conv_bias);
    t.weight("mixer.x_proj.weight", p.x_proj);
    t.weight("mixer.dt_proj.weight", p.dt_proj);
    t.vector("mixer.dt_proj.bias", p.dt_bias);
    t.weight("mixer.A_log", p.a_log);
    t.vector("mixer.D", p.d);
    t.weight("mixer.out_proj.weight", p.out_proj);
  }
  static void init(const SsmOptions& o, SsmBlockParams<float>& block, Random& random) {
    auto& p = params(block);
    const int H = o.hidden_size, N = o.state_size, E = o.expand * H, R = mamba_dt_rank(H);
    uniform(p.in_proj, 1.0 / std::sqrt(H), random);
    uniform(p.conv_weight, 1.0 / std::sqrt(o.conv_width), random);
    uniform(p.conv_bias, 1.0 / std::sqrt(o.conv_width), random);
    uniform(p.x_proj, 1.0 / std::sqrt(E), random);
    uniform(p.dt_proj, 1.0 / std::sqrt(R), random);
    for (int e = 0; e < E; ++e) {
      const float dt = std::max(log_uniform_dt(random), 1e-4f);
      p.dt_bias(e) = dt + std::log(-std::expm1(-dt));  // softplus⁻¹(dt)
    }
    for (int n = 0; n < N; ++n) p.a_log.col(n).setConstant(std::log(static_cast<float>(n + 1)));
    p.d.setOnes();
    uniform(p.out_proj, 1.0 / std::sqrt(E), random);
  }
  template <typename T>
  static void forward(const SsmOptions& o, const SsmBlockParams<T>& p, const SequenceBatch& batch, const Matrix<T>& u,
                      SsmBlockCache<T>& c, Matrix<T>& out) {
    if constexpr (kCell == Cell::cdssm) cdssm_forward({o.state_size, o.expand, o.conv_width}, p.cdssm, batch, u, c.cdssm, out);
    else mamba_forward({o.negative_eigenvalues}, p.mamba, batch, u, c.mamba, out);
  }
  template <typename T>
  static void backward(const SsmOptions& o, const SsmBlockParams<T>& p, const SequenceBatch& batch, const Matrix<T>& u,
                       SsmBlockCache<T>& c, const Matrix<T>& d_out, SsmBlockGrads<T>& g, Matrix<T>& d_u) {
    if constexpr (kCell == Cell::cdssm)
      cdssm_backward({o.state_size, o.expand, o.conv_width}, p.cdssm, batch, u, c.cdssm, d_out, g.cdssm, d_u);
    else mamba_backward({o.negative_eigenvalues}, p.mamba, batch, u, c.mamba, d_out, g.mamba, d_u);
  }
};

struct Ids4Mixer {
  static constexpr bool kGeluOutProj = true;
  template <typename T>
  static void zero(const SsmOptions& o, SsmBlockParams<T>& p) {
    const int H = o.hidden_size, N = o.state_size;
    p.ids4.a_proj.setZero(N * N, H);
    p.ids4.a_bias.setZero(N * N);
    p.ids4.b_proj.setZero(N, H);
    p.ids4.b_bias.setZero(N);
    p.ids4.c.setZero(H, N);
    p.ids4.d.setZero(H);
  }
  template <typename T>
  static void tensors(const SsmOptions&, SsmBlockParams<T>& p, TensorList<T>& t) {
    t.weight("mixer.A_proj.weight", p.ids4.a_proj);
    t.vector("mixer.A_proj.bias", p.ids4.a_bias);
    t.weight("mixer.B_proj.weight", p.ids4.b_proj);
    t.vector("mixer.B_proj.bias", p.ids4.b_bias);
    t.weight("mixer.C", p.ids4.c);
    t.vector("mixer.D", p.ids4.d);
  }
  static void init(const SsmOptions& o, SsmBlockParams<float>& p, Random& random) {
    const int H = o.hidden_size, N = o.state_size;
    uniform(p.ids4.a_proj, 0.1 / std::sqrt(H), random);
    for (int i = 0; i < N; ++i) p.ids4.a_bias(i * N + i) = 1.0f;
    uniform(p.ids4.b_proj, 1.0 / std::sqrt(H), random);
    uniform(p.ids4.b_bias, 1.0 / std::sqrt(H), random);
    uniform(p.ids4.c, 1.0 / std::sqrt(N), random);
    p.ids4.d.setOnes();
  }
  template <typename T>
  static void forward(const SsmOptions&, const SsmBlockParams<T>& p, const SequenceBatch& batch, const Matrix<T>& u,
                      SsmBlockCache<T>& c, Matrix<T>& out) {
    ids4_forward(p.ids4, batch, u, c.ids4, out);
  }
  template <typename T>
  static void backward(const SsmOptions&, const SsmBlockParams<T>& p, const SequenceBatch& batch, const Matrix<T>& u,
                       SsmBlockCache<T>& c, const Matrix<T>& d_out, SsmBlockGrads<T>& g, Matrix<T>& d_u) {
    ids4_backward(p.ids4, batch, u, c.ids4, d_out, g.ids4, d_u);
  }
};

struct MlstmMixer {  // mlstm.h's names
  static constexpr bool kGeluOutProj = false;
  static MlstmOptions options(const SsmOptions& o) { return {o.num_heads}; }
  template <typename T>
  static void zero(const SsmOptions& o, SsmBlockParams<T>& p) {
    p.mlstm = zero_mlstm<T>(options(o), o.hidden_size);
  }
  template <typename T>
  static void tensors(const SsmOptions&, SsmBlockParams<T>& p, TensorList<T>& t) {
    auto& m = p.mlstm;
    t.weight("mixer.q_proj.weight", m.q_proj);
    t.weight("mixer.k_proj.weight", m.k_proj);
    t.weight("mixer.v_proj.weight", m.v_proj);
    t.weight("mixer.igate.weight", m.i_weight);
    t.vector("mixer.igate.bias", m.i_bias);
    t.weight("mixer.fgate.weight", m.f_weight);
    t.vector("mixer.fgate.bias", m.f_bias);
    t.weight("mixer.ogate.weight", m.o_weight);
    t.vector("mixer.ogate.bias", m.o_bias);
    t.weight("mixer.out_proj.weight", m.out_proj);
  }
  static void init(const SsmOptions&, SsmBlockParams<float>& p, Random& random) { init_mlstm(p.mlstm, random); }
  template <typename T>
  static void forward(const SsmOptions& o, const SsmBlockParams<T>& p, const SequenceBatch& batch, const Matrix<T>& u,
                      SsmBlockCache<T>& c, Matrix<T>& out) {
    mlstm_forward(options(o), p.mlstm, batch, u, c.mlstm, out);
  }
  template <typename T>
  static void backward(const SsmOptions& o, const SsmBlockParams<T>& p, const SequenceBatch& batch, const Matrix<T>& u,
                       SsmBlockCache<T>& c, const Matrix<T>& d_out, SsmBlockGrads<T>& g, Matrix<T>& d_u) {
    mlstm_backward(options(o), p.mlstm, batch, u, c.mlstm, d_out, g.mlstm, d_u);
  }
};

struct SlstmMixer {  // slstm.h's names
  static constexpr bool kGeluOutProj = false;
  static SlstmOptions options(const SsmOptions& o) { return {o.num_heads}; }
  template <typename T>
  static void zero(const SsmOptions& o, SsmBlockParams<T>& p) {
    p.slstm = zero_slstm<T>(options(o), o.hidden_size);
  }
  template <typename T>
  static void tensors(const SsmOptions&, SsmBlockParams<T>& p, TensorList<T>& t) {
    auto& m = p.slstm;
    t.weight("mixer.in_proj.weight", m.in_weight);
    t.vector("mixer.in_proj.bias", m.in_bias);
    t.weight("mixer.recurrent_kernel", m.recurrent);
    t.weight("mixer.out_proj.weight", m.out_proj);
  }
  static void init(const SsmOptions& o, SsmBlockParams<float>& p, Random& random) {
    init_slstm(p.slstm, o.num_heads, random);
  }
  template <typename T>
  static void forward(const SsmOptions& o, const SsmBlockParams<T>& p, const SequenceBatch& batch, const Matrix<T>& u,
                      SsmBlockCache<T>& c, Matrix<T>& out) {
    slstm_forward(options(o), p.slstm, batch, u, c.slstm, out);
  }
  template <typename T>
  static void backward(const SsmOptions& o, const SsmBlockParams<T>& p, const SequenceBatch& batch, const Matrix<T>& u,
                       SsmBlockCache<T>& c, const Matrix<T>& d_out, SsmBlockGrads<T>& g, Matrix<T>& d_u) {
    slstm_backward(options(o), p.slstm, batch, u, c.slstm, d_out, g.slstm, d_u);
  }
};

// The delta rules, one mixer (delta_product.h): deltanet (fla's DeltaNet: one Householder step,
// no gate), gated-deltanet (fla's GatedDeltaNet: one step, the decay and the output gate) and
// deltaproduct (fla's GatedDeltaProduct without its gates: --householder steps).
template <Cell kCell>
struct DeltaProductMixer {
  static constexpr bool kGeluOutProj = false;
  static constexpr bool kGated = kCell == Cell::gated_deltanet;
  static DeltaProductOptions options(const SsmOptions& o) {
    return {o.num_heads, kCell == Cell::deltaproduct ? o.householder : 1, kGated, o.negative_eigenvalues};
  }
  template <typename T>
  static void zero(const SsmOptions& o, SsmBlockParams<T>& p) {
    p.delta_product = zero_delta_product<T>(options(o), o.hidden_size, o.conv_width);
  }
  template <typename T>
  static void tensors(const SsmOptions& o, SsmBlockParams<T>& p, TensorList<T>& t) {
    auto& m = p.delta_product;
    t.weight("mixer.q_proj.weight", m.q_proj);
    t.weight("mixer.k_proj.weight", m.k_proj);
    t.weight("mixer.v_proj.weight", m.v_proj);
    if (kGated) t.weight("mixer.a_proj.weight", m.a_proj);
    t.weight("mixer.b_proj.weight", m.b_proj);
    if (kGated) {
      t.vector("mixer.A_log", m.a_log);
      t.vector("mixer.dt_bias", m.dt_bias);
    }
    t.conv("mixer.q_conv1d.weight", m.q_conv);
    t.conv("mixer.k_conv1d.weight", m.k_conv);
    t.conv("mixer.v_conv1d.weight", m.v_conv);
    if (kGated) t.weight("mixer.g_proj.weight", m.g_proj);
    t.vector("mixer.o_norm.weight", m.o_norm);
    t.weight("mixer.o_proj.weight", m.o_proj);
    (void)o;
  }
  static void init(const SsmOptions& o, SsmBlockParams<float>& p, Random& random) {
    init_delta_product(options(o), p.delta_product, random);
  }
  template <typename T>
  static void forward(const SsmOptions& o, const SsmBlockParams<T>& p, const SequenceBatch& batch, const Matrix<T>& u,
                      SsmBlockCache<T>& c, Matrix<T>& out) {
    delta_product_forward(options(o), p.delta_product, batch, u, c.delta_product, out);
  }
  template <typename T>
  static void backward(const SsmOptions& o, const SsmBlockParams<T>& p, const SequenceBatch& batch, const Matrix<T>& u,
                       SsmBlockCache<T>& c, const Matrix<T>& d_out, SsmBlockGrads<T>& g, Matrix<T>& d_u) {
    delta_product_backward(options(o), p.delta_product, batch, u, c.delta_product, d_out, g.delta_product, d_u);
  }
};

// Calls f with the mixer of `cell` (a value of one of the structs above): the one dispatch.
template <typename F>
void with_mixer(Cell cell, F&& f) {
  switch (cell) {
    case Cell::s4d: return f(S4dMixer{});
    case Cell::mamba: return f(SelectiveScanMixer<Cell::mamba>{});
    case Cell::ids4: return f(Ids4Mixer{});
    case Cell::deltanet: return f(DeltaProductMixer<Cell::deltanet>{});
    case Cell::mlstm: return f(MlstmMixer{});
    case Cell::slstm: return f(SlstmMixer{});
    case Cell::gated_deltanet: return f(DeltaProductMixer<Cell::gated_deltanet>{});
    case Cell::deltaproduct: return f(DeltaProductMixer<Cell::deltaproduct>{});
    case Cell::cdssm: return f(SelectiveScanMixer<Cell::cdssm>{});
    default: assert(false && "not a state-space cell");
  }
}

}  // namespace

template <typename T>
SsmBlockParams<T> zero_ssm_block(const SsmOptions& o) {
  const int H = o.hidden_size;
  SsmBlockParams<T> p;
  p.norm.weight.setZero(H);
  p.norm.bias.setZero(H);
  with_mixer(o.cell, [&](auto mixer) {
    mixer.template zero<T>(o, p);
    if (mixer.kGeluOutProj) {
      p.out_proj.weight.setZero(H, H);
      p.out_proj.bias.setZero(H);
    }
  });
  return p;
}

template <typename T>
void append_ssm_block_tensors(const SsmOptions& o, const std::string& prefix, SsmBlockParams<T>& p,
                              std::vector<NamedTensor<T>>& out) {
  TensorList<T> t{prefix, out};
  t.vector("norm.weight", p.norm.weight);
  t.vector("norm.bias", p.norm.bias);
  with_mixer(o.cell, [&](auto mixer) {
    mixer.tensors(o, p, t);
    if (mixer.kGeluOutProj) {
      t.weight("out_proj.weight", p.out_proj.weight);
      t.vector("out_proj.bias", p.out_proj.bias);
    }
  });
}

void init_ssm_block(const SsmOptions& o, SsmBlockParams<float>& p, Random& random) {
  p = zero_ssm_block<float>(o);
  const int H = o.hidden_size;
  p.norm.weight.setOnes();
  with_mixer(o.cell, [&](auto mixer) {
    mixer.init(o, p, random);
    if (mixer.kGeluOutProj) {
      uniform(p.out_proj.weight, 1.0 / std::sqrt(H), random);
      uniform(p.out_proj.bias, 1.0 / std::sqrt(H), random);
    }
  });
}

template <typename T>
void ssm_block_forward(const SsmOptions& o, const SsmBlockParams<T>& p, const SequenceBatch& batch, const Matrix<T>& x,
                       SsmBlockCache<T>& c, Matrix<T>& out) {
  layer_norm_forward(p.norm, x, c.norm, c.normed);  // (H, T*B)
  zero_padding(batch, c.normed);
  with_mixer(o.cell, [&](auto mixer) {
    if (!mixer.kGeluOutProj) {
      mixer.forward(o, p, batch, c.normed, c, c.branch);
      return;
    }
    mixer.forward(o, p, batch, c.normed, c, c.mixed);
    c.activated = c.mixed.unaryExpr([](T v) { return gelu(v); });  // zero stays zero
    linear_forward(p.out_proj, c.activated, c.branch);
    zero_padding(batch, c.branch);
  });
  out = x + c.branch;
}

template <typename T>
void ssm_block_backward(const SsmOptions& o, const SsmBlockParams<T>& p, const SequenceBatch& batch, const Matrix<T>& x,
                        SsmBlockCache<T>& c, const Matrix<T>& d_out, SsmBlockGrads<T>& g, Matrix<T>& d_x) {
  (void)x;
  with_mixer(o.cell, [&](auto mixer) {
    if (!mixer.kGeluOutProj) {
      mixer.backward(o, p, batch, c.normed, c, d_out, g, c.d_normed);
      return;
    }
    linear_backward(p.out_proj, c.activated, d_out, g.out_proj, &c.d_branch);  // d_out is zero in padding
    c.d_mixed = c.d_branch.binaryExpr(c.mixed, [](T d, T v) { return d * gelu_grad(v); });
    mixer.backward(o, p, batch, c.normed, c, c.d_mixed, g, c.d_normed);
  });
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
