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
  const int H = c.hidden_size, GH = gate_count(c.cell) * c.hidden_size;
  p.embedding.weight.setZero(c.embedding_dim, c.vocab_size);
  auto linear = [](LinearParams<T>& l, int out, int in) {
    l.weight.setZero(out, in);
    l.bias.setZero(out);
  };
  auto norm = [](LayerNormParams<T>& n, int size) {
    n.weight.setZero(size);
    n.bias.setZero(size);
  };
  if (!is_recurrent(c.cell)) {
    linear(p.input_proj, H, c.embedding_dim);
    norm(p.final_norm, H);
  }
  if (is_state_space(c.cell)) p.ssm_blocks.assign(c.num_layers, zero_ssm_block<T>(c));
  if (c.cell == Cell::transformer) {
    const int D = c.hidden_size, F = effective_ffn_size(c);
    if (c.positional == Positional::learned) p.positions.weight.setZero(D, c.max_length);
    p.blocks.resize(c.num_layers);
    for (auto& block : p.blocks) {
      linear(block.in_proj, 3 * D, D);
      linear(block.out_proj, D, D);
      linear(block.linear1, F, D);
      linear(block.linear2, D, F);
      norm(block.norm1, D);
      norm(block.norm2, D);
    }
  }
  p.layers.resize(is_recurrent(c.cell) ? c.num_layers : 0);
  for (int l = 0; l < static_cast<int>(p.layers.size()); ++l) {
    auto& layer = p.layers[l];
    layer.w_ih.setZero(GH, l == 0 ? c.embedding_dim : H);
    layer.w_hh.setZero(GH, H);
    layer.b_ih.setZero(GH);
    layer.b_hh.setZero(GH);
  }
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
  auto matrix = [&](std::string name, Matrix<T>& m, bool column_major) {
    std::vector<std::int64_t> shape = {m.rows(), m.cols()};
    if (!column_major) std::swap(shape[0], shape[1]);
    f({std::move(name), shape, m.data(), m.size(), column_major});
  };
  auto vector = [&](std::string name, Vector<T>& v) { f({std::move(name), {v.size()}, v.data(), v.size(), false}); };
  auto linear = [&](const std::string& name, LinearParams<T>& l) {
    matrix(name + ".weight", l.weight, true);
    vector(name + ".bias", l.bias);
  };
  auto norm = [&](const std::string& name, LayerNormParams<T>& n) {
    vector(name + ".weight", n.weight);
    vector(name + ".bias", n.bias);
  };
  matrix("embedding.weight", p.embedding.weight, false);  // ours (E, V) column-major = torch (V, E)
  if (!is_recurrent(c.cell)) linear("input_proj", p.input_proj);
  if (is_state_space(c.cell)) {
    std::vector<NamedTensor<T>> block;
    for (std::size_t l = 0; l < p.ssm_blocks.size(); ++l) {
      block.clear();
      append_ssm_block_tensors(c, "layers." + std::to_string(l) + ".", p.ssm_blocks[l], block);
      for (const auto& t : block) f(t);
    }
    norm("final_norm", p.final_norm);
  }
  if (c.cell == Cell::transformer) {
    if (c.positional == Positional::learned)
      matrix("positions.weight", p.positions.weight, false);  // torch (max_length, D)
    for (std::size_t l = 0; l < p.blocks.size(); ++l) {  // nn.TransformerEncoderLayer's state_dict order
      const std::string k = "transformer.layers." + std::to_string(l) + ".";
      auto& block = p.blocks[l];
      matrix(k + "self_attn.in_proj_weight", block.in_proj.weight, true);
      vector(k + "self_attn.in_proj_bias", block.in_proj.bias);
      linear(k + "self_attn.out_proj", block.out_proj);
      linear(k + "linear1", block.linear1);
      linear(k + "linear2", block.linear2);
      norm(k + "norm1", block.norm1);
      norm(k + "norm2", block.norm2);
    }
    norm("transformer.norm", p.final_norm);
  }
  const std::string cell = cell_name(c.cell);
  for (std::size_t l = 0; l < p.layers.size(); ++l) {
    const std::string k = std::to_string(l);
    matrix(cell + ".weight_ih_l" + k, p.layers[l].w_ih, true);
    matrix(cell + ".weight_hh_l" + k, p.layers[l].w_hh, true);
    vector(cell + ".bias_ih_l" + k, p.layers[l].b_ih);
    vector(cell + ".bias_hh_l" + k, p.layers[l].b_hh);
  }
  linear("head", p.head);
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

ModelParams<float> init_params(const ModelConfig& c, std::uint64_t seed) {
  auto p = zero_params<float>(c);
  Random random(seed);
  if (is_state_space(c.cell)) {  // each module as the reference's (init_ssm_block), in our storage order
    auto uniform = [&](auto& m, float bound) {
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
    return p;
  }
  const float k = 1.0f / std::sqrt(static_cast<float>(c.hidden_size));
  std::vector<float> buffer;
  for (const auto& tensor : named_tensors(c, p)) {
    buffer.resize(static_cast<std::size_t>(tensor.size));
    if (c.cell != Cell::transformer) {
      const bool normal = tensor.name == "embedding.weight";
      for (auto& v : buffer) v = normal ? random.normal() : random.uniform(-k, k);
    } else {  // torch's initialisation of each module (see init_params in model.h)
      const std::string& name = tensor.name;
      auto ends_with = [&](const char* suffix) {
        const std::string_view s(suffix);
        return name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
      };
      const bool is_norm = name.find("norm") != std::string::npos;
      if (name == "embedding.weight" || name == "positions.weight") {
        for (auto& v : buffer) v = random.normal();
      } else if (is_norm) {
        std::fill(buffer.begin(), buffer.end(), ends_with(".weight") ? 1.0f : 0.0f);
      } else if (ends_with("in_proj_bias") || ends_with("out_proj.bias")) {
        std::fill(buffer.begin(), buffer.end(), 0.0f);
      } else {
        // in_proj_weight (3D, D): Xavier-uniform; a Linear's weight (O, I) and bias: U(±1/sqrt(I)).
        float bound;
        if (ends_with("in_proj_weight")) {
          bound = std::sqrt(6.0f / static_cast<float>(tensor.shape[0] + tensor.shape[1]));
        } else {
          const std::int64_t fan_in = !ends_with(".bias")                  ? tensor.shape[1]
                                      : name.starts_with("input_proj")     ? c.embedding_dim
                                      : name.find("linear2") != std::string::npos ? effective_ffn_size(c)
                                                                                : c.hidden_size;
          bound = 1.0f / std::sqrt(static_cast<float>(fan_in));
        }
        for (auto& v : buffer) v = random.uniform(-bound, bound);
      }
    }
    copy_from_torch_order(tensor, buffer.data());  // drawn in torch's element order
  }
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
