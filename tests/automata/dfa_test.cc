#include "automata/dfa.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/graph_concepts.hpp>
#include <boost/graph/strong_components.hpp>

#include "automata/dfa_graph.h"
#include "automata/nfa.h"
#include "base/error.h"
#include "tests/support/generators.h"

namespace statelab::automata {
namespace {

// Odd number of 1s.
Dfa parity() {
  Dfa dfa(Alphabet::from_chars("01"), 2);
  dfa.set_next(0, 0, 0);
  dfa.set_next(0, 1, 1);
  dfa.set_next(1, 0, 1);
  dfa.set_next(1, 1, 0);
  dfa.set_accepting(1);
  return dfa;
}

TEST(Dfa, RunsWords) {
  Dfa dfa = parity();
  EXPECT_TRUE(accepts(dfa, Word{1, 0, 0}));
  EXPECT_FALSE(accepts(dfa, Word{1, 1}));
  EXPECT_FALSE(accepts(dfa, Word{}));
  EXPECT_THROW(accepts(dfa, Word{2}), InvalidArgument);
}

TEST(Dfa, RefusesOutOfRangeStatesAndSymbols) {
  Dfa dfa = parity();
  EXPECT_THROW(dfa.set_next(2, 0, 0), InvalidArgument);
  EXPECT_THROW(dfa.set_next(0, 2, 0), InvalidArgument);
  EXPECT_THROW(dfa.set_initial(5), InvalidArgument);
  EXPECT_THROW(Dfa(Alphabet::from_chars("a"), 0), InvalidArgument);
}

TEST(DfaGraph, ModelsTheBoostGraphConcepts) {
  BOOST_CONCEPT_ASSERT((boost::IncidenceGraphConcept<Dfa>));
  BOOST_CONCEPT_ASSERT((boost::VertexListGraphConcept<Dfa>));
  BOOST_CONCEPT_ASSERT((boost::EdgeListGraphConcept<Dfa>));
  Dfa dfa = parity();
  EXPECT_EQ(num_vertices(dfa), 2u);
  EXPECT_EQ(num_edges(dfa), 4u);
  auto [b, e] = out_edges(State{0}, dfa);
  ASSERT_EQ(e - b, 2);
  EXPECT_EQ(target(*(b + 1), dfa), 1u);
}

TEST(DfaGraph, BreadthFirstSearchAndStrongComponentsRunOnIt) {
  // 0 -a-> 1 -a-> 2 (sink), 3 unreachable.
  Dfa dfa(Alphabet::from_chars("a"), 4);
  dfa.set_next(0, 0, 1);
  dfa.set_next(1, 0, 2);
  dfa.set_next(2, 0, 2);
  dfa.set_next(3, 0, 0);
  std::vector<boost::default_color_type> color(4);
  boost::breadth_first_search(dfa, State{0},
                              boost::color_map(boost::make_iterator_property_map(color.begin(), get(boost::vertex_index, dfa))));
  EXPECT_NE(color[2], boost::white_color);
  EXPECT_EQ(color[3], boost::white_color);
  std::vector<std::size_t> component(4);
  const std::size_t count = boost::strong_components(
      dfa, boost::make_iterator_property_map(component.begin(), get(boost::vertex_index, dfa)));
  EXPECT_EQ(count, 4u);
}

RC_GTEST_PROP(Determinize, AgreesWithNfaSimulation, (const Nfa& nfa)) {
  const Dfa dfa = determinize(nfa);
  const Word w = *testing::gen_word(nfa.alphabet().size(), 8);
  RC_ASSERT(accepts(dfa, w) == accepts(nfa, w));
}

RC_GTEST_PROP(Determinize, OfADfaKeepsItsStates, (const Dfa& dfa)) {
  RC_ASSERT(determinize(to_nfa(dfa)) == dfa);
}

RC_GTEST_PROP(Reverse, AcceptsTheMirrorWords, (const Dfa& dfa)) {
  Word w = *testing::gen_word(dfa.num_symbols(), 8);
  const bool forward = accepts(dfa, w);
  std::reverse(w.begin(), w.end());
  RC_ASSERT(accepts(reverse(dfa), w) == forward);
}

TEST(Determinize, StopsAtItsLimit) {
  // (a|b)* a (a|b)^5 needs 2^6 subset states.
  Nfa nfa(Alphabet::from_chars("ab"), 7);
  nfa.add_initial(0);
  nfa.add_arc(0, 0, 0);
  nfa.add_arc(0, 1, 0);
  nfa.add_arc(0, 0, 1);
  for (State q = 1; q < 6; ++q) {
    nfa.add_arc(q, 0, q + 1);
    nfa.add_arc(q, 1, q + 1);
  }
  nfa.set_accepting(6);
  EXPECT_EQ(determinize(nfa).num_states(), 64u);
  EXPECT_THROW(determinize(nfa, 10), LimitExceeded);
}

}  // namespace
}  // namespace statelab::automata

#include "automata/membership.h"

namespace statelab::automata {
namespace {

RC_GTEST_PROP(Membership, BatchAgreesWithOneWordAtATime, (const Dfa& dfa)) {
  const auto words = *rc::gen::container<std::vector<Word>>(testing::gen_word(dfa.num_symbols(), 20));
  const std::vector<std::uint8_t> batch = accepts_batch(dfa, words);
  RC_ASSERT(batch.size() == words.size());
  for (std::size_t i = 0; i < words.size(); ++i) RC_ASSERT(batch[i] == (accepts(dfa, words[i]) ? 1 : 0));
}

TEST(Membership, BatchRefusesUnknownSymbols) {
  Dfa dfa(Alphabet::from_chars("ab"), 1);
  std::vector<Word> words{{0, 1}, {1, 2}};
  EXPECT_THROW(accepts_batch(dfa, words), InvalidArgument);
}

}  // namespace
}  // namespace statelab::automata
