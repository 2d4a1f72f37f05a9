// Batching: examples and their targets laid out as a SequenceBatch, checked against the config.
#include "models/model.h"

#include <algorithm>
#include <numeric>

#include "models/error.h"

namespace statelab::models {

namespace {

void check_target(const ModelConfig& c, const Example& e, std::size_t index) {
  const std::size_t len = e.tokens.size();
  auto fail = [&](const std::string& what) {
    throw ModelError("example " + std::to_string(index) + ": " + what);
  };
  switch (c.head) {
    case Head::recognize:
      if (e.target.size() != 1) fail("has " + std::to_string(e.target.size()) + " targets, recognize expects 1");
      if (e.target[0] != 0 && e.target[0] != 1) fail("target is " + std::to_string(e.target[0]) + ", expected 0 or 1");
      break;
    case Head::tag:
      if (e.target.size() != len)
        fail("has " + std::to_string(e.target.size()) + " targets for " + std::to_string(len) + " tokens");
      for (std::size_t t = 0; t < len; ++t)
        if (e.target[t] < -1 || e.target[t] >= c.num_outputs)
          fail("target at position " + std::to_string(t) + " is " + std::to_string(e.target[t]) + ", expected 0.." +
               std::to_string(c.num_outputs - 1) + " or -1 (none)");
      break;
    case Head::seq: {
      if (e.target.size() != len)
        fail("has " + std::to_string(e.target.size()) + " targets for " + std::to_string(len) + " tokens");
      const std::size_t p = output_start(e);
      if (p == len) fail("has no output (every target is -1): seq expects a prompt, then the output");
      for (std::size_t t = p; t < len; ++t)
        if (e.target[t] < 0 || e.target[t] >= c.num_outputs)
          fail("target at position " + std::to_string(t) + " is " + std::to_string(e.target[t]) + ", expected a token 0.." +
               std::to_string(c.num_outputs - 1) + " (the output runs from position " + std::to_string(p) +
               " to the end)");
      for (std::size_t t = p; t + 1 < len; ++t)
        if (static_cast<Token>(e.target[t]) != e.tokens[t + 1])
          fail("target at position " + std::to_string(t) + " is " + std::to_string(e.target[t]) +
               " but the next token is " + std::to_string(e.tokens[t + 1]) +
               ": seq expects teacher forcing (each target is the next input)");
      break;
    }
    case Head::next_set:
      if (e.target.size() != len * c.num_outputs)
        fail("has " + std::to_string(e.target.size()) + " targets, expected length * num_outputs = " +
             std::to_string(len * c.num_outputs));
      for (std::size_t i = 0; i < e.target.size(); ++i)
        if (e.target[i] != 0 && e.target[i] != 1)
          fail("target " + std::to_string(i) + " is " + std::to_string(e.target[i]) + ", expected 0 or 1");
      break;
  }
}

// The targets of the batch's examples, in the batch's order (see make_batch).
template <typename Get>
void fill_targets(const ModelConfig& c, Get get, SequenceBatch& batch) {
  const int B = batch.batch_size, T = batch.max_length;
  const std::size_t n = B;
  for (int b = 0; b < B; ++b) check_target(c, get(batch.order[b]), batch.order[b]);
  switch (c.head) {
    case Head::recognize:
      batch.targets.resize(n);
      for (int b = 0; b < B; ++b) batch.targets[b] = get(batch.order[b]).target[0];
      break;
    case Head::tag:
    case Head::seq:
      batch.targets.assign(static_cast<std::size_t>(T) * B, -1);
      for (int b = 0; b < B; ++b)
        for (int t = 0; t < batch.lengths[b]; ++t)
          batch.targets[static_cast<std::size_t>(t) * B + b] = get(batch.order[b]).target[t];
      break;
    case Head::next_set: {
      const std::size_t K = c.num_outputs;
      batch.targets.assign(static_cast<std::size_t>(T) * B * K, 0);
      for (int b = 0; b < B; ++b)
        for (int t = 0; t < batch.lengths[b]; ++t)
          for (std::size_t k = 0; k < K; ++k)
            batch.targets[(static_cast<std::size_t>(t) * B + b) * K + k] = get(batch.order[b]).target[t * K + k];
      break;
    }
  }
}

}  // namespace

int longest_sequence(const ModelConfig& c) {
  return with_family(architecture(c.cell).family,
                     [&](auto family) { return FamilyOf<decltype(family)::value>::max_length(c); });
}

std::size_t longest_word(const ModelConfig& c) {
  const int longest = longest_sequence(c);
  return longest > 0 ? static_cast<std::size_t>(longest) - (c.end_marker ? 1 : 0) : 0;
}

void check_sequence(const ModelConfig& c, std::size_t index, std::span<const Token> tokens, int length) {
  const int longest = longest_sequence(c);
  if (longest > 0 && length > longest)  // the transformer's learned positions
    throw ModelError("sequence " + std::to_string(index) + " has length " + std::to_string(length) + ", but the " +
                     cell_name(c.cell) + "'s learned positions cover " + std::to_string(longest) +
                     " (its max_length): ask for sequences of at most " + std::to_string(longest) +
                     " tokens, or train with --max-length " + std::to_string(length) + " or more");
  for (std::size_t t = 0; t < tokens.size(); ++t)
    if (tokens[t] >= static_cast<Token>(c.vocab_size))
      throw ModelError("sequence " + std::to_string(index) + " position " + std::to_string(t) + " has token " +
                       std::to_string(tokens[t]) + ", expected < vocab_size " + std::to_string(c.vocab_size));
}

namespace {

// The batch of sequences get(0..n-1), with targets when with_targets.
template <bool with_targets, typename Get>
SequenceBatch build_batch(const ModelConfig& c, std::size_t n, Get get) {
  SequenceBatch batch;
  const int B = static_cast<int>(n);
  batch.batch_size = B;
  batch.order.resize(n);
  std::iota(batch.order.begin(), batch.order.end(), 0);
  std::stable_sort(batch.order.begin(), batch.order.end(),
                   [&](int a, int b) { return get(a).tokens.size() > get(b).tokens.size(); });
  batch.lengths.resize(n);
  const int after = positions_after_word(c);
  for (int b = 0; b < B; ++b) batch.lengths[b] = static_cast<int>(get(batch.order[b]).tokens.size()) + after;
  const int T = B == 0 ? 0 : batch.lengths[0];
  batch.max_length = T;
  batch.active.assign(T, 0);
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < batch.lengths[b]; ++t) ++batch.active[t];
  batch.tokens.assign(static_cast<std::size_t>(T) * B, -1);
  for (int b = 0; b < B; ++b) {
    const auto& e = get(batch.order[b]);
    check_sequence(c, static_cast<std::size_t>(batch.order[b]), e.tokens, batch.lengths[b]);
    for (int t = 0; t < batch.lengths[b] - after; ++t)
      batch.tokens[static_cast<std::size_t>(t) * B + b] = static_cast<std::int32_t>(e.tokens[t]);
    if (after > 0) batch.tokens[static_cast<std::size_t>(batch.lengths[b] - 1) * B + b] = c.vocab_size;  // the end marker
  }
  if constexpr (with_targets) fill_targets(c, get, batch);
  return batch;
}

struct TokensOnly {
  const Sequence& tokens;
};

}  // namespace

