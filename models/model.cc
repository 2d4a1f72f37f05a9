#include "models/model.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>

#include "models/error.h"
#include "models/random.h"

namespace statelab::models {

void validate(const ModelConfig& c) {
  auto require = [](bool ok, const std::string& what) {
    if (!ok) throw ModelError("ModelConfig: " + what);
  };
  require(c.vocab_size >= 1, "vocab_size is " + std::to_string(c.vocab_size) + ", expected >= 1");
  require(c.embedding_dim >= 1, "embedding_dim is " + std::to_string(c.embedding_dim) + ", expected >= 1");
  require(c.hidden_size >= 1, "hidden_size is " + std::to_string(c.hidden_size) + ", expected >= 1");
  require(c.num_layers >= 1, "num_layers is " + std::to_string(c.num_layers) + ", expected >= 1");
  if (!is_recurrent(c.cell)) {
    require(c.state_size >= 1, "state_size is " + std::to_string(c.state_size) + ", expected >= 1");
    require(c.expand >= 1, "expand is " + std::to_string(c.expand) + ", expected >= 1");
    require(c.conv_width >= 1, "conv_width is " + std::to_string(c.conv_width) + ", expected >= 1");
  }
  require(!c.negative_eigenvalues || c.cell == Cell::s4d || c.cell == Cell::mamba,
          std::string("negative_eigenvalues applies to s4d and mamba, not to ") + cell_name(c.cell));
  require(!c.s4d_convolution || c.cell == Cell::s4d,
          std::string("s4d_convolution applies to s4d, not to ") + cell_name(c.cell));
  switch (c.head) {
    case Head::recognize:
      require(c.num_outputs == 1, "num_outputs is " + std::to_string(c.num_outputs) + ", recognize expects 1");
      break;
    case Head::tag:
      require(c.num_outputs >= 2, "num_outputs is " + std::to_string(c.num_outputs) + ", tag expects >= 2 classes");
      break;
    case Head::next_set:
      require(c.num_outputs >= 1, "num_outputs is " + std::to_string(c.num_outputs) + ", next-set expects >= 1");
      break;
  }
}

std::string to_json(const ModelConfig& c) {
  nlohmann::json j = {{"cell", cell_name(c.cell)},         {"vocab_size", c.vocab_size},
                      {"embedding_dim", c.embedding_dim},  {"hidden_size", c.hidden_size},
                      {"num_layers", c.num_layers},        {"head", head_name(c.head)},
                      {"num_outputs", c.num_outputs}};
  if (!is_recurrent(c.cell)) {
    j["state_size"] = c.state_size;
    j["negative_eigenvalues"] = c.negative_eigenvalues;
    if (c.cell == Cell::mamba) {
      j["expand"] = c.expand;
      j["conv_width"] = c.conv_width;
    }
    if (c.cell == Cell::s4d) j["s4d_convolution"] = c.s4d_convolution;
  }
  return j.dump();
}

ModelConfig model_config_from_json(std::string_view text) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw ModelError(std::string("model config: not JSON: ") + e.what());
  }
  if (!j.is_object()) throw ModelError("model config: expected a JSON object, got " + j.dump());
  auto field = [&](const char* name) -> const nlohmann::json& {
    if (!j.contains(name)) throw ModelError(std::string("model config: missing field '") + name + "'");
    return j.at(name);
  };
  auto integer = [&](const char* name) {
    const auto& v = field(name);
    if (!v.is_number_integer()) throw ModelError(std::string("model config: '") + name + "' is " + v.dump() +
                                                 ", expected an integer");
    return v.get<int>();
  };
  auto text_field = [&](const char* name) {
    const auto& v = field(name);
    if (!v.is_string()) throw ModelError(std::string("model config: '") + name + "' is " + v.dump() +
                                         ", expected a string");
    return v.get<std::string>();
  };
  auto optional_integer = [&](const char* name, int fallback) { return j.contains(name) ? integer(name) : fallback; };
  auto optional_bool = [&](const char* name, bool fallback) {
    if (!j.contains(name)) return fallback;
    const auto& v = j.at(name);
    if (!v.is_boolean()) throw ModelError(std::string("model config: '") + name + "' is " + v.dump() +
                                          ", expected true or false");
    return v.get<bool>();
  };
  ModelConfig c;
  const std::string cell = text_field("cell");
  bool known = false;
  for (Cell k : {Cell::rnn, Cell::lstm, Cell::gru, Cell::s4d, Cell::mamba, Cell::ids4}) {
    if (cell == cell_name(k)) c.cell = k, known = true;
  }
  if (!known) throw ModelError("model config: cell is '" + cell + "', expected rnn, lstm, gru, s4d, mamba or ids4");
  const std::string head = text_field("head");
  if (head == "recognize") c.head = Head::recognize;
  else if (head == "tag") c.head = Head::tag;
  else if (head == "next-set") c.head = Head::next_set;
  else throw ModelError("model config: head is '" + head + "', expected recognize, tag or next-set");
  c.vocab_size = integer("vocab_size");
  c.embedding_dim = integer("embedding_dim");
  c.hidden_size = integer("hidden_size");
  c.num_layers = integer("num_layers");
  c.num_outputs = integer("num_outputs");
  c.state_size = optional_integer("state_size", c.state_size);
  c.negative_eigenvalues = optional_bool("negative_eigenvalues", c.negative_eigenvalues);
  c.expand = optional_integer("expand", c.expand);
  c.conv_width = optional_integer("conv_width", c.conv_width);
  c.s4d_convolution = optional_bool("s4d_convolution", c.s4d_convolution);
  validate(c);
  return c;
}

