// Training a recognizer on a language of the catalogue: the dataset (languages/dataset.h) turned
// into model examples (symbol i = token i), a recognition LSTM/GRU/RNN trained with early stopping
// on a validation split (models/train.h), and the result as a ModelRecognizer with the checkpoint
// metadata the bridge reads back ("alphabet", "statelab.language", "statelab.metrics").  Used by
// the examples and tests; `statelab train` is the command-line way.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "bridge/recognizer.h"
#include "languages/dataset.h"
#include "models/train.h"

namespace statelab::bridge {

/// Dataset examples as model examples: tokens = symbol ids, target = {label}.
std::vector<models::Example> model_examples(const std::vector<languages::Example>& examples);

/// Where the seeds of independent validation draws start: validation draw i has seed
/// data.seed + kValidationSeedOffset + i, far from the training draws' data.seed + i.
inline constexpr std::uint64_t kValidationSeedOffset = std::uint64_t{1} << 32;

/// The train splits of `draws` datasets with seeds first_seed, first_seed + 1, ..., concatenated
/// in that order (options.seed is ignored).  Each draw's words are distinct and balanced per
/// length (build_dataset); different draws may repeat words, which is how a sparse language gets
/// its few positives more than once.  Time: `draws` times build_dataset's.  Throws what it throws.
std::vector<languages::Example> repeated_draws(const languages::Language& language, languages::DatasetOptions options,
                                               std::size_t draws, std::uint64_t first_seed);

struct RecognizerTraining {
  models::ModelConfig model;          // vocab_size is set from the language
  models::TrainConfig train;
  models::EarlyStopping early;
  /// Training examples: the train splits of `draws` datasets with seeds data.seed, data.seed + 1,
  /// ...; validation: the train splits of `draws` more with seeds data.seed + 2^32 + i
  /// (repeated_draws; `statelab train --train-draws N --validation-independent` is the same recipe).  A sparse
  /// language (Tomita 1 and 2 have one or two words per length) gets only as many positives per
  /// length as it has words, and as many negatives to balance them, from one dataset; several draws
  /// repeat its positives and add distinct negatives.  Validation words are drawn independently of
  /// the training words, so a word may be in both (necessarily so when a length has one positive).
  languages::DatasetOptions data;
  std::size_t draws = 1;
  std::uint64_t init_seed = 1;
};

struct TrainedRecognizer {
  ModelRecognizer recognizer;
  double validation_accuracy = 0;
  std::int64_t steps = 0;        // optimiser steps taken
  std::int64_t best_step = 0;    // the step whose parameters are kept
  std::size_t train_examples = 0, validation_examples = 0;
  double seconds = 0;
};

/// Builds the datasets, trains with early stopping on the validation draws, keeps the best parameters.
/// Deterministic for its seeds (models/train.h).  Throws what build_dataset and train throw.
TrainedRecognizer train_recognizer(const languages::Language& language, const RecognizerTraining& options);

/// Saves the network with metadata "alphabet" (its symbols in token order), "statelab.language"
/// and whatever `extra` adds.  Atomic, as models::save_checkpoint.
void save_recognizer(const std::filesystem::path& path, const ModelRecognizer& recognizer,
                     const std::string& language, const std::map<std::string, std::string>& extra = {});

}  // namespace statelab::bridge
