#include "models/train.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <numeric>
#include <string>

#include "models/error.h"

namespace statelab::models {

namespace {

void add_into(const ModelConfig& config, ModelGrads<float>& into, ModelGrads<float>& from) {
  auto a = named_tensors(config, into);
  auto b = named_tensors(config, from);
  for (std::size_t i = 0; i < a.size(); ++i)
    Eigen::Map<Eigen::ArrayXf>(a[i].data, a[i].size) += Eigen::Map<const Eigen::ArrayXf>(b[i].data, b[i].size);
}

// loss_terms of the whole mini-batch (before it is cut into chunks).
std::int64_t terms_of(const ModelConfig& c, std::span<const Example* const> batch) {
  std::int64_t terms = 0;
  for (const Example* e : batch) {
    switch (c.head) {
      case Head::recognize: ++terms; break;
      case Head::tag:
      case Head::seq: terms += std::count_if(e->target.begin(), e->target.end(), [](std::int32_t y) { return y >= 0; }); break;
      case Head::next_set: terms += static_cast<std::int64_t>(e->tokens.size()) * c.num_outputs; break;
    }
  }
  return terms;
}

}  // namespace

TrainState make_train_state(const ModelConfig& config, const TrainConfig& train, ModelParams<float> params) {
  validate(config);
  if (train.batch_size < 1) throw ModelError("TrainConfig: batch_size is " + std::to_string(train.batch_size) + ", expected >= 1");
  if (train.chunk_size < 1) throw ModelError("TrainConfig: chunk_size is " + std::to_string(train.chunk_size) + ", expected >= 1");
  if (!(train.lr > 0) || !std::isfinite(train.lr)) throw ModelError("TrainConfig: lr is " + std::to_string(train.lr) + ", expected > 0");
  if (train.steps < 0) throw ModelError("TrainConfig: steps is " + std::to_string(train.steps) + ", expected >= 0");
  if (train.clip_norm < 0) throw ModelError("TrainConfig: clip_norm is " + std::to_string(train.clip_norm) + ", expected >= 0 (0 disables)");
  TrainState s;
  s.config = config;
  s.train = train;
  s.params = std::move(params);
  s.grads = zero_params<float>(config);
  s.adamw = make_adamw_state(config);
  s.sampler = Random(train.seed);
  return s;
}

float compute_gradients(TrainState& s, std::span<const Example* const> batch) {
  const ModelConfig& c = s.config;
  const std::size_t cs = static_cast<std::size_t>(s.train.chunk_size);
  const std::size_t n_chunks = (batch.size() + cs - 1) / cs;
  while (s.chunks.size() < n_chunks) s.chunks.push_back({{}, {}, zero_params<float>(c), 0.0f});
  const std::int64_t terms = terms_of(c, batch);
  const float scale = terms > 0 ? 1.0f / static_cast<float>(terms) : 0.0f;

  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n_chunks, 1), [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t k = r.begin(); k < r.end(); ++k) {
      ChunkWorkspace& w = s.chunks[k];
      const std::size_t begin = k * cs, size = std::min(cs, batch.size() - begin);
      w.batch = make_batch(c, batch.subspan(begin, size));
      model_forward(c, s.params, w.batch, w.cache);
      w.loss = model_loss(c, w.batch, w.cache, scale);
      set_zero(c, w.grads);
      model_backward(c, s.params, w.batch, w.cache, w.grads);
    }
  });

  s.active_chunks = n_chunks;
  // The fixed reduction order: chunk 0, 1, 2, ... on this thread.
  set_zero(c, s.grads);
  float loss = 0;
  for (std::size_t k = 0; k < n_chunks; ++k) {
    add_into(c, s.grads, s.chunks[k].grads);
    loss += s.chunks[k].loss;
  }
  return loss;
}

namespace {
// "nan" whatever its sign bit (which differs between instruction sets), "inf" / "-inf", else the number.
std::string describe(double x) { return std::isnan(x) ? "nan" : std::to_string(x); }
}  // namespace

StepResult train_step(TrainState& s, std::span<const Example* const> batch) {
  StepResult result;
  result.loss = compute_gradients(s, batch);
  const double norm = global_norm(s.config, s.grads);
  if (!std::isfinite(result.loss) || !std::isfinite(norm))
    throw DivergenceError("training diverged at step " + std::to_string(s.step + 1) + ": the loss is " +
                          describe(result.loss) + " and the gradient norm " + describe(norm) +
                          "; training stopped, the parameters are those after step " + std::to_string(s.step));
  result.grad_norm = s.train.clip_norm > 0 ? clip_grad_norm(s.config, s.grads, s.train.clip_norm) : norm;
  const LrSchedule schedule{s.train.lr, s.train.warmup_steps, s.train.schedule, s.train.steps, s.train.min_lr};
  result.lr = learning_rate(schedule, s.step);
  adamw_step(s.config, s.train.adamw, result.lr, s.params, s.grads, s.adamw);
  ++s.step;
  return result;
}

