// Training a recognizer on a language of the catalogue: a run (bridge/run.h) whose result is a
// ModelRecognizer, saved with the checkpoint metadata the bridge reads back ("alphabet",
// "statelab.language", ...); and the repeated draws a run's training set is made of.  Used by
// the examples and tests; `statelab train` is the command-line way to the same run.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "bridge/recognizer.h"
#include "bridge/run.h"
#include "languages/dataset.h"
#include "models/train.h"

namespace statelab::bridge {

/// Where the seeds of independent validation draws start: validation draw i has seed
/// data.seed + kValidationSeedOffset + i, far from the training draws' data.seed + i.
inline constexpr std::uint64_t kValidationSeedOffset = std::uint64_t{1} << 32;

/// The train splits of `draws` datasets with seeds first_seed, first_seed + 1, ..., concatenated
/// in that order (options.seed is ignored).  Each draw's words are distinct and balanced per
/// length (build_dataset); different draws may repeat words, which is how a sparse language gets
/// its few positives more than once.  Time: `draws` times build_dataset's.  Throws what it throws.
std::vector<languages::Example> repeated_draws(const languages::Language& language, languages::DatasetOptions options,
                                               std::size_t draws, std::uint64_t first_seed);

struct TrainedRecognizer {
  ModelRecognizer recognizer;
  double validation_accuracy = 0;
  std::int64_t steps = 0;        // optimiser steps taken
  std::int64_t best_step = 0;    // the step whose parameters are kept
  std::size_t train_examples = 0, validation_examples = 0;
  double seconds = 0;
};

/// Carries out the run (bridge::run, no file written) of a recognizer: spec.task must be
/// recognize and spec.lang a language.  Deterministic for its seeds.  Throws what run throws.
TrainedRecognizer train_recognizer(const RunSpec& spec);

/// Saves the network with metadata "alphabet" (its symbols in token order), "statelab.language"
/// and whatever `extra` adds.  Atomic, as models::save_checkpoint.
void save_recognizer(const std::filesystem::path& path, const ModelRecognizer& recognizer,
                     const std::string& language, const std::map<std::string, std::string>& extra = {});

}  // namespace statelab::bridge
