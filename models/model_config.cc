// ModelConfig: which architecture reads which field, validation, JSON.
#include "models/model.h"

#include <nlohmann/json.hpp>
#include <charconv>
#include <limits>
#include <string>
#include <system_error>
#include <vector>
#include <string_view>
#include <variant>

#include "models/error.h"

namespace statelab::models {

namespace {

// The optional fields of the config JSON (the ones a row of kArchitectures may list), in the
// order model_config_from_json reads and validate checks them, each with its ModelConfig member,
// its range and, for a field users set, its option of `statelab train`: to_json writes the ones
// the architecture's row lists, model_config_from_json reads every one present, validate checks
// the ones the architecture reads, config_options lists the options in this order (the run spec's
// canonical order, bridge/run.h: keep it).  A new field is its member (model_config.h) and its row
// here; a check that relates two fields stays in validate.
using FieldMember = std::variant<int ModelConfig::*, bool ModelConfig::*, Positional ModelConfig::*,
                                 Activation ModelConfig::*>;
constexpr int kUnbounded = std::numeric_limits<int>::max();
struct Option {
  std::string_view name, help;  // --NAME (empty: users do not set the field)
  int min = 0;                  // an int field: the least value the option takes
  bool inverted = false;        // a bool field: the flag sets it to false
};
struct OptionalField {
  std::string_view name;
  FieldMember member;
  int min = std::numeric_limits<int>::min(), max = kUnbounded;  // an int field's range (its cost bound)
  std::string_view expected = {};  // the message's "expected ..." when not the range's
  bool only_for_readers = false;   // a bool field: true is refused for an architecture that does not read it
  bool written_when_set = false;   // a bool field: in JSON only when true, so configs written before it exist
                                   // reserialise byte for byte
  Option option = {};
};
const OptionalField kOptionalFields[] = {
    {.name = "num_heads",
     .member = &ModelConfig::num_heads,
     .min = 1,
     .option = {"heads",
                "transformer: attention heads; deltanet, gated-deltanet, deltaproduct: heads of the delta rule; "
                "mlstm, slstm: heads of the cell (default 4)",
                1}},
    {.name = "positional",
     .member = &ModelConfig::positional,
     .option = {"pos", "transformer: positional encoding (none, learned, sinusoidal, alibi, hard-alibi)"}},
    {.name = "state_size",
     .member = &ModelConfig::state_size,
     .min = 1,
     .option = {"state", "s4d, mamba, ids4, cdssm: state size N", 1}},
    {.name = "causal",
     .member = &ModelConfig::causal,
     .option = {.name = "bidirectional",
                .help = "transformer: attention sees every position (default causal)",
                .inverted = true}},
    {.name = "strict_mask",
     .member = &ModelConfig::strict_mask,
     .only_for_readers = true,
     .written_when_set = true,
     .option = {"strict-mask",
                "transformer, causal: a position attends to earlier positions only, not to itself (Li and "
                "Cotterell's strict masking; position 0 attends to nothing)"}},
    {.name = "ffn_size",
     .member = &ModelConfig::ffn_size,
     .min = 0,
     .expected = ">= 1 (or 0 for 4 * hidden_size)",
     .option = {"ffn-size", "transformer: feed-forward width (default 4 H)", 1}},
    {.name = "ffn_activation",
     .member = &ModelConfig::ffn_activation,
     .option = {"ffn-activation", "transformer: gelu or relu"}},
    {.name = "max_length",
     .member = &ModelConfig::max_length,
     .min = 1,
     // Its default is the data's longest sequence (bridge/run.cc), not ModelConfig's.
     .option = {"max-length",
                "transformer, learned positions: the longest sequence it can read (default: the longest in the data)", 1}},
    {.name = "hard_alibi_heads",  // 0..num_heads: in validate
     .member = &ModelConfig::hard_alibi_heads,
     .option = {"hard-alibi-heads", "transformer, hard-alibi: windowed heads (default half)", 0}},
    {.name = "hard_alibi_window",
     .member = &ModelConfig::hard_alibi_window,
     .min = 0,
     .option = {"hard-alibi-window",
                "transformer, hard-alibi: the window w of every windowed head; 0: head h sees the last h+1 "
                "positions (Jelassi et al.'s windows 1, 2, ..., k)",
                0}},
    {.name = "householder",
     .member = &ModelConfig::householder,
     .min = 1,
     .max = kMaxHouseholder,
     .option = {"householder", "deltaproduct: Householder steps per token, 1..16 (default 2)", 1}},
    {.name = "negative_eigenvalues",
     .member = &ModelConfig::negative_eigenvalues,
     .only_for_readers = true,
     .option = {"negative-eigenvalues",
                "s4d, mamba, deltanet, gated-deltanet, deltaproduct: eigenvalues in [-1, 1] instead of [0, 1]"}},
    {.name = "expand", .member = &ModelConfig::expand, .min = 1},
    {.name = "conv_width", .member = &ModelConfig::conv_width, .min = 1},
    {.name = "s4d_convolution", .member = &ModelConfig::s4d_convolution, .only_for_readers = true},
    {.name = "end_marker",
     .member = &ModelConfig::end_marker,
     .written_when_set = true,
     .option = {"end-marker",
                "recognize: the model reads an end-of-word marker after the word and decides there, where the "
                "word's last letter is not the deciding position's own token"}},
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

const std::vector<ConfigOption>& config_options() {
  static const std::vector<ConfigOption> out = [] {
    std::vector<ConfigOption> o;
    for (const OptionalField& row : kOptionalFields) {
      if (row.option.name.empty()) continue;
      ConfigOption c;
      c.name = row.option.name;
      c.help = row.option.help;
      c.field = row.name;
      std::visit(Overloaded{[&](int ModelConfig::*) { c.min = row.option.min; },
                            [&](bool ModelConfig::*) {
                              c.value = ConfigOption::Value::flag;
                              c.inverted = row.option.inverted;
                              c.written_when_set = row.written_when_set;
                            },
                            [&](Positional ModelConfig::*) {
                              c.value = ConfigOption::Value::name;
                              for (Positional p : kPositionals) c.names.emplace_back(positional_name(p));
                            },
                            [&](Activation ModelConfig::*) {
                              c.value = ConfigOption::Value::name;
                              for (Activation a : kActivations) c.names.emplace_back(activation_name(a));
                            }},
                 row.member);
      o.push_back(std::move(c));
    }
    return o;
  }();
  return out;
}

void set_option_field(ModelConfig& c, const ConfigOption& option, std::string_view text) {
  const OptionalField* row = optional_field(option.field);
  auto refuse = [&]() -> void {
    throw ModelError("--" + std::string(option.name) + " '" + std::string(text) + "': not the option's canonical text");
  };
  if (!row) refuse();
  std::visit(Overloaded{[&](int ModelConfig::*m) {
                          int x = 0;
                          const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
                          if (text.empty() || ec != std::errc() || end != text.data() + text.size()) refuse();
                          c.*m = x;
                        },
                        [&](bool ModelConfig::*m) {
                          if (text != "true" && text != "false") refuse();
                          c.*m = (text == "true") != option.inverted;
                        },
                        [&](Positional ModelConfig::*m) { c.*m = parse_positional(text); },
                        [&](Activation ModelConfig::*m) { c.*m = parse_activation(text); }},
             row->member);
}

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
  require(!c.end_marker || c.head == Head::recognize,
          std::string("end_marker is true, but the head is ") + head_name(c.head) +
              " (the end marker is where a recognizer decides: drop it)");
  require(!c.strict_mask || c.causal,
          "strict_mask is true, but the model is bidirectional (strict masking is a causal model's: drop one)");
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
    std::visit(Overloaded{[&](int ModelConfig::*m) { j[f] = c.*m; }, [&](bool ModelConfig::*m) {
                            if (c.*m || !row->written_when_set) j[f] = c.*m;
                          },
                          [&](Positional ModelConfig::*m) { j[f] = positional_name(c.*m); },
                          [&](Activation ModelConfig::*m) { j[f] = activation_name(c.*m); }},
               row->member);
  };
  // The optional fields the architecture reads (its own, architecture.h, and everyone's), so that
  // JSON carries what it reads.
  for (const OptionalField& row : kOptionalFields)
    if (reads_field(c.cell, row.name)) write(row.name);
  for (std::string_view f : architecture(c.cell).json_extra) write(f);
  return j.dump();
}

int effective_ffn_size(const ModelConfig& c) { return c.ffn_size > 0 ? c.ffn_size : 4 * c.hidden_size; }

AttentionSpec attention_spec(const ModelConfig& c) {
  const int window_heads = c.hard_alibi_heads > 0 ? c.hard_alibi_heads : (c.num_heads + 1) / 2;
  AttentionSpec spec = attention_spec(c.num_heads, c.causal, c.positional, window_heads, c.hard_alibi_window);
  spec.strict = c.causal && c.strict_mask;
  return spec;
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