SsmOptions ssm_options(const ModelConfig& c) {
  return {c.cell, c.hidden_size, c.state_size, c.expand, c.conv_width, c.negative_eigenvalues, c.s4d_convolution};
}

template <typename T>
ModelParams<T> zero_params(const ModelConfig& c) {
  validate(c);
  ModelParams<T> p;
  const int H = c.hidden_size, GH = gate_count(c.cell) * c.hidden_size;
  p.embedding.weight.setZero(c.embedding_dim, c.vocab_size);
  p.head.weight.setZero(c.num_outputs, H);
  p.head.bias.setZero(c.num_outputs);
  if (!is_recurrent(c.cell)) {
    p.input_proj.weight.setZero(H, c.embedding_dim);
    p.input_proj.bias.setZero(H);
    p.ssm_blocks.assign(c.num_layers, zero_ssm_block<T>(ssm_options(c)));
    p.final_norm.weight.setZero(H);
    p.final_norm.bias.setZero(H);
    return p;
  }
  p.layers.resize(c.num_layers);
  for (int l = 0; l < c.num_layers; ++l) {
    auto& layer = p.layers[l];
    layer.w_ih.setZero(GH, l == 0 ? c.embedding_dim : H);
    layer.w_hh.setZero(GH, H);
    layer.b_ih.setZero(GH);
    layer.b_hh.setZero(GH);
  }
  return p;
}

template <typename T>
void set_zero(ModelParams<T>& p) {
  p.embedding.weight.setZero();
  for (auto& layer : p.layers) {
    layer.w_ih.setZero();
    layer.w_hh.setZero();
    layer.b_ih.setZero();
    layer.b_hh.setZero();
  }
  p.head.weight.setZero();
  p.head.bias.setZero();
  p.input_proj.weight.setZero();
  p.input_proj.bias.setZero();
  p.final_norm.weight.setZero();
  p.final_norm.bias.setZero();
  for (auto& block : p.ssm_blocks) {
    auto zero = [](auto&... m) { (m.setZero(), ...); };
    zero(block.norm.weight, block.norm.bias, block.out_proj.weight, block.out_proj.bias);
    zero(block.s4d.log_dt, block.s4d.log_a_real, block.s4d.a_imag, block.s4d.b, block.s4d.c, block.s4d.d);
    zero(block.mamba.in_proj, block.mamba.conv_weight, block.mamba.conv_bias, block.mamba.x_proj, block.mamba.dt_proj,
         block.mamba.dt_bias, block.mamba.a_log, block.mamba.d, block.mamba.out_proj);
    zero(block.ids4.a_proj, block.ids4.a_bias, block.ids4.b_proj, block.ids4.b_bias, block.ids4.c, block.ids4.d);
  }
}

