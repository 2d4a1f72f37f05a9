// Cfg: a context-free grammar over an Alphabet of terminals; its text syntax, Earley
// membership, useless-symbol removal, and the conversions to and from pushdown automata.
//
// Text syntax (docs/engines.md has the long form):
//
//   # Dyck-1: balanced parentheses          a '#' starting a token comments out the line's rest
//   S -> ( S ) S | ε                         alternatives separated by '|'; ε or %empty is empty
//     | %empty                                a line starting with '|' continues the rule above
//   %start S                                  optional: the start symbol (default: first rule's)
//   %terminals ( ) [ ]                        optional: the terminal alphabet, in this order
//   %nonterminals T                           optional: nonterminals that have no rule
//
// Tokens are separated by whitespace.  A name is a nonterminal when it is on the left of some
// rule (or listed by %nonterminals); every other name is a terminal.  A quoted token, 'x' or
// "x", is always a terminal: so a terminal may be spelt like '|', '->', '#' or '%empty'.
// Without %terminals the alphabet holds the terminals in order of first appearance.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "automata/alphabet.h"
#include "automata/pda.h"

namespace statelab::automata {

using Nonterminal = std::uint32_t;

/// One symbol of a right-hand side: a terminal (a Symbol of the alphabet) or a nonterminal.
struct GrammarSymbol {
  bool terminal = true;
  std::uint32_t id = 0;
  static GrammarSymbol term(Symbol a) { return {true, a}; }
  static GrammarSymbol nonterm(Nonterminal n) { return {false, n}; }
  friend bool operator==(const GrammarSymbol&, const GrammarSymbol&) = default;
};

struct Production {
  Nonterminal lhs = 0;
  std::vector<GrammarSymbol> rhs;  // empty for an epsilon rule
  friend bool operator==(const Production&, const Production&) = default;
};

class Cfg {
 public:
  Cfg() = default;
  /// Throws InvalidArgument when a nonterminal name is not a valid bare token (empty, with
  /// whitespace, starting with %, # or a quote, or one of -> | ε), appears twice, or is also
  /// the name of a terminal.
  Cfg(Alphabet terminals, std::vector<std::string> nonterminals, Nonterminal start = 0);

  const Alphabet& terminals() const { return terminals_; }
  std::size_t num_nonterminals() const { return nonterminals_.size(); }
  const std::string& nonterminal_name(Nonterminal n) const { return nonterminals_.at(n); }
  const std::vector<std::string>& nonterminal_names() const { return nonterminals_; }
  std::optional<Nonterminal> find_nonterminal(std::string_view name) const;
  /// Same checks as the constructor.
  Nonterminal add_nonterminal(std::string name);

  /// The start symbol; meaningless (0) while there is no nonterminal.
  Nonterminal start() const { return start_; }
  void set_start(Nonterminal n);

  /// Adds a rule; an exact duplicate is ignored (a second copy would only add derivations).
  /// Throws InvalidArgument when a symbol is out of range.  Time O(rules of lhs).
  void add_production(Nonterminal lhs, std::vector<GrammarSymbol> rhs);
  const std::vector<Production>& productions() const { return productions_; }
  /// Indices into productions() of the rules of n, in the order they were added.
  const std::vector<std::size_t>& productions_of(Nonterminal n) const { return by_lhs_.at(n); }

  friend bool operator==(const Cfg& a, const Cfg& b) {
    return a.terminals_ == b.terminals_ && a.nonterminals_ == b.nonterminals_ && a.start_ == b.start_ &&
           a.productions_ == b.productions_;
  }

 private:
  void check_name(const std::string& name) const;

  Alphabet terminals_;
  std::vector<std::string> nonterminals_;
  std::unordered_map<std::string, Nonterminal> ids_;
  Nonterminal start_ = 0;
  std::vector<Production> productions_;
  std::vector<std::vector<std::size_t>> by_lhs_;
};

/// Parses the text syntax above.  Time O(size of the text).  Throws ParseError
/// "SOURCE:LINE:COLUMN: what was found, what was expected" (columns count characters).
Cfg parse_cfg(std::string_view text, std::string_view source_name = "<grammar>");
/// Throws IoError when the file cannot be read, ParseError naming the file otherwise.
Cfg read_cfg_file(const std::filesystem::path& path);

/// The grammar in the text syntax, one line per nonterminal (in id order), with %start and
/// %terminals always written, so that parse_cfg(format_cfg(g)) == g up to the order of rules
/// (rules are grouped by left-hand side).  Throws InvalidArgument for a terminal whose name
/// holds both quote characters (it has no spelling).  Time O(size of the grammar).
std::string format_cfg(const Cfg& cfg);

/// The nonterminals that derive the empty word.  Time O(size of the grammar).
std::vector<bool> nullable_nonterminals(const Cfg& cfg);

/// The same grammar without useless nonterminals: those that derive no terminal word, then
/// those not reachable from the start.  Survivors keep their order and are renumbered; their
/// rules come grouped by left-hand side (as format_cfg writes them); a start that derives
/// nothing is kept, alone and ruleless.  Time O(size of the grammar).
Cfg trim(const Cfg& cfg);

/// Earley's recogniser, with Aycock and Horspool's treatment of nullable nonterminals (epsilon
/// rules, left and right recursion, cycles of unit rules are all fine).
/// Time O(n^3 |G|) in general, O(n^2 |G|) for an unambiguous grammar, O(n |G|) for LR(k)
/// grammars without right recursion (Leo's refinement for right recursion is not implemented);
/// space O(n^2 |G|), |G| the total length of the rules.
/// Throws InvalidArgument on a symbol outside the terminal alphabet.
bool accepts(const Cfg& cfg, std::span<const Symbol> word);

/// The standard construction of a PDA from a grammar: it guesses a leftmost derivation on its
/// stack, expanding a nonterminal on top by an epsilon move and matching a terminal on top
/// against the input.  empty_stack: one state, the stack starts as the start symbol (the
/// bottom), nonterminals and terminals are the stack alphabet.  final_state: three states, a
/// fresh bottom symbol under the start symbol, and an epsilon move to the accepting state once
/// the bottom shows again.  Time O(|G| + |Sigma|).
Pda to_pda(const Cfg& cfg, PdaAcceptance acceptance = PdaAcceptance::empty_stack);

/// The triple construction, in the form that suits PDAs that may pop nothing (and so move on an
/// empty stack): over the normal form of the PDA (each step one push, one pop or neither), the
/// nonterminal W[p,q] derives the words read by runs from p to q whose pushes and pops balance,
/// B[q,t] those of one push, a balanced run and the matching pop, and U[q] (final-state
/// acceptance) those of runs from the start that may leave pushes on the stack.  The classical
/// [p X q] is the union of the W-runs that start by pushing X.  Useless nonterminals are
/// removed (trim).  The grammar has O(Q'^3 + d^2 Q') rules before trimming, Q' the states of the
/// normal form; time the same.
Cfg to_cfg(const Pda& pda);

}  // namespace statelab::automata
