// Google Benchmark programs for the finite-automaton engine: minimisation, equivalence,
// membership throughput and exact uniform sampling.  Results are recorded in bench/README.md.
#include <benchmark/benchmark.h>

#include <random>

#include "automata/counting.h"
#include "automata/decide.h"
#include "automata/membership.h"
#include "automata/minimize.h"
#include "automata/random_dfa.h"
#include "base/random.h"

namespace {

using namespace statelab;
using namespace statelab::automata;

void BM_Minimize(benchmark::State& state) {
  const Dfa dfa = random_dfa(static_cast<std::size_t>(state.range(0)), 4, 1);
  for (auto _ : state) benchmark::DoNotOptimize(minimize(dfa));
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetLabel("random DFA, 4 symbols");
}
BENCHMARK(BM_Minimize)->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_EquivalentToItsMinimisation(benchmark::State& state) {
  const Dfa dfa = random_dfa(static_cast<std::size_t>(state.range(0)), 4, 1);
  const Dfa small = minimize(dfa);
  for (auto _ : state) benchmark::DoNotOptimize(equivalent(dfa, small));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_EquivalentToItsMinimisation)->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

// A batch of 4096 random words of length 256 over 4 symbols; items = symbols read.
void BM_MembershipBatch(benchmark::State& state) {
  const Dfa dfa = random_dfa(static_cast<std::size_t>(state.range(0)), 4, 1);
  std::mt19937_64 rng(7);
  std::vector<Word> words(4096, Word(256));
  for (Word& w : words)
    for (Symbol& a : w) a = static_cast<Symbol>(rng() % 4);
  for (auto _ : state) benchmark::DoNotOptimize(accepts_batch(dfa, words));
  state.SetItemsProcessed(state.iterations() * 4096 * 256);
  state.SetLabel("items = symbols");
}
BENCHMARK(BM_MembershipBatch)->Arg(100)->Arg(10'000)->Arg(1'000'000);

void BM_MembershipOneWordAtATime(benchmark::State& state) {
  const Dfa dfa = random_dfa(static_cast<std::size_t>(state.range(0)), 4, 1);
  std::mt19937_64 rng(7);
  std::vector<Word> words(4096, Word(256));
  for (Word& w : words)
    for (Symbol& a : w) a = static_cast<Symbol>(rng() % 4);
  for (auto _ : state)
    for (const Word& w : words) benchmark::DoNotOptimize(accepts(dfa, w));
  state.SetItemsProcessed(state.iterations() * 4096 * 256);
  state.SetLabel("items = symbols");
}
BENCHMARK(BM_MembershipOneWordAtATime)->Arg(100)->Arg(10'000);

// Words of length 100 from a 100-state random DFA; items = words.
void BM_SampleUniform(benchmark::State& state) {
  const Dfa dfa = random_dfa(100, 2, 3);
  const UniformSampler sampler(dfa, 100);
  Rng rng = make_rng(11);
  for (auto _ : state) benchmark::DoNotOptimize(sampler.sample(rng));
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("items = words of length 100");
}
BENCHMARK(BM_SampleUniform);

void BM_CountByLength(benchmark::State& state) {
  const Dfa dfa = random_dfa(100, 2, 3);
  for (auto _ : state) benchmark::DoNotOptimize(count_by_length(dfa, static_cast<std::size_t>(state.range(0))));
}
BENCHMARK(BM_CountByLength)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
