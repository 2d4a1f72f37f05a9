// Alphabet: printable symbol names <-> dense symbol ids, and words over it.
// Symbols are dense ids 0..k-1 in the order the names were given; a Word is a vector of them.
// Words print with their symbols run together when every name is one character ("0110"),
// otherwise separated by single spaces ("push pop pop").
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace statelab::automata {

using Symbol = std::uint32_t;
using Word = std::vector<Symbol>;

/// Whether `name` can be a symbol: non-empty, without whitespace or a control byte.  The one
/// check that Alphabet and every reader (symbol, terminal and nonterminal names) make.
bool is_valid_symbol_name(std::string_view name);

class Alphabet {
 public:
  Alphabet() = default;
  /// Throws InvalidArgument on an empty or duplicate name, or a name with whitespace.
  explicit Alphabet(std::vector<std::string> names);

  /// Single-character symbols, one per character of `chars` ("01", "ab()").
  static Alphabet from_chars(std::string_view chars);

  std::size_t size() const { return names_.size(); }
  bool empty() const { return names_.empty(); }
  const std::string& name(Symbol s) const { return names_.at(s); }
  const std::vector<std::string>& names() const { return names_; }
  std::optional<Symbol> find(std::string_view name) const;
  /// The id of `name`; throws InvalidArgument naming the symbol and the alphabet when absent.
  Symbol id(std::string_view name) const;
  /// True when every symbol name is exactly one character.
  bool single_char() const { return single_char_; }

  /// Parses a word written as format_word writes it (the empty string is the empty word).
  /// Single-character alphabets also accept space-separated symbols.
  /// Throws InvalidArgument naming the unknown symbol and its position.
  Word parse_word(std::string_view text) const;
  std::string format_word(std::span<const Symbol> word) const;

  friend bool operator==(const Alphabet& a, const Alphabet& b) { return a.names_ == b.names_; }

 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string, Symbol> ids_;
  bool single_char_ = true;
};

/// Throws InvalidArgument naming `what` when the two alphabets differ (in names or in order):
/// for what numbers symbols by id, such as a network's tokens.
void require_same_alphabet(const Alphabet& a, const Alphabet& b, std::string_view what);

/// For each symbol of `a`, the id of the symbol of the same name in `b`: how binary operations
/// on automata match symbols, by name, so that {0 1} and {1 0} are the same alphabet.  Time O(k).
/// Throws InvalidArgument naming `what` when the two do not hold the same names.
std::vector<Symbol> symbol_map(const Alphabet& a, const Alphabet& b, std::string_view what);

}  // namespace statelab::automata
