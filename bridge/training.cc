#include "bridge/training.h"

#include <algorithm>
#include <chrono>
#include <iterator>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "models/error.h"
#include "models/safetensors.h"

namespace statelab::bridge {

std::vector<models::Example> model_examples(const std::vector<languages::Example>& examples) {
  std::vector<models::Example> out;
  out.reserve(examples.size());
  for (const auto& e : examples) out.push_back({e.word, {e.label ? 1 : 0}});
  return out;
}

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

TrainedRecognizer train_recognizer(const languages::Language& language, const RecognizerTraining& options) {
  const auto start = std::chrono::steady_clock::now();
  const std::size_t draws = std::max<std::size_t>(options.draws, 1);
  const auto train = model_examples(repeated_draws(language, options.data, draws, options.data.seed));
  const auto validation =
      model_examples(repeated_draws(language, options.data, draws, options.data.seed + kValidationSeedOffset));
  models::ModelConfig config = options.model;
  config.vocab_size = static_cast<int>(language.alphabet().size());
  config.head = models::Head::recognize;
  config.num_outputs = 1;
  auto state = models::make_train_state(config, options.train, models::init_params(config, options.init_seed));
  const auto outcome = models::train_with_validation(state, train, validation, options.early);
  TrainedRecognizer out{ModelRecognizer(config, state.params, language.alphabet()),
                        outcome.best_accuracy,
                        state.step,
                        outcome.best_step,
                        train.size(),
                        validation.size(),
                        0};
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

void save_recognizer(const std::filesystem::path& path, const ModelRecognizer& recognizer, const std::string& language,
                     const std::map<std::string, std::string>& extra) {
  auto metadata = extra;
  metadata["alphabet"] = nlohmann::json(recognizer.vocabulary()).dump();
  metadata["statelab.language"] = language;
  models::save_checkpoint(path, recognizer.config(), recognizer.params(), metadata);
}

}  // namespace statelab::bridge
