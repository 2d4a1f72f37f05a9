// Google Benchmark for the learners with an exact oracle: L* (Rivest-Schapire) and L# on random
// target DFAs (automata::random_dfa(n, k, 1)) of 100..5000 states over 2 and 10 symbols, membership
// answered by running the DFA from each prefix's state (MembershipOracle::ask_column).  Counters:
// the minimal target's states, membership queries (every word asked, no cache) and equivalence
// queries.  Results, beside AALpy's published figures, are in README.md here.
#include <benchmark/benchmark.h>

#include "automata/minimize.h"
#include "automata/random_dfa.h"
#include "bridge/lsharp.h"
#include "bridge/lstar.h"

namespace {

using namespace statelab;

template <bool kSharp>
void learn_random_dfa(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto k = static_cast<std::size_t>(state.range(1));
  const auto target = automata::random_dfa(n, k, 1);
  bridge::DfaRecognizer recognizer(target);
  bridge::LStarResult r;
  for (auto _ : state) {
    bridge::ExactOracle oracle(target);
    r = kSharp ? bridge::lsharp(recognizer, oracle) : bridge::lstar(recognizer, oracle, {}, /*cache_queries=*/false);
    benchmark::DoNotOptimize(r.dfa);
  }
  if (r.dfa != automata::minimize(target)) state.SkipWithError("the learner did not return the minimal DFA");
  state.counters["states"] = static_cast<double>(r.dfa.num_states());
  state.counters["membership_queries"] = static_cast<double>(r.membership_queries);
  state.counters["equivalence_queries"] = static_cast<double>(r.equivalence_queries);
}

void sizes(benchmark::internal::Benchmark* b) {
  for (std::int64_t k : {2, 10})
    for (std::int64_t n : {100, 500, 1000, 2000, 5000}) b->Args({n, k});
}
BENCHMARK(learn_random_dfa<false>)->Name("lstar")->Apply(sizes)->Unit(benchmark::kMillisecond);
BENCHMARK(learn_random_dfa<true>)->Name("lsharp")->Apply(sizes)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
