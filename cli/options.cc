#include "cli/options.h"

#include <algorithm>
#include <charconv>
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
  auto number = [&](std::string_view s) {
    const std::optional<std::size_t> x = parse_length(s);
    if (!x)
      throw InvalidArgument(std::string(option) + " " + text + ": expected A..B, two whole numbers 0.." +
                            std::to_string(kMaxLength) + " with A <= B");
    return *x;
  };
  const std::size_t dots = text.find("..");
  if (dots == std::string::npos) {
    const std::size_t n = number(text);
    return {n, n};
  }
  const languages::LengthRange r{number(std::string_view(text).substr(0, dots)),
                                 number(std::string_view(text).substr(dots + 2))};
  if (r.min > r.max) throw InvalidArgument(std::string(option) + " " + text + ": the range is inverted (expected A <= B)");
  return r;
}

const CLI::Validator kAtLeastOne(
    [](std::string& value) {
      std::size_t v = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
      if (ec == std::errc() && end == value.data() + value.size() && v >= 1) return std::string();
      return "expected a whole number of at least 1, got '" + value + "'";
    },
    "N>=1");

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

std::string range_text(const languages::LengthRange& r) {
  return r.min == r.max ? std::to_string(r.min) : std::to_string(r.min) + ".." + std::to_string(r.max);
}

std::ostream& summary_stream(const std::string& output) {
  return is_standard_output(output) ? std::cerr : std::cout;
}

}  // namespace statelab::cli
