// Transition monoids and their algebra: permutation groups with known answers, small monoids
// worked by hand, laws (words realise their elements, the syntactic monoid does not depend on
// the minimiser or the direction of reading), and aperiodicity by two definitions that share no
// code.  The 1470 MLRegTest languages are checked against their published figures in
// tests/automata/monoid_mlregtest_test.cc.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include "automata/boolean_ops.h"
#include "automata/minimize.h"
#include "automata/monoid.h"
#include "automata/nfa.h"
#include "automata/perm_group.h"
#include "automata/regex.h"
#include "base/error.h"
#include "tests/support/generators.h"

namespace statelab::automata {
namespace {

// (0 1 ... m-1) on `degree` points, shifted to start at `from`.
Perm cycle(std::size_t degree, std::vector<std::uint32_t> points) {
  Perm p = identity_perm(degree);
  for (std::size_t i = 0; i < points.size(); ++i) p[points[i]] = points[(i + 1) % points.size()];
  return p;
}

std::vector<std::uint32_t> range(std::uint32_t from, std::uint32_t to) {
  std::vector<std::uint32_t> r(to - from);
  std::iota(r.begin(), r.end(), from);
  return r;
}

std::vector<Perm> symmetric(std::size_t n) { return {cycle(n, {0, 1}), cycle(n, range(0, static_cast<std::uint32_t>(n)))}; }

std::vector<Perm> alternating(std::size_t n) {
  const auto m = static_cast<std::uint32_t>(n);
  return {cycle(n, {0, 1, 2}), n % 2 ? cycle(n, range(0, m)) : cycle(n, range(1, m))};
}

TEST(PermGroup, KnownGroupsHaveTheirOrdersAndDerivedSeries) {
  struct Known {
    const char* name;
    std::vector<Perm> gens;
    std::size_t degree;
    std::vector<std::size_t> series;
    bool abelian;
  };
  const std::vector<Known> known = {
      {"S3", symmetric(3), 3, {6, 3, 1}, false},
      {"S4", symmetric(4), 4, {24, 12, 4, 1}, false},
      {"A4", alternating(4), 4, {12, 4, 1}, false},
      {"A5", alternating(5), 5, {60, 60}, false},
      {"S5", symmetric(5), 5, {120, 60, 60}, false},
      {"Z6", {cycle(6, range(0, 6))}, 6, {6, 1}, true},
      {"Klein four", {cycle(4, {0, 1}), cycle(4, {2, 3})}, 4, {4, 1}, true},
      {"trivial", {}, 3, {1}, true},
  };
  for (const Known& g : known) {
    EXPECT_EQ(group_closure(g.gens, g.degree).size(), g.series.front()) << g.name;
    EXPECT_EQ(derived_series_orders(g.gens, g.degree), g.series) << g.name;
    EXPECT_EQ(is_solvable(g.gens, g.degree), g.series.back() == 1) << g.name;
    EXPECT_EQ(is_abelian(g.gens), g.abelian) << g.name;
  }
  EXPECT_TRUE(is_solvable(symmetric(3), 3));
  EXPECT_TRUE(is_solvable(symmetric(4), 4));
  EXPECT_TRUE(is_solvable(alternating(4), 4));
  EXPECT_FALSE(is_solvable(alternating(5), 5));
  EXPECT_FALSE(is_solvable(symmetric(5), 5));
  EXPECT_FALSE(is_solvable(symmetric(6), 6));
}

TEST(PermGroup, ClosureStopsAtItsLimit) {
  EXPECT_THROW(group_closure(symmetric(6), 6, 700), LimitExceeded);
  EXPECT_EQ(group_closure(symmetric(6), 6, 720).size(), 720u);
  EXPECT_THROW(group_closure(std::vector<Perm>{{0, 0, 1}}, 3), InvalidArgument);
}

// A random permutation of `degree` points, as the order of random keys (shrinks towards the identity).
rc::Gen<Perm> gen_perm(std::size_t degree) {
  return rc::gen::map(rc::gen::container<std::vector<int>>(degree, rc::gen::inRange(0, 100)), [](std::vector<int> keys) {
    Perm p = identity_perm(keys.size());
    std::stable_sort(p.begin(), p.end(), [&](std::uint32_t a, std::uint32_t b) { return keys[a] < keys[b]; });
    return p;
  });
}

// Generators of G x H acting on disjoint points: G's on the first `dg`, H's on the next `dh`.
std::vector<Perm> direct_product(const std::vector<Perm>& g, std::size_t dg, const std::vector<Perm>& h, std::size_t dh) {
  std::vector<Perm> out;
  for (const Perm& x : g) {
    Perm p = identity_perm(dg + dh);
    for (std::size_t i = 0; i < dg; ++i) p[i] = x[i];
    out.push_back(std::move(p));
  }
  for (const Perm& y : h) {
    Perm p = identity_perm(dg + dh);
    for (std::size_t i = 0; i < dh; ++i) p[dg + i] = static_cast<std::uint32_t>(dg + y[i]);
    out.push_back(std::move(p));
  }
  return out;
}

RC_GTEST_PROP(PermGroup, DirectProductIsSolvableExactlyWhenBothFactorsAre, ()) {
  const auto dg = *rc::gen::inRange<std::size_t>(1, 6);
  const auto dh = *rc::gen::inRange<std::size_t>(1, 6);
  const auto g = *rc::gen::container<std::vector<Perm>>(*rc::gen::inRange<std::size_t>(0, 3), gen_perm(dg));
  const auto h = *rc::gen::container<std::vector<Perm>>(*rc::gen::inRange<std::size_t>(0, 3), gen_perm(dh));
  const std::vector<Perm> gh = direct_product(g, dg, h, dh);
  RC_ASSERT(group_closure(gh, dg + dh).size() == group_closure(g, dg).size() * group_closure(h, dh).size());
  RC_ASSERT(is_solvable(gh, dg + dh) == (is_solvable(g, dg) && is_solvable(h, dh)));
  RC_ASSERT(is_abelian(gh) == (is_abelian(g) && is_abelian(h)));
  // Every subgroup of S4 is solvable, so a product of two of them is.
  if (dg <= 4 && dh <= 4) RC_ASSERT(is_solvable(gh, dg + dh));
}

RC_GTEST_PROP(PermGroup, DerivedSubgroupIsNormalAndHoldsEveryCommutator, ()) {
  const auto d = *rc::gen::inRange<std::size_t>(1, 6);
  const auto g = *rc::gen::container<std::vector<Perm>>(*rc::gen::inRange<std::size_t>(1, 3), gen_perm(d));
  const std::vector<Perm> elements = group_closure(g, d);
  const std::vector<Perm> derived = group_closure(derived_subgroup_generators(g, d), d);
  const auto in_derived = [&](const Perm& p) { return std::find(derived.begin(), derived.end(), p) != derived.end(); };
  for (const Perm& x : elements) {
    for (const Perm& y : elements) RC_ASSERT(in_derived(compose(compose(inverse(x), inverse(y)), compose(x, y))));
    for (const Perm& n : derived) RC_ASSERT(in_derived(compose(compose(inverse(x), n), x)));
  }
  RC_ASSERT(elements.size() % derived.size() == 0);
}

// An odd number of 1s.
Dfa parity_dfa() { return regex_to_dfa("0*1(0*10*1)*0*", Alphabet::from_chars("01")); }

// 1 Sigma*: the first symbol is 1 (minimal: start, yes, no).
Dfa first_dfa() { return regex_to_dfa("1(0|1)*", Alphabet::from_chars("01")); }

TEST(Monoid, ParityIsTheGroupOfOrderTwo) {
  const TransitionMonoid m = syntactic_monoid(parity_dfa());
  EXPECT_EQ(m.size(), 2u);
  EXPECT_EQ(m.word(0), Word{});
  EXPECT_EQ(m.word(1), (Word{1}));
  EXPECT_EQ(m.right(0, 0), 0u);  // 0 acts as the identity
  const MonoidAnalysis a = analyze(m);
  EXPECT_EQ(a.j_classes.size(), 1u);
  EXPECT_EQ(a.idempotents, std::vector<Element>{0});
  ASSERT_EQ(a.groups.size(), 1u);
  EXPECT_EQ(a.groups[0].order, 2u);
  EXPECT_TRUE(a.groups[0].abelian);
  EXPECT_TRUE(a.groups[0].solvable);
  EXPECT_EQ(a.groups[0].generators, std::vector<Element>{1});
  EXPECT_EQ(a.monoid_class, MonoidClass::solvable);
  EXPECT_FALSE(a.aperiodic());
}

TEST(Monoid, FirstSymbolIsAperiodicWithTwoJClasses) {
  const TransitionMonoid m = syntactic_monoid(first_dfa());
  // 1, the constant "went to yes" (word 1), the constant "went to no" (word 0).
  EXPECT_EQ(m.size(), 3u);
  const MonoidAnalysis a = analyze(m);
  EXPECT_EQ(a.j_classes.size(), 2u);  // {1} above {0, 1}: the maps of 0 and 1 are L-related
  EXPECT_EQ(a.num_r_classes, 3u);
  EXPECT_EQ(a.num_l_classes, 2u);
  EXPECT_EQ(a.idempotents.size(), 3u);
  EXPECT_EQ(a.monoid_class, MonoidClass::aperiodic);
  EXPECT_EQ(a.nontrivial_groups().size(), 0u);
  EXPECT_TRUE(is_aperiodic_by_powers(m));
}

TEST(Monoid, EmptyAndUniversalLanguagesAreTrivial) {
  Dfa none(Alphabet::from_chars("ab"), 1);
  EXPECT_EQ(analyze(syntactic_monoid(none)).monoid_class, MonoidClass::trivial);
  none.set_accepting(0);
  EXPECT_EQ(analyze(syntactic_monoid(none)).monoid_class, MonoidClass::trivial);
}

TEST(Monoid, LimitIsReportedNeverTruncated) {
  // Two letters generating the full symmetric group S5 on 5 states: 120 elements.
  Dfa dfa(Alphabet::from_chars("ab"), 5);
  for (State q = 0; q < 5; ++q) {
    dfa.set_next(q, 0, q < 2 ? 1 - q : q);
    dfa.set_next(q, 1, (q + 1) % 5);
  }
  dfa.set_accepting(0);
  EXPECT_EQ(transition_monoid(dfa, 120).size(), 120u);
  try {
    transition_monoid(dfa, 119);
    FAIL() << "no LimitExceeded";
  } catch (const LimitExceeded& e) {
    EXPECT_NE(std::string(e.what()).find("more than 119 elements"), std::string::npos) << e.what();
  }
  const MonoidAnalysis a = analyze(transition_monoid(dfa));
  ASSERT_EQ(a.groups.size(), 1u);
  EXPECT_EQ(a.groups[0].order, 120u);
  EXPECT_FALSE(a.groups[0].solvable);
  EXPECT_EQ(a.groups[0].derived_series, (std::vector<std::size_t>{120, 60, 60}));
  EXPECT_EQ(a.monoid_class, MonoidClass::non_solvable);
}

// The Cayley graph of S_n for the generators (0 1) and (0 1 ... n-1): n! states, one per
// permutation, and a transition monoid that is S_n acting on itself, n! elements of n! states.
Dfa symmetric_cayley_dfa(std::uint32_t n) {
  std::vector<Perm> states;
  std::map<Perm, State> id;
  Perm p = identity_perm(n);
  do {
    id[p] = static_cast<State>(states.size());
    states.push_back(p);
  } while (std::next_permutation(p.begin(), p.end()));
  const std::vector<Perm> gens = symmetric(n);
  Dfa dfa(Alphabet::from_chars("ab"), states.size());
  for (State q = 0; q < states.size(); ++q)
    for (Symbol a = 0; a < 2; ++a) dfa.set_next(q, a, id.at(compose(states[q], gens[a])));
  dfa.set_accepting(0);
  return dfa;
}

// A field of /proc/self/status in KiB ("VmHWM", "VmRSS"), or -1 when it cannot be read.
long status_kib(const std::string& field) {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
  return -1;
}

TEST(Monoid, MemoryLimitStopsTheClosureAndBoundsItsPeak) {
  // S7 in its regular representation: 5040 elements of 5040 states, 50 MB of transformations.
  const Dfa dfa = symmetric_cayley_dfa(7);
  const MemoryLimit limit{std::size_t{8} << 20, "--max-memory"};
  // Reset the peak resident size (Linux: "5" to clear_refs), to see what the closure adds to it.
  const bool reset = static_cast<bool>(std::ofstream("/proc/self/clear_refs") << "5");
  const long before = status_kib("VmRSS");
  try {
    transition_monoid(dfa, kDefaultMaxMonoid, limit);
    FAIL() << "no LimitExceeded";
  } catch (const LimitExceeded& e) {
    EXPECT_NE(std::string(e.what()).find("would take more than 8 MiB (raise --max-memory)"), std::string::npos)
        << e.what();
  }
  const long peak = status_kib("VmHWM");
  if (!reset || before < 0 || peak < 0) GTEST_SKIP() << "no /proc/self/clear_refs to measure the peak";
  // The limit, and a little for the allocator and the DFA: far below the 50 MB it would take.
  EXPECT_LT(peak - before, 8 * 1024 + 4 * 1024) << "peak " << peak << " KiB, before " << before << " KiB";
}

TEST(Monoid, MemoryLimitCountsTheAnalysisAndTheGroups) {
  // S6 in its regular representation: the monoid is 1 MB, its group's closure 720 permutations
  // of 720 points (2 MB) more.
  const TransitionMonoid m = transition_monoid(symmetric_cayley_dfa(6));
  EXPECT_LT(m.memory_bytes(), std::size_t{3} << 20);
  EXPECT_GT(m.memory_bytes(), std::size_t{720} * 720 * 2);
  try {
    analyze(m, {std::size_t{3} << 20, "--max-memory"});
    FAIL() << "no LimitExceeded";
  } catch (const LimitExceeded& e) {
    EXPECT_NE(std::string(e.what()).find("a permutation group: "), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("(raise --max-memory)"), std::string::npos) << e.what();
  }
  const MonoidAnalysis a = analyze(m);
  ASSERT_EQ(a.groups.size(), 1u);
  EXPECT_EQ(a.groups[0].order, 720u);
  EXPECT_FALSE(a.groups[0].solvable);
}

TEST(Monoid, ProgressIsReportedUpToTheWholeMonoid) {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> calls;
  const ProgressFn progress = [&](std::uint64_t done, std::uint64_t total) { calls.emplace_back(done, total); };
  const TransitionMonoid m = transition_monoid(symmetric_cayley_dfa(4), kDefaultMaxMonoid, {}, progress);
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls.back(), std::make_pair(std::uint64_t{24}, std::uint64_t{24}));
  for (std::size_t i = 0; i < calls.size(); ++i) {
    EXPECT_LE(calls[i].first, calls[i].second);
    if (i > 0) {
      EXPECT_LE(calls[i - 1].first, calls[i].first);
    }
  }
  calls.clear();
  analyze(m, {}, progress);
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls.back(), std::make_pair(std::uint64_t{24}, std::uint64_t{24}));
}