template <typename T>
std::vector<NamedTensor<T>> named_tensors(const ModelConfig& c, ModelParams<T>& p) {
  std::vector<NamedTensor<T>> out;
  auto matrix = [&](std::string name, Matrix<T>& m, bool column_major) {
    std::vector<std::int64_t> shape = {m.rows(), m.cols()};
    if (!column_major) std::swap(shape[0], shape[1]);
    out.push_back({std::move(name), shape, m.data(), m.size(), column_major});
  };
  auto vector = [&](std::string name, Vector<T>& v) {
    out.push_back({std::move(name), {v.size()}, v.data(), v.size(), false});
  };
  matrix("embedding.weight", p.embedding.weight, false);  // ours (E, V) column-major = torch (V, E)
  if (!is_recurrent(c.cell)) {
    matrix("input_proj.weight", p.input_proj.weight, true);
    vector("input_proj.bias", p.input_proj.bias);
    const SsmOptions options = ssm_options(c);
    for (std::size_t l = 0; l < p.ssm_blocks.size(); ++l)
      append_ssm_block_tensors(options, "layers." + std::to_string(l) + ".", p.ssm_blocks[l], out);
    vector("final_norm.weight", p.final_norm.weight);
    vector("final_norm.bias", p.final_norm.bias);
    matrix("head.weight", p.head.weight, true);
    vector("head.bias", p.head.bias);
    return out;
  }
  const std::string cell = cell_name(c.cell);
  for (std::size_t l = 0; l < p.layers.size(); ++l) {
    const std::string k = std::to_string(l);
    matrix(cell + ".weight_ih_l" + k, p.layers[l].w_ih, true);
    matrix(cell + ".weight_hh_l" + k, p.layers[l].w_hh, true);
    vector(cell + ".bias_ih_l" + k, p.layers[l].b_ih);
    vector(cell + ".bias_hh_l" + k, p.layers[l].b_hh);
  }
  matrix("head.weight", p.head.weight, true);
  vector("head.bias", p.head.bias);
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
  if (!is_recurrent(c.cell)) {
    auto uniform = [&](auto& m, float bound) {
      for (Eigen::Index k = 0; k < m.size(); ++k) m.data()[k] = random.uniform(-bound, bound);
    };
    for (Eigen::Index k = 0; k < p.embedding.weight.size(); ++k) p.embedding.weight.data()[k] = random.normal();
    const float e = 1.0f / std::sqrt(static_cast<float>(c.embedding_dim));
    uniform(p.input_proj.weight, e);
    uniform(p.input_proj.bias, e);
    const SsmOptions options = ssm_options(c);
    for (auto& block : p.ssm_blocks) init_ssm_block(options, block, random);
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
    const bool normal = tensor.name == "embedding.weight";
    for (auto& v : buffer) v = normal ? random.normal() : random.uniform(-k, k);
    copy_from_torch_order(tensor, buffer.data());  // drawn in torch's element order
  }
  return p;
}

