#include "bridge/run.h"

#include <tbb/global_control.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>

#include "base/file.h"
#include "base/error.h"
#include "automata/text.h"
#include "bridge/checkpoint_meta.h"
#include "bridge/training.h"
#include "languages/registry.h"
#include "languages/task.h"
#include "models/error.h"
#include "models/safetensors.h"
#include "models/simd.h"

namespace statelab::bridge {

namespace {

using json = nlohmann::ordered_json;
using models::Head;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// ---- the options: one table, read by the CLI, the JSON form and a sweep ------------------------

enum class Kind { whole, real, text, flag };

struct Field {
  RunOption option;
  Kind kind;
  std::function<void(RunSpec&, const std::string&)> set;           // throws naming --name
  std::function<std::optional<std::string>(const RunSpec&)> get;  // nothing: unset
};

[[noreturn]] void bad(std::string_view name, const std::string& value, const std::string& expected) {
  throw InvalidArgument("--" + std::string(name) + " " + (value.empty() ? "''" : value) + ": " + expected);
}

// A whole number >= `min` (and <= max); "-1" is refused, never wrapped.
template <typename T>
T parse_whole(std::string_view name, const std::string& text, T min, T max) {
  T x{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || x < min || x > max)
    bad(name, text, "must be a whole number " + (max == std::numeric_limits<T>::max() ? "of at least " + std::to_string(min)
                                                                                       : std::to_string(min) + ".." + std::to_string(max)));
  return x;
}

enum class Bound { positive, non_negative, unit };

double parse_real(std::string_view name, const std::string& text, Bound bound) {
  double x = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(x)) bad(name, text, "must be a number");
  if (bound == Bound::positive && !(x > 0)) bad(name, text, "must be positive");
  if (bound == Bound::non_negative && x < 0) bad(name, text, "must not be negative");
  if (bound == Bound::unit && (x < 0 || x > 1)) bad(name, text, "must be between 0 and 1");
  return x;
}

std::string real_text(double x) {
  char buffer[32];
  return std::string(buffer, std::to_chars(buffer, buffer + sizeof buffer, x).ptr);
}

bool parse_flag(std::string_view name, const std::string& text) {
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  bad(name, text, "must be true or false");
}

std::string check_member(std::string_view name, const std::string& text, const std::vector<std::string>& choices) {
  std::string list;
  for (const std::string& c : choices) {
    if (text == c) return text;
    list += (list.empty() ? "" : ", ") + c;
  }
  bad(name, text, "must be one of " + list);
}

// A length range A..B, kept as written once it parses.
std::string lengths_text(std::string_view name, const std::string& v) {
  return languages::to_string(languages::parse_length_range(v, "--" + std::string(name)));
}

template <typename T>
Field whole(const char* name, const char* help, T RunSpec::*member, T min = 0) {
  return {{name, help, false, "N"},
          Kind::whole,
          [=](RunSpec& s, const std::string& v) {
            s.*member = parse_whole<T>(name, v, min, std::numeric_limits<T>::max());
          },
          [=](const RunSpec& s) { return std::optional<std::string>(std::to_string(s.*member)); }};
}

Field real(const char* name, const char* help, double RunSpec::*member, Bound bound) {
  return {{name, help, false, "X"},
          Kind::real,
          [=](RunSpec& s, const std::string& v) { s.*member = parse_real(name, v, bound); },
          [=](const RunSpec& s) { return std::optional<std::string>(real_text(s.*member)); }};
}

using Check = std::string (*)(std::string_view, const std::string&);

Field text(const char* name, const char* help, std::string RunSpec::*member, Check check = nullptr) {
  return {{name, help, false, check == lengths_text ? "A..B" : "TEXT"},
          Kind::text,
          [=](RunSpec& s, const std::string& v) { s.*member = check ? check(name, v) : v; },
          [=](const RunSpec& s) { return std::optional<std::string>(s.*member); }};
}

Field maybe_text(const char* name, const char* help, std::optional<std::string> RunSpec::*member, Check check) {
  return {{name, help, false, check == lengths_text ? "A..B" : "TEXT"},
          Kind::text,
          [=](RunSpec& s, const std::string& v) { s.*member = check(name, v); },
          [=](const RunSpec& s) { return s.*member; }};
}

Field flag(const char* name, const char* help, bool RunSpec::*member) {
  return {{name, help, true, ""},
          Kind::flag,
          [=](RunSpec& s, const std::string& v) { s.*member = parse_flag(name, v); },
          [=](const RunSpec& s) { return std::optional<std::string>(s.*member ? "true" : "false"); }};
}

// An option of the architecture's own fields (models::config_options), kept in
// spec.architecture_options as its canonical text; a flag is there only when true, and reads
// "false" otherwise, as the other flags do (nothing, for a flag written only when set, so that
// the specs written before it read back to the same JSON).
Field architecture_option(const models::ConfigOption& c) {
  using Value = models::ConfigOption::Value;
  const std::string name(c.name);
  auto set = [name](RunSpec& s, std::optional<std::string> v) {
    if (v) s.architecture_options[name] = std::move(*v);
    else s.architecture_options.erase(name);
  };
  auto get = [name](const RunSpec& s) {
    const auto it = s.architecture_options.find(name);
    return it == s.architecture_options.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  switch (c.value) {
    case Value::whole:
      return {{name, std::string(c.help), false, "N"}, Kind::whole,
              [=, min = c.min](RunSpec& s, const std::string& v) {
                set(s, std::to_string(parse_whole<int>(name, v, min, std::numeric_limits<int>::max())));
              },
              get};
    case Value::name:
      return {{name, std::string(c.help), false, "TEXT"}, Kind::text,
              [=, names = c.names](RunSpec& s, const std::string& v) { set(s, check_member(name, v, names)); }, get};
    case Value::flag: break;
  }
  return {{name, std::string(c.help), true, ""}, Kind::flag,
          [=](RunSpec& s, const std::string& v) {
            set(s, parse_flag(name, v) ? std::optional<std::string>("true") : std::nullopt);
          },
          [=, when_set = c.written_when_set](const RunSpec& s) -> std::optional<std::string> {
            if (get(s)) return "true";
            return when_set ? std::nullopt : std::optional<std::string>("false");
          }};
}


const std::vector<Field>& fields() {
  static const std::vector<Field> table = [] {
    std::vector<Field> f;
    f.push_back(text("lang", "language or task: NAME or NAME:key=value,... (statelab lang list)", &RunSpec::lang));
    f.push_back(text("task", "recognize (accept/reject), tag (a class per position: a task's targets, or whether each prefix is in "
                             "the language), next-set (the symbols that may follow each prefix), seq (sequence output of a task "
                             "such as copy-task, greedy decoding)",
                     &RunSpec::task, [](std::string_view n, const std::string& v) {
                       return check_member(n, v, {"recognize", "tag", "next-set", "seq"});
                     }));
    f.push_back(text("model", "architecture", &RunSpec::model, [](std::string_view n, const std::string& v) {
      try {
        models::parse_cell(v);
      } catch (const models::ModelError&) {
        bad(n, v, "must be one of " + models::available_cells());
      }
      return v;
    }));
    f.push_back(whole("layers", "layers L", &RunSpec::layers, 1));
    f.push_back(whole("hidden", "hidden size H (d_model)", &RunSpec::hidden, 1));
    f.push_back(whole("embedding", "token embedding width E", &RunSpec::embedding, 1));
    for (const models::ConfigOption& c : models::config_options()) f.push_back(architecture_option(c));
    f.push_back(text("train-lengths", "training word lengths (task sizes) A..B", &RunSpec::train_lengths, lengths_text));
    f.push_back(text("test-lengths", "test word lengths (task sizes) A..B", &RunSpec::test_lengths, lengths_text));
    f.push_back(maybe_text("validation-lengths", "early stopping: validation lengths A..B (default: the training lengths)",
                           &RunSpec::validation_lengths, lengths_text));
    f.push_back(whole<std::size_t>("train-count", "training words per length (per draw; task samples per size)", &RunSpec::train_count, 1));
    f.push_back(whole<std::size_t>("test-count", "test words per length", &RunSpec::test_count, 1));
    f.push_back(whole<std::size_t>("validation-count",
                                   "early stopping: validation words per length (per draw; 0: no validation, no early stopping)",
                                   &RunSpec::validation_count, 0));
    f.push_back(whole<std::size_t>("train-draws",
                                   "languages: the training set is this many draws of --train-count words per length (seeds seed, "
                                   "seed+1, ...): sampling with repetition, so a length with few words repeats them",
                                   &RunSpec::train_draws, 1));
    f.push_back(flag("validation-independent",
                     "languages: draw the validation words like the training words (--train-draws draws of --validation-count per "
                     "length, seeds of their own), not outside the training set (=false)",
                     &RunSpec::validation_independent));
    f.push_back(whole("steps", "the step budget: at most this many optimiser steps", &RunSpec::steps, 0));
    f.push_back(whole("batch", "examples per step", &RunSpec::batch, 1));
    f.push_back(real("lr", "peak learning rate", &RunSpec::lr, Bound::positive));
    f.push_back(text("schedule", "learning rate after warm-up: constant or cosine (down to --min-lr at the last step of the budget)",
                     &RunSpec::schedule,
                     [](std::string_view n, const std::string& v) { return check_member(n, v, {"constant", "cosine"}); }));
    f.push_back(whole("warmup", "linear warm-up steps", &RunSpec::warmup, 0));
    f.push_back(real("min-lr", "cosine: the rate at the last step", &RunSpec::min_lr, Bound::non_negative));
    f.push_back(real("weight-decay", "AdamW weight decay (0: Adam)", &RunSpec::weight_decay, Bound::non_negative));
    f.push_back(real("clip", "clip the global gradient norm to this (0: no clipping)", &RunSpec::clip, Bound::non_negative));
    f.push_back(whole<std::uint64_t>("seed", "seed of the data, the initialisation and the batch order", &RunSpec::seed, 0));
    f.push_back(whole("chunk-size", "examples per parallel work item (part of what the result depends on)", &RunSpec::chunk_size, 1));
    f.push_back(whole("eval-every", "early stopping: evaluate on the validation set every N steps", &RunSpec::eval_every, 1));
    f.push_back(whole("patience", "early stopping: stop after N evaluations without improvement (0: never; only the target accuracy or the step budget end the run)", &RunSpec::patience, 0));
    f.push_back(real("target-accuracy", "early stopping: stop once validation accuracy reaches this", &RunSpec::target_accuracy,
                     Bound::unit));
    return f;
  }();
  return table;
}

const Field& field(std::string_view name) {
  for (const Field& f : fields())
    if (f.option.name == name) return f;
  throw InvalidArgument("unknown run option '" + std::string(name) + "' (see statelab train --help)");
}

// ---- data ------------------------------------------------------------------------------------------

// The classes of tag on a language: whether each prefix is in it.
const std::vector<std::string> kPrefixClasses = {"out", "in"};

// recognize: the label; tag: whether each prefix is in the language; next-set: the symbols that
// may follow each prefix and whether it may end there (positive words only: the next-symbol
// prediction task).  tag and next-set skip the empty word (it has no position).
Data language_examples(Head head, const std::vector<languages::Example>& words, std::size_t k) {
  Data out;
  for (const languages::Example& w : words) {
    models::Example e;
    e.tokens.assign(w.word.begin(), w.word.end());
    const std::size_t n = w.word.size();
    if (head != Head::recognize && (n == 0 || (head == Head::next_set && !w.label))) continue;
    if (head == Head::recognize) e.target = {w.label ? 1 : 0};
    for (std::size_t t = 0; t < n && head == Head::tag; ++t) e.target.push_back(w.targets[t + 1].end ? 1 : 0);
    for (std::size_t t = 0; t < n && head == Head::next_set; ++t) {
      for (std::size_t a = 0; a < k; ++a) e.target.push_back(w.targets[t + 1].next[a] ? 1 : 0);
      e.target.push_back(w.targets[t + 1].end ? 1 : 0);
    }
    out.lengths.push_back(static_cast<int>(n));
    out.examples.push_back(std::move(e));
  }
  return out;
}

// `count` samples of the task at each size of the range, each from its own seed; tag targets are
// the task's target symbols, seq targets the same symbols as input tokens (by name).
Data task_examples(const languages::Task& task, Head head, const languages::LengthRange& sizes, std::size_t count,
                   std::uint64_t seed, languages::Split split, languages::Origin stream) {
  const auto& targets = task.target_alphabet();
  std::vector<std::int32_t> as_token(targets.size());
  for (languages::Symbol y = 0; y < targets.size(); ++y) {
    if (head != Head::seq) {
      as_token[y] = static_cast<std::int32_t>(y);
    } else if (task.input_alphabet().find(targets.name(y))) {
      as_token[y] = static_cast<std::int32_t>(task.input_alphabet().id(targets.name(y)));
    } else {
      throw InvalidArgument("--task seq: the targets of " + task.name() + " (" +
                            automata::join(targets.names(), " ") +
                            ") are not input symbols, so it has no sequence output: use --task tag");
    }
  }
  Data out;
  for (std::size_t size = sizes.min; size <= sizes.max; ++size) {
    for (std::size_t i = 0; i < count; ++i) {
      languages::Rng rng = languages::make_rng(languages::item_seed(seed, split, size, stream, i));
      const languages::TaskExample x = task.sample(size, rng);
      models::Example e;
      e.tokens.assign(x.input.begin(), x.input.end());
      for (languages::Symbol y : x.target) e.target.push_back(y == languages::kNoTarget ? -1 : as_token[y]);
      out.lengths.push_back(static_cast<int>(size));
      out.examples.push_back(std::move(e));
    }
  }
  return out;
}

// The options of the architectures' own fields belong to the architectures that read the field
// (refused with another --model: models::reads_field says who reads what), and set it, in
// canonical order.  `longest`: the longest token sequence of the data.  Returns the most tokens the
// model reads of one example (`longest` and the end marker, if any), the default --max-length.
std::size_t apply_architecture_options(const RunSpec& o, std::size_t longest, models::ModelConfig& config) {
  const models::Cell cell = config.cell;
  for (const models::ConfigOption& option : models::config_options()) {
    const auto given = o.architecture_options.find(std::string(option.name));
    if (given == o.architecture_options.end()) continue;
    if (!models::reads_field(cell, option.field)) {
      std::string list;
      for (models::Cell c : models::cells_reading(option.field)) list += (list.empty() ? "" : ", ") + std::string(models::cell_name(c));
      throw InvalidArgument("train: --" + std::string(option.name) + " applies to --model " + list + " only (not " +
                            models::cell_name(cell) + ")");
    }
    models::set_option_field(config, option, given->second);
  }
  const std::size_t longest_read = std::max<std::size_t>(longest, 1) + models::positions_after_word(config);
  if (models::reads_field(cell, "max_length") && !o.architecture_options.contains("max-length"))
    config.max_length = static_cast<int>(longest_read);
  return longest_read;
}

const models::Example* longest_example(const Data& d) {
  const models::Example* out = nullptr;
  for (const auto& e : d.examples)
    if (!out || e.tokens.size() > out->tokens.size()) out = &e;
  return out;
}

// Refuses a model too large to train here before anything is allocated: the estimate 16 H (H + E)
// per layer bounds every architecture's layer (an LSTM has 4 H (H + E) + 8 H), and training
// holds the parameters several times over (gradients, AdamW's moments, one gradient buffer per
// chunk of the batch).
void check_size(const models::ModelConfig& c) {
  constexpr double kMaxParameters = 1e8;
  const double H = c.hidden_size, E = c.embedding_dim;
  const double estimate = E * c.vocab_size + c.num_layers * 16.0 * H * (H + E) + c.num_outputs * (H + 1);
  if (estimate > kMaxParameters)
    throw InvalidArgument("train: a model with --hidden " + std::to_string(c.hidden_size) + ", --embedding " +
                          std::to_string(c.embedding_dim) + " and --layers " + std::to_string(c.num_layers) +
                          " is too large to train on the CPU here (up to about " + std::to_string(static_cast<long long>(estimate)) +
                          " parameters; the limit is 100 million)");
}

std::string fixed4(double x) {
  char b[32];
  std::snprintf(b, sizeof b, "%.4f", x);
  return b;
}

// Every length gets `per_length` examples: a length with fewer (a sparse language, or short
// words: parity has 2 words of length 1) repeats its examples in order until it has them.  So
// the short words, whose gradients teach a recurrent network its transition first, weigh as
// much per length as the long ones, as uniform sampling of lengths would make them.
void fill_lengths(std::vector<languages::Example>& examples, std::size_t per_length) {
  std::map<std::size_t, std::vector<std::size_t>> by_length;
  for (std::size_t i = 0; i < examples.size(); ++i) by_length[examples[i].word.size()].push_back(i);
  for (const auto& [length, indices] : by_length)
    for (std::size_t i = indices.size(); i < per_length; ++i) examples.push_back(examples[indices[i % indices.size()]]);
}

// The datasets of a run.
struct RunData {
  Data train, test, validation;
};

RunData draw_data(const RunSpec& o, const Source& source, Head head) {
  const auto train_range = languages::parse_length_range(o.train_lengths, "--train-lengths");
  const auto test_range = languages::parse_length_range(o.test_lengths, "--test-lengths");
  const auto validation_range =
      languages::parse_length_range(o.validation_lengths.value_or(o.train_lengths), "--validation-lengths");
  RunData d;
  if (source.task) {
    d.train = task_examples(*source.task, head, train_range, o.train_count * o.train_draws, o.seed, languages::Split::train,
                            languages::Origin::positive);
    d.test = task_examples(*source.task, head, test_range, o.test_count, o.seed, languages::Split::test,
                           languages::Origin::positive);
    if (o.validation_count > 0)  // its own stream of seeds
      d.validation = task_examples(*source.task, head, validation_range, o.validation_count, o.seed, languages::Split::test,
                                   languages::Origin::near_miss);
    return d;
  }
  languages::DatasetOptions options;
  options.train_lengths = train_range;
  options.test_lengths = test_range;
  options.train_per_length = o.train_count;
  options.test_per_length = o.test_count;
  options.seed = o.seed;
  options.with_targets = head != Head::recognize;
  const std::size_t k = source.alphabet().size();
  languages::Dataset dataset = languages::build_dataset(*source.language, options);
  if (o.train_draws > 1) {  // draws seed, seed + 1, ...: a sparse language's few words repeated
    auto more = repeated_draws(*source.language, options, o.train_draws - 1, o.seed + 1);
    dataset.train.insert(dataset.train.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  }
  fill_lengths(dataset.train, o.train_count * o.train_draws);
  d.train = language_examples(head, dataset.train, k);
  d.test = language_examples(head, dataset.test, k);  // outside the first draw's training words
  if (o.validation_count > 0 && o.validation_independent) {  // as many draws again, seeds of their own
    languages::DatasetOptions v = options;
    v.train_lengths = validation_range;
    v.train_per_length = o.validation_count;
    d.validation = language_examples(
        head, repeated_draws(*source.language, v, o.train_draws, o.seed + kValidationSeedOffset), k);
  } else if (o.validation_count > 0) {  // the same training set, and words outside it
    options.test_lengths = validation_range;
    options.test_per_length = o.validation_count;
    d.validation = language_examples(head, languages::build_dataset(*source.language, options).test, k);
  }
  return d;
}

// Why a set of data is empty, in the user's terms.
void require_examples(const Data& d, const char* set, const char* count_option, std::size_t count, const std::string& lengths,
                      const Source& source, Head head) {
  if (!d.examples.empty()) return;
  std::string why;
  if (head == Head::next_set) why = " (next-set learns from the words of the language)";
  else if (source.language && count < 2) why = " (labels are balanced per length: give " + std::string(count_option) + " 2 or more)";
  throw InvalidArgument("train: no " + std::string(set) + " example of " + source.name() + " at lengths " + lengths + " with " +
                        count_option + " " + std::to_string(count) + why);
}

}  // namespace

json accuracy_json(const std::vector<models::LengthAccuracy>& by_length) {
  json out = json::array();
  for (const auto& a : by_length) out.push_back({{"length", a.length}, {"examples", a.examples}, {"accuracy", a.accuracy}});
  return out;
}


// ---- the spec ---------------------------------------------------------------------------------------

const std::vector<RunOption>& run_options() {
  static const std::vector<RunOption> out = [] {
    std::vector<RunOption> o;
    for (const Field& f : fields()) o.push_back(f.option);
    return o;
  }();
  return out;
}

void set_option(RunSpec& spec, std::string_view name, const std::string& value) { field(name).set(spec, value); }

RunSpec spec_from_options(const std::map<std::string, std::string>& options) {
  for (const auto& [name, value] : options) field(name);  // unknown names first
  RunSpec spec;
  for (const Field& f : fields())
    if (const auto it = options.find(f.option.name); it != options.end()) f.set(spec, it->second);
  return spec;
}

std::map<std::string, std::string> spec_options(const RunSpec& spec) {
  std::map<std::string, std::string> out;
  for (const Field& f : fields())
    if (auto v = f.get(spec)) out[f.option.name] = *v;
  return out;
}

std::string spec_to_json(const RunSpec& spec) {
  json j = json::object();
  for (const Field& f : fields()) {
    const auto v = f.get(spec);
    if (!v) continue;
    switch (f.kind) {
      case Kind::whole:
        j[f.option.name] = v->front() == '-' ? json(std::stoll(*v)) : json(std::stoull(*v));
        break;
      case Kind::real: j[f.option.name] = std::stod(*v); break;
      case Kind::flag: j[f.option.name] = *v == "true"; break;
      case Kind::text: j[f.option.name] = *v; break;
    }
  }
  return j.dump();
}

namespace {

RunSpec spec_from(const json& j, const std::string& where) {
  if (!j.is_object()) throw InvalidArgument(where + ": a run spec must be a JSON object of option names and values");
  std::map<std::string, std::string> options;
  for (const auto& [key, value] : j.items()) {
    std::string text;
    if (value.is_string()) text = value.get<std::string>();
    else if (value.is_boolean()) text = value.get<bool>() ? "true" : "false";
    else if (value.is_number_float()) text = real_text(value.get<double>());
    else if (value.is_number()) text = value.dump();
    else throw InvalidArgument(where + ": option \"" + key + "\" is " + value.dump() + ", expected a string, number or boolean");
    options[key] = text;
  }
  try {
    return spec_from_options(options);
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(where + ": " + e.what());
  }
}

}  // namespace

RunSpec spec_from_json(std::string_view text) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    throw InvalidArgument(std::string("run spec: not JSON: ") + e.what());
  }
  return spec_from(j, "run spec");
}