TEST(Monoid, WideDfasStoreTwoBytesPerState) {
  // A cycle of 300 states on one letter: the cyclic group of order 300.
  Dfa dfa(Alphabet::from_chars("a"), 300);
  for (State q = 0; q < 300; ++q) dfa.set_next(q, 0, (q + 1) % 300);
  dfa.set_accepting(0);
  const TransitionMonoid m = syntactic_monoid(dfa);
  EXPECT_EQ(m.bytes_per_state(), 2u);
  EXPECT_EQ(m.size(), 300u);
  const MonoidAnalysis a = analyze(m);
  ASSERT_EQ(a.groups.size(), 1u);
  EXPECT_EQ(a.groups[0].order, 300u);
  EXPECT_TRUE(a.groups[0].abelian);
  EXPECT_EQ(a.groups[0].generators.size(), 1u);
  EXPECT_EQ(syntactic_monoid(parity_dfa()).bytes_per_state(), 1u);
}

// Small random DFAs: at most 5 states keeps the monoid below |T5| = 3125.
rc::Gen<Dfa> small_dfa() {
  return rc::gen::mapcat(rc::gen::inRange<std::size_t>(1, 4), [](std::size_t k) { return testing::gen_dfa(k, 5); });
}

RC_GTEST_PROP(Monoid, EachElementsWordRealisesItAndIsShortest, ()) {
  const Dfa dfa = *small_dfa();
  const TransitionMonoid m = transition_monoid(dfa);
  std::size_t previous_length = 0;
  for (Element x = 0; x < m.size(); ++x) {
    const Word w = m.word(x);
    RC_ASSERT(m.element_of(w) == x);
    RC_ASSERT(w.size() >= previous_length);  // breadth-first
    previous_length = w.size();
    for (State q = 0; q < dfa.num_states(); ++q) RC_ASSERT(m.image(x, q) == run(dfa, q, w));
  }
  // No word of length <= 4 gives an element beyond the closure, and products agree with words.
  for (const Word& u : testing::all_words(dfa.num_symbols(), 4)) {
    const Element x = m.element_of(u);
    RC_ASSERT(m.word(x).size() <= u.size());
    const Element y = m.element_of(m.word(m.size() - 1));
    Word uv = u;
    const Word v = m.word(y);
    uv.insert(uv.end(), v.begin(), v.end());
    RC_ASSERT(m.multiply(x, y) == m.element_of(uv));
  }
}

