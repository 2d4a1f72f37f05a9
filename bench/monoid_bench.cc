// Google Benchmark programs for the algebra of a language (automata/monoid.h): the transition
// monoid's breadth-first closure and its analysis (Green's relations, maximal subgroups, derived
// series).  Results are recorded in bench/README.md.
#include <benchmark/benchmark.h>

#include <memory>

#include "automata/minimize.h"
#include "automata/monoid.h"
#include "automata/random_dfa.h"
#include "base/error.h"
#include "languages/registry.h"

namespace {

using namespace statelab::automata;

// The word problem of S5 over all 120 elements: a 120-state DFA with 120 letters, monoid S5.
const Dfa& s5_dfa() {
  static const std::unique_ptr<statelab::languages::Language> s5 =
      statelab::languages::make_language("word-problem:group=S5");
  return *s5->dfa();
}

void BM_MonoidS5WordProblem(benchmark::State& state) {
  const Dfa& dfa = s5_dfa();
  std::size_t size = 0;
  for (auto _ : state) size = transition_monoid(dfa).size();
  state.counters["monoid"] = static_cast<double>(size);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(size));
  state.SetLabel("120 states, 120 letters; items = elements");
}
BENCHMARK(BM_MonoidS5WordProblem)->Unit(benchmark::kMillisecond);

void BM_AnalyzeS5WordProblem(benchmark::State& state) {
  const TransitionMonoid m = transition_monoid(s5_dfa());
  for (auto _ : state) benchmark::DoNotOptimize(analyze(m));
  state.counters["monoid"] = static_cast<double>(m.size());
  state.SetLabel("J-classes, subgroup S5, its derived series");
}
BENCHMARK(BM_AnalyzeS5WordProblem)->Unit(benchmark::kMillisecond);

// A minimised random DFA over two letters.  Two random maps generate almost the whole
// transformation monoid (n^n elements), so beyond a few states the closure is cut at the
// limit (range 1): the figure is then the time to build that many elements of n states each.
void BM_MonoidRandomDfa(benchmark::State& state) {
  const Dfa dfa = minimize(random_dfa(static_cast<std::size_t>(state.range(0)), 2, 1));
  const auto limit = static_cast<std::size_t>(state.range(1));
  std::size_t size = 0;
  bool complete = true;
  for (auto _ : state) {
    try {
      size = transition_monoid(dfa, limit).size();
    } catch (const statelab::LimitExceeded&) {
      size = limit;
      complete = false;
    }
  }
  state.counters["states"] = static_cast<double>(dfa.num_states());
  state.counters["monoid"] = static_cast<double>(size);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(size));
  state.SetLabel(complete ? "whole monoid" : "stopped at the limit");
}
BENCHMARK(BM_MonoidRandomDfa)
    ->Args({6, 100'000})
    ->Args({10, 100'000})
    ->Args({100, 100'000})
    ->Args({1000, 100'000})
    ->Unit(benchmark::kMillisecond);

// One letter: the monoid is the letter's powers (tail plus cycle of a random map), small and
// complete at every size, so the closure and the analysis run to the end.
void BM_MonoidAndAnalysisOneLetterRandomDfa(benchmark::State& state) {
  const Dfa dfa = minimize(random_dfa(static_cast<std::size_t>(state.range(0)), 1, 1));
  std::size_t size = 0;
  for (auto _ : state) {
    const TransitionMonoid m = transition_monoid(dfa);
    size = m.size();
    benchmark::DoNotOptimize(analyze(m));
  }
  state.counters["states"] = static_cast<double>(dfa.num_states());
  state.counters["monoid"] = static_cast<double>(size);
}
BENCHMARK(BM_MonoidAndAnalysisOneLetterRandomDfa)->Arg(10)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
