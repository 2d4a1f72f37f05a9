#include "languages/registry.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <functional>
#include <set>

#include "automata/automaton_io.h"
#include "automata/regex.h"
#include "automata/text.h"
#include "base/error.h"
#include "languages/entries.h"

namespace statelab::languages {

namespace detail {

Parameters::Parameters(std::string entry, const std::vector<ParameterInfo>& known, const ParsedName& parsed)
    : entry_(std::move(entry)), known_(known), given_(parsed.parameters) {
  for (const auto& [key, value] : given_) {
    auto it = std::find_if(known_.begin(), known_.end(), [&key = key](const ParameterInfo& p) { return p.key == key; });
    if (it == known_.end()) {
      std::vector<std::string> keys;
      for (const ParameterInfo& p : known_) keys.push_back(p.key);
      throw InvalidArgument(entry_ + ": unknown parameter '" + key + "' (" +
                            (keys.empty() ? std::string("it takes no parameters") : "its parameters are " + automata::join(keys)) +
                            ")");
    }
  }
  for (const ParameterInfo& p : known_)
    if (p.required && !has(p.key))
      throw InvalidArgument(entry_ + ": missing parameter '" + p.key + "' (" + p.description + "), e.g. " + entry_ +
                            ":" + p.key + "=...");
}

bool Parameters::has(std::string_view key) const {
  return std::any_of(given_.begin(), given_.end(), [&](const auto& kv) { return kv.first == key; });
}

std::string Parameters::text(std::string_view key) const {
  for (const auto& [k, v] : given_)
    if (k == key) return v;
  for (const ParameterInfo& p : known_)
    if (p.key == key) {
      if (p.required) throw InvalidArgument(entry_ + ": missing parameter '" + p.key + "'");
      return p.default_value;
    }
  throw InvalidArgument(entry_ + ": no parameter '" + std::string(key) + "'");  // a bug in the entry's table
}

std::size_t Parameters::integer(std::string_view key, std::size_t min, std::size_t max) const {
  const std::string value = text(key);
  std::size_t x = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), x);
  const std::string range = std::to_string(min) + ".." + std::to_string(max);
  if (value.empty() || ec != std::errc() || end != value.data() + value.size())
    throw InvalidArgument(entry_ + ": " + std::string(key) + "=" + value + " is not a whole number (expected " + range +
                          ")");
  if (x < min || x > max)
    throw InvalidArgument(entry_ + ": " + std::string(key) + "=" + value + " is impossible (expected " + range + ")");
  return x;
}

std::vector<std::uint32_t> parse_generators(const automata::PermutationGroup& group, std::string_view text) {
  if (text == "standard") return group.generators();
  std::vector<std::uint32_t> ids;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(';', start);
    if (end == std::string_view::npos) end = text.size();
    ids.push_back(group.element_named(text.substr(start, end - start)));
    start = end + 1;
  }
  return ids;
}

}  // namespace detail

ParsedName parse_name(std::string_view name) {
  ParsedName out;
  const std::size_t colon = name.find(':');
  out.base = std::string(name.substr(0, colon));
  if (out.base.empty()) throw InvalidArgument("language name '" + std::string(name) + "': empty name before ':'");
  if (colon == std::string_view::npos) return out;
  std::string_view rest = name.substr(colon + 1);
  if (rest.empty()) throw InvalidArgument("language name '" + std::string(name) + "': nothing after ':'");
  std::size_t start = 0;
  int depth = 0;
  for (std::size_t i = 0; i <= rest.size(); ++i) {
    if (i < rest.size()) {
      if (rest[i] == '(') ++depth;
      if (rest[i] == ')') --depth;
      if (rest[i] != ',' || depth > 0) continue;
    }
    std::string_view item = rest.substr(start, i - start);
    start = i + 1;
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos)
      throw InvalidArgument("language name '" + std::string(name) + "': parameter '" + std::string(item) +
                            "' is not key=value");
    std::string key(item.substr(0, eq)), value(item.substr(eq + 1));
    if (key.empty() || value.empty())
      throw InvalidArgument("language name '" + std::string(name) + "': parameter '" + std::string(item) +
                            "' has an empty key or value");
    for (const auto& kv : out.parameters)
      if (kv.first == key)
        throw InvalidArgument("language name '" + std::string(name) + "': parameter '" + key + "' given twice");
    out.parameters.emplace_back(std::move(key), std::move(value));
  }
  return out;
}