RunSpec spec_from_metrics_file(const std::filesystem::path& path) {
  const std::string where = path.string();
  json j;
  try {
    j = json::parse(statelab::read_file(path));
  } catch (const json::exception& e) {
    throw InvalidArgument(where + ": not a metrics file (not JSON: " + e.what() + ")");
  }
  if (!j.is_object() || !j.contains("spec"))
    throw InvalidArgument(where + ": not a metrics file of statelab train (no \"spec\" object)");
  return spec_from(j["spec"], where + ": \"spec\"");
}

std::filesystem::path metrics_path(const std::filesystem::path& checkpoint) {
  std::filesystem::path p = checkpoint;
  if (p.extension() == ".safetensors") p.replace_extension();
  p += ".metrics.json";
  return p;
}

// ---- sources --------------------------------------------------------------------------------------

const std::string& Source::name() const { return task ? task->name() : language->name(); }
const languages::Alphabet& Source::alphabet() const { return task ? task->input_alphabet() : language->alphabet(); }

Source load_source(const std::string& name, Head head, const std::string& command) {
  const std::string base = name.substr(0, name.find(':'));
  const auto listed = [&](const std::vector<languages::CatalogueEntry>& entries) {
    return std::any_of(entries.begin(), entries.end(), [&](const languages::CatalogueEntry& e) { return e.name == base; });
  };
  const bool per_position = head == Head::tag || head == Head::seq;
  Source s;
  if (listed(languages::task_catalogue()) && (per_position || !listed(languages::language_catalogue()))) {
    if (!per_position)
      throw InvalidArgument(command + ": '" + base + "' is a task (targets per position): use --task tag or --task seq with it");
    s.task = languages::make_task(name);
  } else {
    if (head == Head::seq)
      throw InvalidArgument(command + ": --task seq needs a sequence task such as copy-task:k=2 ('" + base +
                            "' is a language: use recognize, tag or next-set)");
    s.language = languages::make_language(name);
  }
  return s;
}

