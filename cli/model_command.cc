#include "cli/model_command.h"

#include <tbb/global_control.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "automata/alphabet.h"
#include "base/error.h"
#include "base/file.h"
#include "bridge/training.h"
#include "cli/options.h"
#include "cli/progress.h"
#include "languages/dataset.h"
#include "languages/registry.h"
#include "languages/task.h"
#include "models/error.h"
#include "models/safetensors.h"
#include "models/train.h"

namespace statelab::cli {

namespace {

using json = nlohmann::ordered_json;
using models::Head;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// ---- what a model learns: a language or a task ---------------------------------------------------

struct Source {
  std::unique_ptr<languages::Language> language;
  std::unique_ptr<languages::Task> task;
  const std::string& name() const { return task ? task->name() : language->name(); }
  const languages::Alphabet& alphabet() const { return task ? task->input_alphabet() : language->alphabet(); }
};

// tag and seq read a task when the name is one (word-problem is both: the language of words whose
// product is the identity, and the task of prefix products); recognize and next-set a language.
Source load_source(const std::string& name, Head head, const std::string& command) {
  const std::string base = base_of(name);
  const bool per_position = head == Head::tag || head == Head::seq;
  Source s;
  if (is_task_name(base) && (per_position || !is_language_name(base))) {
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

// The classes of tag on a language: whether each prefix is in it.
const std::vector<std::string> kPrefixClasses = {"out", "in"};

// What each output of the head means: tag: the classes; next-set: the symbols, then end of word.
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

// Examples and the length each is reported under (the word's length, or the task's size).
struct Data {
  std::vector<models::Example> examples;
  std::vector<int> lengths;
};

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
                            languages::detail::join(targets.names(), " ") +
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

// seq: the task must be a prompt followed by a teacher-forced output; say so in the task's terms.
void check_sequence_task(const models::ModelConfig& config, const Source& source, const Data& data) {
  if (config.head != Head::seq || data.examples.empty()) return;
  try {
    models::make_batch(config, std::span<const models::Example>(data.examples.data(), 1));
  } catch (const models::ModelError& e) {
    throw InvalidArgument("--task seq: " + source.name() + " is not a sequence-output task (" + e.what() +
                          "): use --task tag");
  }
}

// Words of the language at the lengths (count per length, a balanced labelled set as `lang sample
// --negatives` draws it), or samples of the task at those sizes.
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

json accuracy_json(const std::vector<models::LengthAccuracy>& by_length) {
  json out = json::array();
  for (const auto& a : by_length) out.push_back({{"length", a.length}, {"examples", a.examples}, {"accuracy", a.accuracy}});
  return out;
}

double overall(const std::vector<models::LengthAccuracy>& by_length) {
  double right = 0, total = 0;
  for (const auto& a : by_length) {
    right += a.accuracy * static_cast<double>(a.examples);
    total += static_cast<double>(a.examples);
  }
  return total > 0 ? right / total : 0.0;
}

// ---- checkpoints -----------------------------------------------------------------------------------

// The symbol names of a checkpoint: --alphabet a,b,... when given, else the metadata "alphabet"
// (a JSON list of names, token id = index).  Their number must be the model's vocabulary.
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
    const auto it = ckpt.metadata.find("alphabet");
    if (it == ckpt.metadata.end())
      throw InvalidArgument(path + ": the checkpoint has no \"alphabet\" metadata: give the symbols with --alphabet a,b,...");
    json list;
    try {
      list = json::parse(it->second);
    } catch (const json::exception&) {
      throw InvalidArgument(path + ": metadata \"alphabet\" is not JSON: " + it->second);
    }
    if (!list.is_array()) throw InvalidArgument(path + ": metadata \"alphabet\" is " + it->second + ", expected a JSON list of symbol names");
    for (const auto& v : list) {
      if (!v.is_string()) throw InvalidArgument(path + ": metadata \"alphabet\" holds " + v.dump() + ", expected symbol names (strings)");
      names.push_back(v.get<std::string>());
    }
  }
  automata::Alphabet check(names);  // throws on an empty, duplicate or blank name
  if (static_cast<int>(names.size()) != ckpt.config.vocab_size)
    throw InvalidArgument(path + ": the alphabet has " + std::to_string(names.size()) + " symbols (" +
                          languages::detail::join(names, " ") + ") but the model's vocabulary has " +
                          std::to_string(ckpt.config.vocab_size) + " tokens");
  return names;
}

// The checkpoint's alphabet and outputs must be those of the language or task it is used with.
void check_matches(const models::Checkpoint& ckpt, const std::string& path, const std::vector<std::string>& alphabet,
                   const Source& s) {
  if (alphabet != s.alphabet().names())
    throw InvalidArgument(path + ": the checkpoint's alphabet {" + languages::detail::join(alphabet, " ") +
                          "} does not match " + s.name() + "'s alphabet {" +
                          languages::detail::join(s.alphabet().names(), " ") + "}");
  const auto names = output_names(s, ckpt.config.head);
  if (static_cast<int>(names.size()) != ckpt.config.num_outputs)
    throw InvalidArgument(path + ": the model's " + models::head_name(ckpt.config.head) + " head has " +
                          std::to_string(ckpt.config.num_outputs) + " outputs but " + s.name() + " needs " +
                          std::to_string(names.size()));
}

// "model.safetensors" -> "model.metrics.json".
std::filesystem::path metrics_path(const std::filesystem::path& checkpoint) {
  std::filesystem::path p = checkpoint;
  if (p.extension() == ".safetensors") p.replace_extension();
  p += ".metrics.json";
  return p;
}

// ---- train ----------------------------------------------------------------------------------------

struct TrainOpts {
  std::string lang, task = "recognize", train_lengths = "1..20", test_lengths = "21..40", output;
  std::string model = "lstm";
  int layers = 1, hidden = 64, embedding = 16;
  std::optional<int> heads, state, ffn_size, max_length, hard_alibi_heads, hard_alibi_window;
  std::optional<std::string> pos, ffn_activation;
  bool bidirectional = false, negative_eigenvalues = false;
  int steps = 1000, batch = 32, warmup = 0, chunk = 8, checkpoint_every = 1000, log_every = 0, timing_skip = 0;
  int threads = 0;
  std::string schedule = "constant";
  float lr = 1e-3f, min_lr = 0.0f, weight_decay = 0.01f, clip = 1.0f;
  std::uint64_t seed = 1;
  std::size_t train_count = 100, test_count = 100;
  std::size_t validation_count = 0;
  std::string validation_lengths;
  std::size_t train_draws = 1;         // languages: the training set is the union of this many draws
  bool validation_independent = false;  // languages: validation drawn like training, from its own seeds
  int eval_every = 100, patience = 10;
  double target_accuracy = 1.0;
  bool quiet = false, json = false;
};

// The options of the architectures that are not recurrent cells belong to those architectures
// only (refused with another --model), and set the config's fields of that architecture.
// `longest`: the longest token sequence of the data, the default --max-length.
void apply_architecture_options(const TrainOpts& o, std::size_t longest, models::ModelConfig& config) {
  const models::Cell cell = config.cell;
  const std::string name = models::cell_name(cell);
  auto only_for = [&](bool given, const char* option, std::initializer_list<const char*> models) {
    if (!given) return;
    for (const char* m : models)
      if (name == m) return;
    std::string list;
    for (const char* m : models) list += (list.empty() ? "" : ", ") + std::string(m);
    throw InvalidArgument(std::string("train: ") + option + " applies to --model " + list + " only (not " + name + ")");
  };
  only_for(o.heads.has_value(), "--heads", {"transformer"});
  only_for(o.pos.has_value(), "--pos", {"transformer"});
  only_for(o.bidirectional, "--bidirectional", {"transformer"});
  only_for(o.ffn_size.has_value(), "--ffn-size", {"transformer"});
  only_for(o.ffn_activation.has_value(), "--ffn-activation", {"transformer"});
  only_for(o.max_length.has_value(), "--max-length", {"transformer"});
  only_for(o.hard_alibi_heads.has_value(), "--hard-alibi-heads", {"transformer"});
  only_for(o.hard_alibi_window.has_value(), "--hard-alibi-window", {"transformer"});
  only_for(o.state.has_value(), "--state", {"s4d", "mamba", "ids4"});
  only_for(o.negative_eigenvalues, "--negative-eigenvalues", {"s4d", "mamba"});
  if (cell == models::Cell::transformer) {
    if (o.heads) config.num_heads = *o.heads;
    if (o.pos) config.positional = models::parse_positional(*o.pos);
    config.causal = !o.bidirectional;
    if (o.ffn_size) config.ffn_size = *o.ffn_size;
    if (o.ffn_activation) config.ffn_activation = models::parse_activation(*o.ffn_activation);
    config.max_length = o.max_length ? *o.max_length : static_cast<int>(std::max<std::size_t>(longest, 1));
    if (o.hard_alibi_heads) config.hard_alibi_heads = *o.hard_alibi_heads;
    if (o.hard_alibi_window) config.hard_alibi_window = *o.hard_alibi_window;
  }
  if (models::is_state_space(cell)) {
    if (o.state) config.state_size = *o.state;
    config.negative_eigenvalues = o.negative_eigenvalues;
  }
}

std::size_t longest_sequence(std::initializer_list<const Data*> sets) {
  std::size_t n = 0;
  for (const Data* d : sets)
    for (const auto& e : d->examples) n = std::max(n, e.tokens.size());
  return n;
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

json training_json(const TrainOpts& o, Head head, const std::vector<std::string>& outputs) {
  json j = {{"task", models::head_name(head)},
            {"train_lengths", o.train_lengths},
            {"test_lengths", o.test_lengths},
            {"train_count", o.train_count},
            {"test_count", o.test_count},
            {"steps", o.steps},
            {"batch", o.batch},
            {"lr", o.lr},
            {"schedule", o.schedule},
            {"warmup", o.warmup},
            {"min_lr", o.min_lr},
            {"weight_decay", o.weight_decay},
            {"clip", o.clip},
            {"seed", o.seed},
            {"chunk_size", o.chunk},
            {"threads", o.threads}};
  if (o.train_draws != 1) j["train_draws"] = o.train_draws;
  if (o.validation_count > 0) {
    j["validation"] = {{"lengths", o.validation_lengths.empty() ? o.train_lengths : o.validation_lengths},
                       {"count", o.validation_count},
                       {"every", o.eval_every},
                       {"patience", o.patience},
                       {"target_accuracy", o.target_accuracy}};
    if (o.validation_independent) j["validation"]["independent"] = true;
  }
  if (head == Head::tag || head == Head::next_set) j["outputs"] = outputs;
  return j;
}

void run_train(const TrainOpts& o) {
  std::optional<tbb::global_control> threads;
  if (o.threads > 0) threads.emplace(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(o.threads));
  const Head head = models::parse_head(o.task);
  const languages::LengthRange train_range = parse_lengths(o.train_lengths, "--train-lengths");
  const languages::LengthRange test_range = parse_lengths(o.test_lengths, "--test-lengths");
  const languages::LengthRange validation_range =
      parse_lengths(o.validation_lengths.empty() ? o.train_lengths : o.validation_lengths, "--validation-lengths");
  if (o.timing_skip >= o.steps && o.timing_skip > 0)
    throw InvalidArgument("train: --timing-skip " + std::to_string(o.timing_skip) + " leaves no timed step of --steps " +
                          std::to_string(o.steps));
  if (o.validation_independent && o.validation_count == 0)
    throw InvalidArgument("train: --validation-independent needs --validation-count (the validation words per length)");

  // The output's folder must exist before hours of training end in a failed write.
  const std::filesystem::path out = o.output;
  std::error_code ec;
  if (std::filesystem::is_directory(out, ec)) throw InvalidArgument("train: -o " + o.output + " is a directory");
  if (!out.parent_path().empty() && !std::filesystem::is_directory(out.parent_path(), ec))
    throw InvalidArgument("train: -o " + o.output + ": the folder " + out.parent_path().string() + " does not exist");

  models::ModelConfig config;
  config.cell = models::parse_cell(o.model);
  apply_architecture_options(o, 0, config);  // refuses the options of other architectures early
  const Source source = load_source(o.lang, head, "train");
  const std::vector<std::string> outputs = output_names(source, head);
  config.vocab_size = static_cast<int>(source.alphabet().size());
  config.embedding_dim = o.embedding;
  config.hidden_size = o.hidden;
  config.num_layers = o.layers;
  config.head = head;
  config.num_outputs = static_cast<int>(outputs.size());
  models::validate(config);  // before the data is drawn; again once max_length is known
  check_size(config);

  models::TrainConfig train;
  train.steps = o.steps;
  train.batch_size = o.batch;
  train.lr = o.lr;
  train.warmup_steps = o.warmup;
  train.schedule = o.schedule == "cosine" ? models::Schedule::cosine : models::Schedule::constant;
  train.min_lr = o.min_lr;
  train.adamw.weight_decay = o.weight_decay;
  train.clip_norm = o.clip;
  train.seed = o.seed;
  train.chunk_size = o.chunk;

  // Data (not timed with the training loop).
  const auto data_start = Clock::now();
  Data train_data, test_data, validation_data;
  if (source.task) {
    if (o.train_draws != 1 || o.validation_independent)
      throw InvalidArgument("train: --train-draws and --validation-independent apply to languages, not to the task " +
                            source.name() + " (whose samples are already independent draws)");
    train_data = task_examples(*source.task, head, train_range, o.train_count, o.seed, languages::Split::train,
                               languages::Origin::positive);
    test_data = task_examples(*source.task, head, test_range, o.test_count, o.seed, languages::Split::test,
                              languages::Origin::positive);
    if (o.validation_count > 0)  // its own stream of seeds
      validation_data = task_examples(*source.task, head, validation_range, o.validation_count, o.seed,
                                      languages::Split::test, languages::Origin::near_miss);
  } else {
    languages::DatasetOptions d;
    d.train_lengths = train_range;
    d.test_lengths = test_range;
    d.train_per_length = o.train_count;
    d.test_per_length = o.test_count;
    d.seed = o.seed;
    d.with_targets = head != Head::recognize;
    const std::size_t k = source.alphabet().size();
    languages::Dataset dataset = languages::build_dataset(*source.language, d);
    if (o.train_draws > 1) {  // draws seed, seed + 1, ...: a sparse language's few words repeated
      auto more = bridge::repeated_draws(*source.language, d, o.train_draws - 1, o.seed + 1);
      dataset.train.insert(dataset.train.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
    }
    train_data = language_examples(head, dataset.train, k);
    test_data = language_examples(head, dataset.test, k);  // outside the first draw's training words
    if (o.validation_independent) {  // as many draws again, from seeds of their own; may share words
      languages::DatasetOptions v = d;
      v.train_lengths = validation_range;
      v.train_per_length = o.validation_count;
      validation_data = language_examples(
          head, bridge::repeated_draws(*source.language, v, o.train_draws, o.seed + bridge::kValidationSeedOffset), k);
    } else if (o.validation_count > 0) {  // the same training set, and words outside it
      d.test_lengths = validation_range;
      d.test_per_length = o.validation_count;
      validation_data = language_examples(head, languages::build_dataset(*source.language, d).test, k);
    }
  }
  const double data_seconds = seconds_since(data_start);
  apply_architecture_options(o, longest_sequence({&train_data, &test_data, &validation_data}), config);
  models::validate(config);
  check_size(config);
  if (train_data.examples.empty())
    throw InvalidArgument("train: no training example of " + source.name() + " at lengths " + range_text(train_range) +
                          (head == Head::next_set ? " (next-set trains on the words of the language)" : ""));
  check_sequence_task(config, source, train_data);

  models::TrainState state = models::make_train_state(config, train, models::init_params(config, o.seed));
  std::map<std::string, std::string> metadata = {
      {"alphabet", json(source.alphabet().names()).dump()},
      {"statelab.language", source.name()},
      {"statelab.training", training_json(o, head, outputs).dump()}};
  std::int64_t saved_step = -1;
  auto save = [&](std::int64_t step, const models::ModelParams<float>& params, const json& metrics) {
    auto m = metadata;
    m["statelab.metrics"] = metrics.dump();
    models::save_checkpoint(out, config, params, m);
    saved_step = step;
  };
  auto interim = [](std::int64_t step, double loss) { return json{{"steps", step}, {"final_loss", loss}, {"finished", false}}; };
  if (o.checkpoint_every > 0) save(0, state.params, interim(0, std::nan("")));
  // A periodic checkpoint waits one step: it is written once the loss its parameters give is
  // known to be finite, so that after a divergence the file holds parameters that were good.
  struct Pending {
    std::int64_t step;
    models::ModelParams<float> params;
    json metrics;
  };
  std::optional<Pending> pending;

  const int log_every = o.log_every > 0 ? o.log_every : std::max(1, o.steps / 10);
  Progress progress(std::cerr, 0, o.steps, log_every, ::isatty(STDERR_FILENO) != 0, o.quiet);
  bool timing = o.timing_skip == 0;
  Clock::time_point start = Clock::now();
  double outside = 0;  // seconds spent in the callback (progress, checkpoints) while timing
  auto on_step = [&](std::int64_t step, const models::StepResult& r) {
    const auto enter = Clock::now();
    if (!timing && step == o.timing_skip) {
      timing = true;
      start = enter;
    }
    if (pending) {  // this step's loss came from its parameters
      save(pending->step, pending->params, pending->metrics);
      pending.reset();
    }
    if (progress.wants(step)) progress.update(step, r.loss, models::batch_accuracy(state));
    if (o.checkpoint_every > 0 && step % o.checkpoint_every == 0 && step != o.steps)
      pending = Pending{step, state.params, interim(step, r.loss)};
    if (timing) outside += seconds_since(enter);
  };
  models::TrainOutcome outcome;
  try {
    if (o.validation_count > 0) {
      models::EarlyStopping early{o.eval_every, o.patience, o.target_accuracy};
      outcome = models::train_with_validation(state, train_data.examples, validation_data.examples, early, on_step);
    } else {
      outcome.last = models::train(state, train_data.examples, on_step);
      outcome.best_step = state.step;
    }
  } catch (const models::DivergenceError& e) {
    progress.finish();
    throw models::DivergenceError(
        std::string("train: ") + e.what() + "; " +
        (saved_step >= 0 ? o.output + " holds the last good checkpoint, from step " + std::to_string(saved_step)
                         : std::string("no checkpoint was written (--checkpoint-every 0)")));
  }
  const double loop_seconds = seconds_since(start);
  progress.finish();
  const std::int64_t timed_steps = state.step - o.timing_skip;
  const double seconds = std::max(0.0, loop_seconds - outside - outcome.validation_seconds);

  const auto eval_start = Clock::now();
  const auto by_length = models::accuracy_by_length(config, state.params, test_data.examples, test_data.lengths);
  const double eval_seconds = seconds_since(eval_start);
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
                  {"test_lengths", range_text(test_range)},
                  {"test_accuracy", overall(by_length)},
                  {"accuracy_by_length", accuracy_json(by_length)},
                  {"train_examples", train_data.examples.size()},
                  {"test_examples", test_data.examples.size()},
                  {"data_seconds", data_seconds},
                  {"eval_seconds", eval_seconds},
                  {"threads", o.threads > 0 ? o.threads
                                            : static_cast<int>(tbb::global_control::active_value(
                                                  tbb::global_control::max_allowed_parallelism))}};
  if (o.validation_count > 0) {
    metrics["validation_accuracy"] = outcome.best_accuracy;
    metrics["validation_examples"] = validation_data.examples.size();
    metrics["best_step"] = outcome.best_step;
    metrics["stopped_early"] = outcome.stopped_early;
    metrics["validation_seconds"] = outcome.validation_seconds;
  }
  save(state.step, state.params, metrics);
  const std::filesystem::path metrics_file = metrics_path(out);
  write_file(metrics_file, metrics.dump(2) + "\n");
  if (o.json) {
    std::cout << metrics.dump() << "\n";
    return;
  }
  char line[256];
  std::snprintf(line, sizeof line, "%lld steps in %.2fs (%.1f steps/s), final loss %.4f, test accuracy %.4f (lengths %s)",
                static_cast<long long>(state.step), seconds, seconds > 0 ? static_cast<double>(timed_steps) / seconds : 0.0,
                static_cast<double>(outcome.last.loss), overall(by_length), range_text(test_range).c_str());
  std::cout << models::cell_name(config.cell) << " on " << source.name() << ": " << line << "\n"
            << "wrote " << out.string() << " and " << metrics_file.string() << "\n";
}

// ---- eval and score ----------------------------------------------------------------------------------

struct EvalOpts {
  std::string ckpt, lang, lengths, alphabet;
  std::size_t count = 100;
  std::uint64_t seed = 0;
  int threads = 0;
  bool json = false;
};

void run_eval(const EvalOpts& o) {
  std::optional<tbb::global_control> threads;
  if (o.threads > 0) threads.emplace(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(o.threads));
  const languages::LengthRange lengths = parse_lengths(o.lengths);
  const models::Checkpoint ckpt = models::load_checkpoint(std::filesystem::path(o.ckpt));
  const std::vector<std::string> alphabet = checkpoint_alphabet(ckpt, o.ckpt, o.alphabet);
  std::string name = o.lang;
  if (name.empty()) {
    const auto it = ckpt.metadata.find("statelab.language");
    if (it == ckpt.metadata.end())
      throw InvalidArgument("eval: " + o.ckpt + " does not say which language it learned (no statelab.language metadata): give --lang");
    name = it->second;
  }
  const Source source = load_source(name, ckpt.config.head, "eval");
  check_matches(ckpt, o.ckpt, alphabet, source);
  const Data data = evaluation_data(source, ckpt.config.head, lengths, o.count, o.seed);
  if (data.examples.empty())
    throw InvalidArgument("eval: no example of " + source.name() + " at lengths " + range_text(lengths) +
                          (ckpt.config.head == Head::next_set ? " (next-set is evaluated on the words of the language)" : ""));
  check_sequence_task(ckpt.config, source, data);
  const auto by_length = models::accuracy_by_length(ckpt.config, ckpt.params, data.examples, data.lengths);
  if (o.json) {
    std::cout << json{{"checkpoint", o.ckpt},
                      {"language", source.name()},
                      {"task", models::head_name(ckpt.config.head)},
                      {"lengths", range_text(lengths)},
                      {"examples", data.examples.size()},
                      {"accuracy", overall(by_length)},
                      {"accuracy_by_length", accuracy_json(by_length)}}
                     .dump()
              << "\n";
    return;
  }
  std::printf("%-8s %-9s %s\n", "LENGTH", "EXAMPLES", "ACCURACY");
  for (const auto& a : by_length) std::printf("%-8d %-9lld %.4f\n", a.length, static_cast<long long>(a.examples), a.accuracy);
  std::printf("overall  %-9zu %.4f\n", data.examples.size(), overall(by_length));
}

// The columns of m as a JSON list of lists, each float in the shortest form that reads back
// to the same float (null when it is not finite).
std::string json_rows(const models::Matrix<float>& m) {
  std::string out = "[";
  char buffer[32];
  for (Eigen::Index t = 0; t < m.cols(); ++t) {
    out += t ? ",[" : "[";
    for (Eigen::Index k = 0; k < m.rows(); ++k) {
      if (k) out += ',';
      if (!std::isfinite(m(k, t))) {  // JSON has no NaN or infinity
        out += "null";
        continue;
      }
      out.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, m(k, t)).ptr);
    }
    out += ']';
  }
  return out + "]";
}

struct ScoreOpts {
  std::string ckpt, alphabet;
  std::vector<std::string> words;
  bool hidden = false;
};

void run_score(const ScoreOpts& o) {
  const models::Checkpoint ckpt = models::load_checkpoint(std::filesystem::path(o.ckpt));
  if (ckpt.config.head != Head::recognize)
    throw InvalidArgument("score: " + o.ckpt + " has a " + models::head_name(ckpt.config.head) +
                          " head; score gives a recognizer's acceptance probability (use eval)");
  const automata::Alphabet alphabet(checkpoint_alphabet(ckpt, o.ckpt, o.alphabet));
  const std::vector<std::string> texts = words_with_stdin(o.words);
  // Every word is checked before anything is printed.
  std::vector<models::Sequence> words;
  for (const std::string& text : texts) {
    try {
      const automata::Word w = alphabet.parse_word(text);
      words.emplace_back(w.begin(), w.end());
    } catch (const InvalidArgument& e) {
      throw InvalidArgument(std::string("score: ") + e.what());
    }
  }
  const auto logits = models::model_logits(ckpt.config, ckpt.params, words);
  std::vector<models::Matrix<float>> hidden;
  if (o.hidden) hidden = models::hidden_states(ckpt.config, ckpt.params, words);
  for (std::size_t i = 0; i < words.size(); ++i) {
    const double p = 1.0 / (1.0 + std::exp(-static_cast<double>(logits[i](0, 0))));
    std::printf("%s\t%#.9g", texts[i].c_str(), p);
    if (o.hidden) std::printf("\t%s", json_rows(hidden[i]).c_str());
    std::printf("\n");
  }
}

}  // namespace

