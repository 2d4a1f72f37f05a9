#include "bridge/sensitivity.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "base/error.h"
#include "base/random.h"
#include "bridge/plot.h"

namespace statelab::bridge {

namespace {

// Words of one block of sampling hold at most this many symbols (memory stays a few tens of MB).
constexpr std::uint64_t kBlockSymbols = std::uint64_t{1} << 22;

// Running sums of s(x) and s(x)^2.
struct Sums {
  double count = 0, sum = 0, squares = 0;
  void add(double s) { count += 1, sum += s, squares += s * s; }
  double mean() const { return count > 0 ? sum / count : 0; }
  // The sample standard deviation (n - 1).
  double sd() const {
    if (count < 2) return 0;
    return std::sqrt(std::max(0.0, (squares - sum * sum / count) / (count - 1)));
  }
};

std::string budget_text() {
  return std::to_string(kMaxEnumeratedWords) + " words";
}

Sensitivity enumerate(const Recognizer& f, std::size_t k, std::size_t n, std::uint64_t total) {
  // f on every word, word index idx = sum_i x_i k^(n-1-i) (position 0 most significant).
  std::vector<char> value(total);
  constexpr std::uint64_t kBlock = 1 << 16;
  for (std::uint64_t from = 0; from < total; from += kBlock) {
    const std::uint64_t to = std::min(total, from + kBlock);
    std::vector<Word> words(to - from, Word(n));
    for (std::uint64_t idx = from; idx < to; ++idx) {
      std::uint64_t rest = idx;
      Word& w = words[idx - from];
      for (std::size_t i = n; i-- > 0;) w[i] = static_cast<Symbol>(rest % k), rest /= k;
    }
    const auto answers = accepts_all(f, words);
    for (std::uint64_t i = 0; i < answers.size(); ++i) value[from + i] = answers[i];
  }
  std::vector<std::uint64_t> power(n);  // power[i] = k^(n-1-i)
  for (std::size_t i = n, p = 1; i-- > 0; p *= k) power[i] = p;
  Sums sums;
  for (std::uint64_t idx = 0; idx < total; ++idx) {
    unsigned s = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t d = (idx / power[i]) % k, base = idx - d * power[i];
      for (std::uint64_t b = 0; b < k; ++b)
        if (b != d && value[base + b * power[i]] != value[idx]) {
          ++s;
          break;
        }
    }
    sums.add(s);
  }
  Sensitivity out;
  out.mean = out.low = out.high = sums.mean();
  out.sd = sums.sd();
  out.exact = true;
  out.words = total;
  return out;
}

Sensitivity sample(const Recognizer& f, std::size_t k, std::size_t n, std::size_t samples, std::uint64_t seed) {
  auto rng = make_rng(seed);
  const std::uint64_t per_sample = 1 + n * (k - 1);  // the word and its neighbours
  const std::uint64_t block = std::max<std::uint64_t>(1, kBlockSymbols / std::max<std::uint64_t>(1, per_sample * n));
  Sums sums;
  for (std::size_t done = 0; done < samples;) {
    const std::size_t m = static_cast<std::size_t>(std::min<std::uint64_t>(block, samples - done));
    std::vector<Word> words;
    words.reserve(m * per_sample);
    for (std::size_t j = 0; j < m; ++j) {
      Word x(n);
      for (Symbol& s : x) s = static_cast<Symbol>(uniform_below(rng, k));
      words.push_back(x);
      for (std::size_t i = 0; i < n; ++i)
        for (Symbol b = 0; b < k; ++b)
          if (b != x[i]) {
            words.push_back(x);
            words.back()[i] = b;
          }
    }
    const auto answers = accepts_all(f, words);
    for (std::size_t j = 0; j < m; ++j) {
      const std::size_t at = j * per_sample;
      unsigned s = 0;
      for (std::size_t i = 0; i < n; ++i) {
        bool changes = false;
        for (std::size_t b = 0; b + 1 < k; ++b) changes |= answers[at + 1 + i * (k - 1) + b] != answers[at];
        s += changes;
      }
      sums.add(s);
    }
    done += m;
  }
  Sensitivity out;
  out.mean = sums.mean();
  out.sd = sums.sd();
  const double half = 1.96 * out.sd / std::sqrt(static_cast<double>(samples));
  out.low = std::max(0.0, out.mean - half);
  out.high = std::min(static_cast<double>(n), out.mean + half);
  out.words = samples;
  return out;
}

}  // namespace

std::optional<std::uint64_t> word_count(std::size_t k, std::size_t n) {
  std::uint64_t total = 1;
  for (std::size_t i = 0; i < n; ++i) {
    if (k != 0 && total > UINT64_MAX / k) return std::nullopt;
    total *= k;
  }
  return total;
}