namespace {

void check_target(const ModelConfig& c, const Example& e, std::size_t index) {
  const std::size_t len = e.tokens.size();
  auto fail = [&](const std::string& what) {
    throw ModelError("make_batch: example " + std::to_string(index) + ": " + what);
  };
  switch (c.head) {
    case Head::recognize:
      if (e.target.size() != 1) fail("has " + std::to_string(e.target.size()) + " targets, recognize expects 1");
      if (e.target[0] != 0 && e.target[0] != 1) fail("target is " + std::to_string(e.target[0]) + ", expected 0 or 1");
      break;
    case Head::tag:
      if (e.target.size() != len)
        fail("has " + std::to_string(e.target.size()) + " targets for " + std::to_string(len) + " tokens");
      for (std::size_t t = 0; t < len; ++t)
        if (e.target[t] < 0 || e.target[t] >= c.num_outputs)
          fail("target at position " + std::to_string(t) + " is " + std::to_string(e.target[t]) + ", expected 0.." +
               std::to_string(c.num_outputs - 1));
      break;
    case Head::next_set:
      if (e.target.size() != len * c.num_outputs)
        fail("has " + std::to_string(e.target.size()) + " targets, expected length * num_outputs = " +
             std::to_string(len * c.num_outputs));
      for (std::size_t i = 0; i < e.target.size(); ++i)
        if (e.target[i] != 0 && e.target[i] != 1)
          fail("target " + std::to_string(i) + " is " + std::to_string(e.target[i]) + ", expected 0 or 1");
      break;
  }
}

// The targets of the batch's examples, in the batch's order (see make_batch).
template <typename Get>
void fill_targets(const ModelConfig& c, Get get, SequenceBatch& batch) {
  const int B = batch.batch_size, T = batch.max_length;
  const std::size_t n = B;
  for (int b = 0; b < B; ++b) check_target(c, get(batch.order[b]), batch.order[b]);
  switch (c.head) {
    case Head::recognize:
      batch.targets.resize(n);
      for (int b = 0; b < B; ++b) batch.targets[b] = get(batch.order[b]).target[0];
      break;
    case Head::tag:
      batch.targets.assign(static_cast<std::size_t>(T) * B, -1);
      for (int b = 0; b < B; ++b)
        for (int t = 0; t < batch.lengths[b]; ++t)
          batch.targets[static_cast<std::size_t>(t) * B + b] = get(batch.order[b]).target[t];
      break;
    case Head::next_set: {
      const std::size_t K = c.num_outputs;
      batch.targets.assign(static_cast<std::size_t>(T) * B * K, 0);
      for (int b = 0; b < B; ++b)
        for (int t = 0; t < batch.lengths[b]; ++t)
          for (std::size_t k = 0; k < K; ++k)
            batch.targets[(static_cast<std::size_t>(t) * B + b) * K + k] = get(batch.order[b]).target[t * K + k];
      break;
    }
  }
}

// The batch of sequences get(0..n-1), with targets when with_targets.
template <bool with_targets, typename Get>
SequenceBatch build_batch(const ModelConfig& c, std::size_t n, Get get) {
  SequenceBatch batch;
  const int B = static_cast<int>(n);
  batch.batch_size = B;
  batch.order.resize(n);
  std::iota(batch.order.begin(), batch.order.end(), 0);
  std::stable_sort(batch.order.begin(), batch.order.end(),
                   [&](int a, int b) { return get(a).tokens.size() > get(b).tokens.size(); });
  batch.lengths.resize(n);
  for (int b = 0; b < B; ++b) batch.lengths[b] = static_cast<int>(get(batch.order[b]).tokens.size());
  const int T = B == 0 ? 0 : batch.lengths[0];
  batch.max_length = T;
  batch.active.assign(T, 0);
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < batch.lengths[b]; ++t) ++batch.active[t];
  batch.tokens.assign(static_cast<std::size_t>(T) * B, -1);
  for (int b = 0; b < B; ++b) {
    const auto& e = get(batch.order[b]);
    for (int t = 0; t < batch.lengths[b]; ++t) {
      const Token token = e.tokens[t];
      if (token >= static_cast<Token>(c.vocab_size))
        throw ModelError("make_batch: sequence " + std::to_string(batch.order[b]) + " position " + std::to_string(t) +
                         " has token " + std::to_string(token) + ", expected < vocab_size " +
                         std::to_string(c.vocab_size));
      batch.tokens[static_cast<std::size_t>(t) * B + b] = static_cast<std::int32_t>(token);
    }
  }
  if constexpr (with_targets) fill_targets(c, get, batch);
  return batch;
}

struct TokensOnly {
  const Sequence& tokens;
};

}  // namespace

SequenceBatch make_batch(const ModelConfig& c, std::span<const Example> examples) {
  return build_batch<true>(c, examples.size(), [&](std::size_t i) -> const Example& { return examples[i]; });
}

SequenceBatch make_batch(const ModelConfig& c, std::span<const Example* const> examples) {
  return build_batch<true>(c, examples.size(), [&](std::size_t i) -> const Example& { return *examples[i]; });
}

SequenceBatch make_batch(const ModelConfig& c, std::span<const Sequence> sequences) {
  return build_batch<false>(c, sequences.size(), [&](std::size_t i) { return TokensOnly{sequences[i]}; });
}

