#include "automata/perm_group.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <numeric>
#include <optional>
#include <set>

#include "base/error.h"
#include "tests/support/perm_oracle.h"

namespace statelab::automata {
namespace {

// The group axioms on the full multiplication table: closure (by construction of indices),
// associativity, the identity, inverses.  Time O(|G|^3) for associativity, so only small groups
// check every triple; larger ones check every pair with a third element from a fixed stride.
void expect_group_axioms(const PermutationGroup& g) {
  const std::uint32_t n = static_cast<std::uint32_t>(g.order());
  ASSERT_TRUE(is_identity(g.element(PermutationGroup::identity())));
  for (std::uint32_t a = 0; a < n; ++a) {
    EXPECT_EQ(g.multiply(a, 0), a);
    EXPECT_EQ(g.multiply(0, a), a);
    EXPECT_EQ(g.multiply(a, g.inverse_of(a)), 0u);
    EXPECT_EQ(g.multiply(g.inverse_of(a), a), 0u);
    std::set<std::uint32_t> row;  // Latin square: each row is a permutation of the elements
    for (std::uint32_t b = 0; b < n; ++b) {
      // The table agrees with composing the permutations directly.
      ASSERT_EQ(g.element(g.multiply(a, b)), compose(g.element(a), g.element(b)));
      row.insert(g.multiply(a, b));
      const std::uint32_t stride = n <= 30 ? 1 : n / 7 + 1;
      for (std::uint32_t c = 0; c < n; c += stride)
        ASSERT_EQ(g.multiply(g.multiply(a, b), c), g.multiply(a, g.multiply(b, c)));
    }
    EXPECT_EQ(row.size(), n);
  }
}

std::size_t factorial(std::size_t n) { return n <= 1 ? 1 : n * factorial(n - 1); }

TEST(PermutationGroup, KnownOrdersOfTheNamedGroups) {
  EXPECT_EQ(make_group("Z2").order(), 2u);
  EXPECT_EQ(make_group("Z3").order(), 3u);
  EXPECT_EQ(make_group("Z60").order(), 60u);
  EXPECT_EQ(make_group("S3").order(), 6u);
  EXPECT_EQ(make_group("S4").order(), 24u);
  EXPECT_EQ(make_group("A4").order(), 12u);
  EXPECT_EQ(make_group("A4xZ5").order(), 60u);
  EXPECT_EQ(make_group("A5").order(), 60u);
  EXPECT_EQ(make_group("S5").order(), 120u);
  for (std::size_t n = 1; n <= 6; ++n) {
    EXPECT_EQ(make_group(std::string("S").append(std::to_string(n))).order(), factorial(n)) << n;
    EXPECT_EQ(make_group(std::string("A").append(std::to_string(n))).order(), n < 2 ? 1 : factorial(n) / 2) << n;
  }
  for (std::size_t n = 3; n <= 12; ++n) EXPECT_EQ(make_group(std::string("D").append(std::to_string(n))).order(), 2 * n) << n;
  for (std::size_t m = 1; m <= 40; ++m) EXPECT_EQ(make_group(std::string("Z").append(std::to_string(m))).order(), m) << m;
  EXPECT_EQ(make_group("Z2xZ2xS3").order(), 24u);
}

TEST(PermutationGroup, TablesSatisfyTheGroupAxioms) {
  for (const char* name : {"Z2", "Z3", "Z6", "Z60", "S3", "S4", "A4", "A4xZ5", "A5", "S5", "D5", "Z2xS3"}) {
    SCOPED_TRACE(name);
    expect_group_axioms(make_group(name));
  }
}

TEST(PermutationGroup, CyclicGroupsAreCyclicAndAlternatingGroupsEven) {
  const PermutationGroup z60 = make_group("Z60");
  std::size_t max_order = 0;
  for (const Perm& p : z60.elements()) max_order = std::max(max_order, static_cast<std::size_t>(perm_order(p)));
  EXPECT_EQ(max_order, 60u);
  EXPECT_EQ(z60.degree(), 12u);  // 4 + 3 + 5 points
  // An element is even when (degree - number of cycles) is even.
  const PermutationGroup a5 = make_group("A5");
  for (const Perm& p : a5.elements()) {
    std::vector<bool> seen(p.size());
    std::size_t cycles = 0;
    for (std::size_t x = 0; x < p.size(); ++x) {
      if (seen[x]) continue;
      ++cycles;
      for (std::size_t y = x; !seen[y]; y = p[y]) seen[y] = true;
    }
    EXPECT_EQ((p.size() - cycles) % 2, 0u) << cycle_notation(p);
  }
}

TEST(PermutationGroup, CycleNotationRoundTrips) {
  const PermutationGroup s5 = make_group("S5");
  std::set<std::string> names;
  for (std::uint32_t i = 0; i < s5.order(); ++i) {
    const std::string name = s5.element_name(i);
    names.insert(name);
    EXPECT_EQ(parse_cycles(name, 5), s5.element(i)) << name;
    EXPECT_EQ(s5.element_named(name), i);
  }
  EXPECT_EQ(names.size(), 120u);
  EXPECT_EQ(s5.element_name(0), "e");
  EXPECT_EQ(cycle_notation(parse_cycles("(3,1)(5,4)", 5)), "(1,3)(4,5)");
  EXPECT_EQ(compose(parse_cycles("(1,2)", 3), parse_cycles("(2,3)", 3)), parse_cycles("(1,3,2)", 3));  // 1->2->3
}

TEST(PermutationGroup, BadNamesAndCyclesSayWhatIsExpected) {
  EXPECT_THROW(make_group("Q8"), InvalidArgument);
  EXPECT_THROW(make_group("Z0"), InvalidArgument);
  EXPECT_THROW(make_group("D2"), InvalidArgument);
  EXPECT_THROW(make_group("S"), InvalidArgument);
  EXPECT_THROW(make_group("A4x"), InvalidArgument);
  EXPECT_THROW(make_group("S9"), LimitExceeded);  // 362880 > the default limit
  try {
    make_group("Q8");
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("Sn (symmetric"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_cycles("(1,2", 3), InvalidArgument);
  EXPECT_THROW(parse_cycles("(1,1)", 3), InvalidArgument);
  EXPECT_THROW(parse_cycles("(1,4)", 3), InvalidArgument);
  EXPECT_THROW(make_group("A4").element_named("(1,2)"), InvalidArgument);  // odd: not in A4
}


// The one library against the naive oracle of tests/support/: the same elements, for the named
// groups and for random generating sets.
TEST(PermutationGroup, NamedGroupsAgreeWithTheNaiveOracle) {
  for (const char* name : {"Z1", "Z6", "S3", "S4", "A4", "D5", "Z2xZ2xS3", "A5"}) {
    const PermutationGroup g = make_group(name);
    const std::set<Perm> oracle = test::oracle_closure(g.generator_perms(), g.degree());
    EXPECT_EQ(std::set<Perm>(g.elements().begin(), g.elements().end()), oracle) << name;
    EXPECT_EQ(g.order(), oracle.size()) << name;
  }
}

RC_GTEST_PROP(PermutationGroup, ClosureOfRandomGeneratorsAgreesWithTheNaiveOracle, ()) {
  const std::size_t degree = *rc::gen::inRange<std::size_t>(1, 6);
  const std::size_t count = *rc::gen::inRange<std::size_t>(0, 3);
  std::vector<Perm> gens;
  for (std::size_t i = 0; i < count; ++i) {
    Perm p = identity_perm(degree);
    for (std::size_t x = degree; x > 1; --x)
      std::swap(p[x - 1], p[*rc::gen::inRange<std::size_t>(0, x)]);
    gens.push_back(std::move(p));
  }
  const std::vector<Perm> closure = group_closure(gens, degree);
  RC_ASSERT(std::set<Perm>(closure.begin(), closure.end()) == test::oracle_closure(gens, degree));
  const PermutationGroup g("random", degree, gens);
  RC_ASSERT(g.order() == closure.size());
}

}  // namespace
}  // namespace statelab::automata

namespace statelab::automata {
namespace {

// The derived length against a naive derived series: G^(i+1) is the closure (the oracle's) of
// every commutator a^-1 b^-1 a b of two elements of G^(i), until the group stops shrinking.
std::optional<std::size_t> naive_derived_length(const std::vector<Perm>& generators, std::size_t degree) {
  std::set<test::OraclePerm> g = test::oracle_closure(generators, degree);
  for (std::size_t length = 0;; ++length) {
    if (g.size() == 1) return length;
    std::vector<test::OraclePerm> commutators;
    for (const auto& a : g)
      for (const auto& b : g) {
        test::OraclePerm ai(degree), bi(degree), c(degree);
        for (std::size_t x = 0; x < degree; ++x) ai[a[x]] = static_cast<std::uint32_t>(x), bi[b[x]] = static_cast<std::uint32_t>(x);
        for (std::size_t x = 0; x < degree; ++x) c[x] = b[a[bi[ai[x]]]];  // a^-1, b^-1, a, b in turn
        commutators.push_back(std::move(c));
      }
    std::set<test::OraclePerm> next = test::oracle_closure(commutators, degree);
    if (next.size() == g.size()) return std::nullopt;  // perfect: not solvable
    g = std::move(next);
  }
}

TEST(PermutationGroup, DerivedLengthIsTheLengthOfTheDerivedSeries) {
  const std::map<std::string, std::optional<std::size_t>> known = {
      {"S1", 0}, {"Z2", 1},  {"Z12", 1}, {"Z2xZ2xZ2", 1}, {"S3", 2},           {"D5", 2},
      {"A4", 2}, {"S4", 3},  {"A4xZ5", 2}, {"A5", std::nullopt}, {"S5", std::nullopt}};
  for (const auto& [name, expected] : known) {
    const PermutationGroup g = make_group(name);
    const std::vector<Perm> gens = g.generator_perms();
    EXPECT_EQ(derived_length(gens, g.degree()), expected) << name;
    EXPECT_EQ(naive_derived_length(gens, g.degree()), expected) << name;
    const std::vector<std::size_t> series = derived_series_orders(gens, g.degree());
    EXPECT_EQ(derived_length(std::span<const std::size_t>(series)), expected) << name;
  }
  EXPECT_EQ(derived_length(std::span<const std::size_t>()), std::nullopt);
}

}  // namespace
}  // namespace statelab::automata