RC_GTEST_PROP(Monoid, SyntacticMonoidDoesNotDependOnTheMinimiser, ()) {
  const Dfa dfa = *small_dfa();
  const TransitionMonoid m = syntactic_monoid(dfa);
  RC_ASSERT(transition_monoid(moore_minimize(dfa)).size() == m.size());
  RC_ASSERT(transition_monoid(brzozowski_minimize(dfa)).size() == m.size());
  // The syntactic monoid is a quotient of the transition monoid of any DFA of the language.
  RC_ASSERT(m.size() <= transition_monoid(dfa).size());
  if (is_minimal(dfa)) RC_ASSERT(transition_monoid(dfa).size() == m.size());
  // The complement has the same minimal DFA up to acceptance, so the same monoid.
  RC_ASSERT(syntactic_monoid(complement(dfa)).size() == m.size());
}

// The group orders of a monoid analysis, sorted, with abelian and solvable.
std::vector<std::tuple<std::size_t, bool, bool>> group_summary(const MonoidAnalysis& a) {
  std::vector<std::tuple<std::size_t, bool, bool>> out;
  for (const MaximalSubgroup& g : a.groups) out.emplace_back(g.order, g.abelian, g.solvable);
  std::sort(out.begin(), out.end());
  return out;
}

RC_GTEST_PROP(Monoid, ReversedLanguageHasTheOppositeMonoid, ()) {
  // Synt(reverse L) is Synt(L) with its product reversed: same size, same J-classes, and
  // anti-isomorphic (so isomorphic) maximal subgroups.
  const Dfa dfa = *small_dfa();
  const MonoidAnalysis a = analyze(syntactic_monoid(dfa));
  const MonoidAnalysis r = analyze(syntactic_monoid(determinize(reverse(dfa))));
  RC_ASSERT(a.size == r.size);
  RC_ASSERT(a.j_classes.size() == r.j_classes.size());
  RC_ASSERT(a.num_r_classes == r.num_l_classes);
  RC_ASSERT(a.num_l_classes == r.num_r_classes);
  RC_ASSERT(a.idempotents.size() == r.idempotents.size());
  RC_ASSERT(group_summary(a) == group_summary(r));
  RC_ASSERT(a.monoid_class == r.monoid_class);
}

