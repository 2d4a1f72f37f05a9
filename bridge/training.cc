#include "bridge/training.h"

#include <algorithm>
#include <chrono>

#include <nlohmann/json.hpp>

#include "automata/error.h"
#include "models/error.h"
#include "models/safetensors.h"

namespace statelab::bridge {

std::vector<models::Example> model_examples(const std::vector<languages::Example>& examples) {
  std::vector<models::Example> out;
  out.reserve(examples.size());
  for (const auto& e : examples) out.push_back({e.word, {e.label ? 1 : 0}});
  return out;
}

TrainedRecognizer train_recognizer(const languages::Language& language, const RecognizerTraining& options) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<models::Example> train, validation;
  for (std::size_t i = 0; i < std::max<std::size_t>(options.draws, 1); ++i) {
    auto data = options.data;
    data.seed = options.data.seed + i;
    auto part = model_examples(languages::build_dataset(language, data).train);
    train.insert(train.end(), part.begin(), part.end());
    data.seed = options.data.seed + (std::uint64_t{1} << 32) + i;
    part = model_examples(languages::build_dataset(language, data).train);
    validation.insert(validation.end(), part.begin(), part.end());
  }
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
  try {
    models::save_checkpoint(path, recognizer.config(), recognizer.params(), metadata);
  } catch (const models::ModelError& e) {
    throw IoError(e.what());
  }
}

}  // namespace statelab::bridge
