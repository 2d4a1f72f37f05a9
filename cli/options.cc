#include "cli/options.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <iostream>

#include "base/error.h"
#include "base/file.h"
#include "languages/registry.h"
#include "languages/task.h"

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

std::ostream& summary_stream(const std::string& output) {
  return is_standard_output(output) ? std::cerr : std::cout;
}

}  // namespace statelab::cli