std::vector<std::string> output_names(const Source& s, Head head) {
  switch (head) {
    case Head::recognize: return {"accept"};
    case Head::tag: return s.task ? s.task->target_alphabet().names() : kPrefixClasses;
    case Head::next_set: {
      std::vector<std::string> out = s.alphabet().names();
      out.emplace_back("<end>");
      return out;
    }
    case Head::seq: return s.alphabet().names();
  }
  return {};
}

void check_sequence_task(const models::ModelConfig& config, const Source& source, const Data& data) {
  if (config.head != Head::seq || data.examples.empty()) return;
  try {
    models::make_batch(config, std::span<const models::Example>(data.examples.data(), 1));
  } catch (const models::ModelError& e) {
    throw InvalidArgument("--task seq: " + source.name() + " is not a sequence-output task (" + e.what() +
                          "): use --task tag");
  }
}

Data evaluation_data(const Source& s, Head head, const languages::LengthRange& lengths, std::size_t count,
                     std::uint64_t seed) {
  if (s.task) return task_examples(*s.task, head, lengths, count, seed, languages::Split::test, languages::Origin::positive);
  languages::DatasetOptions o;
  o.train_lengths = lengths;
  o.train_per_length = count;
  o.test_lengths = lengths;
  o.test_per_length = 0;
  o.seed = seed;
  o.with_targets = head != Head::recognize;
  return language_examples(head, languages::build_dataset(*s.language, o).train, s.alphabet().size());
}

