// One run = one library call.  A RunSpec says everything that decides a run's result (what is
// learned, the architecture, the data, the training recipe, the evaluation lengths, the seed);
// run() carries it out: the datasets, the model, training with validation and early stopping,
// the accuracy by test length, the checkpoint and the metrics.  `statelab train` parses its
// options into a spec and calls run(); a sweep builds one spec per cell the same way, from the
// same option names (spec_from_options), and the metrics JSON holds the spec so that any run can
// be repeated from its metrics file alone.
//
// The spec's canonical forms: the map option name -> text (spec_options; names are the long
// options of `statelab train` without dashes, values the canonical text of each), and the JSON
// object of the same keys in the same order (spec_to_json; numbers and booleans typed).  Both
// round-trip exactly; two specs are equal exactly when their canonical forms are.
//
// The default recipe learns: an LSTM reaches 100% test accuracy on parity (train 1..40, test
// 41..200) and on the seven Tomita grammars (train 0..20, test 21..40) with no option beyond the
// language, the lengths and the output (docs/models.md says why each default is what it is).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "languages/dataset.h"
#include "languages/language.h"
#include "languages/task.h"
#include "models/model.h"
#include "models/safetensors.h"
#include "models/train.h"

namespace statelab::bridge {

struct RunSpec {
  // What is learned: a language or task of the catalogue, and the head.
  std::string lang;
  std::string task = "recognize";  // recognize, tag, next-set, seq
  // The architecture.  The options of the architectures' own fields (models::config_options:
  // --heads, --pos, --state, ...) belong to the architectures that read their field (refused with
  // others); they are held as set_option leaves them: option name -> canonical text, a flag only
  // when true, an option not given absent (read them through set_option and spec_options).
  std::string model = "lstm";
  int layers = 1, hidden = 32, embedding = 8;
  std::map<std::string, std::string> architecture_options;
  // The data: lengths A..B (task sizes for tasks) and words per length.
  std::string train_lengths = "1..20", test_lengths = "21..40";
  std::optional<std::string> validation_lengths;  // default: the training lengths
  std::size_t train_count = 100, test_count = 100, validation_count = 32;
  std::size_t train_draws = 8;          // languages: the training set is this many draws (repetition)
  bool validation_independent = true;   // languages: validation drawn like training, from its own seeds
  // Training: AdamW, warm-up then the schedule, early stopping on the validation set.
  int steps = 5000, batch = 32, warmup = 50, chunk_size = 8, eval_every = 200, patience = 0;
  std::string schedule = "cosine";
  double lr = 1e-2, min_lr = 1e-4, weight_decay = 0.01, clip = 1.0, target_accuracy = 1.0;
  std::uint64_t seed = 1;
  friend bool operator==(const RunSpec&, const RunSpec&) = default;
};

/// One option of a run: its name (the long option of `statelab train` without dashes), its help
/// text, whether it is a flag (true/false), and what its value looks like ("N", "X", "A..B", ...).
struct RunOption {
  std::string name, help;
  bool flag = false;
  std::string value;
};

/// Every option of a run, in canonical order.
const std::vector<RunOption>& run_options();

/// Sets one option from its text ("lr", "3e-3").  Throws InvalidArgument naming --NAME, the value
/// and what is expected ("--lr 0: must be positive") for an unknown name or a bad value.
void set_option(RunSpec& spec, std::string_view name, const std::string& value);

/// The default spec with `options` set (set_option, in canonical order).
RunSpec spec_from_options(const std::map<std::string, std::string>& options);

/// Every option that is set (unset optional ones are left out) as its canonical text.
std::map<std::string, std::string> spec_options(const RunSpec& spec);

/// The canonical JSON object of the spec, and back (unknown keys and bad values throw
/// InvalidArgument naming the key; missing keys keep their defaults).
std::string spec_to_json(const RunSpec& spec);
RunSpec spec_from_json(std::string_view json);

/// The spec of a metrics file written by run() (its "spec" object).  Throws InvalidArgument or
/// IoError naming the file.
RunSpec spec_from_metrics_file(const std::filesystem::path& path);

/// Checks the options that can be checked without drawing data (lengths, combinations of
/// options, the architecture's config).  run() calls it first; the CLI may call it earlier.
void validate(const RunSpec& spec);

/// What the progress callback sees after each optimiser step.
struct RunStep {
  std::int64_t step = 0, total = 0;
  double loss = 0;
  const models::TrainState* state = nullptr;  // models::batch_accuracy(*state) for the last batch
};

/// How a run is carried out; nothing here changes its result.
struct RunOptions {
  /// The checkpoint (.safetensors; its metrics JSON goes beside it, metrics_path).  Empty: no file
  /// is written.
  std::filesystem::path output;
  /// Writes the checkpoint every N steps (and at step 0), each once the loss of its parameters is
  /// known to be finite, so that a run that diverges keeps the last good one.  0: only at the end.
  int checkpoint_every = 0;
  /// Leaves the first N steps out of seconds and steps_per_s (benchmarks).
  int timing_skip = 0;
  /// The threads the run was given (0: all); recorded in the metrics only.
  int threads = 0;
  std::function<void(const RunStep&)> on_step;
};

struct RunResult {
  std::string metrics;  // the metrics JSON (as written beside the checkpoint), "spec" included
  std::string summary;  // clauses separated by "; ": what was trained, when and why training stopped, test accuracy
  models::ModelConfig config;
  models::ModelParams<float> params;  // the parameters kept (the best validation step)
  languages::Alphabet alphabet;
  double test_accuracy = 0, validation_accuracy = 0;
  std::int64_t steps = 0, best_step = 0;
  std::size_t train_examples = 0, validation_examples = 0;
  double seconds = 0;  // the whole call, wall clock
};

/// Carries out the run.  Everything is validated before any file is written.  Throws
/// InvalidArgument for bad options or data (an empty training, validation or test set), the
/// catalogue's errors, models::DivergenceError when the loss becomes NaN or infinite (its message
/// names the last good checkpoint on disk, if any), IoError when a file cannot be written.
RunResult run(const RunSpec& spec, const RunOptions& options = {});

/// "model.safetensors" -> "model.metrics.json".
std::filesystem::path metrics_path(const std::filesystem::path& checkpoint);

// ---- data of a language or task, shared with `eval` ------------------------------------------

/// What a model learns: a language or a task of the catalogue.
struct Source {
  std::unique_ptr<languages::Language> language;
  std::unique_ptr<languages::Task> task;
  const std::string& name() const;
  const languages::Alphabet& alphabet() const;
};

/// The language or task `name` for the head: tag and seq read a task when the name is one
/// (word-problem is both), recognize and next-set a language.  `command` prefixes the messages.
Source load_source(const std::string& name, models::Head head, const std::string& command);

/// What each output of the head means: tag: the classes; next-set: the symbols, then <end>.
std::vector<std::string> output_names(const Source& source, models::Head head);

/// Examples and the length each is reported under (the word's length, or the task's size).
struct Data {
  std::vector<models::Example> examples;
  std::vector<int> lengths;
};

/// Fresh evaluation words of the language at the lengths (count per length, balanced labels), or
/// samples of the task at those sizes.
Data evaluation_data(const Source& source, models::Head head, const languages::LengthRange& lengths,
                     std::size_t count, std::uint64_t seed);

/// seq: refuses a task whose examples are not a prompt followed by an output, in the task's terms.
void check_sequence_task(const models::ModelConfig& config, const Source& source, const Data& data);

/// The fraction right over every length (the examples' weighted mean); throws InvalidArgument
/// when there is no example (accuracy over nothing is not a number).
double overall_accuracy(const std::vector<models::LengthAccuracy>& by_length);

/// [{"length", "examples", "accuracy"}, ...]: the metrics' and `eval --json`'s accuracy by length.
nlohmann::ordered_json accuracy_json(const std::vector<models::LengthAccuracy>& by_length);

// ---- checkpoints, shared with `eval` and `score` --------------------------------------------------

/// The symbol names of a checkpoint: `given` ("a,b,...") when not empty, else the metadata
/// "alphabet" (a JSON list of names, token id = index).  Their number must be the model's
/// vocabulary.  Throws InvalidArgument naming `path`.
std::vector<std::string> checkpoint_alphabet(const models::Checkpoint& ckpt, const std::string& path, const std::string& given);

/// Refuses a checkpoint whose alphabet or outputs are not those of the language or task.
void check_matches(const models::Checkpoint& ckpt, const std::string& path, const std::vector<std::string>& alphabet,
                   const Source& source);

}  // namespace statelab::bridge
