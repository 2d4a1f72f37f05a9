// `statelab train`, `statelab eval` and `statelab score`: neural models on the catalogue's
// languages and tasks, from the command line.  train builds a dataset (languages/dataset.h, or a
// task's samples), trains a model (models/train.h) and writes a safetensors checkpoint with its
// metadata and a metrics JSON beside it; eval measures a checkpoint's accuracy by length; score
// prints a recognizer's acceptance probability (and hidden states) for words.
//
// The checkpoint metadata keys are bridge/checkpoint_meta.h's.
#pragma once

#include <CLI/CLI.hpp>

namespace statelab::cli {

/// Registers `train`, `eval` and `score` on `app`.  Errors propagate as statelab::Error or
/// statelab::models::ModelError (a DivergenceError when the loss becomes NaN or infinite).
void add_model_commands(CLI::App& app);

}  // namespace statelab::cli
