#include "cli/options.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <iostream>

#include "base/error.h"
#include "base/file.h"
#include "languages/registry.h"
#include "languages/task.h"
#include "models/error.h"

namespace statelab::cli {

std::optional<std::size_t> parse_length(std::string_view s) {
  std::size_t x = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || x > kMaxLength) return std::nullopt;
  return x;
}

languages::LengthRange parse_lengths(const std::string& text, std::string_view option) {
  return languages::parse_length_range(text, option);
}

const CLI::Validator kAtLeastOne(
    [](std::string& value) {
      std::size_t v = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
      if (ec == std::errc() && end == value.data() + value.size() && v >= 1) return std::string();
      return "expected a whole number of at least 1, got '" + value + "'";
    },
    "N>=1");

const CLI::Validator kNonNegative(
    [](std::string& value) {
      std::uint64_t v = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
      if (!value.empty() && ec == std::errc() && end == value.data() + value.size()) return std::string();
      return "expected a whole number 0 or more (at most 2^64 - 1), got '" + value + "'";
    },
    "N>=0");

const CLI::Validator kLength(
    [](std::string& value) {
      if (parse_length(value)) return std::string();
      return "expected a length, a whole number 0.." + std::to_string(kMaxLength) + ", got '" + value + "'";
    },
    "0.." + std::to_string(kMaxLength));

std::vector<std::string> words_with_stdin(const std::vector<std::string>& args) {
  std::vector<std::string> words;
  for (const std::string& w : args) {
    if (w != "-") {
      words.push_back(w);
      continue;
    }
    for (std::string line; std::getline(std::cin, line);) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      words.push_back(line);
    }
  }
  return words;
}

std::string base_of(const std::string& name) { return name.substr(0, name.find(':')); }

bool is_task_name(const std::string& base) {
  const auto& tasks = languages::task_catalogue();
  return std::any_of(tasks.begin(), tasks.end(), [&](const languages::CatalogueEntry& e) { return e.name == base; });
}

bool is_language_name(const std::string& base) {
  const auto& langs = languages::language_catalogue();
  return std::any_of(langs.begin(), langs.end(), [&](const languages::CatalogueEntry& e) { return e.name == base; });
}

std::string range_text(const languages::LengthRange& r) { return languages::to_string(r); }

CLI::Option* add_max_memory_option(CLI::App* command, std::size_t& bytes) {
  bytes = kDefaultMemoryLimit;
  return command
      ->add_option("--max-memory", bytes,
                   "refuse work that would hold more than this much memory (default 4GiB; b, kb, mb, gb = powers of 1024)")
      ->transform(CLI::AsSizeValue(false));
}

MemoryLimit memory_limit(std::size_t bytes) { return {bytes, "--max-memory"}; }

void add_kv_cache_options(CLI::App* command, KvCacheOptions& o) {
  o.capacity_option = command->add_option(
      "--kv-cache", o.capacity,
      "transformer: decode token by token with every layer's key-value cache bounded to K entries (docs/models.md)");
  o.policy_option = command->add_option(
      "--policy", o.policy, "with --kv-cache: the entry a full cache drops: window, sink, tova or h2o (default window)");
  o.sink_option = command->add_option(
      "--sink", o.sink, "with --policy sink: the first entries kept forever, 0..K-1 (default min(4, K - 1))");
}

namespace {
// A whole number >= `least` written in `text`, or nothing.
std::optional<int> whole_number(const std::string& text, int least) {
  int v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v < least) return std::nullopt;
  return v;
}
}  // namespace

std::optional<models::KvBound> kv_bound(const KvCacheOptions& o, const models::ModelConfig& config,
                                        const std::string& checkpoint) {
  const bool given = o.capacity_option && o.capacity_option->count() > 0;
  if (!given) {
    if (o.policy_option && o.policy_option->count() > 0)
      throw InvalidArgument("--policy: only with --kv-cache K (the number of entries the policy evicts down to)");
    if (o.sink_option && o.sink_option->count() > 0)
      throw InvalidArgument("--sink: only with --kv-cache K --policy sink");
    return std::nullopt;
  }
  models::KvBound bound;
  const std::optional<int> k = whole_number(o.capacity, 1);
  if (!k) throw InvalidArgument("--kv-cache: expected a number of cache entries, a whole number of at least 1, got '" + o.capacity + "'");
  bound.capacity = *k;
  if (!o.policy.empty()) {
    try {
      bound.policy = models::parse_kv_policy(o.policy);
    } catch (const models::ModelError& e) {
      throw InvalidArgument(std::string("--policy: ") + e.what());
    }
  }
  if (o.sink_option && o.sink_option->count() > 0) {
    if (bound.policy != models::KvPolicy::sink) throw InvalidArgument("--sink: only with --policy sink");
    const std::optional<int> s = whole_number(o.sink, 0);
    if (!s || *s >= bound.capacity)
      throw InvalidArgument("--sink: expected the first entries kept, a whole number 0.." + std::to_string(bound.capacity - 1) +
                            " (fewer than --kv-cache " + std::to_string(bound.capacity) + "), got '" + o.sink + "'");
    bound.sink = *s;
  }
  try {
    models::validate(config, bound);
  } catch (const models::ModelError& e) {
    throw InvalidArgument("--kv-cache: " + checkpoint + ": " + e.what());
  }
  return bound;
}

std::ostream& summary_stream(const std::string& output) {
  return is_standard_output(output) ? std::cerr : std::cout;
}

}  // namespace statelab::cli
