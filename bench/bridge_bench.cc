// Google Benchmark for L* (Rivest-Schapire) with an exact oracle: random target DFAs of 10..1000
// states over 2 symbols (automata::random_dfa, seed 1), membership answered by running the DFA.
// Counters: the minimal target's states, membership queries (every word asked, no cache), and
// equivalence queries.  Results are in README.md here.  No reference learner (AALpy, LearnLib)
// is installed on this machine, so there is no side-by-side comparison.
#include <benchmark/benchmark.h>

#include "automata/minimize.h"
#include "automata/random_dfa.h"
#include "bridge/lstar.h"

namespace {

using namespace statelab;

void lstar_random_dfa(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto target = automata::random_dfa(n, 2, 1);
  bridge::DfaRecognizer recognizer(target);
  bridge::LStarResult r;
  for (auto _ : state) {
    bridge::ExactOracle oracle(target);
    r = bridge::lstar(recognizer, oracle, {}, /*cache_queries=*/false);
    benchmark::DoNotOptimize(r.dfa);
  }
  if (r.dfa != automata::minimize(target)) state.SkipWithError("L* did not return the minimal DFA");
  state.counters["states"] = static_cast<double>(r.dfa.num_states());
  state.counters["membership_queries"] = static_cast<double>(r.membership_queries);
  state.counters["equivalence_queries"] = static_cast<double>(r.equivalence_queries);
}
BENCHMARK(lstar_random_dfa)->Arg(10)->Arg(30)->Arg(100)->Arg(300)->Arg(1000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