RC_GTEST_PROP(Monoid, AperiodicByGroupsAgreesWithAperiodicByPowers, ()) {
  const Dfa dfa = *small_dfa();
  const TransitionMonoid m = syntactic_monoid(dfa);
  const MonoidAnalysis a = analyze(m);
  RC_ASSERT(a.aperiodic() == is_aperiodic_by_powers(m));
  // Green's structure: J refines nothing coarser than R and L; the identity's J-class is the group of units.
  for (Element x = 0; x < m.size(); ++x)
    for (Element y = 0; y < m.size(); ++y) {
      if (a.r_class[x] == a.r_class[y] || a.l_class[x] == a.l_class[y]) RC_ASSERT(a.j_class[x] == a.j_class[y]);
    }
  RC_ASSERT(a.j_class[TransitionMonoid::identity()] == 0u);
  for (Element e : a.idempotents) RC_ASSERT(m.multiply(e, e) == e);
  for (const MaximalSubgroup& g : a.groups) RC_ASSERT(m.is_idempotent(g.idempotent));
}

RC_GTEST_PROP(Monoid, EachGroupsGeneratorsGenerateItsHClass, ()) {
  const Dfa dfa = *small_dfa();
  const TransitionMonoid m = syntactic_monoid(dfa);
  const MonoidAnalysis a = analyze(m);
  for (const MaximalSubgroup& g : a.groups) {
    const Element e = g.idempotent;
    std::vector<Element> h{e};  // the closure of the generators under the monoid's product
    for (std::size_t i = 0; i < h.size(); ++i)
      for (Element s : g.generators) {
        const Element y = m.multiply(h[i], s);
        if (std::find(h.begin(), h.end(), y) == h.end()) h.push_back(y);
      }
    RC_ASSERT(h.size() == g.order);
    for (Element x : h) {
      RC_ASSERT(a.r_class[x] == a.r_class[e] && a.l_class[x] == a.l_class[e]);  // inside e's H-class
      RC_ASSERT(m.multiply(e, x) == x && m.multiply(x, e) == x);
    }
    std::size_t h_class = 0;
    for (Element x = 0; x < m.size(); ++x) h_class += a.r_class[x] == a.r_class[e] && a.l_class[x] == a.l_class[e];
    RC_ASSERT(h_class == g.order);
    RC_ASSERT(group_closure(g.permutations, g.points.size()).size() == g.order);
  }
}

