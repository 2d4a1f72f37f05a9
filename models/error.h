// The exception statelab::models throws for a caller's mistake or bad input: a token outside the
// vocabulary, a target of the wrong size, a checkpoint that is truncated or does not match the
// model, a loss that became NaN or Inf.  Every message names the function or file, the bad value
// and what was expected.  models/ includes nothing from automata/ or languages/; its errors derive
// from the one root statelab::Error (base/error.h), so a caller catching that root sees them too.
#pragma once

#include "base/error.h"

namespace statelab::models {

/// Base of every exception statelab::models throws.
class ModelError : public Error {
 public:
  using Error::Error;
};

/// A checkpoint file that cannot be read, is truncated, malformed, or does not match the model.
class CheckpointError : public ModelError {
 public:
  using ModelError::ModelError;
};

/// Training stopped because the loss (or a gradient) became NaN or infinite.
class DivergenceError : public ModelError {
 public:
  using ModelError::ModelError;
};

}  // namespace statelab::models