double overall_accuracy(const std::vector<models::LengthAccuracy>& by_length) {
  double right = 0, total = 0;
  for (const auto& a : by_length) {
    right += a.accuracy * static_cast<double>(a.examples);
    total += static_cast<double>(a.examples);
  }
  if (total == 0) throw InvalidArgument("accuracy over no example");
  return right / total;
}

// ---- the run ---------------------------------------------------------------------------------------

void validate(const RunSpec& o) {
  if (o.lang.empty()) throw InvalidArgument("train: --lang is required (a language or task: statelab lang list)");
  RunSpec copy = o;  // the lengths parse (a spec built by hand may hold anything)
  for (const char* name : {"train-lengths", "test-lengths", "validation-lengths"})
    if (const auto v = field(name).get(o)) field(name).set(copy, *v);
  for (const auto& [name, text] : o.architecture_options) {  // each an architecture's option, as set_option leaves it
    const auto& options = models::config_options();
    if (std::none_of(options.begin(), options.end(), [&](const models::ConfigOption& c) { return c.name == name; }))
      throw InvalidArgument("train: '" + name + "' is not an option of an architecture (see statelab train --help)");
    copy.architecture_options.clear();
    field(name).set(copy, text);
    if (const auto canonical = copy.architecture_options.find(name); canonical == copy.architecture_options.end())
      throw InvalidArgument("train: the spec holds --" + name + " as '" + text + "': a false flag is left out");
    else if (canonical->second != text)
      throw InvalidArgument("train: the spec holds --" + name + " as '" + text + "', not as its canonical text '" +
                            canonical->second + "'");
  }
  models::parse_head(o.task);
  models::ModelConfig config;
  config.cell = models::parse_cell(o.model);
  apply_architecture_options(o, 0, config);  // refuses the options of other architectures
}

