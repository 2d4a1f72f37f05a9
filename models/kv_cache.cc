#include "models/kv_cache.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "models/error.h"
#include "models/model.h"

namespace statelab::models {

const char* kv_policy_name(KvPolicy policy) {
  switch (policy) {
    case KvPolicy::window: return "window";
    case KvPolicy::sink: return "sink";
    case KvPolicy::tova: return "tova";
    case KvPolicy::h2o: return "h2o";
  }
  return "?";
}

KvPolicy parse_kv_policy(std::string_view name) {
  for (KvPolicy p : {KvPolicy::window, KvPolicy::sink, KvPolicy::tova, KvPolicy::h2o})
    if (name == kv_policy_name(p)) return p;
  throw ModelError("KV cache policy '" + std::string(name) + "' is unknown (expected window, sink, tova or h2o)");
}

int sink_entries(const KvBound& bound) {
  return bound.sink >= 0 ? bound.sink : std::max(0, std::min(kDefaultSinkEntries, bound.capacity - 1));
}

std::string to_string(const KvBound& bound) {
  if (bound.capacity == 0) return "unbounded";
  std::string s = std::string(kv_policy_name(bound.policy)) + " K=" + std::to_string(bound.capacity);
  if (bound.policy == KvPolicy::sink) s += " s=" + std::to_string(sink_entries(bound));
  return s;
}

void validate(const KvBound& bound, const AttentionSpec& spec) {
  if (bound.capacity < 0)
    throw ModelError("KV cache: capacity " + std::to_string(bound.capacity) + " (expected entries >= 1, or 0 for unbounded)");
  if (bound.sink < -1 || (bound.capacity > 0 && bound.sink >= bound.capacity))
    throw ModelError("KV cache: sink " + std::to_string(bound.sink) + " (expected 0.." +
                     std::to_string(std::max(0, bound.capacity - 1)) + ": fewer than the " +
                     std::to_string(bound.capacity) + " entries)");
  if (!spec.causal)
    throw ModelError("KV cache: the transformer is not causal (every position attends to the whole sequence), "
                     "so it cannot be decoded token by token");
}

void validate(const ModelConfig& config, const KvBound& bound) {
  if (config.cell != Cell::transformer)
    throw ModelError(std::string("KV cache: the model is ") + cell_name(config.cell) +
                     ", not a transformer (only a transformer's attention has a key-value cache to bound)");
  if (!config.causal)
    throw ModelError("KV cache: the transformer is not causal (every position attends to the whole sequence), "
                     "so it cannot be decoded token by token");
  validate(bound, attention_spec(config));
}

namespace {

// The index (in the cache, oldest first) of the entry the policy drops.  weight: this step's
// attention weight of each entry averaged over the heads; accumulated: h2o's sums.
std::size_t victim(const KvBound& bound, const std::vector<double>& weight, const std::vector<double>& accumulated) {
  switch (bound.policy) {
    case KvPolicy::window: return 0;
    case KvPolicy::sink: return static_cast<std::size_t>(sink_entries(bound));
    case KvPolicy::tova: return static_cast<std::size_t>(std::min_element(weight.begin(), weight.end()) - weight.begin());
    case KvPolicy::h2o:
      return static_cast<std::size_t>(std::min_element(accumulated.begin(), accumulated.end()) - accumulated.begin());
  }
  return 0;
}

}  // namespace

template <typename T>
int kv_attention_step(const AttentionSpec& spec, const KvBound& bound, const Matrix<T>& qkv, Eigen::Index stride,
                      Eigen::Index offset, int t, KvState<T>& state, Eigen::Ref<Vector<T>> out) {
  const int A = spec.num_heads, K = bound.capacity;
  const Eigen::Index D = qkv.rows() / 3, dh = D / A;
  const T scale = T(1) / std::sqrt(static_cast<T>(dh));
  auto column = [&](int p) { return qkv.col(static_cast<Eigen::Index>(p) * stride + offset); };
  state.held.push_back(t);
  state.accumulated.push_back(0.0);
  const std::size_t m = state.held.size();
  state.weight.assign(m, 0.0);
  const auto q = column(t);
  Vector<T>& s = state.scores;
  s.resize(static_cast<Eigen::Index>(m));
  for (int h = 0; h < A; ++h) {
    const T slope = static_cast<T>(spec.slopes[h]);
    const int w = spec.windows[h];
    T top = -std::numeric_limits<T>::infinity();
    for (std::size_t i = 0; i < m; ++i) {
      const int p = state.held[i];
      if ((w > 0 && p <= t - w) || (spec.strict && p == t)) {  // masked: probability exactly 0
        s(static_cast<Eigen::Index>(i)) = -std::numeric_limits<T>::infinity();
        continue;
      }
      const auto k = column(p).segment(D + h * dh, dh);
      T v = scale * k.dot(q.segment(h * dh, dh));
      if (slope != T(0)) v -= slope * static_cast<T>(std::abs(p - t));
      s(static_cast<Eigen::Index>(i)) = v;
      top = std::max(top, v);
    }
    auto oh = out.segment(h * dh, dh);
    oh.setZero();
    if (top == -std::numeric_limits<T>::infinity()) continue;  // no key (strict, t = 0): output 0
    s = (s.array() - top).exp().matrix();  // exp(-inf) = 0 for the masked entries
    s /= s.sum();
    for (std::size_t i = 0; i < m; ++i) {
      const T pi = s(static_cast<Eigen::Index>(i));
      if (pi == T(0)) continue;
      oh += pi * column(state.held[i]).segment(2 * D + h * dh, dh);
      state.weight[i] += static_cast<double>(pi) / A;
    }
  }
  for (std::size_t i = 0; i < m; ++i) state.accumulated[i] += state.weight[i];
  if (K == 0 || static_cast<int>(m) <= K) return -1;
  const std::size_t v = victim(bound, state.weight, state.accumulated);
  const int dropped = state.held[v];
  state.held.erase(state.held.begin() + static_cast<std::ptrdiff_t>(v));
  state.accumulated.erase(state.accumulated.begin() + static_cast<std::ptrdiff_t>(v));
  return dropped;
}

template <typename T>
void kv_attention_forward(const AttentionSpec& spec, const KvBound& bound, const SequenceBatch& batch,
                          const Matrix<T>& qkv, Matrix<T>& context, std::vector<std::vector<int>>* evicted) {
  validate(bound, spec);
  const int A = spec.num_heads, B = batch.batch_size;
  const Eigen::Index D3 = qkv.rows(), D = D3 / 3, dh = D / A;
  assert(D3 == 3 * D && D == dh * A && qkv.cols() == batch.columns());
  (void)dh;
  context.resize(D, qkv.cols());
  zero_padding(batch, context);
  if (evicted) evicted->assign(B, {});
  KvState<T> state;
  for (int b = 0; b < B; ++b) {
    state.held.clear();
    state.accumulated.clear();
    for (int t = 0; t < batch.lengths[b]; ++t) {
      const int dropped = kv_attention_step<T>(spec, bound, qkv, B, b, t, state,
                                            context.col(static_cast<Eigen::Index>(t) * B + b));
      if (evicted) (*evicted)[b].push_back(dropped);
    }
  }
}

#define STATELAB_INSTANTIATE(T)                                                                                  \
  template void kv_attention_forward(const AttentionSpec&, const KvBound&, const SequenceBatch&, const Matrix<T>&, \
                                     Matrix<T>&, std::vector<std::vector<int>>*);                                \
  template int kv_attention_step(const AttentionSpec&, const KvBound&, const Matrix<T>&, Eigen::Index,             \
                                 Eigen::Index, int, KvState<T>&, Eigen::Ref<Vector<T>>);
STATELAB_INSTANTIATE(float)
STATELAB_INSTANTIATE(double)
#undef STATELAB_INSTANTIATE

}  // namespace statelab::models
