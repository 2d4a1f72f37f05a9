#include "models/model.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>

#include "base/random.h"
#include "models/error.h"

namespace statelab::models {

bool reads_field(Cell cell, std::string_view field) {
  static constexpr std::string_view kTransformer[] = {"num_heads",  "positional", "causal",           "ffn_size",
                                                      "ffn_activation", "max_length", "hard_alibi_heads",
                                                      "hard_alibi_window"};
  static constexpr std::string_view kEveryone[] = {"cell",       "vocab_size", "embedding_dim", "hidden_size",
                                                   "num_layers", "head",       "num_outputs"};
  for (std::string_view f : kTransformer)
    if (f == field) return cell == Cell::transformer;
  if (field == "state_size") return is_state_space(cell);
  if (field == "negative_eigenvalues") return cell == Cell::s4d || cell == Cell::mamba;
  if (field == "expand" || field == "conv_width") return cell == Cell::mamba;
  if (field == "s4d_convolution") return cell == Cell::s4d;
  for (std::string_view f : kEveryone)
    if (f == field) return true;
  throw ModelError("ModelConfig has no field '" + std::string(field) + "'");
}

std::vector<Cell> cells_reading(std::string_view field) {
  std::vector<Cell> out;
  for (Cell c : {Cell::rnn, Cell::lstm, Cell::gru, Cell::transformer, Cell::s4d, Cell::mamba, Cell::ids4})
    if (reads_field(c, field)) out.push_back(c);
  return out;
}

void validate(const ModelConfig& c) {
  auto require = [](bool ok, const std::string& what) {
    if (!ok) throw ModelError("ModelConfig: " + what);
  };
  require(c.vocab_size >= 1, "vocab_size is " + std::to_string(c.vocab_size) + ", expected >= 1");
  require(c.embedding_dim >= 1, "embedding_dim is " + std::to_string(c.embedding_dim) + ", expected >= 1");
  require(c.hidden_size >= 1, "hidden_size is " + std::to_string(c.hidden_size) + ", expected >= 1");
  require(c.num_layers >= 1, "num_layers is " + std::to_string(c.num_layers) + ", expected >= 1");
  if (c.cell == Cell::transformer) {
    require(c.num_heads >= 1, "num_heads is " + std::to_string(c.num_heads) + ", expected >= 1");
    require(c.hidden_size % c.num_heads == 0, "hidden_size " + std::to_string(c.hidden_size) +
                                                  " is not a multiple of num_heads " + std::to_string(c.num_heads));
    require(c.ffn_size >= 0,
            "ffn_size is " + std::to_string(c.ffn_size) + ", expected >= 1 (or 0 for 4 * hidden_size)");
    require(c.max_length >= 1, "max_length is " + std::to_string(c.max_length) + ", expected >= 1");
    require(c.hard_alibi_heads >= 0 && c.hard_alibi_heads <= c.num_heads,
            "hard_alibi_heads is " + std::to_string(c.hard_alibi_heads) + ", expected 0.." +
                std::to_string(c.num_heads) + " (0 for half the heads)");
    require(c.hard_alibi_window >= 1,
            "hard_alibi_window is " + std::to_string(c.hard_alibi_window) + ", expected >= 1");
  }
  if (is_state_space(c.cell)) {
    require(c.state_size >= 1, "state_size is " + std::to_string(c.state_size) + ", expected >= 1");
    require(c.expand >= 1, "expand is " + std::to_string(c.expand) + ", expected >= 1");
    require(c.conv_width >= 1, "conv_width is " + std::to_string(c.conv_width) + ", expected >= 1");
  }
  require(!c.negative_eigenvalues || reads_field(c.cell, "negative_eigenvalues"),
          std::string("negative_eigenvalues applies to s4d and mamba, not to ") + cell_name(c.cell));
  require(!c.s4d_convolution || reads_field(c.cell, "s4d_convolution"),
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
    case Head::seq:
      require(c.num_outputs == c.vocab_size, "num_outputs is " + std::to_string(c.num_outputs) +
                                                 ", seq predicts the next token and expects vocab_size " +
                                                 std::to_string(c.vocab_size));
      require(c.cell != Cell::transformer || c.causal,
              "causal is false, but seq predicts the next token and needs a causal model (a bidirectional one "
              "sees the token it is asked for)");
      break;
  }
}

std::string to_json(const ModelConfig& c) {
  nlohmann::json j = {{"cell", cell_name(c.cell)},         {"vocab_size", c.vocab_size},
                      {"embedding_dim", c.embedding_dim},  {"hidden_size", c.hidden_size},
                      {"num_layers", c.num_layers},        {"head", head_name(c.head)},
                      {"num_outputs", c.num_outputs}};
  if (c.cell == Cell::transformer) {
    j["num_heads"] = c.num_heads;
    j["positional"] = positional_name(c.positional);
    j["causal"] = c.causal;
    j["ffn_size"] = c.ffn_size;
    j["ffn_activation"] = activation_name(c.ffn_activation);
    j["max_length"] = c.max_length;
    j["hard_alibi_heads"] = c.hard_alibi_heads;
    j["hard_alibi_window"] = c.hard_alibi_window;
  }
  if (is_state_space(c.cell)) {
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

int effective_ffn_size(const ModelConfig& c) { return c.ffn_size > 0 ? c.ffn_size : 4 * c.hidden_size; }

AttentionSpec attention_spec(const ModelConfig& c) {
  const int window_heads = c.hard_alibi_heads > 0 ? c.hard_alibi_heads : (c.num_heads + 1) / 2;
  return attention_spec(c.num_heads, c.causal, c.positional, window_heads, c.hard_alibi_window);
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
  ModelConfig c;
  try {
    c.cell = parse_cell(text_field("cell"));
    c.head = parse_head(text_field("head"));
  } catch (const ModelError& e) {
    throw ModelError(std::string("model config: ") + e.what());
  }
  c.vocab_size = integer("vocab_size");
  c.embedding_dim = integer("embedding_dim");
  c.hidden_size = integer("hidden_size");
  c.num_layers = integer("num_layers");
  c.num_outputs = integer("num_outputs");
  // Optional fields (the transformer's and the state-space ones), defaulting as ModelConfig does.
  auto optional_integer = [&](const char* name, int& into) {
    if (j.contains(name)) into = integer(name);
  };
  auto optional_bool = [&](const char* name, bool& into) {
    if (!j.contains(name)) return;
    const auto& v = j.at(name);
    if (!v.is_boolean())
      throw ModelError(std::string("model config: '") + name + "' is " + v.dump() + ", expected true or false");
    into = v.get<bool>();
  };
  optional_integer("num_heads", c.num_heads);
  optional_integer("ffn_size", c.ffn_size);
  optional_integer("max_length", c.max_length);
  optional_integer("hard_alibi_heads", c.hard_alibi_heads);
  optional_integer("hard_alibi_window", c.hard_alibi_window);
  optional_bool("causal", c.causal);
  optional_integer("state_size", c.state_size);
  optional_bool("negative_eigenvalues", c.negative_eigenvalues);
  optional_integer("expand", c.expand);
  optional_integer("conv_width", c.conv_width);
  optional_bool("s4d_convolution", c.s4d_convolution);
  try {
    if (j.contains("positional")) c.positional = parse_positional(text_field("positional"));
    if (j.contains("ffn_activation")) c.ffn_activation = parse_activation(text_field("ffn_activation"));
  } catch (const ModelError& e) {
    throw ModelError(std::string("model config: ") + e.what());
  }
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
  if (is_state_space(c.cell)) p.ssm_blocks.assign(c.num_layers, zero_ssm_block<T>(ssm_options(c)));
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
void set_zero(ModelParams<T>& p) {
  auto linear = [](LinearParams<T>& l) {
    l.weight.setZero();
    l.bias.setZero();
  };
  auto norm = [](LayerNormParams<T>& n) {
    n.weight.setZero();
    n.bias.setZero();
  };
  p.embedding.weight.setZero();
  for (auto& layer : p.layers) {
    layer.w_ih.setZero();
    layer.w_hh.setZero();
    layer.b_ih.setZero();
    layer.b_hh.setZero();
  }
  linear(p.input_proj);
  p.positions.weight.setZero();
  for (auto& block : p.blocks) {
    linear(block.in_proj);
    linear(block.out_proj);
    linear(block.linear1);
    linear(block.linear2);
    norm(block.norm1);
    norm(block.norm2);
  }
  for (auto& block : p.ssm_blocks) {
    auto zero = [](auto&... m) { (m.setZero(), ...); };
    norm(block.norm);
    linear(block.out_proj);
    zero(block.s4d.log_dt, block.s4d.log_a_real, block.s4d.a_imag, block.s4d.b, block.s4d.c, block.s4d.d);
    zero(block.mamba.in_proj, block.mamba.conv_weight, block.mamba.conv_bias, block.mamba.x_proj, block.mamba.dt_proj,
         block.mamba.dt_bias, block.mamba.a_log, block.mamba.d, block.mamba.out_proj);
    zero(block.ids4.a_proj, block.ids4.a_bias, block.ids4.b_proj, block.ids4.b_bias, block.ids4.c, block.ids4.d);
  }
  norm(p.final_norm);
  linear(p.head);
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
    const SsmOptions options = ssm_options(c);
    for (std::size_t l = 0; l < p.ssm_blocks.size(); ++l)
      append_ssm_block_tensors(options, "layers." + std::to_string(l) + ".", p.ssm_blocks[l], out);
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

namespace {

void check_target(const ModelConfig& c, const Example& e, std::size_t index) {
  const std::size_t len = e.tokens.size();
  auto fail = [&](const std::string& what) {
    throw ModelError("example " + std::to_string(index) + ": " + what);
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
        if (e.target[t] < -1 || e.target[t] >= c.num_outputs)
          fail("target at position " + std::to_string(t) + " is " + std::to_string(e.target[t]) + ", expected 0.." +
               std::to_string(c.num_outputs - 1) + " or -1 (none)");
      break;
    case Head::seq: {
      if (e.target.size() != len)
        fail("has " + std::to_string(e.target.size()) + " targets for " + std::to_string(len) + " tokens");
      const std::size_t p = output_start(e);
      if (p == len) fail("has no output (every target is -1): seq expects a prompt, then the output");
      for (std::size_t t = p; t < len; ++t)
        if (e.target[t] < 0 || e.target[t] >= c.num_outputs)
          fail("target at position " + std::to_string(t) + " is " + std::to_string(e.target[t]) + ", expected a token 0.." +
               std::to_string(c.num_outputs - 1) + " (the output runs from position " + std::to_string(p) +
               " to the end)");
      for (std::size_t t = p; t + 1 < len; ++t)
        if (static_cast<Token>(e.target[t]) != e.tokens[t + 1])
          fail("target at position " + std::to_string(t) + " is " + std::to_string(e.target[t]) +
               " but the next token is " + std::to_string(e.tokens[t + 1]) +
               ": seq expects teacher forcing (each target is the next input)");
      break;
    }
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
    case Head::seq:
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
    if (c.cell == Cell::transformer && c.positional == Positional::learned && batch.lengths[b] > c.max_length)
      throw ModelError("sequence " + std::to_string(batch.order[b]) + " has length " +
                       std::to_string(batch.lengths[b]) + ", but the transformer's learned positions cover " +
                       std::to_string(c.max_length) + " (its max_length)");
    for (int t = 0; t < batch.lengths[b]; ++t) {
      const Token token = e.tokens[t];
      if (token >= static_cast<Token>(c.vocab_size))
        throw ModelError("sequence " + std::to_string(batch.order[b]) + " position " + std::to_string(t) +
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
  switch (c.head) {
    case Head::recognize: return batch.batch_size;
    case Head::tag:
    case Head::seq: return std::count_if(batch.targets.begin(), batch.targets.end(), [](std::int32_t y) { return y >= 0; });
    case Head::next_set: break;
  }
  return std::accumulate(batch.lengths.begin(), batch.lengths.end(), std::int64_t{0}) * c.num_outputs;
}

std::size_t output_start(const Example& example) {
  std::size_t p = 0;
  while (p < example.target.size() && example.target[p] == -1) ++p;
  return p;
}

namespace {

// The top activation the head reads: the last recurrent layer's h_t, or the final LayerNorm
// (transformer, state-space).
template <typename T>
const Matrix<T>& top_of(const ModelConfig& c, const ModelCache<T>& cache) {
  return is_recurrent(c.cell) ? cache.outputs.back() : cache.normed;
}

// Given cache.projected = input_proj(embedded), zero in padding: + positions -> blocks (cache.outputs).
template <typename T>
void transformer_forward(const ModelConfig& c, const ModelParams<T>& p, const SequenceBatch& batch,
                         ModelCache<T>& cache) {
  const int L = c.num_layers, B = batch.batch_size, D = c.hidden_size;
  if (cache.spec.slopes.empty() || !(cache.spec_config == c)) {  // allocates only when the config changes
    cache.spec = attention_spec(c);
    cache.spec_config = c;
  }
  const AttentionSpec& spec = cache.spec;
  cache.blocks.resize(L);
  if (c.positional == Positional::learned || c.positional == Positional::sinusoidal) {
    if (c.positional == Positional::sinusoidal &&
        (cache.sinusoid.rows() != D || cache.sinusoid.cols() < batch.max_length))
      sinusoidal_positions(D, batch.max_length, cache.sinusoid);
    const Matrix<T>& table = c.positional == Positional::learned ? p.positions.weight : cache.sinusoid;
    for (int t = 0; t < batch.max_length; ++t)
      cache.projected.middleCols(t * B, batch.active[t]).colwise() += table.col(t);  // + position t
  }
  for (int l = 0; l < L; ++l)
    transformer_block_forward(spec, c.ffn_activation, p.blocks[l], batch,
                              l == 0 ? cache.projected : cache.outputs[l - 1], cache.blocks[l],
                              cache.outputs[l]);  // (D, T*B)
}

// Given cache.d_top = dL/d outputs[L-1], accumulates the gradients of the blocks and positions and
// leaves cache.d_top = dL/d projected.
template <typename T>
void transformer_backward(const ModelConfig& c, const ModelParams<T>& p, const SequenceBatch& batch,
                          ModelCache<T>& cache, ModelGrads<T>& grads) {
  const int B = batch.batch_size;
  const AttentionSpec& spec = cache.spec;  // set by transformer_forward
  for (int l = c.num_layers - 1; l >= 0; --l) {
    transformer_block_backward(spec, c.ffn_activation, p.blocks[l], batch, cache.blocks[l], cache.d_top,
                               grads.blocks[l], cache.d_in);
    std::swap(cache.d_top, cache.d_in);  // d_top = dL/d(input of block l)
  }
  if (c.positional == Positional::learned)
    for (int t = 0; t < batch.max_length; ++t)
      grads.positions.weight.col(t) += cache.d_top.middleCols(t * B, batch.active[t]).rowwise().sum();
}

// Given cache.projected = input_proj(embedded), zero in padding: the state-space blocks (cache.outputs).
template <typename T>
void ssm_forward(const ModelConfig& c, const ModelParams<T>& p, const SequenceBatch& batch, ModelCache<T>& cache) {
  const int L = c.num_layers;
  const SsmOptions options = ssm_options(c);
  cache.ssm_blocks.resize(L);
  for (int l = 0; l < L; ++l) {
    ssm_block_forward(options, p.ssm_blocks[l], batch, l == 0 ? cache.projected : cache.outputs[l - 1],
                      cache.ssm_blocks[l], cache.outputs[l]);  // (H, T*B) the residual stream
  }
}

// Given cache.d_top = dL/d outputs[L-1], accumulates the blocks' gradients and leaves
// cache.d_top = dL/d projected.
template <typename T>
void ssm_backward(const ModelConfig& c, const ModelParams<T>& p, const SequenceBatch& batch, ModelCache<T>& cache,
                  ModelGrads<T>& grads) {
  const SsmOptions options = ssm_options(c);
  for (int l = c.num_layers - 1; l >= 0; --l) {
    ssm_block_backward(options, p.ssm_blocks[l], batch, l == 0 ? cache.projected : cache.outputs[l - 1],
                       cache.ssm_blocks[l], cache.d_top, grads.ssm_blocks[l], cache.d_in);
    std::swap(cache.d_top, cache.d_in);  // d_top = dL/d(input of block l)
  }
}

}  // namespace

template <typename T>
void model_forward(const ModelConfig& c, const ModelParams<T>& p, const SequenceBatch& batch, ModelCache<T>& cache) {
  const int L = c.num_layers;
  embedding_forward(p.embedding, batch, cache.embedded);  // (E, T*B)
  cache.outputs.resize(L);
  if (is_recurrent(c.cell)) {
    cache.layers.resize(L);
    for (int l = 0; l < L; ++l) {
      recurrent_forward(c.cell, p.layers[l], batch, l == 0 ? cache.embedded : cache.outputs[l - 1], cache.layers[l],
                        cache.outputs[l]);  // (H, T*B)
    }
  } else {
    linear_forward(p.input_proj, cache.embedded, cache.projected);  // (H, T*B)  W x + b
    zero_padding(batch, cache.projected);
    if (c.cell == Cell::transformer) transformer_forward(c, p, batch, cache);
    else ssm_forward(c, p, batch, cache);
    layer_norm_forward(p.final_norm, cache.outputs.back(), cache.final_norm, cache.normed);  // (H, T*B)
    zero_padding(batch, cache.normed);
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
    case Head::tag:
    case Head::seq: return tag_loss(batch, cache.logits, scale, cache.d_logits);
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
  if (!is_recurrent(c.cell)) {
    layer_norm_backward(p.final_norm, cache.final_norm, cache.d_top, grads.final_norm, cache.d_in);
    std::swap(cache.d_top, cache.d_in);  // d_top = dL/d outputs[L-1]
    if (c.cell == Cell::transformer) transformer_backward(c, p, batch, cache, grads);
    else ssm_backward(c, p, batch, cache, grads);
    linear_backward(p.input_proj, cache.embedded, cache.d_top, grads.input_proj, &cache.d_embedded);
  }
  for (int l = is_recurrent(c.cell) ? L - 1 : -1; l >= 0; --l) {
    recurrent_backward(c.cell, p.layers[l], batch, l == 0 ? cache.embedded : cache.outputs[l - 1], cache.outputs[l],
                       cache.layers[l], cache.d_top, grads.layers[l], l == 0 ? &cache.d_embedded : &cache.d_in);
    if (l > 0) std::swap(cache.d_top, cache.d_in);  // d_top = dL/d(input of layer l)
  }
  embedding_backward(batch, cache.d_embedded, grads.embedding);
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

std::vector<Sequence> greedy_decode(const ModelConfig& c, const ModelParams<float>& p, std::span<const Sequence> prompts,
                                    std::span<const int> steps) {
  if (c.head != Head::seq)
    throw ModelError(std::string("decoding needs a sequence head, but the model's head is ") + head_name(c.head));
  if (prompts.size() != steps.size())
    throw ModelError("decoding: " + std::to_string(prompts.size()) + " prompts but " + std::to_string(steps.size()) +
                     " step counts");
  int most = 0;
  for (std::size_t i = 0; i < prompts.size(); ++i) {
    if (prompts[i].empty() && steps[i] > 0) throw ModelError("decoding: prompt " + std::to_string(i) + " is empty");
    if (steps[i] < 0) throw ModelError("decoding: the number of steps for prompt " + std::to_string(i) + " is negative");
    most = std::max(most, steps[i]);
  }
  std::vector<Sequence> current(prompts.begin(), prompts.end()), out(prompts.size());
  std::vector<std::size_t> live;
  std::vector<Sequence> inputs;
  ModelCache<float> cache;
  for (int j = 0; j < most; ++j) {
    live.clear();
    inputs.clear();
    for (std::size_t i = 0; i < prompts.size(); ++i)
      if (steps[i] > j) {
        live.push_back(i);
        inputs.push_back(current[i]);
      }
    const SequenceBatch batch = make_batch(c, std::span<const Sequence>(inputs));
    model_forward(c, p, batch, cache);  // logits (V, T*B)
    for (int b = 0; b < batch.batch_size; ++b) {
      Eigen::Index best;
      cache.logits.col((batch.lengths[b] - 1) * batch.batch_size + b).maxCoeff(&best);
      const std::size_t i = live[batch.order[b]];
      out[i].push_back(static_cast<Token>(best));
      current[i].push_back(static_cast<Token>(best));
    }
  }
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