RunResult run(const RunSpec& o, const RunOptions& how) {
  const auto run_start = Clock::now();
  validate(o);
  const Head head = models::parse_head(o.task);
  if (how.timing_skip > 0 && how.timing_skip >= o.steps)
    throw InvalidArgument("train: --timing-skip " + std::to_string(how.timing_skip) + " leaves no timed step of --steps " +
                          std::to_string(o.steps));
  // The output's folder must exist before hours of training end in a failed write.
  const std::filesystem::path& out = how.output;
  if (!out.empty()) {
    std::error_code ec;
    if (std::filesystem::is_directory(out, ec)) throw InvalidArgument("train: -o " + out.string() + " is a directory");
    if (!out.parent_path().empty() && !std::filesystem::is_directory(out.parent_path(), ec))
      throw InvalidArgument("train: -o " + out.string() + ": the folder " + out.parent_path().string() + " does not exist");
  }

  models::ModelConfig config;
  config.cell = models::parse_cell(o.model);
  const Source source = load_source(o.lang, head, "train");
  const std::vector<std::string> outputs = output_names(source, head);
  config.vocab_size = static_cast<int>(source.alphabet().size());
  config.embedding_dim = o.embedding;
  config.hidden_size = o.hidden;
  config.num_layers = o.layers;
  config.head = head;
  config.num_outputs = static_cast<int>(outputs.size());
  apply_architecture_options(o, 1, config);
  models::validate(config);  // before the data is drawn; again once max_length is known
  check_size(config);

  models::TrainConfig train;
  train.steps = o.steps;
  train.batch_size = o.batch;
  train.lr = static_cast<float>(o.lr);
  train.warmup_steps = o.warmup;
  train.schedule = o.schedule == "cosine" ? models::Schedule::cosine : models::Schedule::constant;
  train.min_lr = static_cast<float>(o.min_lr);
  train.adamw.weight_decay = static_cast<float>(o.weight_decay);
  train.clip_norm = static_cast<float>(o.clip);
  train.seed = o.seed;
  train.chunk_size = o.chunk_size;

  // Data (not timed with the training loop), then every check before anything is written.
  const auto data_start = Clock::now();
  const RunData data = draw_data(o, source, head);
  const double data_seconds = seconds_since(data_start);
  const std::string validation_lengths = o.validation_lengths.value_or(o.train_lengths);
  require_examples(data.train, "training", "--train-count", o.train_count, o.train_lengths, source, head);
  require_examples(data.test, "test", "--test-count", o.test_count, o.test_lengths, source, head);
  if (o.validation_count > 0)
    require_examples(data.validation, "validation", "--validation-count", o.validation_count, validation_lengths, source, head);
  std::size_t longest = 0;
  for (const Data* d : {&data.train, &data.test, &data.validation})
    if (const auto* e = longest_example(*d)) longest = std::max(longest, e->tokens.size());
  const std::size_t longest_read = apply_architecture_options(o, longest, config);
  models::validate(config);
  check_size(config);
  if (o.architecture_options.contains("max-length") && static_cast<std::size_t>(config.max_length) < longest_read)
    throw InvalidArgument("train: --max-length " + std::to_string(config.max_length) + " is shorter than the longest sequence of the data (" +
                          std::to_string(longest_read) + " tokens" + (config.end_marker ? ", the end marker included)" : ")"));
  check_sequence_task(config, source, data.train);
  for (const Data* d : {&data.train, &data.test, &data.validation})  // what a batch refuses, refused now
    if (const auto* e = longest_example(*d)) models::make_batch(config, std::span<const models::Example>(e, 1));

  models::TrainState state = models::make_train_state(config, train, models::init_params(config, o.seed));
  const json spec_json = json::parse(spec_to_json(o));
  CheckpointMetadata metadata = language_metadata(source.alphabet().names(), source.name());
  metadata[std::string(kTrainingKey)] = spec_json.dump();
  std::int64_t saved_step = -1;
  auto save = [&](std::int64_t step, const models::ModelParams<float>& params, const json& metrics) {
    if (out.empty()) return;
    auto m = metadata;
    m[std::string(kMetricsKey)] = metrics.dump();
    models::save_checkpoint(out, config, params, m);
    saved_step = step;
  };
  auto interim = [](std::int64_t step, double loss) { return json{{"steps", step}, {"final_loss", loss}, {"finished", false}}; };
  if (how.checkpoint_every > 0) save(0, state.params, interim(0, std::nan("")));
  // A periodic checkpoint waits one step: it is written once the loss its parameters give is
  // known to be finite, so that after a divergence the file holds parameters that were good.
  struct Pending {
    std::int64_t step;
    models::ModelParams<float> params;
    json metrics;
  };
  std::optional<Pending> pending;

  bool timing = how.timing_skip == 0;
  Clock::time_point start = Clock::now();
  double outside = 0;  // seconds spent in the callback (progress, checkpoints) while timing
  auto on_step = [&](std::int64_t step, const models::StepResult& r) {
    const auto enter = Clock::now();
    if (!timing && step == how.timing_skip) {
      timing = true;
      start = enter;
    }
    if (pending) {  // this step's loss came from its parameters
      save(pending->step, pending->params, pending->metrics);
      pending.reset();
    }
    if (how.on_step) how.on_step(RunStep{step, o.steps, r.loss, &state});
    if (how.checkpoint_every > 0 && step % how.checkpoint_every == 0 && step != o.steps)
      pending = Pending{step, state.params, interim(step, r.loss)};
    if (timing) outside += seconds_since(enter);
  };
  models::TrainOutcome outcome;
  try {
    if (o.validation_count > 0) {
      models::EarlyStopping early{o.eval_every, o.patience, o.target_accuracy};
      outcome = models::train_with_validation(state, data.train.examples, data.validation.examples, early, on_step);
    } else {
      outcome.last = models::train(state, data.train.examples, on_step);
      outcome.best_step = state.step;
    }
  } catch (const models::DivergenceError& e) {
    throw models::DivergenceError(
        std::string("train: ") + e.what() + "; " +
        (saved_step >= 0 ? out.string() + " holds the last good checkpoint, from step " + std::to_string(saved_step)
                         : std::string("no checkpoint was written (--checkpoint-every 0)")));
  }
  const double loop_seconds = seconds_since(start);
  const std::int64_t timed_steps = state.step - how.timing_skip;
  const double seconds = std::max(0.0, loop_seconds - outside - outcome.validation_seconds);

  const auto eval_start = Clock::now();
  const auto by_length = models::accuracy_by_length(config, state.params, data.test.examples, data.test.lengths);
  const double test_accuracy = overall_accuracy(by_length);
  const double eval_seconds = seconds_since(eval_start);

  // When and why training stopped, and which step was kept.
  std::string stopped;
  if (o.validation_count == 0) {
    stopped = "ran the whole budget of " + std::to_string(o.steps) + " steps (no validation set)";
  } else if (outcome.stopped_early && outcome.best_accuracy >= o.target_accuracy) {
    stopped = "stopped at step " + std::to_string(state.step) + ": validation accuracy reached " + fixed4(outcome.best_accuracy);
  } else if (outcome.stopped_early) {
    stopped = "stopped at step " + std::to_string(state.step) + ": no better validation accuracy in " +
              std::to_string(o.patience) + " evaluations";
  } else {
    stopped = "the budget of " + std::to_string(o.steps) + " steps ran out";
  }
  if (o.validation_count > 0)
    stopped += "; kept step " + std::to_string(outcome.best_step) + " (validation " + fixed4(outcome.best_accuracy) + ")";

  json metrics = {{"language", source.name()},
                  {"task", models::head_name(head)},
                  {"model", json::parse(models::to_json(config))},
                  {"parameters", models::parameter_count(config)},
                  {"steps", state.step},
                  {"timed_steps", timed_steps},
                  {"seconds", seconds},
                  {"steps_per_s", seconds > 0 ? static_cast<double>(timed_steps) / seconds : 0.0},
                  {"final_loss", state.step > 0 ? json(outcome.last.loss) : json(nullptr)},
                  {"final_batch_accuracy", state.step > 0 ? json(models::batch_accuracy(state)) : json(nullptr)},
                  {"test_lengths", o.test_lengths},
                  {"test_accuracy", test_accuracy},
                  {"accuracy_by_length", accuracy_json(by_length)},
                  {"train_examples", data.train.examples.size()},
                  {"test_examples", data.test.examples.size()},
                  {"data_seconds", data_seconds},
                  {"eval_seconds", eval_seconds},
                  {"threads", how.threads > 0 ? how.threads
                                              : static_cast<int>(tbb::global_control::active_value(
                                                    tbb::global_control::max_allowed_parallelism))}};
  if (head == Head::tag || head == Head::next_set) metrics["outputs"] = outputs;
  if (o.validation_count > 0) {
    metrics["validation_accuracy"] = outcome.best_accuracy;
    metrics["validation_loss"] = outcome.best_loss;
    metrics["validation_examples"] = data.validation.examples.size();
    metrics["best_step"] = outcome.best_step;
    metrics["stopped_early"] = outcome.stopped_early;
    metrics["validation_seconds"] = outcome.validation_seconds;
    // Every evaluation, the first at step 0: the learning curve (statelab plot --kind history).
    json history = json::array();
    for (const models::Evaluation& e : outcome.evaluations)
      history.push_back({{"step", e.step}, {"accuracy", e.accuracy}, {"loss", e.loss}});
    metrics["validation_history"] = std::move(history);
  }
  metrics["stopped"] = stopped;
  // A seed's numbers are the same on machines that run the same instruction sets (models/simd.h).
  metrics["machine"] = {{"cpu", models::cpu_name()}, {"simd", models::simd_in_use()}};
  metrics["spec"] = spec_json;
  save(state.step, state.params, metrics);
  if (!out.empty()) statelab::write_file(metrics_path(out), metrics.dump(2) + "\n");

  RunResult result;
  result.metrics = metrics.dump();
  char line[256];
  std::snprintf(line, sizeof line, "%lld steps in %.2fs (%.1f steps/s, validation not counted); final loss %.4f; "
                "test accuracy %.4f (lengths %s)",
                static_cast<long long>(state.step), seconds, seconds > 0 ? static_cast<double>(timed_steps) / seconds : 0.0,
                static_cast<double>(outcome.last.loss), test_accuracy, o.test_lengths.c_str());
  result.summary = std::string(models::cell_name(config.cell)) + " on " + source.name() + ": " + line + "; " + stopped;
  result.config = config;
  result.params = std::move(state.params);
  result.alphabet = source.alphabet();
  result.test_accuracy = test_accuracy;
  result.validation_accuracy = outcome.best_accuracy;
  result.steps = state.step;
  result.best_step = outcome.best_step;
  result.train_examples = data.train.examples.size();
  result.validation_examples = data.validation.examples.size();
  result.seconds = seconds_since(run_start);
  return result;
}

