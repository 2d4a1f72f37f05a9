// Parameters: shapes (zero_params), the one enumeration of tensors (for_each_tensor), initialisation.
#include "models/model.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "base/random.h"
#include "models/error.h"

namespace statelab::models {

template <typename T>
ModelParams<T> zero_params(const ModelConfig& c) {
  validate(c);
  ModelParams<T> p;
  const int H = c.hidden_size;
  p.embedding.weight.setZero(c.embedding_dim, c.vocab_size + positions_after_word(c));
  with_family(architecture(c.cell).family, [&](auto family) {
    using F = FamilyOf<decltype(family)::value>;
    if constexpr (F::kProjected) {
      p.input_proj.weight.setZero(H, c.embedding_dim);
      p.input_proj.bias.setZero(H);
      p.final_norm.weight.setZero(H);
      p.final_norm.bias.setZero(H);
    }
    F::zero(c, p);
  });
  p.head.weight.setZero(c.num_outputs, H);
  p.head.bias.setZero(c.num_outputs);
  return p;
}

template <typename T>
void set_zero(const ModelConfig& c, ModelParams<T>& p) {
  for_each_tensor(c, p, [](const NamedTensor<T>& t) { std::fill(t.data, t.data + t.size, T(0)); });
}

template <typename T>
void for_each_tensor(const ModelConfig& c, ModelParams<T>& p, const std::type_identity_t<std::function<void(const NamedTensor<T>&)>>& f) {
  const ModelTensors<T> t{f};
  // ours (E, V) column-major = torch (V, E); nn.Embedding's N(0, 1)
  t.matrix("embedding.weight", p.embedding.weight, false, TensorInit::standard_normal());
  with_family(architecture(c.cell).family, [&](auto family) {
    using F = FamilyOf<decltype(family)::value>;
    if constexpr (F::kProjected) t.linear("input_proj", p.input_proj);
    F::tensors(c, p, t);
    if constexpr (F::kProjected) t.norm(F::kFinalNorm, p.final_norm);
  });
  t.linear("head", p.head);
}

template <typename T>
std::vector<NamedTensor<T>> named_tensors(const ModelConfig& c, ModelParams<T>& p) {
  std::vector<NamedTensor<T>> out;
  for_each_tensor(c, p, [&](const NamedTensor<T>& t) { out.push_back(t); });
  return out;
}

template <typename T>
void copy_to_torch_order(const NamedTensor<T>& tensor, T* torch_order) {
  if (!tensor.column_major) {
    std::copy(tensor.data, tensor.data + tensor.size, torch_order);
    return;
  }
  const std::int64_t rows = tensor.shape[0], cols = tensor.size / rows;
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t k = 0; k < cols; ++k) torch_order[r * cols + k] = tensor.data[k * rows + r];
}

template <typename T>
void copy_from_torch_order(const NamedTensor<T>& tensor, const T* torch_order) {
  if (!tensor.column_major) {
    std::copy(torch_order, torch_order + tensor.size, tensor.data);
    return;
  }
  const std::int64_t rows = tensor.shape[0], cols = tensor.size / rows;
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t k = 0; k < cols; ++k) tensor.data[k * rows + r] = torch_order[r * cols + k];
}

std::int64_t parameter_count(const ModelConfig& config) {
  auto params = zero_params<float>(config);
  std::int64_t n = 0;
  for (const auto& t : named_tensors(config, params)) n += t.size;
  return n;
}

void init_as_declared(const ModelConfig& c, ModelParams<float>& p, Random& random) {
  std::vector<float> buffer;
  for (const auto& tensor : named_tensors(c, p)) {
    buffer.resize(static_cast<std::size_t>(tensor.size));
    const TensorInit init = tensor.init;
    switch (init.kind) {
      case TensorInit::normal:
        for (auto& v : buffer) v = random.normal();
        break;
      case TensorInit::uniform:
        for (auto& v : buffer) v = random.uniform(-init.value, init.value);
        break;
      case TensorInit::constant: std::fill(buffer.begin(), buffer.end(), init.value); break;
      case TensorInit::none:
        throw ModelError("init_params: tensor '" + tensor.name + "' of a " + cell_name(c.cell) +
                         " declares no initialisation");
    }
    copy_from_torch_order(tensor, buffer.data());  // drawn in torch's element order
  }
}

ModelParams<float> init_params(const ModelConfig& c, std::uint64_t seed) {
  auto p = zero_params<float>(c);
  Random random(seed);
  with_family(architecture(c.cell).family,
              [&](auto family) { FamilyOf<decltype(family)::value>::init(c, p, random); });
  return p;
}

#define STATELAB_INSTANTIATE(T) \
  template ModelParams<T> zero_params(const ModelConfig&); \
  template void set_zero(const ModelConfig&, ModelParams<T>&); \
  template void for_each_tensor<T>(const ModelConfig&, ModelParams<T>&, const std::function<void(const NamedTensor<T>&)>&); \
  template std::vector<NamedTensor<T>> named_tensors(const ModelConfig&, ModelParams<T>&); \
  template void copy_to_torch_order(const NamedTensor<T>&, T*); \
  template void copy_from_torch_order(const NamedTensor<T>&, const T*);
STATELAB_INSTANTIATE(float)
STATELAB_INSTANTIATE(double)
#undef STATELAB_INSTANTIATE

}  // namespace statelab::models