std::vector<const Example*> next_batch(TrainState& s, std::span<const Example> data) {
  if (data.empty()) throw ModelError("the training set is empty");
  std::vector<const Example*> batch;
  batch.reserve(s.train.batch_size);
  while (batch.size() < static_cast<std::size_t>(s.train.batch_size)) {
    if (s.cursor >= s.order.size() || s.order.size() != data.size()) {  // a new epoch: reshuffle
      s.order.resize(data.size());
      std::iota(s.order.begin(), s.order.end(), std::size_t{0});
      for (std::size_t i = s.order.size(); i > 1; --i) std::swap(s.order[i - 1], s.order[s.sampler.below(i)]);
      s.cursor = 0;
    }
    batch.push_back(&data[s.order[s.cursor++]]);
  }
  return batch;
}

StepResult train(TrainState& s, std::span<const Example> data, const StepCallback& on_step) {
  StepResult last;
  while (s.step < s.train.steps) {
    const auto batch = next_batch(s, data);
    last = train_step(s, batch);
    if (on_step) on_step(s.step, last);
  }
  return last;
}

namespace {

// Whether the model gets example b of the batch entirely right (cache holds its forward pass).
bool predicted_right(const ModelConfig& c, const SequenceBatch& batch, const ModelCache<float>& cache, int b) {
  const int B = batch.batch_size;
  if (c.head == Head::recognize) return (cache.logits(0, b) > 0) == (batch.targets[b] == 1);
  for (int t = 0; t < batch.lengths[b]; ++t) {
    const auto z = cache.logits.col(t * B + b);
    if (c.head == Head::tag || c.head == Head::seq) {
      const int target = batch.targets[t * B + b];
      if (target < 0) continue;
      Eigen::Index best;
      z.maxCoeff(&best);
      if (best != target) return false;
    } else {
      for (int k = 0; k < c.num_outputs; ++k)
        if ((z(k) > 0) != (batch.targets[(static_cast<std::size_t>(t) * B + b) * c.num_outputs + k] == 1)) return false;
    }
  }
  return true;
}

// seq: whether greedy decoding from each example's prompt reproduces its output exactly.
void decode_right(const ModelConfig& c, const ModelParams<float>& params, std::span<const Example> data, char* right,
                  const KvBound* kv) {
  make_batch(c, data);  // checks every example's layout (a prompt, then a teacher-forced output)
  std::vector<Sequence> prompts;
  std::vector<int> steps;
  for (const Example& e : data) {
    const std::size_t p = output_start(e);
    prompts.emplace_back(e.tokens.begin(), e.tokens.begin() + static_cast<std::ptrdiff_t>(p + 1));
    steps.push_back(static_cast<int>(e.tokens.size() - p));
  }
  const auto outputs = greedy_decode(c, params, prompts, steps, kv);
  for (std::size_t i = 0; i < data.size(); ++i) {
    const std::size_t p = output_start(data[i]);
    bool ok = true;
    for (std::size_t j = 0; j < outputs[i].size(); ++j) ok = ok && static_cast<std::int32_t>(outputs[i][j]) == data[i].target[p + j];
    right[i] = ok;
  }
}

}  // namespace

namespace {

// predicted_right over data; with `losses`, also each chunk's summed loss and its loss terms.
std::vector<char> right_and_losses(const ModelConfig& c, const ModelParams<float>& params, std::span<const Example> data,
                                   const KvBound* kv, std::vector<std::pair<double, std::int64_t>>* losses) {
  if (kv) validate(c, *kv);  // once, before the parallel chunks
  constexpr std::size_t kChunk = 64;
  std::vector<char> right(data.size(), 0);
  const std::size_t n_chunks = (data.size() + kChunk - 1) / kChunk;
  if (losses) losses->assign(n_chunks, {0.0, 0});
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n_chunks, 1), [&](const tbb::blocked_range<std::size_t>& r) {
    ModelCache<float> cache;
    for (std::size_t k = r.begin(); k < r.end(); ++k) {
      const std::size_t begin = k * kChunk, size = std::min(kChunk, data.size() - begin);
      if (c.head == Head::seq) decode_right(c, params, data.subspan(begin, size), right.data() + begin, kv);
      if (c.head == Head::seq && !losses) continue;
      const SequenceBatch batch = make_batch(c, data.subspan(begin, size));
      model_forward(c, params, batch, cache, kv);
      if (c.head != Head::seq)
        for (int b = 0; b < batch.batch_size; ++b) right[begin + batch.order[b]] = predicted_right(c, batch, cache, b);
      if (losses) (*losses)[k] = {static_cast<double>(model_loss(c, batch, cache, 1.0f)), loss_terms(c, batch)};
    }
  });
  return right;
}

