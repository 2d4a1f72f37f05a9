// L# (Vaandrager, Garhewal, Rot and Wisselink, "A New Approach for Active Automata Learning Based
// on Apartness", TACAS 2022) for DFAs and for Moore machines: a second learner beside L*
// (bridge/lstar.h, bridge/lstar_moore.h), with the same recognizers or taggers, equivalence oracles,
// limits and results.  One implementation serves both: a node's answer is an output (acceptance
// 0 / 1 for a DFA; a tagger's output for a Moore machine, none -- kNoOutput -- for the empty word,
// so the root is apart from every other node and the initial output is settled at the end as
// lstar_moore does), and two nodes are apart when some suffix leads to different outputs.
//
// L# keeps no table: it keeps an observation tree, the prefix tree of every word it asked, with the
// answer at the nodes whose word was asked.  Two nodes are apart when some suffix w leads from both
// to answered nodes with different answers (w is their witness).  The basis is a set of pairwise
// apart nodes (the states found so far, starting with the root); the frontier holds the basis's
// children outside it.  Four rules grow the tree:
//   - promotion: a frontier node apart from every basis node joins the basis;
//   - extension: a basis node without a child for some symbol gets one (its word is asked);
//   - separation: a frontier node compatible with two basis nodes is asked their witness;
//   - confirmation (ours): a frontier node compatible with one basis node is asked, beside it, up to
//     4 of the suffixes that counterexample processing found (below), so that a node of a state
//     not yet in the basis, which separation alone identifies with some basis node, is mostly
//     found apart from it and promoted without an equivalence query;
//   - equivalence: when every frontier node is compatible with exactly one basis node, that map is
//     the hypothesis's transitions.  It is first checked against the tree (a disagreement is a
//     counterexample that costs no equivalence query), then submitted to the oracle.
// A counterexample w is processed as Rivest and Schapire do: with u_i the basis node the hypothesis
// reaches after w[0..i), a binary search finds i where u_i . w[i..] and u_{i+1} . w[i+1..] get
// different answers; u_i . w[i] is then a frontier node newly apart from u_{i+1}, the basis node it
// was identified with, so the next rounds promote or re-identify it; the suffix w[i+1..] joins
// confirmation's (when at most twice as long as the deepest basis node's word plus one: a network's
// counterexamples can be long random words).
// Membership queries: one per tree node asked; with a DFA recognizer each is one lookup of the
// node's state, kept per node (see MembershipOracle).  Cost per promotion: an apartness check of
// every frontier node against the new basis node, each walking the common subtree (most pairs
// differ at the nodes themselves or their children).  Cost per hypothesis: O(k n) to build it and
// one pass over the tree (nodes in id order, a parent before its children) to check it.
// With an exact teacher and confirmation, L# makes 137 equivalence queries for a random 5000-state
// DFA over 10 letters (824 without it), where L* makes 24 (each new suffix is asked of every row),
// with 56% of L*'s membership queries; its time goes to promotion and identification, which scan
// the frontier and the basis (k n^2 checks): see bench/README.md.
#pragma once

#include "bridge/lstar.h"
#include "bridge/lstar_moore.h"

namespace statelab::bridge {

/// L# (see the file comment) with the recognizer as membership oracle.  The result is an
/// LStarResult whose `suffixes` is empty; `access_words` are the basis's words.  Throws
/// InvalidArgument on an empty alphabet, invalid limits or an oracle whose counterexample is none.
LStarResult lsharp(const Recognizer& recognizer, EquivalenceOracle& oracle, const Limits& limits = {});

/// L# for Moore machines, with the tagger's outputs as answers (output queries cached as
/// lstar_moore's).  The result is lstar_moore's: minimal, canonical, initial output settled.
/// Throws InvalidArgument on an empty alphabet, invalid limits or an oracle whose counterexample
/// is none.
MooreLStarResult lsharp_moore(const Tagger& tagger, MooreEquivalenceOracle& oracle, const Limits& limits = {});

}  // namespace statelab::bridge
