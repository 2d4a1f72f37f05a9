#include "models/ssm.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <type_traits>
#include <utility>
#include <variant>

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

// Calls f(std::integral_constant<std::size_t, mixer_slot(cell)>{}): the one dispatch, generated
// from kSsmCells (the state-space rows of kArchitectures).
template <typename F, std::size_t... I>
void with_mixer(Cell cell, F&& f, std::index_sequence<I...>) {
  [[maybe_unused]] const bool found =
      ((cell == kSsmCells[I] ? (f(std::integral_constant<std::size_t, I + 1>{}), true) : false) || ...);
  assert(found && "not a state-space cell");
}
template <typename F>
void with_mixer(Cell cell, F&& f) {
  with_mixer(cell, std::forward<F>(f), std::make_index_sequence<kSsmCellCount>{});
}

// The cache's slot for the mixer in slot S, made on first use (so a reused cache keeps its buffers).
template <std::size_t S, typename T>
auto& mixer_cache(SsmBlockCache<T>& c) {
  if (c.mixer.index() != S) c.mixer.template emplace<S>();
  return std::get<S>(c.mixer);
}

}  // namespace

template <typename T>
SsmBlockParams<T> zero_ssm_block(const ModelConfig& o) {
  const int H = o.hidden_size;
  SsmBlockParams<T> p;
  p.norm.weight.setZero(H);
  p.norm.bias.setZero(H);
  with_mixer(o.cell, [&](auto slot) {
    constexpr std::size_t S = decltype(slot)::value;
    using M = MixerAt<S>;
    M::zero(o, p.mixer.template emplace<S>());
    if (M::kGeluOutProj) {
      p.out_proj.weight.setZero(H, H);
      p.out_proj.bias.setZero(H);
    }
  });
  return p;
}

template <typename T>
void append_ssm_block_tensors(const ModelConfig& o, const std::string& prefix, SsmBlockParams<T>& p,
                              std::vector<NamedTensor<T>>& out) {
  MixerTensors<T> t{prefix, out};
  t.vector("norm.weight", p.norm.weight);
  t.vector("norm.bias", p.norm.bias);
  with_mixer(o.cell, [&](auto slot) {
    constexpr std::size_t S = decltype(slot)::value;
    using M = MixerAt<S>;
    M::tensors(o, std::get<S>(p.mixer), t);
    if (M::kGeluOutProj) {
      t.weight("out_proj.weight", p.out_proj.weight);
      t.vector("out_proj.bias", p.out_proj.bias);
    }
  });
}

void init_ssm_block(const ModelConfig& o, SsmBlockParams<float>& p, Random& random) {
  p = zero_ssm_block<float>(o);
  const int H = o.hidden_size;
  p.norm.weight.setOnes();
  with_mixer(o.cell, [&](auto slot) {
    constexpr std::size_t S = decltype(slot)::value;
    using M = MixerAt<S>;
    M::init(o, std::get<S>(p.mixer), random);
    if (M::kGeluOutProj) {
      init_uniform(p.out_proj.weight, 1.0 / std::sqrt(H), random);
      init_uniform(p.out_proj.bias, 1.0 / std::sqrt(H), random);
    }
  });
}

template <typename T>
void ssm_block_forward(const ModelConfig& o, const SsmBlockParams<T>& p, const SequenceBatch& batch, const Matrix<T>& x,
                       SsmBlockCache<T>& c, Matrix<T>& out) {
  layer_norm_forward(p.norm, x, c.norm, c.normed);  // (H, T*B)
  zero_padding(batch, c.normed);
  with_mixer(o.cell, [&](auto slot) {
    constexpr std::size_t S = decltype(slot)::value;
    using M = MixerAt<S>;
    const auto& mp = std::get<S>(p.mixer);
    auto& mc = mixer_cache<S>(c);
    if (!M::kGeluOutProj) {
      M::forward(o, mp, batch, c.normed, mc, c.branch);
      return;
    }
    M::forward(o, mp, batch, c.normed, mc, c.mixed);
    c.activated = c.mixed.unaryExpr([](T v) { return gelu(v); });  // zero stays zero
    linear_forward(p.out_proj, c.activated, c.branch);
    zero_padding(batch, c.branch);
  });
  out = x + c.branch;
}

template <typename T>
void ssm_block_backward(const ModelConfig& o, const SsmBlockParams<T>& p, const SequenceBatch& batch, const Matrix<T>& x,
                        SsmBlockCache<T>& c, const Matrix<T>& d_out, SsmBlockGrads<T>& g, Matrix<T>& d_x) {
  (void)x;
  with_mixer(o.cell, [&](auto slot) {
    constexpr std::size_t S = decltype(slot)::value;
    using M = MixerAt<S>;
    const auto& mp = std::get<S>(p.mixer);
    auto& mc = mixer_cache<S>(c);
    auto& mg = std::get<S>(g.mixer);
    if (!M::kGeluOutProj) {
      M::backward(o, mp, batch, c.normed, mc, d_out, mg, c.d_normed);
      return;
    }
    linear_backward(p.out_proj, c.activated, d_out, g.out_proj, &c.d_branch);  // d_out is zero in padding
    c.d_mixed = c.d_branch.binaryExpr(c.mixed, [](T d, T v) { return d * gelu_grad(v); });
    M::backward(o, mp, batch, c.normed, mc, c.d_mixed, mg, c.d_normed);
  });
  zero_padding(batch, c.d_normed);  // so that padding adds nothing to dL/dbias and gives a zero d_x there
  layer_norm_backward(p.norm, c.norm, c.d_normed, g.norm, c.d_x_norm);
  d_x = d_out + c.d_x_norm;
}

#define STATELAB_INSTANTIATE(T)                                                                                     \
  template SsmBlockParams<T> zero_ssm_block(const ModelConfig&);                                                     \
  template void append_ssm_block_tensors(const ModelConfig&, const std::string&, SsmBlockParams<T>&,                 \
                                         std::vector<NamedTensor<T>>&);                                             \
  template void ssm_block_forward(const ModelConfig&, const SsmBlockParams<T>&, const SequenceBatch&,                \
                                  const Matrix<T>&, SsmBlockCache<T>&, Matrix<T>&);                                 \
  template void ssm_block_backward(const ModelConfig&, const SsmBlockParams<T>&, const SequenceBatch&,               \
                                   const Matrix<T>&, SsmBlockCache<T>&, const Matrix<T>&, SsmBlockGrads<T>&,        \
                                   Matrix<T>&);
STATELAB_INSTANTIATE(float)
STATELAB_INSTANTIATE(double)
#undef STATELAB_INSTANTIATE

}  // namespace statelab::models