namespace {

using Factory = std::function<std::unique_ptr<Language>(const detail::Parameters&)>;

struct Entry {
  CatalogueEntry info;
  Factory make;
};

constexpr std::size_t kMaxLetters = 26;
constexpr std::size_t kMaxBracketPairs = 64;
constexpr std::size_t kMaxModulus = 1'000'000;

ParameterInfo letters_parameter() { return {"k", "2", false, "number of letters a, b, ... (1..26)"}; }

std::unique_ptr<Language> word_problem(const detail::Parameters& p) {
  const automata::PermutationGroup group = automata::make_group(p.text("group"));
  if (!p.has("gens")) return make_word_problem(group);
  return make_word_problem(group, detail::parse_generators(group, p.text("gens")));
}

const std::vector<Entry>& entries() {
  static const std::vector<Entry> kEntries = [] {
    std::vector<Entry> e;
    auto add = [&](CatalogueEntry info, Factory make) { e.push_back({std::move(info), std::move(make)}); };
    add({"first", {}, "regular", "0 1", "the first symbol is 1", "first"}, [](auto&) { return make_first(); });
    add({"parity", {}, "regular", "0 1", "an odd number of 1s", "parity"}, [](auto&) { return make_parity(); });
    add({"majority", {}, "counter", "0 1", "strictly more 1s than 0s", "majority"},
        [](auto&) { return make_majority(); });
    add({"tomita", {{"n", "", true, "which Tomita grammar, 1..7"}}, "regular", "0 1",
         "the seven Tomita grammars (Tomita 1982; Weiss et al. 2018)", "tomita:n=3"},
        [](const detail::Parameters& p) { return make_tomita(static_cast<int>(p.integer("n", 1, 7))); });
    add({"even-pairs", {}, "regular", "a b", "as many ab as ba factors mod 2: first symbol = last", "even-pairs"},
        [](auto&) { return make_even_pairs(); });
    add({"modular-count", {{"m", "", true, "the modulus, >= 1"}}, "regular", "0 1",
         "the number of 1s is divisible by m", "modular-count:m=3"},
        [](const detail::Parameters& p) { return make_modular_count(p.integer("m", 1, kMaxModulus)); });
    add({"cycle-navigation", {{"n", "5", false, "the cycle length, >= 1"}}, "regular", "0 1 2",
         "moves stay/+1/-1 on a cycle end at the start", "cycle-navigation:n=5"},
        [](const detail::Parameters& p) { return make_cycle_navigation(p.integer("n", 1, kMaxModulus)); });
    add({"dyck",
         {{"k", "1", false, "bracket pairs, 1..64"}, {"depth", "", false, "maximum nesting depth >= 1 (none: unbounded)"}},
         "regular with depth, else counter (k=1) or context-free",
         "( ) [ ] { } < >",
         "well-nested brackets",
         "dyck:k=2,depth=3"},
        [](const detail::Parameters& p) {
          std::optional<std::size_t> depth;
          if (p.has("depth")) depth = p.integer("depth", 1, 64);
          return make_dyck(p.integer("k", 1, kMaxBracketPairs), depth);
        });
    add({"flip-flop", {}, "regular", "w r i 0 1", "reads return the latest written bit (Liu et al. 2023)",
         "flip-flop"},
        [](auto&) { return make_flip_flop(); });
    add({"word-problem",
         {{"group", "", true, "Zm, Sn, An, Dn or products such as A4xZ5"},
          {"gens", "", false, "generators in cycle notation separated by ';', or 'standard' (default: all elements)"}},
         "regular", "group elements in cycle notation, e the identity", "the product of the elements is the identity",
         "word-problem:group=S3"},
        word_problem);
    add({"anbn", {}, "counter", "a b", "a^n b^n", "anbn"}, [](auto&) { return make_anbn(); });
    add({"anbncn", {}, "counter", "a b c", "a^n b^n c^n", "anbncn"}, [](auto&) { return make_anbncn(); });
    add({"shuffle-dyck", {{"k", "2", false, "bracket pairs, 1..64"}}, "counter", "( ) [ ] { } < >",
         "each bracket pair balanced on its own", "shuffle-dyck:k=2"},
        [](const detail::Parameters& p) { return make_shuffle_dyck(p.integer("k", 1, kMaxBracketPairs)); });
    add({"palindrome", {letters_parameter()}, "context-free", "a b ...", "w = reverse(w)", "palindrome:k=2"},
        [](const detail::Parameters& p) { return make_palindrome(p.integer("k", 1, kMaxLetters)); });
    add({"marked-palindrome", {letters_parameter()}, "context-free", "a b ... #", "w#reverse(w)",
         "marked-palindrome:k=2"},
        [](const detail::Parameters& p) { return make_marked_palindrome(p.integer("k", 1, kMaxLetters)); });
    add({"marked-reversal", {}, "context-free", "0 1 #", "w#reverse(w) (DuSell and Chiang)", "marked-reversal"},
        [](auto&) { return make_marked_reversal(); });
    add({"copy", {letters_parameter()}, "context-sensitive", "a b ...", "ww", "copy:k=2"},
        [](const detail::Parameters& p) { return make_copy(p.integer("k", 1, kMaxLetters)); });
    add({"marked-copy", {letters_parameter()}, "context-sensitive", "a b ... #", "w#w", "marked-copy:k=2"},
        [](const detail::Parameters& p) { return make_marked_copy(p.integer("k", 1, kMaxLetters)); });
    add({"string-equality", {}, "context-sensitive", "0 1 #", "u#v with u = v", "string-equality"},
        [](auto&) { return make_string_equality(); });
    return e;
  }();
  return kEntries;
}

// The symbols a pattern names, for `regex:` without an explicit alphabet: escaped characters,
// <names>, and the characters that are not syntax, outside and inside classes; the contents of
// {m,n} are counts, not symbols.
std::vector<std::string> pattern_symbols(std::string_view pattern) {
  const std::string_view meta = "|*+?()[]{}<>.\\";
  std::set<std::string> found;
  bool in_class = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    if (c == '\\' && i + 1 < pattern.size()) {
      found.insert(std::string(1, pattern[++i]));
    } else if (c == '<') {
      const std::size_t end = pattern.find('>', i);
      if (end == std::string_view::npos) break;  // the regex parser reports it
      found.insert(std::string(pattern.substr(i + 1, end - i - 1)));
      i = end;
    } else if (in_class) {
      if (c == ']') in_class = false;
      else if (c != '-' && !(c == '^' && pattern[i - 1] == '[')) found.insert(std::string(1, c));
    } else if (c == '[') {
      in_class = true;
    } else if (c == '{') {
      const std::size_t end = pattern.find('}', i);
      i = end == std::string_view::npos ? pattern.size() : end;
    } else if (meta.find(c) == std::string_view::npos) {
      found.insert(std::string(1, c));
    }
  }
  return {found.begin(), found.end()};
}

