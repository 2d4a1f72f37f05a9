#include "models/ssm.h"

#include "models/model.h"
#include "models/safetensors.h"

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
template <typename F>
void with_mixer(Cell cell, F&& f) {
  with_cell_of<Family::state_space>(
      cell, [&](auto c) { f(std::integral_constant<std::size_t, mixer_slot(decltype(c)::value)>{}); });
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

template <typename T>
void FamilyOf<Family::state_space>::zero(const ModelConfig& c, ModelParams<T>& p) {
  p.ssm_blocks.assign(c.num_layers, zero_ssm_block<T>(c));
}

template <typename T>
void FamilyOf<Family::state_space>::tensors(const ModelConfig& c, ModelParams<T>& p, const ModelTensors<T>& t) {
  std::vector<NamedTensor<T>> block;
  for (std::size_t l = 0; l < p.ssm_blocks.size(); ++l) {
    block.clear();
    append_ssm_block_tensors(c, "layers." + std::to_string(l) + ".", p.ssm_blocks[l], block);
    for (const auto& tensor : block) t.f(tensor);
  }
}

void FamilyOf<Family::state_space>::init(const ModelConfig& c, ModelParams<float>& p, Random& random) {
  auto uniform = [&](auto& m, float bound) {  // in our storage order, as the reference's init_ssm_block
    for (Eigen::Index k = 0; k < m.size(); ++k) m.data()[k] = random.uniform(-bound, bound);
  };
  for (Eigen::Index k = 0; k < p.embedding.weight.size(); ++k) p.embedding.weight.data()[k] = random.normal();
  const float e = 1.0f / std::sqrt(static_cast<float>(c.embedding_dim));
  uniform(p.input_proj.weight, e);
  uniform(p.input_proj.bias, e);
  for (auto& block : p.ssm_blocks) init_ssm_block(c, block, random);
  p.final_norm.weight.setOnes();
  const float h = 1.0f / std::sqrt(static_cast<float>(c.hidden_size));
  uniform(p.head.weight, h);
  uniform(p.head.bias, h);
}

// Given cache.projected = input_proj(embedded), zero in padding: the blocks (cache.outputs).
template <typename T>
void FamilyOf<Family::state_space>::forward(const ModelConfig& c, const ModelParams<T>& p, const SequenceBatch& batch,
                                            ModelCache<T>& cache, const KvBound*) {
  const int L = c.num_layers;
  cache.ssm_blocks.resize(L);
  for (int l = 0; l < L; ++l) {
    ssm_block_forward(c, p.ssm_blocks[l], batch, l == 0 ? cache.projected : cache.outputs[l - 1],
                      cache.ssm_blocks[l], cache.outputs[l]);  // (H, T*B) the residual stream
  }
}

// Given cache.d_top = dL/d outputs[L-1], accumulates the blocks' gradients and leaves
// cache.d_top = dL/d projected.
template <typename T>
void FamilyOf<Family::state_space>::backward(const ModelConfig& c, const ModelParams<T>& p, const SequenceBatch& batch,
                                             ModelCache<T>& cache, ModelParams<T>& grads) {
  for (int l = c.num_layers - 1; l >= 0; --l) {
    ssm_block_backward(c, p.ssm_blocks[l], batch, l == 0 ? cache.projected : cache.outputs[l - 1],
                       cache.ssm_blocks[l], cache.d_top, grads.ssm_blocks[l], cache.d_in);
    std::swap(cache.d_top, cache.d_in);  // d_top = dL/d(input of block l)
  }
}

bool FamilyOf<Family::state_space>::in_file(const SafetensorsFile& file) {
  return file.tensors.count("input_proj.weight") != 0;
}

ModelConfig FamilyOf<Family::state_space>::config_from_file(const CheckpointToInfer& file, ModelConfig) {
  // The state size, expansion and switches are not all in the tensors, so the config comes with
  // the file and infer_config checks the tensors against it.
  return file.stated_for(Family::state_space,
                         "a state-space checkpoint (it has input_proj.weight) needs its config in metadata statelab.model",
                         " but the file has the state-space tensor input_proj.weight");
}

#define STATELAB_INSTANTIATE(T)                                                                                     \
  template void FamilyOf<Family::state_space>::zero(const ModelConfig&, ModelParams<T>&);                          \
  template void FamilyOf<Family::state_space>::tensors(const ModelConfig&, ModelParams<T>&,                        \
                                                       const ModelTensors<T>&);                                    \
  template void FamilyOf<Family::state_space>::forward(const ModelConfig&, const ModelParams<T>&,                  \
                                                       const SequenceBatch&, ModelCache<T>&, const KvBound*);      \
  template void FamilyOf<Family::state_space>::backward(const ModelConfig&, const ModelParams<T>&,                 \
                                                        const SequenceBatch&, ModelCache<T>&, ModelParams<T>&);    \
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
