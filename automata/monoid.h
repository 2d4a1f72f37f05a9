// The transition monoid of a DFA and its algebra: the closure of the letters' state maps under
// composition (identity included), computed on the minimal complete DFA so that it is the
// syntactic monoid of the language; its idempotents; Green's relations R, L and J; for each
// regular J-class its maximal subgroup (the H-class of an idempotent) as a permutation group on
// the idempotent's image, with its order and whether it is abelian and solvable; and from these
// the algebraic class of the language:
//   trivial       the monoid has one element (the empty language or all words);
//   aperiodic     every subgroup is trivial: star-free, first-order definable, in AC0
//                 (Schutzenberger 1965; McNaughton and Papert 1971);
//   solvable      some subgroup is not trivial, all are solvable: in ACC0 (Barrington and
//                 Therien 1988);
//   non-solvable  some subgroup is not solvable: NC1-complete (Barrington 1989).
//
// Conventions: an element is a transformation t of the DFA's states, t[q] = the state reached
// from q by reading a word that realises it; the product x*y applies x first and then y (as the
// word of x followed by the word of y).  Element 0 is the identity (the empty word); the others
// are numbered breadth-first, multiplying on the right by the letters in symbol order, so each
// element's word is the shortest, then shortlex-least, word that realises it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <variant>
#include <vector>

#include "automata/dfa.h"
#include "automata/limits.h"
#include "automata/perm_group.h"

namespace statelab::automata {

using Element = std::uint32_t;

/// The largest monoid built unless asked otherwise.
inline constexpr std::size_t kDefaultMaxMonoid = 100'000;

namespace detail {
/// Transformations of n states, back to back in blocks of 2^shift transformations (at most
/// about 1 MiB, at least one), so that growing never moves what is stored.
template <class T>
struct MonoidStore {
  std::size_t n = 0, shift = 0, count = 0;
  std::vector<std::vector<T>> blocks;
  explicit MonoidStore(std::size_t states = 0) : n(states) {
    while ((std::size_t{2} << shift) * n * sizeof(T) <= (std::size_t{1} << 20) && shift < 20) ++shift;
  }
  const T* at(Element x) const { return blocks[x >> shift].data() + (x & ((std::size_t{1} << shift) - 1)) * n; }
  void push(const T* t) {
    const std::size_t per_block = std::size_t{1} << shift;
    if ((count & (per_block - 1)) == 0) {
      blocks.emplace_back();
      blocks.back().reserve(per_block * n);
    }
    blocks.back().insert(blocks.back().end(), t, t + n);
    ++count;
  }
};
}  // namespace detail

class TransitionMonoid {
 public:
  TransitionMonoid() = default;

  const Alphabet& alphabet() const { return alphabet_; }
  /// The number of elements, identity included.
  std::size_t size() const { return parent_.size(); }
  /// The number of states the transformations act on.
  std::size_t degree() const { return degree_; }
  std::size_t num_symbols() const { return alphabet_.size(); }

  static constexpr Element identity() { return 0; }
  /// Where element x sends state q.  Time O(1).
  State image(Element x, State q) const;
  /// The transformation of x as a list of images.  Time O(degree).
  std::vector<State> transformation(Element x) const;
  /// The element x*a (x, then the letter a).  Time O(1): the right Cayley graph is stored.
  Element right(Element x, Symbol a) const { return right_[static_cast<std::size_t>(x) * num_symbols() + a]; }
  /// The element x*y.  Time O(degree) expected.
  Element multiply(Element x, Element y) const;
  /// The element that realises `word` (the identity for the empty word).  Time O(|word|).
  /// Throws InvalidArgument on a symbol outside the alphabet.
  Element element_of(std::span<const Symbol> word) const;
  /// The element with this transformation, or nothing.  Time O(degree) expected.
  std::optional<Element> find(std::span<const State> transformation) const;
  /// The shortest (then shortlex-least) word that realises x.  Time O(|word|).
  Word word(Element x) const;
  /// Whether x*x = x.  Time O(degree).
  bool is_idempotent(Element x) const;

  /// Bytes per state in the stored transformations: 1, 2 or 4, the least that holds a state id.
  std::size_t bytes_per_state() const;
  /// The bytes the monoid holds: its transformations, Cayley graph, words and hash table.
  std::size_t memory_bytes() const;

 private:
  template <class T>
  friend struct MonoidBuilder;
  friend TransitionMonoid transition_monoid(const Dfa& dfa, std::size_t max_elements, const MemoryLimit& memory,
                                            const ProgressFn& progress);