// Green's relations from their definitions, by brute force over the multiplication table:
// x R y iff xM = yM, x L y iff Mx = My, x J y iff MxM = MyM.  Time O(|M|^3 n).
RC_GTEST_PROP(Monoid, GreensRelationsAgreeWithTheirDefinitions, ()) {
  const Dfa dfa = *rc::gen::mapcat(rc::gen::inRange<std::size_t>(1, 4),
                                   [](std::size_t k) { return testing::gen_dfa(k, 4); });
  const TransitionMonoid m = syntactic_monoid(dfa);
  RC_CLASSIFY(m.size() > 60, "monoid too large for the brute force: skipped");
  if (m.size() > 60) return;
  const std::size_t size = m.size();
  std::vector<std::vector<Element>> table(size, std::vector<Element>(size));
  for (Element x = 0; x < size; ++x)
    for (Element y = 0; y < size; ++y) table[x][y] = m.multiply(x, y);
  using Ideal = std::vector<bool>;
  std::vector<Ideal> right(size, Ideal(size)), left(size, Ideal(size)), two_sided(size, Ideal(size));
  for (Element x = 0; x < size; ++x)
    for (Element u = 0; u < size; ++u) {
      right[x][table[x][u]] = true;
      left[x][table[u][x]] = true;
      for (Element v = 0; v < size; ++v) two_sided[x][table[table[u][x]][v]] = true;
    }
  const MonoidAnalysis a = analyze(m);
  for (Element x = 0; x < size; ++x)
    for (Element y = 0; y < size; ++y) {
      RC_ASSERT((a.r_class[x] == a.r_class[y]) == (right[x] == right[y]));
      RC_ASSERT((a.l_class[x] == a.l_class[y]) == (left[x] == left[y]));
      RC_ASSERT((a.j_class[x] == a.j_class[y]) == (two_sided[x] == two_sided[y]));
    }
  std::size_t idempotents = 0;
  for (Element x = 0; x < size; ++x) idempotents += table[x][x] == x;
  RC_ASSERT(a.idempotents.size() == idempotents);
}

RC_GTEST_PROP(Monoid, RenumberingTheStatesKeepsTheMonoid, ()) {
  const Dfa dfa = *small_dfa();
  const std::size_t n = dfa.num_states();
  const Perm p = *gen_perm(n);
  Dfa renamed(dfa.alphabet(), n);
  for (State q = 0; q < n; ++q) {
    for (Symbol a = 0; a < dfa.num_symbols(); ++a) renamed.set_next(p[q], a, p[dfa.next(q, a)]);
    renamed.set_accepting(p[q], dfa.is_accepting(q));
  }
  renamed.set_initial(p[dfa.initial()]);
  const TransitionMonoid a = transition_monoid(dfa), b = transition_monoid(renamed);
  RC_ASSERT(a.size() == b.size());
  for (Element x = 0; x < a.size(); ++x) RC_ASSERT(b.element_of(a.word(x)) == x);  // same BFS order
}

}  // namespace
}  // namespace statelab::automata