std::unique_ptr<Language> regex_language(std::string_view full, std::string_view rest) {
  constexpr std::string_view kAlphabetKey = "alphabet=";
  std::string_view pattern = rest;
  Alphabet alphabet;
  if (rest.substr(0, kAlphabetKey.size()) == kAlphabetKey) {
    const std::size_t colon = rest.find(':');
    if (colon == std::string_view::npos)
      throw InvalidArgument("language name '" + std::string(full) +
                            "': expected regex:alphabet=CHARS:PATTERN (a ':' after the alphabet)");
    const std::string_view chars = rest.substr(kAlphabetKey.size(), colon - kAlphabetKey.size());
    if (chars.empty()) throw InvalidArgument("language name '" + std::string(full) + "': empty alphabet");
    alphabet = Alphabet::from_chars(chars);
    pattern = rest.substr(colon + 1);
  } else {
    std::vector<std::string> names = pattern_symbols(pattern);
    if (names.empty())
      throw InvalidArgument("language name '" + std::string(full) +
                            "': the pattern names no symbol; give one with regex:alphabet=CHARS:PATTERN");
    alphabet = Alphabet(std::move(names));
  }
  const automata::Dfa dfa = automata::regex_to_dfa(pattern, alphabet);
  std::string symbols;
  for (std::size_t i = 0; i < alphabet.size(); ++i) symbols.append(i ? " " : "").append(alphabet.name(static_cast<Symbol>(i)));
  return make_dfa_language(std::string(full), dfa,
                           "the regular expression " + std::string(pattern) + " over {" + symbols + "}");
}

