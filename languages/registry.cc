#include "languages/registry.h"

#include <algorithm>
#include <charconv>
#include <functional>

#include "automata/error.h"
#include "languages/entries.h"

namespace statelab::languages {

namespace detail {

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? std::string(separator) : "") + items[i];
  return out;
}

Parameters::Parameters(std::string entry, const std::vector<ParameterInfo>& known, const ParsedName& parsed)
    : entry_(std::move(entry)), known_(known), given_(parsed.parameters) {
  for (const auto& [key, value] : given_) {
    auto it = std::find_if(known_.begin(), known_.end(), [&](const ParameterInfo& p) { return p.key == key; });
    if (it == known_.end()) {
      std::vector<std::string> keys;
      for (const ParameterInfo& p : known_) keys.push_back(p.key);
      throw InvalidArgument(entry_ + ": unknown parameter '" + key + "' (" +
                            (keys.empty() ? std::string("it takes no parameters") : "its parameters are " + join(keys)) +
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

std::vector<std::uint32_t> parse_generators(const PermutationGroup& group, std::string_view text) {
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
  const PermutationGroup group = make_group(p.text("group"));
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

}  // namespace

const std::vector<CatalogueEntry>& language_catalogue() {
  static const std::vector<CatalogueEntry> kCatalogue = [] {
    std::vector<CatalogueEntry> out;
    for (const Entry& e : entries()) out.push_back(e.info);
    return out;
  }();
  return kCatalogue;
}

std::unique_ptr<Language> make_language(std::string_view name) {
  const ParsedName parsed = parse_name(name);
  for (const Entry& e : entries())
    if (e.info.name == parsed.base) return e.make(detail::Parameters(e.info.name, e.info.parameters, parsed));
  std::vector<std::string> names;
  for (const Entry& e : entries()) names.push_back(e.info.name);
  throw InvalidArgument("unknown language '" + parsed.base + "' (the catalogue has " + detail::join(names) + ")");
}

}  // namespace statelab::languages
