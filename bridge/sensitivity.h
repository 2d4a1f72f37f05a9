// Average sensitivity (Hahn 2020; Bhattamishra, Patel, Kanade and Blunsom 2023) of a recognizer on
// the words of one length n: the expected number of positions whose change changes the decision,
// over a uniform word x of Sigma^n.
//
//   s(x) = #{ i : some symbol b != x_i makes f(x with x_i := b) != f(x) },   as(f, n) = E_x s(x).
//
// Over {0, 1} this is the usual count of bit flips that change f; over a larger alphabet a position
// counts when *some* other symbol there changes the output (Hahn 2020's definition for general
// alphabets), so as(f, n) stays in 0..n whatever the alphabet.  Known values: parity n, "the first
// symbol is 1" exactly 1, majority (odd n) n C(n-1, (n-1)/2) / 2^(n-1).
//
// Exact by enumeration when |Sigma|^n <= kMaxEnumeratedWords (each of the |Sigma|^n words evaluated
// once, every neighbour looked up), else -- only when asked -- Monte Carlo on `samples` uniform words
// (each with its n (|Sigma| - 1) neighbours) with the normal 95% confidence interval
// mean +- 1.96 sd / sqrt(samples).  Random initialisations: the same measure on each of N networks of
// one architecture whose every parameter is drawn uniformly from [-w, w].
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "bridge/recognizer.h"
#include "models/model.h"

namespace statelab::bridge {

/// The most words enumeration evaluates: 2^20 (binary words of length 20, ternary of length 12).
inline constexpr std::uint64_t kMaxEnumeratedWords = std::uint64_t{1} << 20;
/// The most sampled words, and the most random initialisations, one call accepts.
inline constexpr std::size_t kMaxSensitivitySamples = 1'000'000;
inline constexpr std::size_t kMaxInitialisations = 100'000;
/// The most symbols Monte Carlo feeds the recognizer per call: samples x (1 + n (k - 1)) x n.
inline constexpr std::uint64_t kMaxSensitivitySymbols = std::uint64_t{1} << 32;

struct SensitivityOptions {
  std::size_t length = 0;
  std::size_t samples = 0;  // 0: enumerate (refused past kMaxEnumeratedWords); else Monte Carlo
  std::uint64_t seed = 0;   // Monte Carlo: the words come from make_rng(seed)
};

struct Sensitivity {
  double mean = 0;             // average sensitivity
  bool exact = false;          // by enumeration
  std::uint64_t words = 0;     // words averaged over (|Sigma|^n, or the samples)
  double low = 0, high = 0;    // 95% confidence interval (both = mean when exact)
  double sd = 0;               // standard deviation of s(x) over the words
};

/// The number of words of length n over k symbols, or nothing past 2^64.
std::optional<std::uint64_t> word_count(std::size_t k, std::size_t n);

/// Checks the options before any work: throws InvalidArgument naming --length and the budget when
/// enumeration is asked past kMaxEnumeratedWords ("use --samples"), --samples 1 (no interval),
/// samples past kMaxSensitivitySamples, or sampling work past kMaxSensitivitySymbols.
void validate_sensitivity(std::size_t symbols, const SensitivityOptions& options);

/// as(f, n) of the recognizer's decisions (accepts).  Time: enumeration k^n evaluations of words of
/// length n plus k^n n (k - 1) lookups; sampling samples (1 + n (k - 1)) evaluations.  Deterministic
/// for a seed whatever the number of threads.  Throws as validate_sensitivity, and on an empty alphabet.
Sensitivity average_sensitivity(const Recognizer& recognizer, const SensitivityOptions& options);

/// The result as `statelab sensitivity --json` writes it: source (a language's name, a
/// checkpoint's path), length, symbols, exact, words, mean, low, high, sd, and the seed when sampled.
std::string to_json(const Sensitivity& result, const std::string& source, const SensitivityOptions& options,
                    std::size_t symbols);

/// How random_params draws each parameter, of scale w: uniform in [-w, w], or normal with mean 0
/// and standard deviation w (Bhattamishra et al. 2023's Figure 1: sigma = 10).
enum class InitDistribution { uniform, normal };
InitDistribution parse_init_distribution(std::string_view name);  // "uniform", "normal"; else throws InvalidArgument
const char* init_distribution_name(InitDistribution distribution);

/// A network of `config` (head recognize) with every parameter tensor -- embeddings, weights,
/// biases, norms -- drawn from `distribution` of scale `scale` by Random(seed).
models::ModelParams<float> random_params(const models::ModelConfig& config, InitDistribution distribution, double scale,
                                         std::uint64_t seed);

struct RandomInitOptions {
  models::ModelConfig config;  // head recognize, one output
  std::size_t inits = 100;
  InitDistribution distribution = InitDistribution::uniform;
  double weight_range = 10;    // w: the distribution's scale (uniform in [-w, w], or normal of sd w)
  std::uint64_t seed = 0;      // initialisation i: Random(seed * 0x9E3779B97F4A7C15 + i); its words: seed + i
  SensitivityOptions sensitivity;
};

struct SensitivityDistribution {
  std::vector<double> values;  // as(f_i, n) of initialisation i, in order
  double mean = 0;
  double min = 0, q10 = 0, q25 = 0, median = 0, q75 = 0, q90 = 0, max = 0;  // linear interpolation
  bool exact = false;          // each value by enumeration
};

/// The distribution of average sensitivity over options.inits random initialisations, the
/// alphabet "0".."k-1" (k = config.vocab_size).  Throws InvalidArgument for a config whose head is
/// not recognize, no initialisation, more than kMaxInitialisations, a range that is not positive and
/// finite, and as validate_sensitivity (before any work).
SensitivityDistribution random_init_sensitivity(const RandomInitOptions& options);

/// A histogram of the distribution's values (bridge/plot.h's hist kind, one bar colour named
/// `label`, e.g. "lstm"), written whole to `path` (.png or .svg).  Throws as bridge::plot.
void plot_sensitivity(const SensitivityDistribution& distribution, const std::string& label, std::size_t length,
                      const std::filesystem::path& path);

/// The quantile q in [0, 1] of sorted values (linear interpolation between closest ranks).
double quantile(const std::vector<double>& sorted, double q);

}  // namespace statelab::bridge