std::int64_t loss_terms(const ModelConfig& c, const SequenceBatch& batch) {
  if (c.head == Head::recognize) return batch.batch_size;
  const std::int64_t positions = std::accumulate(batch.lengths.begin(), batch.lengths.end(), std::int64_t{0});
  return c.head == Head::tag ? positions : positions * c.num_outputs;
}

namespace {

// The activation the head reads: the top layer's output (recurrent) or the final LayerNorm's.
template <typename T>
const Matrix<T>& top_of(const ModelConfig& c, const ModelCache<T>& cache) {
  return is_recurrent(c.cell) ? cache.outputs.back() : cache.top;
}

}  // namespace

template <typename T>
void model_forward(const ModelConfig& c, const ModelParams<T>& p, const SequenceBatch& batch, ModelCache<T>& cache) {
  const int L = c.num_layers;
  cache.outputs.resize(L);
  embedding_forward(p.embedding, batch, cache.embedded);  // (E, T*B)
  if (is_recurrent(c.cell)) {
    cache.layers.resize(L);
    for (int l = 0; l < L; ++l) {
      recurrent_forward(c.cell, p.layers[l], batch, l == 0 ? cache.embedded : cache.outputs[l - 1], cache.layers[l],
                        cache.outputs[l]);  // (H, T*B)
    }
  } else {
    const SsmOptions options = ssm_options(c);
    cache.ssm_blocks.resize(L);
    linear_forward(p.input_proj, cache.embedded, cache.projected);  // (H, T*B)
    zero_padding(batch, cache.projected);
    for (int l = 0; l < L; ++l) {
      ssm_block_forward(options, p.ssm_blocks[l], batch, l == 0 ? cache.projected : cache.outputs[l - 1],
                        cache.ssm_blocks[l], cache.outputs[l]);  // (H, T*B) the residual stream
    }
    layer_norm_forward(p.final_norm, batch, cache.outputs.back(), cache.final_norm, cache.top);
  }
  const Matrix<T>& top = top_of(c, cache);
  if (c.head == Head::recognize) {
    gather_last(batch, top, cache.last);  // (H, B)
    cache.logits.resize(c.num_outputs, batch.batch_size);
    linear_forward(p.head, cache.last, cache.logits);  // (1, B)
  } else {
    cache.logits.resize(c.num_outputs, batch.columns());
    linear_forward(p.head, top, cache.logits);  // (O, T*B)
  }
}

template <typename T>
T model_loss(const ModelConfig& c, const SequenceBatch& batch, ModelCache<T>& cache, T scale) {
  switch (c.head) {
    case Head::recognize: return recognize_loss(batch, cache.logits, scale, cache.d_logits);
    case Head::tag: return tag_loss(batch, cache.logits, scale, cache.d_logits);
    case Head::next_set: return next_set_loss(batch, cache.logits, scale, cache.d_logits);
  }
  return T(0);
}

template <typename T>
void model_backward(const ModelConfig& c, const ModelParams<T>& p, const SequenceBatch& batch, ModelCache<T>& cache,
                    ModelGrads<T>& grads) {
  const int L = c.num_layers;
  const Matrix<T>& top = top_of(c, cache);
  if (c.head == Head::recognize) {
    linear_backward(p.head, cache.last, cache.d_logits, grads.head, &cache.d_last);  // (H, B)
    cache.d_top.setZero(c.hidden_size, batch.columns());
    scatter_last(batch, cache.d_last, cache.d_top);
  } else {
    linear_backward(p.head, top, cache.d_logits, grads.head, &cache.d_top);  // (H, T*B)
  }
  if (is_recurrent(c.cell)) {
    for (int l = L - 1; l >= 0; --l) {
      recurrent_backward(c.cell, p.layers[l], batch, l == 0 ? cache.embedded : cache.outputs[l - 1],
                         cache.outputs[l], cache.layers[l], cache.d_top, grads.layers[l], &cache.d_in);
      std::swap(cache.d_top, cache.d_in);  // d_top = dL/d(input of layer l)
    }
  } else {
    const SsmOptions options = ssm_options(c);
    layer_norm_backward(p.final_norm, batch, cache.final_norm, cache.d_top, grads.final_norm, cache.d_in);
    std::swap(cache.d_top, cache.d_in);  // d_top = dL/d(residual stream after the last block)
    for (int l = L - 1; l >= 0; --l) {
      ssm_block_backward(options, p.ssm_blocks[l], batch, l == 0 ? cache.projected : cache.outputs[l - 1],
                         cache.ssm_blocks[l], cache.d_top, grads.ssm_blocks[l], cache.d_in);
      std::swap(cache.d_top, cache.d_in);
    }
    linear_backward(p.input_proj, cache.embedded, cache.d_top, grads.input_proj, &cache.d_in);
    std::swap(cache.d_top, cache.d_in);  // dL/dembedded
  }
  embedding_backward(batch, cache.d_top, grads.embedding);
}