// The fraction of the examples predicted entirely right (0 for none).
double fraction_right(const std::vector<char>& right) {
  if (right.empty()) return 0.0;
  return static_cast<double>(std::count(right.begin(), right.end(), 1)) / static_cast<double>(right.size());
}

}  // namespace

std::vector<char> predicted_right(const ModelConfig& c, const ModelParams<float>& params, std::span<const Example> data,
                                  const KvBound* kv) {
  return right_and_losses(c, params, data, kv, nullptr);
}

Evaluation evaluate(const ModelConfig& c, const ModelParams<float>& params, std::span<const Example> data) {
  Evaluation e;
  if (data.empty()) return e;
  std::vector<std::pair<double, std::int64_t>> losses;
  const auto right = right_and_losses(c, params, data, nullptr, &losses);
  e.accuracy = fraction_right(right);
  double sum = 0;
  std::int64_t terms = 0;
  for (const auto& [loss, n] : losses) {  // chunk order: the same sum whatever the threads
    sum += loss;
    terms += n;
  }
  e.loss = terms > 0 ? sum / static_cast<double>(terms) : 0.0;
  return e;
}

double batch_accuracy(const TrainState& s) {
  std::int64_t examples = 0, right = 0;
  for (std::size_t k = 0; k < s.active_chunks; ++k) {
    const ChunkWorkspace& w = s.chunks[k];
    for (int b = 0; b < w.batch.batch_size; ++b) right += predicted_right(s.config, w.batch, w.cache, b);
    examples += w.batch.batch_size;
  }
  return examples ? static_cast<double>(right) / static_cast<double>(examples) : 0.0;
}

double accuracy(const ModelConfig& c, const ModelParams<float>& params, std::span<const Example> data) {
  return data.empty() ? 0.0 : fraction_right(predicted_right(c, params, data));
}

std::vector<LengthAccuracy> accuracy_by_length(const ModelConfig& c, const ModelParams<float>& params,
                                               std::span<const Example> data, std::span<const int> lengths,
                                               const KvBound* kv) {
  if (!lengths.empty() && lengths.size() != data.size())
    throw ModelError("accuracy_by_length: " + std::to_string(lengths.size()) + " lengths for " +
                     std::to_string(data.size()) + " examples");
  const auto right = predicted_right(c, params, data, kv);
  std::map<int, std::pair<std::int64_t, std::int64_t>> counts;  // length -> (examples, right)
  for (std::size_t i = 0; i < data.size(); ++i) {
    auto& [n, ok] = counts[lengths.empty() ? static_cast<int>(data[i].tokens.size()) : lengths[i]];
    ++n;
    ok += right[i];
  }
  std::vector<LengthAccuracy> out;
  for (const auto& [length, nk] : counts)
    out.push_back({length, nk.first, static_cast<double>(nk.second) / static_cast<double>(nk.first)});
  return out;
}

TrainOutcome train_with_validation(TrainState& s, std::span<const Example> data, std::span<const Example> validation,
                                   const EarlyStopping& early, const StepCallback& on_step) {
  if (early.every < 1) throw ModelError("EarlyStopping: every is " + std::to_string(early.every) + ", expected >= 1");
  TrainOutcome outcome;
  using Clock = std::chrono::steady_clock;
  auto validate_now = [&] {
    const auto start = Clock::now();
    Evaluation e = evaluate(s.config, s.params, validation);
    e.step = s.step;
    outcome.validation_seconds += std::chrono::duration<double>(Clock::now() - start).count();
    outcome.evaluations.push_back(e);
    return e;
  };
  const Evaluation first = validate_now();
  outcome.best_step = s.step;
  outcome.best_accuracy = first.accuracy;
  outcome.best_loss = first.loss;
  ModelParams<float> best = s.params;
  int stale = 0;
  while (s.step < s.train.steps && outcome.best_accuracy < early.target) {
    const auto batch = next_batch(s, data);
    outcome.last = train_step(s, batch);
    if (on_step) on_step(s.step, outcome.last);
    if (s.step % early.every != 0 && s.step != s.train.steps) continue;
    const Evaluation e = validate_now();
    // Accuracy first; on equal accuracy the lower loss, so that a run stuck at one accuracy
    // (0 on a hard task) keeps its best-fitting parameters, not its initialisation.
    if (e.accuracy > outcome.best_accuracy || (e.accuracy == outcome.best_accuracy && e.loss < outcome.best_loss)) {
      outcome.best_accuracy = e.accuracy;
      outcome.best_loss = e.loss;
      outcome.best_step = s.step;
      best = s.params;
      stale = 0;
    } else if (early.patience > 0 && ++stale >= early.patience) {
      break;
    }
  }
  outcome.stopped_early = s.step < s.train.steps;
  s.params = std::move(best);
  return outcome;
}

}  // namespace statelab::models
