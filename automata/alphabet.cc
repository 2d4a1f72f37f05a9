#include "automata/alphabet.h"

#include <cctype>

#include "automata/io_util.h"
#include "base/error.h"

namespace statelab::automata {

namespace {
std::string joined(const std::vector<std::string>& names) {
  std::string out = "{";
  for (std::size_t i = 0; i < names.size(); ++i) out += (i ? " " : "") + names[i];
  return out + "}";
}
}  // namespace

bool is_valid_symbol_name(std::string_view name) {
  if (name.empty()) return false;
  for (char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7f) return false;  // whitespace or a control byte
  }
  return true;
}

Alphabet::Alphabet(std::vector<std::string> names) : names_(std::move(names)) {
  for (std::size_t i = 0; i < names_.size(); ++i) {
    const std::string& n = names_[i];
    if (n.empty()) throw InvalidArgument("alphabet: symbol " + std::to_string(i) + " has an empty name");
    if (!is_valid_symbol_name(n))
      throw InvalidArgument("alphabet: symbol name " + detail::quote(n) + " contains whitespace or a control character");
    if (!ids_.emplace(n, static_cast<Symbol>(i)).second)
      throw InvalidArgument("alphabet: symbol '" + n + "' appears twice");
    if (n.size() != 1) single_char_ = false;
  }
}

Alphabet Alphabet::from_chars(std::string_view chars) {
  std::vector<std::string> names;
  for (char c : chars) names.emplace_back(1, c);
  return Alphabet(std::move(names));
}

std::optional<Symbol> Alphabet::find(std::string_view name) const {
  auto it = ids_.find(std::string(name));
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

Symbol Alphabet::id(std::string_view name) const {
  if (auto s = find(name)) return *s;
  throw InvalidArgument("unknown symbol " + detail::quote(name) + " (alphabet " + joined(names_) + ")");
}

Word Alphabet::parse_word(std::string_view text) const {
  Word word;
  const bool has_space = text.find_first_of(" \t") != std::string_view::npos;
  if (single_char_ && !has_space) {
    for (std::size_t i = 0; i < text.size(); ++i) {
      auto s = find(text.substr(i, 1));
      if (!s)
        throw InvalidArgument("word " + detail::quote(text) + ": unknown symbol " + detail::quote(text.substr(i, 1)) +
                              " at position " + std::to_string(i) + " (alphabet " + joined(names_) + ")");
      word.push_back(*s);
    }
    return word;
  }
  std::size_t pos = 0, index = 0;
  while (pos < text.size()) {
    if (text[pos] == ' ' || text[pos] == '\t') {
      ++pos;
      continue;
    }
    std::size_t end = text.find_first_of(" \t", pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view token = text.substr(pos, end - pos);
    auto s = find(token);
    if (!s)
      throw InvalidArgument("word " + detail::quote(text) + ": unknown symbol " + detail::quote(token) +
                            " at position " + std::to_string(index) + " (alphabet " + joined(names_) + ")");
    word.push_back(*s);
    ++index;
    pos = end;
  }
  return word;
}

std::string Alphabet::format_word(std::span<const Symbol> word) const {
  std::string out;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (!single_char_ && i) out += ' ';
    out += name(word[i]);
  }
  return out;
}

void require_same_alphabet(const Alphabet& a, const Alphabet& b, std::string_view what) {
  if (!(a == b))
    throw InvalidArgument(std::string(what) + ": the automata have different alphabets " + joined(a.names()) +
                          " and " + joined(b.names()));
}

std::vector<Symbol> symbol_map(const Alphabet& a, const Alphabet& b, std::string_view what) {
  std::vector<Symbol> map(a.size());
  bool same = a.size() == b.size();
  for (Symbol s = 0; same && s < a.size(); ++s) {
    const std::optional<Symbol> t = b.find(a.name(s));
    same = t.has_value();
    if (same) map[s] = *t;
  }
  if (!same)
    throw InvalidArgument(std::string(what) + ": the automata have different alphabets " + joined(a.names()) +
                          " and " + joined(b.names()));
  return map;
}

}  // namespace statelab::automata