std::vector<Matrix<float>> model_logits(const ModelConfig& c, const ModelParams<float>& p,
                                        std::span<const Sequence> sequences) {
  const SequenceBatch batch = make_batch(c, sequences);
  ModelCache<float> cache;
  model_forward(c, p, batch, cache);
  std::vector<Matrix<float>> out(sequences.size());
  const int B = batch.batch_size;
  for (int b = 0; b < B; ++b) {
    auto& m = out[batch.order[b]];
    if (c.head == Head::recognize) {
      m = cache.logits.col(b);
    } else {
      m.resize(c.num_outputs, batch.lengths[b]);
      for (int t = 0; t < batch.lengths[b]; ++t) m.col(t) = cache.logits.col(t * B + b);
    }
  }
  return out;
}

std::vector<float> accept_probability(const ModelConfig& c, const ModelParams<float>& p,
                                      std::span<const Sequence> sequences) {
  if (c.head != Head::recognize)
    throw ModelError(std::string("accept_probability: the model's head is ") + head_name(c.head) +
                     ", expected recognize");
  const auto logits = model_logits(c, p, sequences);
  std::vector<float> out(logits.size());
  for (std::size_t i = 0; i < logits.size(); ++i) out[i] = 1.0f / (1.0f + std::exp(-logits[i](0, 0)));
  return out;
}

std::vector<Matrix<float>> hidden_states(const ModelConfig& c, const ModelParams<float>& p,
                                         std::span<const Sequence> sequences) {
  const SequenceBatch batch = make_batch(c, sequences);
  ModelCache<float> cache;
  model_forward(c, p, batch, cache);
  const int B = batch.batch_size, H = c.hidden_size;
  std::vector<Matrix<float>> out(sequences.size());
  for (int b = 0; b < B; ++b) {
    auto& m = out[batch.order[b]];
    m.resize(static_cast<Eigen::Index>(c.num_layers) * H, batch.lengths[b]);
    for (int l = 0; l < c.num_layers; ++l)
      for (int t = 0; t < batch.lengths[b]; ++t) m.block(l * H, t, H, 1) = cache.outputs[l].col(t * B + b);
  }
  return out;
}

#define STATELAB_INSTANTIATE(T)                                                                                  \
  template ModelParams<T> zero_params(const ModelConfig&);                                                       \
  template void set_zero(ModelParams<T>&);                                                                       \
  template std::vector<NamedTensor<T>> named_tensors(const ModelConfig&, ModelParams<T>&);                       \
  template void copy_to_torch_order(const NamedTensor<T>&, T*);                                                  \
  template void copy_from_torch_order(const NamedTensor<T>&, const T*);                                          \
  template void model_forward(const ModelConfig&, const ModelParams<T>&, const SequenceBatch&, ModelCache<T>&);  \
  template T model_loss(const ModelConfig&, const SequenceBatch&, ModelCache<T>&, T);                            \
  template void model_backward(const ModelConfig&, const ModelParams<T>&, const SequenceBatch&, ModelCache<T>&,  \
                               ModelGrads<T>&);
STATELAB_INSTANTIATE(float)
STATELAB_INSTANTIATE(double)
#undef STATELAB_INSTANTIATE

}  // namespace statelab::models