void add_model_commands(CLI::App& app) {
  const std::string lang_help = "language or task: NAME or NAME:key=value,... (statelab lang list)";
  {
    auto o = std::make_shared<TrainOpts>();
    CLI::App* c = app.add_subcommand(
        "train", "train a neural model on a language or task; writes a safetensors checkpoint and NAME.metrics.json");
    c->add_option("--lang", o->lang, lang_help)->required();
    c->add_option("--model", o->model, "architecture: " + models::available_cells())
        ->capture_default_str();
    c->add_option("--task", o->task,
                  "recognize (accept/reject), tag (a class per position: a task's targets, or whether each prefix is in "
                  "the language), next-set (the symbols that may follow each prefix), seq (sequence output of a task "
                  "such as copy-task, greedy decoding)")
        ->check(CLI::IsMember({"recognize", "tag", "next-set", "seq"}))
        ->capture_default_str();
    c->add_option("--layers", o->layers, "layers L")->check(kAtLeastOne)->capture_default_str();
    c->add_option("--hidden", o->hidden, "hidden size H (d_model)")->check(kAtLeastOne)->capture_default_str();
    c->add_option("--embedding", o->embedding, "token embedding width E")->check(kAtLeastOne)->capture_default_str();
    c->add_option("--heads", o->heads, "transformer: attention heads")->check(kAtLeastOne);
    c->add_option("--pos", o->pos, "transformer: positional encoding (none, learned, sinusoidal, alibi, hard-alibi)");
    c->add_option("--state", o->state, "s4d, mamba, ids4: state size N")->check(kAtLeastOne);
    c->add_flag("--bidirectional", o->bidirectional, "transformer: attention sees every position (default causal)");
    c->add_option("--ffn-size", o->ffn_size, "transformer: feed-forward width (default 4 H)")->check(kAtLeastOne);
    c->add_option("--ffn-activation", o->ffn_activation, "transformer: gelu or relu")->check(CLI::IsMember({"gelu", "relu"}));
    c->add_option("--max-length", o->max_length,
                  "transformer, learned positions: the longest sequence it can read (default: the longest in the data)")
        ->check(kAtLeastOne);
    c->add_option("--hard-alibi-heads", o->hard_alibi_heads, "transformer, hard-alibi: windowed heads (default half)")
        ->check(CLI::NonNegativeNumber);
    c->add_option("--hard-alibi-window", o->hard_alibi_window, "transformer, hard-alibi: the window w")->check(kAtLeastOne);
    c->add_flag("--negative-eigenvalues", o->negative_eigenvalues, "s4d, mamba: eigenvalues in [-1, 1] instead of [0, 1]");
    c->add_option("--train-lengths", o->train_lengths, "training word lengths (task sizes) A..B")->capture_default_str();
    c->add_option("--test-lengths", o->test_lengths, "test word lengths (task sizes) A..B")->capture_default_str();
    c->add_option("--train-count", o->train_count, "training words per length")->check(kAtLeastOne)->capture_default_str();
    c->add_option("--test-count", o->test_count, "test words per length")->check(kAtLeastOne)->capture_default_str();
    c->add_option("--steps", o->steps, "optimiser steps")->check(CLI::NonNegativeNumber)->capture_default_str();
    c->add_option("--batch", o->batch, "examples per step")->check(kAtLeastOne)->capture_default_str();
    c->add_option("--lr", o->lr, "peak learning rate")->check(CLI::PositiveNumber)->capture_default_str();
    c->add_option("--schedule", o->schedule, "learning rate after warm-up: constant or cosine")
        ->check(CLI::IsMember({"constant", "cosine"}))
        ->capture_default_str();
    c->add_option("--warmup", o->warmup, "linear warm-up steps")->check(CLI::NonNegativeNumber)->capture_default_str();
    c->add_option("--min-lr", o->min_lr, "cosine: the rate at the last step")->check(CLI::NonNegativeNumber)->capture_default_str();
    c->add_option("--weight-decay", o->weight_decay, "AdamW weight decay (0: Adam)")->check(CLI::NonNegativeNumber)->capture_default_str();
    c->add_option("--clip", o->clip, "clip the global gradient norm to this (0: no clipping)")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    c->add_option("--seed", o->seed, "seed of the data, the initialisation and the batch order")->capture_default_str();
    c->add_option("--threads", o->threads, "threads (0: all cores); the result does not depend on it")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    c->add_option("--chunk-size", o->chunk, "examples per parallel work item (part of what the result depends on)")
        ->check(kAtLeastOne)
        ->capture_default_str();
    c->add_option("--validation-count", o->validation_count,
                  "early stopping: validation words per length (0: none), drawn outside the training set "
                  "unless --validation-independent")
        ->capture_default_str();
    c->add_option("--train-draws", o->train_draws,
                  "languages: the training set is this many draws of --train-count words per length (seeds seed, "
                  "seed+1, ...), so a length with few words repeats them")
        ->check(kAtLeastOne)
        ->capture_default_str();
    c->add_flag("--validation-independent", o->validation_independent,
                "languages: draw the validation words like the training words (--train-draws draws of "
                "--validation-count per length, seeds of their own), not outside the training set");
    c->add_option("--validation-lengths", o->validation_lengths, "early stopping: validation lengths A..B (default: the training lengths)");
    c->add_option("--eval-every", o->eval_every, "early stopping: evaluate every N steps")->check(kAtLeastOne)->capture_default_str();
    c->add_option("--patience", o->patience, "early stopping: stop after N evaluations without improvement")
        ->check(kAtLeastOne)
        ->capture_default_str();
    c->add_option("--target-accuracy", o->target_accuracy, "early stopping: stop once validation accuracy reaches this")
        ->check(CLI::Range(0.0, 1.0))
        ->capture_default_str();
    c->add_option("--checkpoint-every", o->checkpoint_every,
                  "write the checkpoint every N steps (and at step 0), so that a run that diverges keeps the last good "
                  "one (0: only at the end)")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    c->add_option("--log-every", o->log_every, "without a terminal: a progress line every N steps (default steps/10)")
        ->check(CLI::NonNegativeNumber);
    c->add_option("--timing-skip", o->timing_skip, "leave the first N steps out of seconds and steps_per_s (benchmarks)")
        ->check(CLI::NonNegativeNumber);
    c->add_flag("--quiet", o->quiet, "no progress output");
    c->add_flag("--json", o->json, "print the metrics JSON instead of a summary");
    c->add_option("-o,--output", o->output, "checkpoint file (.safetensors); metrics go beside it")->required();
    c->callback([o] { run_train(*o); });
  }
  {
    auto o = std::make_shared<EvalOpts>();
    CLI::App* c = app.add_subcommand("eval", "accuracy of a checkpoint by length on fresh words of a language or task");
    c->add_option("--ckpt", o->ckpt, "checkpoint (.safetensors)")->required();
    c->add_option("--lang", o->lang, lang_help + " (default: the checkpoint's statelab.language)");
    c->add_option("--lengths", o->lengths, "lengths A..B")->required();
    c->add_option("--count", o->count, "words per length (balanced accept/reject for recognize)")
        ->check(kAtLeastOne)
        ->capture_default_str();
    c->add_option("--seed", o->seed, "random seed of the words")->capture_default_str();
    c->add_option("--alphabet", o->alphabet, "symbol names a,b,... (token id = position) when the checkpoint has none");
    c->add_option("--threads", o->threads, "threads (0: all cores)")->check(CLI::NonNegativeNumber);
    c->add_flag("--json", o->json, "machine-readable output");
    c->callback([o] { run_eval(*o); });
  }
  {
    auto o = std::make_shared<ScoreOpts>();
    CLI::App* c = app.add_subcommand(
        "score", "a recognizer's acceptance probability of each word: WORD<TAB>probability ('-' reads words from stdin)");
    c->add_option("--ckpt", o->ckpt, "checkpoint (.safetensors)")->required();
    c->add_option("words", o->words, "words (symbols run together or space-separated; '' is the empty word)")->required();
    c->add_option("--alphabet", o->alphabet, "symbol names a,b,... (token id = position) when the checkpoint has none");
    c->add_flag("--hidden", o->hidden, "add the hidden state at every position (every layer) as a JSON list");
    c->callback([o] { run_score(*o); });
  }
}

}  // namespace statelab::cli