SequenceBatch make_batch(const ModelConfig& c, std::span<const Example> examples) {
  return build_batch<true>(c, examples.size(), [&](std::size_t i) -> const Example& { return examples[i]; });
}

SequenceBatch make_batch(const ModelConfig& c, std::span<const Example* const> examples) {
  return build_batch<true>(c, examples.size(), [&](std::size_t i) -> const Example& { return *examples[i]; });
}

SequenceBatch make_batch(const ModelConfig& c, std::span<const Sequence> sequences) {
  return build_batch<false>(c, sequences.size(), [&](std::size_t i) { return TokensOnly{sequences[i]}; });
}

std::int64_t loss_terms(const ModelConfig& c, const SequenceBatch& batch) {
  switch (c.head) {
    case Head::recognize: return batch.batch_size;
    case Head::tag:
    case Head::seq: return std::count_if(batch.targets.begin(), batch.targets.end(), [](std::int32_t y) { return y >= 0; });
    case Head::next_set: break;
  }
  return std::accumulate(batch.lengths.begin(), batch.lengths.end(), std::int64_t{0}) * c.num_outputs;
}

std::size_t output_start(const Example& example) {
  std::size_t p = 0;
  while (p < example.target.size() && example.target[p] == -1) ++p;
  return p;
}

}  // namespace statelab::models
