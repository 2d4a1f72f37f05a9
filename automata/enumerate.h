// Listing accepted words in shortlex order: shorter words first, words of one length in
// lexicographic order of their symbol ids (the order the alphabet lists the symbols in).
// Used to print the first words of a language, to build small exhaustive test sets, and to
// give counterexamples the canonical "least" form.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "automata/alphabet.h"
#include "automata/dfa.h"

namespace statelab::automata {

/// The first `limit` accepted words in shortlex order, among those of length <= max_length.
///
/// Length by length, a depth-first walk in symbol order that enters a successor only when an
/// accepting state can be reached from it in exactly the number of symbols left, so every path
/// it starts ends in an output word: it never wanders in dead parts.  The walk stops at
/// max_length, at `limit` words, or as soon as no longer word can exist (a finite language is
/// exhausted), whichever comes first.
/// Time O(W L k + L' n k) and space O(W L + L' n), for W words returned, L the length of the
/// last, and L' the number of lengths examined: L' <= min(max_length, max(L, n) + n) + 1, as an
/// accepted word of length L >= n can be pumped to a longer one by a cycle of at most n states.
std::vector<Word> enumerate_shortlex(const Dfa& dfa, std::size_t max_length, std::size_t limit);

/// The shortest accepted word, and among those the lexicographically least (the shortlex-least
/// accepted word), or nothing when the language is empty.
/// Breadth-first search (Boost.Graph) from the initial state, symbols in order.
/// Time O(n k), space O(n).
std::optional<Word> shortest_accepted(const Dfa& dfa);

}  // namespace statelab::automata
