// What the algebra of a regular language predicts about neural architectures: for each
// architecture of models/, whether it can represent the language exactly, at every input length,
// with finite precision: `yes`, `no` or `open`, with a one-line reason and the paper it comes
// from.  The predictions come from one table of rules (expressivity_rules()), data rather than
// code paths: a rule names an architecture, a condition on the syntactic monoid
// (automata/monoid.h), an answer, a reason and a source.  The first rule of an architecture whose
// condition holds gives its prediction, so a new result is one new row, placed before the rows it
// refines.  docs/algebra.md prints the table.
//
// Architecture names are those of models/ (`rnn`, `lstm`, `gru`, `transformer`, `s4d`, `mamba`,
// `ids4`, `slstm`, `mlstm`, `deltanet`, `gated-deltanet`, `deltaproduct`, `cdssm`), plus
// `transformer-nope` for Li and Cotterell's transformer: without positional encoding, strict
// masking and the decision at an end marker (`--pos none --strict-mask --end-marker`),
// `s4d-negative`, `mamba-negative`, `deltanet-negative`, `gated-deltanet-negative` and
// `deltaproduct-negative` for the models built with negative_eigenvalues = true (transitions with
// eigenvalues in [-1, 1] instead of [0, 1]).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "automata/monoid.h"
#include "models/model_config.h"

namespace statelab::bridge {

enum class Answer { yes, no, open };

std::string_view to_string(Answer a);

/// The facts about a syntactic monoid that the rules test.
struct AlgebraicFacts {
  automata::MonoidClass monoid_class = automata::MonoidClass::trivial;
  /// The monoid is a group (every letter permutes the states of the minimal DFA).
  bool is_group = false;
  /// ... of exponent two (every element is its own inverse: Z2 x ... x Z2; parity and its kin).
  bool group_of_exponent_two = false;
  /// ... cyclic of an order that is not a power of two (counting modulo m, m != 2^i).
  bool cyclic_group_not_power_of_two = false;
  /// ... solvable, of this derived length (automata::derived_length; absent when not a group or not solvable).
  std::optional<std::size_t> derived_length;
  /// Every R-class is one element (x M = y M only for x = y): the languages of partially ordered
  /// DFAs, whose states are never left once left (Brzozowski and Fich 1980).
  bool r_trivial = false;
  /// Every letter realises the same element: membership depends on the length only.
  bool letters_act_alike = false;
};

/// The facts of `monoid`, given its analysis.  Time O(|gens| degree) of the group at the identity,
/// plus O(letters).
AlgebraicFacts algebraic_facts(const automata::TransitionMonoid& monoid, const automata::MonoidAnalysis& analysis);

/// When a rule applies.
enum class Condition {
  any_regular,                    // every regular language
  trivial,                        // the monoid has one element
  star_free,                      // trivial or aperiodic
  not_star_free,                  // some subgroup is not trivial
  group_of_exponent_two,          // AlgebraicFacts::group_of_exponent_two
  cyclic_group_not_power_of_two,  // AlgebraicFacts::cyclic_group_not_power_of_two
  non_solvable,                   // some subgroup is not solvable
  nontrivial_group,               // the monoid is a group with more than one element
  solvable_group,                 // the monoid is a non-trivial solvable group (AlgebraicFacts::derived_length)
  r_trivial,                      // AlgebraicFacts::r_trivial
  length_periodic,                // not star-free, and the letters act alike: (aa)*, length mod p
};

std::string_view to_string(Condition c);

/// Whether the condition holds for a language with these facts.
bool holds(Condition c, const AlgebraicFacts& facts);

struct Rule {
  std::string_view architecture;
  Condition condition;
  Answer answer;
  std::string_view reason;  // one line
  std::string_view source;  // the paper(s)
  /// The answer holds with at least derived_length layers (solvable_group rules): predict says how many.
  bool depth_is_derived_length = false;
};

/// The table, in the order it is consulted.
const std::vector<Rule>& expressivity_rules();

/// The architectures the table covers, in the order predictions are listed.
const std::vector<std::string_view>& architectures();

struct Prediction {
  std::string architecture;
  Answer answer = Answer::open;
  std::string reason;
  std::string source;
  /// When > 0: the answer needs at least this many layers (and that many suffice).
  std::size_t layers = 0;
};

/// One prediction per architecture: the first rule whose condition holds.  Time O(rules).
std::vector<Prediction> predict(const AlgebraicFacts& facts);

/// The column of the table that speaks for a model built with `config`: its cell_name, with
/// "-negative" for every architecture that reads negative_eigenvalues and has it set, and
/// "transformer-nope" for a transformer without positional encoding, with strict masking and an
/// end marker (Li and Cotterell's model; without them it is "transformer").  `track` names a
/// checkpoint's column with it, `report` a sweep cell's (bridge/results.h's architecture_of).
std::string expressivity_architecture(const models::ModelConfig& config);

}  // namespace statelab::bridge
