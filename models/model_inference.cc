// Inference: logits, acceptance probabilities, greedy decoding and hidden states of whole sequences.
#include "models/model.h"

#include <algorithm>
#include <cmath>

#include "models/error.h"
#include "models/kv_cache.h"
#include "models/transformer.h"

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

namespace {

// Greedy decoding by a forward pass over the whole prefix for every new token: the definition,
// kept for the recurrent and state-space models, whose pass is linear in the prefix (a seq model
// is causal: model_config.cc).
std::vector<Sequence> decode_by_full_passes(const ModelConfig& c, const ModelParams<float>& p,
                                            std::span<const Sequence> prompts, std::span<const int> steps,
                                            const KvBound* kv, int most) {
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

// Greedy decoding of a causal transformer one token at a time.  Causality makes position t's
// q, k, v the same whatever follows, so each layer keeps them for every position fed so far
// (and, under a KV bound, which of them its cache still holds, kv_attention_step), and a token
// goes through the blocks as one column attending to the entries held: O(L (D (4D + 2F) + (t + 1) D))
// at position t (O(L D (4D + 2F + K)) bounded) where a pass over the prefix costs t times more.
// The arithmetic is the full forward's per column but attention's sums, taken in another order
// (equal up to rounding, so an argmax may differ only on a near-tie of the logits).
std::vector<Sequence> decode_transformer_incrementally(const ModelConfig& c, const ModelParams<float>& p,
                                                       std::span<const Sequence> prompts, std::span<const int> steps,
                                                       const KvBound* kv) {
  if (kv) validate(c, *kv);
  const KvBound bound = kv ? *kv : KvBound{};
  const AttentionSpec spec = attention_spec(c);
  const int L = c.num_layers, D = c.hidden_size;
  const std::size_t n = prompts.size();
  // Sequence i feeds its prompt and every generated token but the last: fed[i] positions.
  std::vector<int> fed(n, 0);
  int rounds = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (steps[i] == 0) continue;
    fed[i] = static_cast<int>(prompts[i].size()) + steps[i] - 1;
    rounds = std::max(rounds, fed[i]);
    check_sequence(c, i, prompts[i], fed[i]);  // what make_batch would say of the last prefix
  }
  Matrix<float> sinusoid;
  if (c.positional == Positional::sinusoidal) sinusoidal_positions(D, rounds, sinusoid);
  std::vector<std::vector<Matrix<float>>> qkv(n);       // [i][l] (3D, fed[i]): position t's q, k, v in column t
  std::vector<std::vector<KvState<float>>> states(n);  // [i][l]
  for (std::size_t i = 0; i < n; ++i) {
    if (fed[i] == 0) continue;
    qkv[i].assign(L, Matrix<float>(3 * D, fed[i]));
    states[i].resize(L);
  }
  std::vector<Sequence> out(n);
  std::vector<std::size_t> live;
  SequenceBatch step;  // one column per live sequence
  Matrix<float> embedded, projected, normed, logits;
  std::vector<Matrix<float>> outputs(L);
  std::vector<TransformerBlockCache<float>> blocks(L);
  LayerNormCache<float> final_norm;
  for (int t = 0; t < rounds; ++t) {
    live.clear();
    for (std::size_t i = 0; i < n; ++i)
      if (t < fed[i]) live.push_back(i);
    const int B = static_cast<int>(live.size());
    step.batch_size = B;
    step.max_length = 1;
    step.lengths.assign(B, 1);
    step.active.assign(1, B);
    step.order.resize(B);
    step.tokens.resize(B);
    for (int b = 0; b < B; ++b) {
      const std::size_t i = live[b];
      const std::size_t prompt = prompts[i].size();
      step.order[b] = b;
      step.tokens[b] = static_cast<std::int32_t>(static_cast<std::size_t>(t) < prompt ? prompts[i][t] : out[i][t - prompt]);
    }
    embedding_forward(p.embedding, step, embedded);
    linear_forward(p.input_proj, embedded, projected);
    if (c.positional == Positional::learned) projected.colwise() += p.positions.weight.col(t);
    if (c.positional == Positional::sinusoidal) projected.colwise() += sinusoid.col(t);
    for (int l = 0; l < L; ++l) {
      const Matrix<float>& x = l == 0 ? projected : outputs[l - 1];
      auto& block = blocks[l];
      transformer_block_qkv(p.blocks[l], x, block);
      block.context.resize(D, B);
      for (int b = 0; b < B; ++b) {
        const std::size_t i = live[b];
        qkv[i][l].col(t) = block.qkv.col(b);
        kv_attention_step<float>(spec, bound, qkv[i][l], 1, 0, t, states[i][l], block.context.col(b));
      }
      transformer_block_finish(c.ffn_activation, p.blocks[l], step, x, block, outputs[l]);
    }
    layer_norm_forward(p.final_norm, outputs.back(), final_norm, normed);
    linear_forward(p.head, normed, logits);  // (V, B)
    for (int b = 0; b < B; ++b) {
      const std::size_t i = live[b];
      if (static_cast<std::size_t>(t) + 1 < prompts[i].size()) continue;  // still reading the prompt
      Eigen::Index best;
      logits.col(b).maxCoeff(&best);
      out[i].push_back(static_cast<Token>(best));
    }
  }
  return out;
}

}  // namespace

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
  if (c.cell == Cell::transformer)  // a seq head is causal and reads no end marker (validate)
    return decode_transformer_incrementally(c, p, prompts, steps, kv);
  return decode_by_full_passes(c, p, prompts, steps, kv, most);
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
