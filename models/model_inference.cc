// Inference: logits, acceptance probabilities, greedy decoding and hidden states of whole sequences.
#include "models/model.h"

#include <algorithm>
#include <cmath>

#include "models/error.h"

namespace statelab::models {

std::vector<Matrix<float>> model_logits(const ModelConfig& c, const ModelParams<float>& p,
                                        std::span<const Sequence> sequences, const KvBound* kv) {
  const SequenceBatch batch = make_batch(c, sequences);
  ModelCache<float> cache;
  model_forward(c, p, batch, cache, kv);
  std::vector<Matrix<float>> out(sequences.size());
  const int B = batch.batch_size;
  for (int b = 0; b < B; ++b) {
    auto& m = out[batch.order[b]];
    if (c.head == Head::recognize) {
      m = cache.logits.col(b);
    } else {
      m.resize(c.num_outputs, batch.lengths[b]);
      for (int t = 0; t < batch.lengths[b]; ++t) m.col(t) = cache.logits.col(t * B + b);
    }
  }
  return out;
}

std::vector<float> accept_probability(const ModelConfig& c, const ModelParams<float>& p,
                                      std::span<const Sequence> sequences, const KvBound* kv) {
  if (c.head != Head::recognize)
    throw ModelError(std::string("accept_probability: the model's head is ") + head_name(c.head) +
                     ", expected recognize");
  const auto logits = model_logits(c, p, sequences, kv);
  std::vector<float> out(logits.size());
  for (std::size_t i = 0; i < logits.size(); ++i) out[i] = 1.0f / (1.0f + std::exp(-logits[i](0, 0)));
  return out;
}

std::vector<Sequence> greedy_decode(const ModelConfig& c, const ModelParams<float>& p, std::span<const Sequence> prompts,
                                    std::span<const int> steps, const KvBound* kv) {
  if (c.head != Head::seq)
    throw ModelError(std::string("decoding needs a sequence head, but the model's head is ") + head_name(c.head));
  if (prompts.size() != steps.size())
    throw ModelError("decoding: " + std::to_string(prompts.size()) + " prompts but " + std::to_string(steps.size()) +
                     " step counts");
  int most = 0;
  for (std::size_t i = 0; i < prompts.size(); ++i) {
    if (prompts[i].empty() && steps[i] > 0) throw ModelError("decoding: prompt " + std::to_string(i) + " is empty");
    if (steps[i] < 0) throw ModelError("decoding: the number of steps for prompt " + std::to_string(i) + " is negative");
    most = std::max(most, steps[i]);
  }
  std::vector<Sequence> current(prompts.begin(), prompts.end()), out(prompts.size());
  std::vector<std::size_t> live;
  std::vector<Sequence> inputs;
  ModelCache<float> cache;
  for (int j = 0; j < most; ++j) {
    live.clear();
    inputs.clear();
    for (std::size_t i = 0; i < prompts.size(); ++i)
      if (steps[i] > j) {
        live.push_back(i);
        inputs.push_back(current[i]);
      }
    const SequenceBatch batch = make_batch(c, std::span<const Sequence>(inputs));
    model_forward(c, p, batch, cache, kv);  // logits (V, T*B)
    for (int b = 0; b < batch.batch_size; ++b) {
      Eigen::Index best;
      cache.logits.col((batch.lengths[b] - 1) * batch.batch_size + b).maxCoeff(&best);
      const std::size_t i = live[batch.order[b]];
      out[i].push_back(static_cast<Token>(best));
      current[i].push_back(static_cast<Token>(best));
    }
  }
  return out;
}

std::vector<Matrix<float>> hidden_states(const ModelConfig& c, const ModelParams<float>& p,
                                         std::span<const Sequence> sequences, const KvBound* kv) {
  const SequenceBatch batch = make_batch(c, sequences);
  ModelCache<float> cache;
  model_forward(c, p, batch, cache, kv);
  const int B = batch.batch_size, H = c.hidden_size;
  std::vector<Matrix<float>> out(sequences.size());
  for (int b = 0; b < B; ++b) {
    auto& m = out[batch.order[b]];
    const int len = batch.lengths[b] - positions_after_word(c);  // the word's positions
    m.resize(static_cast<Eigen::Index>(c.num_layers) * H, len);
    for (int l = 0; l < c.num_layers; ++l)
      for (int t = 0; t < len; ++t) m.block(l * H, t, H, 1) = cache.outputs[l].col(t * B + b);
  }
  return out;
}

}  // namespace statelab::models