  // Transformations stored back to back, `degree_` entries each, in the narrowest type.
  std::variant<detail::MonoidStore<std::uint8_t>, detail::MonoidStore<std::uint16_t>,
               detail::MonoidStore<std::uint32_t>>
      data_;
  Alphabet alphabet_;
  std::size_t degree_ = 0;
  std::vector<Element> right_;    // size x symbols
  std::vector<Element> parent_;   // the BFS tree: word(x) = word(parent) + last
  std::vector<Symbol> last_;      // last_[0] unused
  std::vector<Element> slots_;    // open-addressing hash table of element ids + 1 (0 = empty)
};

/// The transition monoid of `dfa` acting on all its states, as given (not minimised).
/// Breadth-first closure of the letters' maps.  Time O(|M| k n) expected, space O(|M| (n + k))
/// for |M| elements, k symbols and n states.  Throws LimitExceeded when the monoid has more
/// than `max_elements` elements, or when it would hold more than `memory` bytes: every
/// structure is counted (transformations, hash table, Cayley graph, words), each checked before
/// it grows, so the peak stays within the limit (never a truncated monoid).  `progress` is
/// called with (elements expanded, elements found so far) as the closure proceeds.
TransitionMonoid transition_monoid(const Dfa& dfa, std::size_t max_elements = kDefaultMaxMonoid,
                                   const MemoryLimit& memory = {}, const ProgressFn& progress = {});

/// The syntactic monoid of the language `dfa` accepts: the transition monoid of its minimal
/// complete DFA (automata/minimize.h, dead state included).  Time O(k n log n) + as above.
TransitionMonoid syntactic_monoid(const Dfa& dfa, std::size_t max_elements = kDefaultMaxMonoid,
                                  const MemoryLimit& memory = {}, const ProgressFn& progress = {});

/// A maximal subgroup of the monoid: the H-class of an idempotent e of a regular J-class, as a
/// permutation group on the states of e's image (all such H-classes of one J-class are
/// isomorphic, so one per regular J-class describes them all).
struct MaximalSubgroup {
  std::size_t j_class = 0;
  Element idempotent = 0;            // e, the J-class's idempotent with the shortest word
  std::vector<State> points;         // e's image, ascending: the points the group permutes
  std::size_t order = 1;
  bool abelian = true;
  bool solvable = true;
  std::vector<std::size_t> derived_series;  // |G| > |G'| > ... (automata/perm_group.h)
  /// Elements of the H-class that generate it, greedily in element order (shortest words
  /// first); empty for the trivial group.  Their words show the group inside the language.
  std::vector<Element> generators;
  /// The same generators as permutations of `points` (indices into it).
  std::vector<Perm> permutations;
};

struct JClass {
  std::size_t size = 0;
  bool regular = false;                // holds an idempotent
  std::size_t idempotents = 0;
  std::optional<Element> idempotent;   // the one with the shortest word, when regular
};

enum class MonoidClass { trivial, aperiodic, solvable, non_solvable };

std::string_view to_string(MonoidClass c);

/// Green's structure of a finite monoid and its maximal subgroups.
struct MonoidAnalysis {
  std::size_t size = 0;
  std::vector<Element> idempotents;      // ascending
  std::vector<std::uint32_t> r_class;    // per element: its R-class, numbered from 0
  std::vector<std::uint32_t> l_class;    // per element: its L-class
  std::vector<std::uint32_t> j_class;    // per element: its J-class (= D-class, M finite)
  std::size_t num_r_classes = 0;
  std::size_t num_l_classes = 0;
  std::vector<JClass> j_classes;         // numbered by their least element; J-class 0 holds the identity
  std::vector<MaximalSubgroup> groups;   // one per regular J-class, in J-class order
  MonoidClass monoid_class = MonoidClass::trivial;

  /// Whether every maximal subgroup is trivial (Schutzenberger: the language is star-free).
  bool aperiodic() const { return monoid_class == MonoidClass::trivial || monoid_class == MonoidClass::aperiodic; }
  /// The regular J-classes' groups that are not trivial.
  std::vector<const MaximalSubgroup*> nontrivial_groups() const;
};

/// Green's relations by strongly connected components: R-classes of the right Cayley graph,
/// L-classes of the left one, J-classes of their union (x J y iff each is a two-sided multiple
/// of the other); idempotents; and each regular J-class's maximal subgroup with its derived
/// series.  Time O(|M| k n) expected for the left Cayley graph and the idempotents, plus the
/// subgroups' derived series (automata/perm_group.h).  The monoid and everything the analysis
/// builds (Cayley graphs, components, the groups' elements as permutations) stay within
/// `memory`, checked before each structure is built: LimitExceeded past it.  `progress` is
/// called with (elements done, |M|) while the left Cayley graph is built, the longest step.
MonoidAnalysis analyze(const TransitionMonoid& monoid, const MemoryLimit& memory = {}, const ProgressFn& progress = {});

/// Aperiodicity by its other definition, sharing no code with analyze(): every element x has
/// x^m = x^(m+1) for some m (a test oracle).  Time O(|M| n |M|) at worst, O(|M| n) typically.
bool is_aperiodic_by_powers(const TransitionMonoid& monoid);

}  // namespace statelab::automata
