#include "bridge/training.h"

#include <algorithm>
#include <iterator>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "bridge/checkpoint_meta.h"
#include "models/error.h"
#include "models/safetensors.h"

namespace statelab::bridge {

std::vector<languages::Example> repeated_draws(const languages::Language& language, languages::DatasetOptions options,
                                               std::size_t draws, std::uint64_t first_seed) {
  std::vector<languages::Example> out;
  for (std::size_t i = 0; i < draws; ++i) {
    options.seed = first_seed + i;
    auto part = languages::build_dataset(language, options).train;
    out.insert(out.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
  }
  return out;
}

TrainedRecognizer train_recognizer(const RunSpec& spec) {
  if (spec.task != "recognize")
    throw InvalidArgument("training a recognizer: the task of " + spec.lang + " is " + spec.task + ", expected recognize");
  RunResult r = run(spec);
  return {ModelRecognizer(r.config, std::move(r.params), r.alphabet),
          r.validation_accuracy,
          r.steps,
          r.best_step,
          r.train_examples,
          r.validation_examples,
          r.seconds};
}

void save_recognizer(const std::filesystem::path& path, const ModelRecognizer& recognizer, const std::string& language,
                     const std::map<std::string, std::string>& extra) {
  auto metadata = extra;
  for (auto& [key, value] : language_metadata(recognizer.vocabulary(), language)) metadata[key] = std::move(value);
  models::save_checkpoint(path, recognizer.config(), recognizer.params(), metadata);
}

}  // namespace statelab::bridge
