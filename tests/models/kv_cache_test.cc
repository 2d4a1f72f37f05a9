// The transformer as a bounded multi-state RNN (models/kv_cache.h): token-by-token decoding with an
// unbounded cache is the full causal forward, a bound at least the length changes nothing, and each
// eviction policy drops what its definition says on cases computed by hand.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <vector>

#include "models/error.h"
#include "models/kv_cache.h"
#include "models/model.h"
#include "models/train.h"
#include "tests/models/model_test_util.h"

namespace statelab::models {
namespace {

using testing::perturbed_params;
using testing::random_examples;

const Positional kAllPositional[] = {Positional::none, Positional::learned, Positional::sinusoidal, Positional::alibi,
                                     Positional::hard_alibi};
const Head kAllHeads[] = {Head::recognize, Head::tag, Head::next_set, Head::seq};
const KvPolicy kAllPolicies[] = {KvPolicy::window, KvPolicy::sink, KvPolicy::tova, KvPolicy::h2o};

ModelConfig transformer(Positional positional, Head head) {
  ModelConfig c = testing::small_transformer(positional, true);
  c.max_length = 24;
  c.head = head;
  c.num_outputs = head == Head::recognize ? 1 : head == Head::seq ? c.vocab_size : 3;
  return c;
}

// The largest difference between the two forwards' outputs of every block and logits.
double max_difference(const ModelCache<double>& a, const ModelCache<double>& b) {
  double d = (a.logits - b.logits).cwiseAbs().maxCoeff();
  for (std::size_t l = 0; l < a.outputs.size(); ++l) d = std::max(d, (a.outputs[l] - b.outputs[l]).cwiseAbs().maxCoeff());
  return d;
}

TEST(KvCache, UnboundedDecodingIsTheFullCausalForwardForEveryHeadAndPosition) {
  for (Positional positional : kAllPositional)
    for (Head head : kAllHeads) {
      const ModelConfig c = transformer(positional, head);
      const auto params = perturbed_params(c, 3);
      const auto examples = random_examples(c, 6, 1, 20, 11);
      const SequenceBatch batch = make_batch(c, examples);
      ModelCache<double> full, step;
      model_forward(c, params, batch, full);
      const KvBound unbounded{};
      model_forward(c, params, batch, step, &unbounded);
      EXPECT_LE(max_difference(full, step), 1e-12) << positional_name(positional) << " " << head_name(head);
    }
}

TEST(KvCache, UnboundedAndBoundedDecodingFollowStrictMasking) {
  // Strict masking (position 0 attends to nothing): the cache's decoding is the full forward's, and
  // a bound of at least the length changes nothing, under every policy.
  for (Positional positional : kAllPositional) {
    ModelConfig c = transformer(positional, Head::tag);
    c.strict_mask = true;
    const auto params = perturbed_params(c, 5);
    const auto examples = random_examples(c, 6, 1, 12, 13);
    const SequenceBatch batch = make_batch(c, examples);
    ModelCache<double> full, step;
    model_forward(c, params, batch, full);
    for (KvPolicy policy : kAllPolicies) {
      const KvBound bound{policy == KvPolicy::window ? 0 : 12, policy, -1};
      model_forward(c, params, batch, step, &bound);
      EXPECT_LE(max_difference(full, step), 1e-12) << positional_name(positional) << " " << kv_policy_name(policy);
    }
  }
}

// A bound of at least the length never evicts: every policy gives the full forward.
RC_GTEST_PROP(KvCache, ABoundOfAtLeastTheLengthChangesNothing, ()) {
  const Positional positional = *rc::gen::elementOf(std::vector<Positional>(std::begin(kAllPositional), std::end(kAllPositional)));
  const Head head = *rc::gen::elementOf(std::vector<Head>(std::begin(kAllHeads), std::end(kAllHeads)));
  const KvPolicy policy = *rc::gen::elementOf(std::vector<KvPolicy>(std::begin(kAllPolicies), std::end(kAllPolicies)));
  const int longest = *rc::gen::inRange(1, 20);
  const KvBound bound{longest + *rc::gen::inRange(0, 4), policy, -1};
  const ModelConfig c = transformer(positional, head);
  const auto params = perturbed_params(c, *rc::gen::inRange<std::uint64_t>(0, 1000));
  const auto examples = random_examples(c, 4, 1, longest, *rc::gen::inRange<std::uint64_t>(0, 1000));
  const SequenceBatch batch = make_batch(c, examples);
  ModelCache<double> full, bounded;
  model_forward(c, params, batch, full);
  model_forward(c, params, batch, bounded, &bound);
  RC_ASSERT(max_difference(full, bounded) <= 1e-12);
}

// When every head is hard-windowed to the last w keys, a window cache with K + 1 >= w holds every
// key a query may read (K kept + its own): decoding is exact, which needs each entry's true position.
TEST(KvCache, AWindowCacheCoveringEveryHardWindowIsExact) {
  ModelConfig c = transformer(Positional::hard_alibi, Head::tag);
  c.hard_alibi_heads = c.num_heads;
  c.hard_alibi_window = 4;
  const auto params = perturbed_params(c, 7);
  const auto examples = random_examples(c, 5, 10, 20, 3);
  const SequenceBatch batch = make_batch(c, examples);
  ModelCache<double> full, bounded, too_small;
  model_forward(c, params, batch, full);
  const KvBound window{3, KvPolicy::window, -1}, smaller{2, KvPolicy::window, -1};
  model_forward(c, params, batch, bounded, &window);
  EXPECT_LE(max_difference(full, bounded), 1e-12);
  model_forward(c, params, batch, too_small, &smaller);
  EXPECT_GT(max_difference(full, too_small), 1e-6);  // the bound does bite
}

// One sequence, one head of width 1 (scale 1): the score of key i from query t is q_t k_i.
struct HandCase {
  SequenceBatch batch;
  Matrix<double> qkv;  // (3A, n): rows q (A), k (A), v (A)
  AttentionSpec spec;
};

HandCase hand_case(const std::vector<std::vector<double>>& q, const std::vector<std::vector<double>>& k) {
  HandCase h;
  const int A = static_cast<int>(q.size()), n = static_cast<int>(q[0].size());
  h.batch.batch_size = 1;
  h.batch.max_length = n;
  h.batch.lengths = {n};
  h.batch.active.assign(n, 1);
  h.batch.order = {0};
  h.batch.tokens.assign(n, 0);
  h.qkv.resize(3 * A, n);
  for (int a = 0; a < A; ++a)
    for (int t = 0; t < n; ++t) {
      h.qkv(a, t) = q[a][t];
      h.qkv(A + a, t) = k[a][t];
      h.qkv(2 * A + a, t) = t + 1;
    }
  h.spec = attention_spec(A, true, Positional::none, 0, 0);
  return h;
}

std::vector<int> evictions(const HandCase& h, KvBound bound) {
  std::vector<std::vector<int>> evicted;
  Matrix<double> context;
  kv_attention_forward(h.spec, bound, h.batch, h.qkv, context, &evicted);
  return evicted.at(0);
}

// K = 2, keys k = (1, -1, 0.5, 0, 0), queries q = (0, 3, 3, -3, 0).  Weights (softmax of q_t k_i over
// the entries held, oldest first):
//   t = 1: {0, 1}: scores (3, -3): (.9975, .0025)                      -- 2 entries, nothing dropped
//   t = 2: {0, 1, 2}: scores (3, -3, 1.5): (.816, .002, .182)
//          window drops 0 (oldest); sink s = 1 keeps 0, drops 1; tova drops 1 (.002);
//          h2o sums (1 + .9975 + .816, .0025 + .002, .182): drops 1
//   t = 3: window {1, 2, 3}: drops 1;  sink {0, 2, 3}: drops 2;
//          tova / h2o {0, 2, 3}: scores (-3, -1.5, 0): (.039, .175, .786): tova drops 0;
//          h2o sums (2.853, .357, .786): drops 2
//   t = 4: q = 0, every weight equal: window {2, 3, 4} drops 2; sink {0, 3, 4} drops 3;
//          tova {2, 3, 4}: a three-way tie, the oldest (2) goes; h2o {0, 3, 4} sums
//          (3.19, .786 + 1/3, 1/3): drops 4, the new entry.
TEST(KvCache, EachPolicyEvictsWhatItsDefinitionSaysOnAHandComputedCase) {
  const HandCase h = hand_case({{0, 3, 3, -3, 0}}, {{1, -1, 0.5, 0, 0}});
  EXPECT_EQ(evictions(h, {2, KvPolicy::window, -1}), (std::vector<int>{-1, -1, 0, 1, 2}));
  EXPECT_EQ(evictions(h, {2, KvPolicy::sink, 1}), (std::vector<int>{-1, -1, 1, 2, 3}));
  EXPECT_EQ(evictions(h, {2, KvPolicy::tova, -1}), (std::vector<int>{-1, -1, 1, 0, 2}));
  EXPECT_EQ(evictions(h, {2, KvPolicy::h2o, -1}), (std::vector<int>{-1, -1, 1, 2, 4}));
  EXPECT_EQ(evictions(h, {5, KvPolicy::tova, -1}), (std::vector<int>(5, -1)));
  EXPECT_EQ(evictions(h, {0, KvPolicy::h2o, -1}), (std::vector<int>(5, -1)));
}

// TOVA averages the weights over the heads: at t = 2 head 0 weighs the three entries (.6, .3, .1)
// and head 1 (.05, .3, .65); alone, head 0 would drop 2 and head 1 would drop 0, but the mean
// (.325, .3, .375) drops 1.
TEST(KvCache, TovaAveragesTheWeightsOverTheHeads) {
  const std::vector<double> k0 = {std::log(.6), std::log(.3), std::log(.1)}, k1 = {std::log(.05), std::log(.3), std::log(.65)};
  const std::vector<double> ones = {1, 1, 1};
  EXPECT_EQ(evictions(hand_case({ones, ones}, {k0, k1}), {2, KvPolicy::tova, -1}), (std::vector<int>{-1, -1, 1}));
  EXPECT_EQ(evictions(hand_case({ones}, {k0}), {2, KvPolicy::tova, -1}), (std::vector<int>{-1, -1, 2}));
  EXPECT_EQ(evictions(hand_case({ones}, {k1}), {2, KvPolicy::tova, -1}), (std::vector<int>{-1, -1, 0}));
}

// Entries keep their original positions: ALiBi's bias uses the true distance.  With keys and
// queries 0, only the bias -m |t - p| separates the entries, so tova drops the farthest entry it
// holds; a cache whose sink keeps position 0 sees it at distance t, not at its index in the cache.
TEST(KvCache, AlibiSeesEachEntryAtItsTrueDistance) {
  HandCase h = hand_case({std::vector<double>(6, 0.0)}, {std::vector<double>(6, 0.0)});
  h.spec = attention_spec(1, true, Positional::alibi, 0, 0);  // one head: slope 2^-8
  // tova: the oldest (farthest) entry has the lowest weight: it is the one dropped, as window would.
  EXPECT_EQ(evictions(h, {2, KvPolicy::tova, -1}), (std::vector<int>{-1, -1, 0, 1, 2, 3}));
  // The context at t = 5 under sink s = 1, K = 2 reads positions {0, 4, 5} with weights
  // exp(-m (5, 1, 0)) normalised; v = position + 1.
  Matrix<double> context;
  kv_attention_forward(h.spec, {2, KvPolicy::sink, 1}, h.batch, h.qkv, context);
  const double m = h.spec.slopes[0];
  const double w0 = std::exp(-5 * m), w4 = std::exp(-1 * m), w5 = 1;
  EXPECT_NEAR(context(0, 5), (w0 * 1 + w4 * 5 + w5 * 6) / (w0 + w4 + w5), 1e-12);
}

TEST(KvCache, BoundedResultsAreTheSameWithOneOrTwoThreads) {
  for (KvPolicy policy : kAllPolicies) {
    const ModelConfig c = transformer(Positional::alibi, Head::tag);
    const auto pf = init_params(c, 4);
    const auto examples = random_examples(c, 200, 1, 20, 5);
    const KvBound bound{4, policy, -1};
    std::vector<char> one, two;
    {
      tbb::global_control g(tbb::global_control::max_allowed_parallelism, 1);
      one = predicted_right(c, pf, examples, &bound);
    }
    {
      tbb::global_control g(tbb::global_control::max_allowed_parallelism, 2);
      two = predicted_right(c, pf, examples, &bound);
    }
    EXPECT_EQ(one, two) << kv_policy_name(policy);
  }
}

TEST(KvCache, GreedyDecodingWithAnUnboundedCacheIsTheFullOnes) {
  const ModelConfig c = transformer(Positional::sinusoidal, Head::seq);
  const auto params = init_params(c, 9);
  const std::vector<Sequence> prompts = {{0, 1, 2}, {2}, {1, 1, 0, 2, 2}};
  const std::vector<int> steps = {6, 3, 8};
  const KvBound unbounded{}, bounded{2, KvPolicy::tova, -1};
  EXPECT_EQ(greedy_decode(c, params, prompts, steps, &unbounded), greedy_decode(c, params, prompts, steps));
  EXPECT_EQ(greedy_decode(c, params, prompts, steps, &bounded).size(), prompts.size());
}

TEST(KvCache, RefusesAModelOrBoundItCannotServe) {
  ModelConfig lstm;
  lstm.cell = Cell::lstm;
  const KvBound bound{4, KvPolicy::tova, -1};
  EXPECT_THROW(validate(lstm, bound), ModelError);
  ModelConfig bidirectional = transformer(Positional::none, Head::tag);
  bidirectional.causal = false;
  EXPECT_THROW(validate(bidirectional, bound), ModelError);
  const ModelConfig c = transformer(Positional::none, Head::tag);
  EXPECT_NO_THROW(validate(c, bound));
  EXPECT_THROW(validate(c, KvBound{-1, KvPolicy::window, -1}), ModelError);
  EXPECT_THROW(validate(c, KvBound{4, KvPolicy::sink, 4}), ModelError);
  EXPECT_NO_THROW(validate(c, KvBound{4, KvPolicy::sink, 3}));
  const auto params = init_params(lstm, 1);
  const std::vector<Sequence> words = {{0, 1}};
  EXPECT_THROW(model_logits(lstm, params, words, &bound), ModelError);
  EXPECT_EQ(sink_entries({8, KvPolicy::sink, -1}), 4);
  EXPECT_EQ(sink_entries({3, KvPolicy::sink, -1}), 2);
  EXPECT_EQ(sink_entries({1, KvPolicy::sink, -1}), 0);
  EXPECT_EQ(parse_kv_policy("h2o"), KvPolicy::h2o);
  EXPECT_THROW(parse_kv_policy("lru"), ModelError);
}

}  // namespace
}  // namespace statelab::models
