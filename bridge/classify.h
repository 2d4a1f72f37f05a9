// The algebraic classification of a regular language, as `statelab classify` prints it and
// statelab.classify returns it: the minimal DFA, its transition monoid (the syntactic monoid),
// Green's relations, the non-trivial maximal subgroups, the class (trivial, aperiodic, solvable,
// non-solvable), and what that predicts for each architecture (bridge/expressivity.h).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "automata/dfa.h"
#include "automata/limits.h"
#include "automata/monoid.h"
#include "bridge/expressivity.h"

namespace statelab::bridge {

struct Classification {
  std::string language;  // its name (a catalogue name, a file)
  automata::Dfa minimal;
  automata::TransitionMonoid monoid;
  automata::MonoidAnalysis analysis;
  AlgebraicFacts facts;  // what the rules test (R-triviality among them), from monoid and analysis
  std::vector<Prediction> predictions;
  std::size_t regular_j_classes = 0;
};

/// Classifies the language `dfa` accepts (minimised first).  The monoid's closure reports to
/// `closure`, Green's relations to `green`.  Throws LimitExceeded past max_monoid elements or
/// `memory` (automata/monoid.h), before the monoid grows past them.
Classification classify(std::string language, const automata::Dfa& dfa,
                        std::size_t max_monoid = automata::kDefaultMaxMonoid, const MemoryLimit& memory = {},
                        const ProgressFn& closure = {}, const ProgressFn& green = {});

/// The keys of `statelab classify --json`: language, states, symbols, monoid_size, idempotents,
/// j_classes, regular_j_classes, r_classes, l_classes, aperiodic, groups (order, abelian,
/// solvable, derived_series, j_class, degree; with `witness` the words of an idempotent and of
/// generators), class, predictions (architecture -> answer, reason, source, and layers when a
/// depth is needed).
std::string to_json(const Classification& classification, bool witness = false);

}  // namespace statelab::bridge
