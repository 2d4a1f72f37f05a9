// Google Benchmark programs for the language catalogue: exact uniform sampling throughput
// through the Language API, words of length 100 per second, from a regular language (a
// 100-state random DFA, minimised by the catalogue) and from a context-free one (dyck:k=2,
// unranking a uniform Dyck shape and uniform bracket types).  Results are in README.md here.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "automata/random_dfa.h"
#include "languages/entries.h"
#include "languages/registry.h"

namespace {

using namespace statelab;

constexpr std::size_t kLength = 100;

// Items = words of length 100.  The per-length sampler is built before the timed loop (the
// language caches it), so this is the steady-state rate of a dataset builder.
void sample_loop(benchmark::State& state, const languages::Language& lang) {
  languages::Rng rng = languages::make_rng(11);
  if (!lang.sample(kLength, rng)) {
    state.SkipWithError("no word of length 100");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(lang.sample(kLength, rng));
  state.SetItemsProcessed(state.iterations());
}

void BM_SampleRandomDfa100(benchmark::State& state) {
  const automata::Dfa dfa = automata::random_dfa(100, 2, 3);
  const std::unique_ptr<languages::Language> lang =
      languages::make_dfa_language("random-dfa:100", dfa, "a seeded random DFA with 100 states over {a,b}");
  sample_loop(state, *lang);
  state.SetLabel("items = words of length 100; minimal DFA " + std::to_string(lang->dfa()->num_states()) + " states");
}
BENCHMARK(BM_SampleRandomDfa100);

void BM_SampleDyck2(benchmark::State& state) {
  const std::unique_ptr<languages::Language> lang = languages::make_language("dyck:k=2");
  sample_loop(state, *lang);
  state.SetLabel("items = words of length 100");
}
BENCHMARK(BM_SampleDyck2);

// Negatives of the same DFA: exactly uniform outside the language, from the complement DFA.
void BM_SampleNegativeRandomDfa100(benchmark::State& state) {
  const std::unique_ptr<languages::Language> lang =
      languages::make_dfa_language("random-dfa:100", automata::random_dfa(100, 2, 3), "a seeded random DFA");
  languages::Rng rng = languages::make_rng(12);
  benchmark::DoNotOptimize(lang->sample_negative(kLength, rng));
  for (auto _ : state) benchmark::DoNotOptimize(lang->sample_negative(kLength, rng));
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("items = words of length 100 outside the language");
}
BENCHMARK(BM_SampleNegativeRandomDfa100);

}  // namespace

BENCHMARK_MAIN();