void validate_sensitivity(std::size_t k, const SensitivityOptions& o) {
  if (k == 0) throw InvalidArgument("sensitivity: the alphabet is empty");
  if (o.samples == 0) {
    const auto total = word_count(k, o.length);
    if (!total || *total > kMaxEnumeratedWords)
      throw InvalidArgument("sensitivity: --length " + std::to_string(o.length) + " over " + std::to_string(k) +
                            " symbols has " + (total ? std::to_string(*total) : "more than 2^64") +
                            " words, past the enumeration budget of " + budget_text() +
                            "; give --samples N to estimate it by sampling");
    return;
  }
  if (o.samples < 2)
    throw InvalidArgument("sensitivity: --samples " + std::to_string(o.samples) +
                          ": at least 2 words are needed for a confidence interval");
  if (o.samples > kMaxSensitivitySamples)
    throw InvalidArgument("sensitivity: --samples " + std::to_string(o.samples) + " is more than " +
                          std::to_string(kMaxSensitivitySamples));
  // samples x (1 + n (k - 1)) x n symbols, computed without overflow.
  const long double work = static_cast<long double>(o.samples) * (1.0L + static_cast<long double>(o.length) * (k - 1)) *
                           static_cast<long double>(o.length);
  if (work > static_cast<long double>(kMaxSensitivitySymbols))
    throw InvalidArgument("sensitivity: --samples " + std::to_string(o.samples) + " at --length " +
                          std::to_string(o.length) + " over " + std::to_string(k) +
                          " symbols would run about " + std::to_string(static_cast<unsigned long long>(work)) +
                          " symbols (each word and its " + std::to_string(o.length * (k - 1)) +
                          " neighbours), past the budget of " + std::to_string(kMaxSensitivitySymbols) +
                          "; lower --samples or --length");
}

Sensitivity average_sensitivity(const Recognizer& recognizer, const SensitivityOptions& o) {
  const std::size_t k = recognizer.alphabet().size();
  validate_sensitivity(k, o);
  if (o.samples == 0) return enumerate(recognizer, k, o.length, *word_count(k, o.length));
  return sample(recognizer, k, o.length, o.samples, o.seed);
}

InitDistribution parse_init_distribution(std::string_view name) {
  if (name == "uniform") return InitDistribution::uniform;
  if (name == "normal") return InitDistribution::normal;
  throw InvalidArgument("sensitivity: --init " + std::string(name) + ": expected uniform or normal");
}

const char* init_distribution_name(InitDistribution distribution) {
  return distribution == InitDistribution::normal ? "normal" : "uniform";
}

models::ModelParams<float> random_params(const models::ModelConfig& config, InitDistribution distribution, double scale,
                                         std::uint64_t seed) {
  auto params = models::zero_params<float>(config);
  Random random(seed);
  const auto w = static_cast<float>(scale);
  models::for_each_tensor<float>(config, params, [&](const models::NamedTensor<float>& t) {
    for (std::int64_t i = 0; i < t.size; ++i)
      t.data[i] = distribution == InitDistribution::normal ? w * random.normal() : random.uniform(-w, w);
  });
  return params;
}

void plot_sensitivity(const SensitivityDistribution& d, const std::string& label, std::size_t length,
                      const std::filesystem::path& path) {
  std::vector<ResultRow> rows;
  for (double v : d.values) {
    ResultRow r;
    r.status = "ok";
    r.cell["model"] = label;
    r.numbers["sensitivity"] = v;
    rows.push_back(std::move(r));
  }
  PlotOptions o;
  o.kind = PlotKind::hist;
  o.x = "sensitivity";
  o.by = "model";
  o.bins = 20;
  o.source = std::to_string(d.values.size()) + " random initialisations, length " + std::to_string(length);
  plot(rows, o, path);
}

double quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - static_cast<double>(lo));
}

SensitivityDistribution random_init_sensitivity(const RandomInitOptions& o) {
  if (o.config.head != models::Head::recognize)
    throw InvalidArgument("sensitivity: --random-init builds a recognizer (head recognize)");
  if (o.inits == 0 || o.inits > kMaxInitialisations)
    throw InvalidArgument("sensitivity: --inits " + std::to_string(o.inits) + ": expected 1.." +
                          std::to_string(kMaxInitialisations));
  if (!std::isfinite(o.weight_range) || !(o.weight_range > 0))
    throw InvalidArgument("sensitivity: --weight-range " + std::to_string(o.weight_range) +
                          ": expected a positive number");
  models::validate(o.config);
  const auto k = static_cast<std::size_t>(o.config.vocab_size);
  validate_sensitivity(k, o.sensitivity);
  std::vector<std::string> names;
  for (std::size_t s = 0; s < k; ++s) names.push_back(std::to_string(s));
  const Alphabet alphabet(names);
  SensitivityDistribution out;
  for (std::size_t i = 0; i < o.inits; ++i) {
    const ModelRecognizer network(
        o.config, random_params(o.config, o.distribution, o.weight_range, o.seed * 0x9E3779B97F4A7C15ULL + i), alphabet);
    SensitivityOptions s = o.sensitivity;
    s.seed = o.sensitivity.seed + i;
    const Sensitivity r = average_sensitivity(network, s);
    out.values.push_back(r.mean);
    out.exact = r.exact;
  }
  std::vector<double> sorted = out.values;
  std::sort(sorted.begin(), sorted.end());
  double sum = 0;
  for (double v : sorted) sum += v;
  out.mean = sum / static_cast<double>(sorted.size());
  out.min = sorted.front();
  out.max = sorted.back();
  out.q10 = quantile(sorted, 0.10);
  out.q25 = quantile(sorted, 0.25);
  out.median = quantile(sorted, 0.5);
  out.q75 = quantile(sorted, 0.75);
  out.q90 = quantile(sorted, 0.90);
  return out;
}

std::string to_json(const Sensitivity& r, const std::string& source, const SensitivityOptions& options,
                    std::size_t symbols) {
  nlohmann::ordered_json j{{"source", source}, {"length", options.length}, {"symbols", symbols},
                           {"exact", r.exact},  {"words", r.words},          {"mean", r.mean},
                           {"low", r.low},      {"high", r.high},            {"sd", r.sd}};
  if (!r.exact) j["seed"] = options.seed;
  return j.dump();
}

}  // namespace statelab::bridge
