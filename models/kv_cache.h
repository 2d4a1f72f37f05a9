// The causal transformer as a bounded multi-state RNN (Oren et al. 2024): attention decoded one
// token at a time against a per-layer key-value cache of at most K entries, with an eviction
// policy choosing which entry to drop when the cache overflows.
//
// Step t of one layer and one sequence (the token at position t, its query q_t, key k_t, value v_t):
//   1. the entry (t, k_t, v_t) is added to the layer's cache;
//   2. q_t attends, per head, to every entry then held (at most K + 1: the K kept from before and
//      its own), with the masks and biases of the full forward (transformer.h) computed from each
//      entry's ORIGINAL position p: ALiBi -m_h |t - p|, a hard-ALiBi window t - w < p; learned and
//      sinusoidal positions were added at the input, so they are the token's own index;
//   3. if the cache holds more than K entries, the policy drops one:
//        window  the oldest entry (the cache keeps the K most recent);
//        sink    the oldest entry after the first s (StreamingLLM, Xiao et al. 2024: the first s
//                tokens, the "attention sinks", stay forever; s = KvBound::sink, by default
//                min(4, K - 1));
//        tova    the entry whose attention weight from q_t, averaged over the heads, is lowest
//                (Oren et al. 2024; the new entry itself may be dropped);
//        h2o     the entry with the lowest accumulated attention (Zhang et al. 2023): the sum,
//                over every step since the entry was added (that step included, this one too),
//                of its weight from that step's query averaged over the heads.  (H2O's paper
//                also reserves half the budget for the most recent tokens; this is the plain
//                "heavy hitter" rule.)
//      Ties go to the oldest entry (lowest position).
// Each layer's cache evicts independently, from its own attention weights.  With K >= the length,
// or K = 0 (unbounded), nothing is evicted and the outputs are the full causal forward's.
//
// The cache is simulated on the full (3D, N) projection: it holds positions (indices of qkv's
// columns), never copies of keys and values, so the layer costs O(len (K + 1) D) per sequence
// instead of O(len^2 D), and O(K) memory beyond the projection.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "models/tensor.h"
#include "models/transformer.h"

namespace statelab::models {

/// Which entry a full cache drops (see above).
enum class KvPolicy { window, sink, tova, h2o };

/// "window", "sink", "tova", "h2o".
const char* kv_policy_name(KvPolicy policy);
/// The policy kv_policy_name calls `name`; throws ModelError listing the names.
KvPolicy parse_kv_policy(std::string_view name);

/// The sink policy's default number of first entries kept (StreamingLLM keeps 4).
inline constexpr int kDefaultSinkEntries = 4;

/// A bound on every layer's KV cache.
struct KvBound {
  int capacity = 0;                   // K entries per layer; 0: unbounded
  KvPolicy policy = KvPolicy::window;
  int sink = -1;                      // sink: first entries kept, 0..K-1; -1: min(4, K - 1)
  friend bool operator==(const KvBound&, const KvBound&) = default;
};

/// The first entries the sink policy keeps: sink, or min(kDefaultSinkEntries, K - 1) when -1.
int sink_entries(const KvBound& bound);

/// "tova K=8", "sink K=8 s=4", "unbounded".
std::string to_string(const KvBound& bound);

/// Throws ModelError naming the field when the bound is malformed (capacity < 0, sink outside
/// -1..K-1) or the attention it would bound is not causal.
void validate(const KvBound& bound, const AttentionSpec& spec);

/// One sequence's cache of one layer, carried from step to step.
template <typename T>
struct KvState {
  std::vector<int> held;            // positions in the cache, oldest first
  std::vector<double> accumulated;  // per entry: h2o's sum of weights
  std::vector<double> weight;       // workspace: this step's mean weight per entry
  Vector<T> scores;                 // workspace: one head's scores
};

/// Step t of one sequence (spec causal, bound validated): adds entry t to `state`, writes the
/// attention output of query t against the entries held (every head, D numbers) to `out`, then
/// lets the policy drop one when more than bound.capacity are held.  Position p's q, k, v are
/// column p * stride + offset of qkv (3D, ...).  Returns the position dropped, -1 for none.
/// Time O((K + 1) D), or O((t + 1) D) unbounded.
template <typename T>
int kv_attention_step(const AttentionSpec& spec, const KvBound& bound, const Matrix<T>& qkv, Eigen::Index stride,
                      Eigen::Index offset, int t, KvState<T>& state, Eigen::Ref<Vector<T>> out);

/// The same as attention_forward (causal spec only) but step by step against a cache of
/// bound.capacity entries per sequence (0: unbounded): context (D, N) is the attention output of
/// every head at every non-padding column, zero in padding.  When `evicted` is given, (*evicted)[b]
/// lists, for each step t of batch column b, the position dropped at that step (-1: none).
/// Time O(Σ_b len_b (K + 1) D); memory O(K) beyond the output.
template <typename T>
void kv_attention_forward(const AttentionSpec& spec, const KvBound& bound, const SequenceBatch& batch,
                          const Matrix<T>& qkv, Matrix<T>& context, std::vector<std::vector<int>>* evicted = nullptr);

}  // namespace statelab::models
