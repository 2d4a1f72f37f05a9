// Google Benchmark programs for the language catalogue: exact uniform sampling throughput
// through the Language API, words of length 100 per second, from a regular language (a
// 100-state random DFA, minimised by the catalogue) and from a context-free one (dyck:k=2,
// unranking a uniform Dyck shape and uniform bracket types); and the membership time of a
// nondeterministic PDA for palindromes against word length, with the exponent of a
// least-squares fit of log time against log length printed at the end (it must be polynomial).
// Results are in README.md here.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "automata/pda.h"
#include "automata/random_dfa.h"
#include "languages/entries.h"
#include "languages/registry.h"

namespace {

using namespace statelab;
using automata::Word;

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


// ---- PDA membership against word length -------------------------------------------------------

// palindrome:k=2 as a nondeterministic PDA (final state): q0 pushes each letter read, guesses
// the middle (an epsilon move for even lengths, reading one letter for odd ones) and goes to q1,
// which pops each letter matching the input, then accepts in q2 once the bottom shows again.
// No deterministic PDA exists for it, so automata::accepts runs the summarisation algorithm.
automata::Pda palindrome_pda() {
  using automata::kEpsilon;
  automata::Pda pda(automata::Alphabet::from_chars("ab"), automata::Alphabet({"Z", "A", "B"}), 0, 3);
  const automata::Symbol a = 0, b = 1, A = 1, B = 2, Z = 0;
  pda.set_accepting(2);
  pda.add_move({0, a, kEpsilon, {A}, 0});
  pda.add_move({0, b, kEpsilon, {B}, 0});
  pda.add_move({0, kEpsilon, kEpsilon, {}, 1});
  pda.add_move({0, a, kEpsilon, {}, 1});
  pda.add_move({0, b, kEpsilon, {}, 1});
  pda.add_move({1, a, A, {}, 1});
  pda.add_move({1, b, B, {}, 1});
  pda.add_move({1, kEpsilon, Z, {Z}, 2});
  return pda;
}

// Membership of one member word of each length; items = words.  Two inputs: a uniform
// palindrome (few of its factors are palindromes, so few balanced runs exist: the typical case)
// and a^n (every factor is a palindrome, so every pair of positions has a balanced run between
// them: the worst case of the summaries for this PDA).
void pda_membership(benchmark::State& state, const Word& word) {
  const automata::Pda pda = palindrome_pda();
  if (!automata::accepts(pda, word)) {
    state.SkipWithError("the PDA rejects a palindrome");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(automata::accepts(pda, word));
  state.counters["length"] = static_cast<double>(word.size());
  state.SetItemsProcessed(state.iterations());
}

void BM_PdaPalindromeUniform(benchmark::State& state) {
  const std::unique_ptr<languages::Language> lang = languages::make_language("palindrome");
  languages::Rng rng = languages::make_rng(5);
  pda_membership(state, *lang->sample(static_cast<std::size_t>(state.range(0)), rng));
  state.SetLabel("nondeterministic PDA, summaries; a uniform palindrome");
}
BENCHMARK(BM_PdaPalindromeUniform)->RangeMultiplier(2)->Range(16, 1024)->Unit(benchmark::kMillisecond);

void BM_PdaPalindromeUnary(benchmark::State& state) {
  pda_membership(state, Word(static_cast<std::size_t>(state.range(0)), 0));
  state.SetLabel("nondeterministic PDA, summaries; a^n");
}
BENCHMARK(BM_PdaPalindromeUnary)->RangeMultiplier(2)->Range(16, 1024)->Unit(benchmark::kMillisecond);

// Passes every run to the console and keeps, for each benchmark with a "length" counter, the
// CPU time per iteration of every repetition by length (in the benchmark's unit; CPU rather than
// wall time, as the machines we share are loaded), for the fits.
class FitReporter : public benchmark::ConsoleReporter {
 public:
  // Colours only on a terminal (a reporter of our own does not see --benchmark_color).
  FitReporter() : ConsoleReporter(isatty(STDOUT_FILENO) ? OO_Defaults : OO_Tabular) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      const auto length = run.counters.find("length");
      if (run.error_occurred || length == run.counters.end()) continue;
      // Repetitions, or only their median under --benchmark_report_aggregates_only.
      if (run.run_type == Run::RT_Iteration)
        times_[run.run_name.function_name][length->second.value].push_back(run.GetAdjustedCPUTime());
      else if (run.aggregate_name == "median")
        medians_[run.run_name.function_name][length->second.value] = run.GetAdjustedCPUTime();
    }
    ConsoleReporter::ReportRuns(runs);
  }

  // Per benchmark, the slope of the least-squares line through (log length, log median time):
  // time ~ length^slope.
  void print_fits() {
    // The median of the repetitions seen, where the reporter saw them.
    for (auto& [name, by_length] : times_)
      for (auto& [length, times] : by_length) {
        std::sort(times.begin(), times.end());
        medians_[name][length] = times[times.size() / 2];
      }
    for (const auto& [name, by_length] : medians_) {
      if (by_length.size() < 2) continue;
      double sx = 0, sy = 0, sxx = 0, sxy = 0;
      for (const auto& [length, time] : by_length) {
        const double x = std::log(length), y = std::log(time);
        sx += x, sy += y, sxx += x * x, sxy += x * y;
      }
      const double n = static_cast<double>(by_length.size());
      const double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
      std::printf("%s, lengths %.0f..%.0f: time ~ length^%.2f (least squares of log median CPU time against log "
                  "length, %zu lengths)\n",
                  name.c_str(), by_length.begin()->first, by_length.rbegin()->first, slope, by_length.size());
    }
  }

 private:
  std::map<std::string, std::map<double, std::vector<double>>> times_;  // name -> length -> CPU times
  std::map<std::string, std::map<double, double>> medians_;             // name -> length -> median
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  FitReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.print_fits();
  benchmark::Shutdown();
  return 0;
}
