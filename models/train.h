// Training on mini-batches of variable-length sequences, parallel with TBB over the sequences of
// a batch, reproducible bit for bit whatever the number of threads.
//
// Determinism: a mini-batch is cut into chunks of `chunk_size` consecutive examples (a fixed
// cut that does not depend on the thread count); each chunk runs forward and backward into its
// own gradient buffer, in parallel; the buffers are then summed in chunk order on one thread.
// Every floating-point operation therefore happens in the same order with 1 or 64 threads.
//
// A step:  chunks forward/backward (parallel) -> sum in chunk order -> check the loss is finite
// -> clip by global norm -> AdamW at the scheduled learning rate.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "base/random.h"
#include "models/model.h"
#include "models/optim.h"

namespace statelab::models {

struct TrainConfig {
  int steps = 1000;
  int batch_size = 32;
  float lr = 1e-3f;
  int warmup_steps = 0;
  Schedule schedule = Schedule::constant;
  float min_lr = 0.0f;  // cosine: the rate at the last step
  AdamWConfig adamw;
  float clip_norm = 1.0f;  // clip the global gradient norm to this; 0 disables clipping
  std::uint64_t seed = 1;  // the order in which examples are drawn
  int chunk_size = 8;      // examples per parallel work item; part of what the result depends on
};

/// Workspace of one chunk: its batch, cache and gradient buffer, reused from step to step.
struct ChunkWorkspace {
  SequenceBatch batch;
  ModelCache<float> cache;
  ModelGrads<float> grads;
  float loss = 0;
};

struct TrainState {
  ModelConfig config;
  TrainConfig train;
  ModelParams<float> params;
  ModelGrads<float> grads;
  AdamWState adamw;
  std::vector<ChunkWorkspace> chunks;
  std::size_t active_chunks = 0;   // chunks the last compute_gradients used
  std::int64_t step = 0;           // optimiser steps taken
  Random sampler{0};               // draws the order of examples
  std::vector<std::size_t> order;  // the current epoch's permutation of the training set
  std::size_t cursor = 0;          // next position in `order`
};

/// Ready to train `params` (e.g. from init_params).  Throws ModelError for a bad config.
TrainState make_train_state(const ModelConfig& config, const TrainConfig& train, ModelParams<float> params);

struct StepResult {
  float loss = 0;        // mean loss of the mini-batch (before the update)
  double grad_norm = 0;  // global gradient norm before clipping
  float lr = 0;          // learning rate used
};

/// Loss and gradients of the mini-batch into state.grads (mean over the batch's loss terms,
/// as torch's mean-reduced losses), parallel over chunks.  Returns the loss.
float compute_gradients(TrainState& state, std::span<const Example* const> batch);

/// One optimiser step on the given mini-batch.  Throws DivergenceError (parameters unchanged)
/// when the loss or the gradient norm is NaN or infinite.
StepResult train_step(TrainState& state, std::span<const Example* const> batch);

/// The next mini-batch of the training set: consecutive slices of a seeded permutation,
/// reshuffled at each epoch.
std::vector<const Example*> next_batch(TrainState& state, std::span<const Example> data);

/// Fraction of the last mini-batch's examples that the parameters before its update predicted
/// entirely right, read from the forward passes compute_gradients kept (for progress output; seq
/// is judged teacher-forced here).  Time O(batch outputs).
double batch_accuracy(const TrainState& state);

using StepCallback = std::function<void(std::int64_t step, const StepResult& result)>;

/// Runs state.train.steps steps on mini-batches drawn by next_batch.  Calls on_step after each.
/// Returns the last step's result.  Throws DivergenceError as train_step does.
StepResult train(TrainState& state, std::span<const Example> data, const StepCallback& on_step = {});

/// Early stopping on a validation set: evaluate every `every` steps; stop when the validation
/// accuracy reaches `target`, or after `patience` evaluations without improvement (a change of
/// the kept parameters, below, is an improvement; 0: never, the default, as `statelab train`'s).
struct EarlyStopping {
  int every = 100;
  int patience = 0;
  double target = 1.0;
};

/// One evaluation on a validation set: the step it followed, accuracy() and the mean loss.
struct Evaluation {
  std::int64_t step = 0;
  double accuracy = 0;
  double loss = 0;
};

struct TrainOutcome {
  StepResult last;            // the last step taken
  std::int64_t best_step = 0;  // the step whose parameters are kept (0: the initial ones)
  double best_accuracy = 0;    // their validation accuracy
  double best_loss = 0;        // their validation loss (mean, as the training loss)
  bool stopped_early = false;
  double validation_seconds = 0;  // wall-clock time spent evaluating on the validation set
  std::vector<Evaluation> evaluations;  // every evaluation, in order (the first at the start)
};

/// train() with early stopping: at the end state.params are the best ones seen on `validation`:
/// the highest accuracy, and among equal accuracies the lowest validation loss (a later
/// evaluation replaces the kept one only when strictly better, so full ties keep the earlier).
/// Without the loss, a run whose accuracy never leaves its first value (0 on a hard task) would
/// return its initialisation.  Throws DivergenceError as train_step does.
TrainOutcome train_with_validation(TrainState& state, std::span<const Example> data,
                                   std::span<const Example> validation, const EarlyStopping& early,
                                   const StepCallback& on_step = {});

/// Whether each example is predicted entirely right: recognize: (logit > 0) == target; tag: the
/// argmax class at every position with a target; next_set: every bit (logit > 0) at every
/// position; seq: the output greedy_decode generates from the prompt equals the target output
/// (exact match).  Parallel over chunks of 64 examples.  Time O(forward), seq O(output length)
/// forward passes.  With a KV bound (model_forward), from the bounded caches.
std::vector<char> predicted_right(const ModelConfig& config, const ModelParams<float>& params,
                                  std::span<const Example> data, const KvBound* kv = nullptr);

/// The fraction of examples predicted_right.
double accuracy(const ModelConfig& config, const ModelParams<float>& params, std::span<const Example> data);

/// accuracy() and the mean loss over all of data's loss terms (the loss training minimises; seq:
/// teacher-forced), from the same forward pass per chunk of 64 (seq: a decoding and a forward).
/// Parallel; the chunks' losses are added in chunk order, so the result does not depend on the
/// thread count.  step is left 0.
Evaluation evaluate(const ModelConfig& config, const ModelParams<float>& params, std::span<const Example> data);

/// accuracy() per length: (length, examples, fraction right), by increasing length.  The length
/// of example i is lengths[i] when given (e.g. a task's size rather than its token count),
/// otherwise its number of tokens.
struct LengthAccuracy {
  int length = 0;
  std::int64_t examples = 0;
  double accuracy = 0;
};
std::vector<LengthAccuracy> accuracy_by_length(const ModelConfig& config, const ModelParams<float>& params,
                                               std::span<const Example> data, std::span<const int> lengths = {},
                                               const KvBound* kv = nullptr);

}  // namespace statelab::models
