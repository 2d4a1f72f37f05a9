// ModelConfig: which architecture reads which field, validation, JSON.
#include "models/model.h"

#include <nlohmann/json.hpp>
#include <limits>
#include <string_view>
#include <variant>

#include "models/error.h"

namespace statelab::models {

namespace {

// The optional fields of the config JSON (the ones a row of kArchitectures may list), in the
// order model_config_from_json reads and validate checks them, each with its ModelConfig member
// and its range: to_json writes the ones the architecture's row lists, model_config_from_json
// reads every one present, validate checks the ones the architecture reads.  A new field is its
// member (model_config.h) and its row here; a check that relates two fields stays in validate.
using FieldMember = std::variant<int ModelConfig::*, bool ModelConfig::*, Positional ModelConfig::*,
                                 Activation ModelConfig::*>;
constexpr int kUnbounded = std::numeric_limits<int>::max();
struct OptionalField {
  std::string_view name;
  FieldMember member;
  int min = std::numeric_limits<int>::min(), max = kUnbounded;  // an int field's range (its cost bound)
  std::string_view expected = {};  // the message's "expected ..." when not the range's
  bool only_for_readers = false;   // a bool field: true is refused for an architecture that does not read it
};
const OptionalField kOptionalFields[] = {
    {"num_heads", &ModelConfig::num_heads, 1},
    {"ffn_size", &ModelConfig::ffn_size, 0, kUnbounded, ">= 1 (or 0 for 4 * hidden_size)"},
    {"max_length", &ModelConfig::max_length, 1},
    {"hard_alibi_heads", &ModelConfig::hard_alibi_heads},  // 0..num_heads: in validate
    {"hard_alibi_window", &ModelConfig::hard_alibi_window, 1},
    {"causal", &ModelConfig::causal},
    {"state_size", &ModelConfig::state_size, 1},
    {"negative_eigenvalues", &ModelConfig::negative_eigenvalues, 0, 0, {}, true},
    {"expand", &ModelConfig::expand, 1},
    {"conv_width", &ModelConfig::conv_width, 1},
    {"s4d_convolution", &ModelConfig::s4d_convolution, 0, 0, {}, true},
    {"householder", &ModelConfig::householder, 1, kMaxHouseholder},
    {"positional", &ModelConfig::positional},
    {"ffn_activation", &ModelConfig::ffn_activation},
};

const OptionalField* optional_field(std::string_view name) {
  for (const OptionalField& row : kOptionalFields)
    if (row.name == name) return &row;
  return nullptr;
}

template <typename... F>
struct Overloaded : F... {
  using F::operator()...;
};

}  // namespace

std::vector<Cell> cells_reading(std::string_view field) {
  std::vector<Cell> out;
  for (const Architecture& a : kArchitectures)
    if (reads_field(a.cell, field)) out.push_back(a.cell);
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
  auto only_for_readers = [&](bool set, std::string_view field) {
    if (!set || reads_field(c.cell, field)) return;
    std::string list;
    const std::vector<Cell> readers = cells_reading(field);
    for (Cell r : readers)
      list += (list.empty() ? "" : r == readers.back() ? " and " : ", ") + std::string(cell_name(r));
    require(false, std::string(field) + " applies to " + list + ", not to " + cell_name(c.cell));
  };
  for (const OptionalField& row : kOptionalFields) {
    if (const auto* m = std::get_if<bool ModelConfig::*>(&row.member); m && row.only_for_readers)
      only_for_readers(c.**m, row.name);
    const auto* m = std::get_if<int ModelConfig::*>(&row.member);
    if (!m || !reads_field(c.cell, row.name)) continue;
    const int v = c.**m;
    if (v >= row.min && v <= row.max) continue;
    const std::string expected = !row.expected.empty() ? std::string(row.expected)
                                 : row.max == kUnbounded ? ">= " + std::to_string(row.min)
                                                         : std::to_string(row.min) + ".." + std::to_string(row.max);
    require(false, std::string(row.name) + " is " + std::to_string(v) + ", expected " + expected);
  }
  // The checks that relate two fields.
  if (reads_field(c.cell, "num_heads"))
    require(c.hidden_size % c.num_heads == 0, "hidden_size " + std::to_string(c.hidden_size) +
                                                  " is not a multiple of num_heads " + std::to_string(c.num_heads));
  if (reads_field(c.cell, "hard_alibi_heads"))
    require(c.hard_alibi_heads >= 0 && c.hard_alibi_heads <= c.num_heads,
            "hard_alibi_heads is " + std::to_string(c.hard_alibi_heads) + ", expected 0.." +
                std::to_string(c.num_heads) + " (0 for half the heads)");
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
      require(!reads_field(c.cell, "causal") || c.causal,
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
  auto write = [&](std::string_view field) {
    const OptionalField* row = optional_field(field);
    if (!row) throw ModelError("to_json: no writer for field '" + std::string(field) + "'");
    const std::string f(field);
    std::visit(Overloaded{[&](int ModelConfig::*m) { j[f] = c.*m; }, [&](bool ModelConfig::*m) { j[f] = c.*m; },
                          [&](Positional ModelConfig::*m) { j[f] = positional_name(c.*m); },
                          [&](Activation ModelConfig::*m) { j[f] = activation_name(c.*m); }},
               row->member);
  };
  // The architecture's own fields (architecture.h), so that JSON carries what it reads.
  for (std::string_view f : architecture(c.cell).fields) write(f);
  for (std::string_view f : architecture(c.cell).json_extra) write(f);
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
  auto parse_named = [&](const char* name, auto parse) {  // an enum field by its name
    const std::string text = text_field(name);
    try {
      return parse(text);
    } catch (const ModelError& e) {
      throw ModelError(std::string("model config: ") + e.what());
    }
  };
  auto optional_bool = [&](const char* name, bool& into) {
    if (!j.contains(name)) return;
    const auto& v = j.at(name);
    if (!v.is_boolean())
      throw ModelError(std::string("model config: '") + name + "' is " + v.dump() + ", expected true or false");
    into = v.get<bool>();
  };
  for (const OptionalField& row : kOptionalFields) {
    const std::string f(row.name);
    if (!j.contains(f)) continue;
    std::visit(Overloaded{[&](int ModelConfig::*m) { optional_integer(f.c_str(), c.*m); },
                          [&](bool ModelConfig::*m) { optional_bool(f.c_str(), c.*m); },
                          [&](Positional ModelConfig::*m) { c.*m = parse_named(f.c_str(), parse_positional); },
                          [&](Activation ModelConfig::*m) { c.*m = parse_named(f.c_str(), parse_activation); }},
               row.member);
  }
  validate(c);
  return c;
}

}  // namespace statelab::models
