#include "languages/dataset_io.h"

#include <nlohmann/json.hpp>

#include <sstream>

#include "base/error.h"
#include "base/file.h"

namespace statelab::languages {

namespace {

[[noreturn]] void parse_fail(const std::filesystem::path& path, std::size_t line, const std::string& what) {
  throw ParseError(path.string() + ":" + std::to_string(line) + ": " + what);
}

std::vector<std::string_view> lines_of(const std::string& text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string format_jsonl(const Alphabet& alphabet, std::span<const Example> examples, bool with_targets) {
  std::string out;
  for (std::size_t i = 0; i < examples.size(); ++i) {
    const Example& e = examples[i];
    nlohmann::ordered_json j;
    j["word"] = alphabet.format_word(e.word);
    j["label"] = e.label ? 1 : 0;
    j["length"] = e.word.size();
    if (with_targets) {
      if (e.targets.size() != e.word.size() + 1)
        throw InvalidArgument("writing JSONL: example " + std::to_string(i) +
                              " has no per-position targets (build the dataset with with_targets)");
      nlohmann::ordered_json targets = nlohmann::ordered_json::array();
      for (const PrefixTarget& t : e.targets) {
        nlohmann::ordered_json next = nlohmann::ordered_json::array();
        for (Symbol a = 0; a < t.next.size(); ++a)
          if (t.next[a]) next.push_back(alphabet.name(a));
        targets.push_back({{"state", t.state}, {"next", next}, {"end", t.end}});
      }
      j["targets"] = std::move(targets);
    }
    out += j.dump();
    out += '\n';
  }
  return out;
}

void write_jsonl(const std::filesystem::path& path, const Alphabet& alphabet, std::span<const Example> examples,
                 bool with_targets) {
  std::string out;
  try {
    out = format_jsonl(alphabet, examples, with_targets);
  } catch (const InvalidArgument& e) {
    throw InvalidArgument("write_jsonl " + path.string() + ": " + e.what());
  }
  write_file(path, std::move(out));
}

std::vector<Example> read_jsonl(const std::filesystem::path& path, const Alphabet& alphabet) {
  const std::string text = read_file(path);
  std::vector<Example> out;
  std::size_t number = 0;
  for (std::string_view line : lines_of(text)) {
    ++number;
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(line);
    } catch (const nlohmann::json::parse_error& e) {
      parse_fail(path, number, std::string("malformed JSON: ") + e.what());
    }
    if (!j.is_object()) parse_fail(path, number, "expected a JSON object per line");
    if (!j.contains("word") || !j["word"].is_string()) parse_fail(path, number, "expected a string field \"word\"");
    if (!j.contains("label") || !j["label"].is_number_integer() || (j["label"] != 0 && j["label"] != 1))
      parse_fail(path, number, "expected \"label\": 0 or 1");
    Example e;
    try {
      e.word = alphabet.parse_word(j["word"].get<std::string>());
    } catch (const InvalidArgument& err) {
      parse_fail(path, number, err.what());
    }
    e.label = j["label"] == 1;
    e.origin = e.label ? Origin::positive : Origin::uniform_negative;
    if (j.contains("length") && (!j["length"].is_number_unsigned() || j["length"].get<std::size_t>() != e.word.size()))
      parse_fail(path, number, "\"length\" disagrees with the word, which has " + std::to_string(e.word.size()) + " symbols");
    if (j.contains("targets")) {
      const nlohmann::json& ts = j["targets"];
      if (!ts.is_array() || ts.size() != e.word.size() + 1)
        parse_fail(path, number, "expected \"targets\" to be an array of " + std::to_string(e.word.size() + 1) + " entries");
      for (const nlohmann::json& t : ts) {
        PrefixTarget target;
        if (!t.is_object() || !t.contains("state") || !t["state"].is_array() || !t.contains("next") ||
            !t["next"].is_array() || !t.contains("end") || !t["end"].is_boolean())
          parse_fail(path, number, "expected each target to be {\"state\": [...], \"next\": [...], \"end\": bool}");
        for (const nlohmann::json& x : t["state"]) {
          if (!x.is_number_integer()) parse_fail(path, number, "expected integers in \"state\"");
          target.state.push_back(x.get<std::int64_t>());
        }
        target.next.assign(alphabet.size(), false);
        for (const nlohmann::json& x : t["next"]) {
          if (!x.is_string()) parse_fail(path, number, "expected symbol names in \"next\"");
          auto s = alphabet.find(x.get<std::string>());
          if (!s) parse_fail(path, number, "unknown symbol '" + x.get<std::string>() + "' in \"next\"");
          target.next[*s] = true;
        }
        target.end = t["end"].get<bool>();
        e.targets.push_back(std::move(target));
      }
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::string format_abbadingo(const Alphabet& alphabet, std::span<const Example> examples) {
  std::string out = std::to_string(examples.size()) + " " + std::to_string(alphabet.size()) + "\n";
  for (const Example& e : examples) {
    out += e.label ? "1 " : "0 ";
    out += std::to_string(e.word.size());
    for (Symbol a : e.word) {
      out += ' ';
      out += std::to_string(a);
    }
    out += '\n';
  }
  return out;
}

void write_abbadingo(const std::filesystem::path& path, const Alphabet& alphabet, std::span<const Example> examples) {
  write_file(path, format_abbadingo(alphabet, examples));
}

std::vector<Example> read_abbadingo(const std::filesystem::path& path, const Alphabet& alphabet) {
  const std::string text = read_file(path);
  const std::vector<std::string_view> lines = lines_of(text);
  auto numbers = [&](std::size_t number, std::string_view line) {
    std::vector<long long> out;
    std::istringstream ss{std::string(line)};
    std::string token;
    while (ss >> token) {
      std::size_t used = 0;
      long long x = 0;
      try {
        x = std::stoll(token, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != token.size()) parse_fail(path, number, "expected an integer, found '" + token + "'");
      out.push_back(x);
    }
    return out;
  };
  if (lines.empty()) parse_fail(path, 1, "empty file (expected the header \"COUNT ALPHABET_SIZE\")");
  const std::vector<long long> header = numbers(1, lines[0]);
  if (header.size() != 2 || header[0] < 0 || header[1] < 0)
    parse_fail(path, 1, "expected the header \"COUNT ALPHABET_SIZE\"");
  if (static_cast<std::size_t>(header[1]) != alphabet.size())
    parse_fail(path, 1, "alphabet size " + std::to_string(header[1]) + " differs from the expected " +
                            std::to_string(alphabet.size()));
  std::vector<Example> out;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].find_first_not_of(" \t") == std::string_view::npos) continue;
    const std::vector<long long> v = numbers(i + 1, lines[i]);
    if (v.size() < 2) parse_fail(path, i + 1, "expected \"LABEL LENGTH SYMBOLS...\"");
    if (v[0] != 0 && v[0] != 1)
      parse_fail(path, i + 1, "label " + std::to_string(v[0]) + " (expected 0 or 1; unlabelled words are not supported)");
    if (v[1] < 0 || static_cast<std::size_t>(v[1]) != v.size() - 2)
      parse_fail(path, i + 1, "length " + std::to_string(v[1]) + " but " + std::to_string(v.size() - 2) + " symbols");
    Example e;
    e.label = v[0] == 1;
    e.origin = e.label ? Origin::positive : Origin::uniform_negative;
    for (std::size_t j = 2; j < v.size(); ++j) {
      if (v[j] < 0 || static_cast<std::size_t>(v[j]) >= alphabet.size())
        parse_fail(path, i + 1, "symbol " + std::to_string(v[j]) + " out of range 0.." + std::to_string(alphabet.size() - 1));
      e.word.push_back(static_cast<Symbol>(v[j]));
    }
    out.push_back(std::move(e));
  }
  if (out.size() != static_cast<std::size_t>(header[0]))
    parse_fail(path, 1, "the header announces " + std::to_string(header[0]) + " words but the file has " +
                            std::to_string(out.size()));
  return out;
}

}  // namespace statelab::languages