// ---- checkpoints -----------------------------------------------------------------------------------

std::vector<std::string> checkpoint_alphabet(const models::Checkpoint& ckpt, const std::string& path,
                                             const std::string& given) {
  std::vector<std::string> names;
  if (!given.empty()) {
    for (std::size_t begin = 0;;) {
      const std::size_t comma = given.find(',', begin);
      names.push_back(given.substr(begin, comma - begin));
      if (comma == std::string::npos) break;
      begin = comma + 1;
    }
  } else {
    std::optional<std::vector<std::string>> recorded = read_alphabet(ckpt.metadata, path, ckpt.config.vocab_size);
    if (!recorded)
      throw InvalidArgument(path + ": the checkpoint has no \"alphabet\" metadata: give the symbols with --alphabet a,b,...");
    names = std::move(*recorded);
  }
  automata::Alphabet check(names);  // throws on an empty, duplicate or blank name
  if (static_cast<int>(names.size()) != ckpt.config.vocab_size)
    throw InvalidArgument(path + ": the alphabet has " + std::to_string(names.size()) + " symbols (" +
                          automata::join(names, " ") + ") but the model's vocabulary has " +
                          std::to_string(ckpt.config.vocab_size) + " tokens");
  return names;
}

void check_matches(const models::Checkpoint& ckpt, const std::string& path, const std::vector<std::string>& alphabet,
                   const Source& s) {
  if (alphabet != s.alphabet().names())
    throw InvalidArgument(path + ": the checkpoint's alphabet {" + automata::join(alphabet, " ") +
                          "} does not match " + s.name() + "'s alphabet {" +
                          automata::join(s.alphabet().names(), " ") + "}");
  const auto names = output_names(s, ckpt.config.head);
  if (static_cast<int>(names.size()) != ckpt.config.num_outputs)
    throw InvalidArgument(path + ": the model's " + models::head_name(ckpt.config.head) + " head has " +
                          std::to_string(ckpt.config.num_outputs) + " outputs but " + s.name() + " needs " +
                          std::to_string(names.size()));
}

}  // namespace statelab::bridge
