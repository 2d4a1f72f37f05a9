// What a grammar says about every prefix of one word: whether some word of the language starts
// with it, whether it is itself in the language, and which symbols may follow it.  These are the
// per-position targets of a context-free language (languages/language.h), computed in one pass.
//
// The algorithm is Earley's recogniser over the trimmed grammar, with Aycock and Horspool's
// treatment of nullable nonterminals, kept independent of the recogniser in automata/cfg.cc (the
// two are tested against each other).  Earley's chart has the correct-prefix property: once every
// nonterminal derives some terminal word and is reachable (trim), the item set after a prefix
// is non-empty exactly when some word extends the prefix, and an item with terminal a after its
// dot exists exactly when the prefix followed by a still extends.
#pragma once

#include <span>
#include <vector>

#include "automata/cfg.h"

namespace statelab::automata {

struct PrefixFacts {
  bool viable = false;     // some word of the language starts with the prefix
  bool accepted = false;   // the prefix is a word of the language
  std::vector<bool> next;  // next[a]: the prefix followed by a is viable (one entry per terminal)
  friend bool operator==(const PrefixFacts&, const PrefixFacts&) = default;
};

/// facts[i] for the prefix of length i, i = 0..|word| (|word| + 1 entries).  After the first
/// prefix that is not viable the chart is empty, and so are the facts of every longer prefix.
/// Time O(n^3 |G|) in general, O(n^2 |G|) for an unambiguous grammar; space O(n^2 |G|),
/// |G| the total length of the rules (plus one trim of the grammar, O(|G|)).
/// Throws InvalidArgument on a symbol outside the terminal alphabet.
std::vector<PrefixFacts> prefix_facts(const Cfg& cfg, std::span<const Symbol> word);

}  // namespace statelab::automata
