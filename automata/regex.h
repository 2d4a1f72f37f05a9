// Regular expressions over the symbols of an Alphabet: a small syntax tree (`Regex`), a parser
// and a printer that round-trip, Thompson's construction to an Nfa and the compilation of a
// pattern to a Dfa.  The syntax, with examples and the error messages, is in docs/regex.md; in
// brief (highest precedence first):
//
//   a  \*  <push>        one symbol: a bare character, an escaped metacharacter, or a name
//   .  [abc]  [a-c]  [^a]  any symbol, a class, a range (alphabet order), a negated class
//   []  ()               the empty language, the empty word
//   (r)                  grouping
//   r*  r+  r?  r{m}  r{m,}  r{m,n}      repetition (m, n <= kMaxRepeat)
//   r s                  concatenation (juxtaposition; an empty branch is the empty word)
//   r | s                union
//
// Whitespace is ignored everywhere outside <...>, since no symbol name may contain it.
// A Regex refers to symbols by their ids, so printing and compiling it need the Alphabet it was
// parsed over, as for a Word.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "automata/alphabet.h"
#include "automata/dfa.h"
#include "automata/nfa.h"

namespace statelab::automata {

/// The largest count a repetition `{m,n}` may give: larger ones would build automata of
/// millions of states from a few characters, which is rarely what was meant.
inline constexpr std::size_t kMaxRepeat = 1000;

/// The deepest syntax tree (and the deepest nesting of parentheses) the parser accepts and the
/// factories build.  Every algorithm on a Regex recurses on its tree; this bound keeps the
/// recursion a few hundred kilobytes deep at most, on any thread.
inline constexpr std::size_t kMaxRegexDepth = 500;

/// The syntax tree of a regular expression: a value type, compared structurally.
/// Invariants (kept by the factories, the only way to build one): a concatenation or union has
/// at least two children; a symbol set is sorted without duplicates; a repetition has
/// min <= max, min <= kMaxRepeat and max <= kMaxRepeat or max == kUnbounded; the tree is at most
/// kMaxRegexDepth deep.  Parentheses leave no node: `(ab)c` is a concatenation whose first child
/// is a concatenation, and `(a)` is just `a`.  The factories cost O(their arguments) (symbols:
/// O(s log s) to sort), the accessors O(1); copying or comparing costs O(size of the tree).
class Regex {
 public:
  enum class Kind : std::uint8_t {
    symbols,   // one symbol out of a set: `a`, `[ab]`, `[^a]`, `.`; the empty set `[]` matches nothing
    epsilon,   // the empty word `()`
    concat,    // children in sequence
    union_,    // any one of the children
    repeat,    // the only child, min..max times
  };
  static constexpr std::size_t kUnbounded = std::numeric_limits<std::size_t>::max();

  /// The empty word.
  Regex() = default;

  static Regex empty_word() { return Regex(); }
  /// The empty language (the empty symbol set, written `[]`).
  static Regex empty_language() { return symbols({}); }
  static Regex symbol(Symbol a) { return symbols({a}); }
  /// Any one symbol of `set` (sorted and deduplicated here).
  static Regex symbols(std::vector<Symbol> set);
  /// The concatenation of `parts`; no part is the empty word, one part is itself.
  /// Throws InvalidArgument when the tree would be deeper than kMaxRegexDepth.
  static Regex concat(std::vector<Regex> parts);
  /// The union of `alternatives`; none is the empty language, one is itself.
  /// Throws InvalidArgument when the tree would be deeper than kMaxRegexDepth.
  static Regex alternation(std::vector<Regex> alternatives);
  /// `body` repeated min..max times (max may be kUnbounded).  Throws InvalidArgument when
  /// max < min, a bound exceeds kMaxRepeat, or the tree would be deeper than kMaxRegexDepth.
  static Regex repeat(Regex body, std::size_t min, std::size_t max);
  static Regex star(Regex body) { return repeat(std::move(body), 0, kUnbounded); }
  static Regex plus(Regex body) { return repeat(std::move(body), 1, kUnbounded); }
  static Regex optional(Regex body) { return repeat(std::move(body), 0, 1); }

  Kind kind() const { return kind_; }
  /// The symbol set of a symbols node (empty for other kinds).
  const std::vector<Symbol>& symbols() const { return symbols_; }
  /// The children of a concat or union_ node, the body of a repeat node (empty for leaves).
  const std::vector<Regex>& children() const { return children_; }
  /// The bounds of a repeat node (max may be kUnbounded).
  std::size_t min() const { return min_; }
  std::size_t max() const { return max_; }
  /// 1 for a leaf, 1 + the deepest child otherwise.
  std::size_t height() const { return height_; }

  friend bool operator==(const Regex&, const Regex&) = default;

 private:
  Regex(Kind kind, std::vector<Regex> children);

  Kind kind_ = Kind::epsilon;
  std::vector<Symbol> symbols_;
  std::vector<Regex> children_;
  std::size_t min_ = 0;
  std::size_t max_ = 0;
  std::size_t height_ = 1;
};

/// Parses `pattern` over `alphabet` (syntax in docs/regex.md).  Time O(|pattern| + total size
/// of the classes, each at most |alphabet|); recursion depth at most kMaxRegexDepth.
/// Throws ParseError naming the pattern, the 0-based column (in bytes), what was found there and
/// what was expected, e.g. "regex 'a(b': at column 3: expected ')' but the pattern ended".
Regex parse_regex(std::string_view pattern, const Alphabet& alphabet);

/// A pattern that parse_regex reads back, over the same alphabet, as a Regex equal to `regex`.
/// It uses `.`, `*`, `+`, `?`, ranges and negated classes where they are shorter, and adds
/// parentheses only where the tree needs them.  Time O(size of the tree and its classes).
/// Throws InvalidArgument on a symbol id outside `alphabet`.
std::string to_string(const Regex& regex, const Alphabet& alphabet);

/// The number of states thompson() builds for `regex` (saturating at SIZE_MAX), so a caller can
/// refuse an expression before building it.  Time O(size of the tree).
std::size_t thompson_size(const Regex& regex);

/// Thompson's construction: an Nfa with epsilon moves, one initial and one accepting state,
/// accepting the language of `regex`.  A repetition {m,n} is built from n copies of its body
/// ({m,} from max(m, 1), the last one looping back), so the size, thompson_size(regex), is linear
/// in the tree without counted repetitions and multiplied by each count with them.  Time and space O(states + arcs), at most
/// O(thompson_size * |alphabet|).  Throws InvalidArgument on a symbol id outside `alphabet`,
/// LimitExceeded when thompson_size(regex) exceeds `max_states`.
Nfa thompson(const Regex& regex, const Alphabet& alphabet, std::size_t max_states = kDefaultMaxStates);

/// The complete Dfa of `pattern` over `alphabet`: parse_regex, thompson, then the subset
/// construction (determinize), then minimisation.  No automaton built on the way, NFA or DFA,
/// may have more than `max_states` states (LimitExceeded otherwise).  Time O(|pattern|) to
/// parse, O(n) for the NFA of n states, O(2^n k) in the worst case for the subset construction
/// (each subset costs O(n + arcs) per symbol), O(k d log d) for minimising d states.
/// Throws ParseError on a malformed pattern.
Dfa regex_to_dfa(std::string_view pattern, const Alphabet& alphabet, std::size_t max_states = kDefaultMaxStates);

/// The same for a Regex already parsed (or built) over `alphabet`.
Dfa regex_to_dfa(const Regex& regex, const Alphabet& alphabet, std::size_t max_states = kDefaultMaxStates);

}  // namespace statelab::automata