std::unique_ptr<Language> file_language(std::string_view full, std::string_view path) {
  return make_file_language(std::string(full), std::filesystem::path(std::string(path)));
}

// Entries whose whole remainder after ':' is one raw value (a pattern, a path).
struct RawEntry {
  CatalogueEntry info;
  std::unique_ptr<Language> (*make)(std::string_view full, std::string_view rest);
};

const std::vector<RawEntry>& raw_entries() {
  static const std::vector<RawEntry> kRaw = {
      {{"regex",
        {},
        "regular",
        "the pattern's symbols, or alphabet=CHARS",
        "regex:PATTERN or regex:alphabet=CHARS:PATTERN (syntax: automata/regex.h)",
        "regex:(10)*"},
       regex_language},
      {{"file",
        {},
        "the file's (regular for a DFA/NFA)",
        "the file's",
        "file:PATH: a DFA/NFA (.json .jff .dot .gv .att), PDA (.json .jff), grammar (.cfg .json) or counter machine "
        "(.json)",
        ""},
       file_language},
  };
  return kRaw;
}

}  // namespace

const std::vector<CatalogueEntry>& language_catalogue() {
  static const std::vector<CatalogueEntry> kCatalogue = [] {
    std::vector<CatalogueEntry> out;
    for (const Entry& e : entries()) out.push_back(e.info);
    for (const RawEntry& e : raw_entries()) out.push_back(e.info);
    return out;
  }();
  return kCatalogue;
}

std::unique_ptr<Language> make_language(std::string_view name) {
  for (const RawEntry& e : raw_entries()) {
    const std::string prefix = e.info.name + ":";
    if (name.substr(0, prefix.size()) != prefix) continue;
    if (name.size() == prefix.size())
      throw InvalidArgument("language name '" + std::string(name) + "': nothing after ':' (" + e.info.summary + ")");
    return e.make(name, name.substr(prefix.size()));
  }
  const ParsedName parsed = parse_name(name);
  for (const Entry& e : entries())
    if (e.info.name == parsed.base) return e.make(detail::Parameters(e.info.name, e.info.parameters, parsed));
  std::vector<std::string> names;
  for (const Entry& e : entries()) names.push_back(e.info.name);
  for (const RawEntry& e : raw_entries()) names.push_back(e.info.name + ":...");
  if (parsed.base == "regex" || parsed.base == "file")
    throw InvalidArgument("language name '" + std::string(name) + "': " + parsed.base + " needs a value after ':'");
  throw InvalidArgument("unknown language '" + parsed.base + "' (the catalogue has " + automata::join(names) + ")");
}

}  // namespace statelab::languages
