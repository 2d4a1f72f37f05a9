// Language: one entry of the catalogue, a formal language with everything a dataset, a model or a
// property test needs from it: its alphabet and class, its exact ground truth, membership, exact
// counting by length, exactly uniform sampling of its words of one length, and per-position
// targets (the machine state after each prefix and the symbols that may come next).
//
// Languages are immutable once built and safe to share between threads (their caches lock).
// The catalogue builds them by name (languages/registry.h); a program may also subclass
// Language for a language of its own.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "automata/alphabet.h"
#include "automata/cfg.h"
#include "automata/counter_machine.h"
#include "automata/dfa.h"
#include "automata/limits.h"
#include "automata/pda.h"
#include "languages/exact.h"

namespace statelab::languages {

using automata::Alphabet;
using automata::Symbol;
using automata::Word;

/// Where a language sits in the Chomsky hierarchy, refined by the counter languages (those a
/// deterministic real-time counter machine decides) between regular and context-free.  A language
/// gets the smallest class that holds it: anbncn is a counter language although it is not
/// context-free, since counter languages cut across the hierarchy above the regular ones.
enum class LanguageClass { regular, counter, context_free, context_sensitive };

std::string_view to_string(LanguageClass c);

/// What decides membership exactly.  `dfa`: the minimal DFA (Language::dfa()); `pda`: a pushdown
/// automaton (Language::pda(), automata/pda.h); `cfg`: a context-free grammar (Language::grammar(),
/// Earley); `counter`: a counter machine (Language::counter_machine()); `predicate`: a documented
/// function written directly from the definition (the context-sensitive entries, which none of
/// the engines can hold).
enum class Engine { dfa, pda, cfg, counter, predicate };

std::string_view to_string(Engine e);

struct GroundTruth {
  Engine engine = Engine::predicate;
  /// The definition in words, as `lang show` prints it ("words over {0,1} with an odd number of 1s").
  std::string definition;
};

/// The per-position target after one prefix of a word.
struct PrefixTarget {
  /// The state of the language's reference machine after the prefix; its components are named by
  /// Language::state_names() (a DFA state id, a stack depth, counter values, ...).  Once the
  /// prefix can no longer be extended into the language every component is kDead, except for a
  /// DFA, whose dead state is an ordinary state.
  std::vector<std::int64_t> state;
  /// next[a]: the prefix followed by symbol a is still a prefix of some word of the language.
  std::vector<bool> next;
  /// The prefix itself is in the language (end of word allowed here).
  bool end = false;

  friend bool operator==(const PrefixTarget&, const PrefixTarget&) = default;
};

/// The state value of a prefix no word of the language extends (for non-DFA machines).  A signed
/// state may also take -1 as a live value (majority's ones_minus_zeros), so a prefix is dead
/// when its `next` is all false and `end` is false, not by this value alone.
inline constexpr std::int64_t kDead = -1;

struct LanguageInfo {
  std::string name;  // canonical: base name with every parameter, "dyck:k=2,depth=3"
  Alphabet alphabet;
  LanguageClass language_class = LanguageClass::regular;
  GroundTruth ground_truth;
  std::vector<std::string> state_names;  // the components of PrefixTarget::state
};

/// A LanguageInfo from its parts.
LanguageInfo make_language_info(std::string name, Alphabet alphabet, LanguageClass language_class, Engine engine,
                                std::string definition, std::vector<std::string> state_names);

class Language {
 public:
  virtual ~Language() = default;
  static constexpr std::size_t kMaxRejections = 1'000'000;
  Language(const Language&) = delete;
  Language& operator=(const Language&) = delete;

  const std::string& name() const { return info_.name; }
  const Alphabet& alphabet() const { return info_.alphabet; }
  LanguageClass language_class() const { return info_.language_class; }
  const GroundTruth& ground_truth() const { return info_.ground_truth; }
  const std::vector<std::string>& state_names() const { return info_.state_names; }

  /// The minimal DFA (canonical numbering) when the language is regular, else nullptr.
  virtual const automata::Dfa* dfa() const { return nullptr; }
  /// The pushdown automaton of the language when it has one (its ground truth when engine() is
  /// pda), else nullptr.  Its stack depth after each prefix is the per-position state.
  virtual const automata::Pda* pda() const { return nullptr; }
  /// A context-free grammar of the language when it has one (its ground truth when engine() is
  /// cfg; otherwise the unambiguous grammar it counts and samples with), else nullptr.
  virtual const automata::Cfg* grammar() const { return nullptr; }
  /// The counter machine of the language when it has one (its ground truth when engine() is
  /// counter), else nullptr.  Its counters after each prefix are the per-position state.
  virtual const automata::CounterMachine* counter_machine() const { return nullptr; }

  /// Whether `word` is in the language.  Throws InvalidArgument naming the symbol and its position
  /// when a symbol is outside the alphabet.  Cost: each entry's documentation (linear for all).
  bool contains(std::span<const Symbol> word) const;

  /// The exact number of words of this length in the language, or nothing when the entry cannot
  /// count exactly (an entry of the catalogue always can).
  std::optional<Count> count(std::size_t length) const { return do_count(length); }
  /// The same, calling `progress` with (lengths done, length) when the ground truth is a DFA
  /// (the count then costs O(length^2 k n) bit operations: automata/counting.h); other entries
  /// count without reporting.
  std::optional<Count> count(std::size_t length, const ProgressFn& progress) const;

  /// The number of words of this length; throws InvalidArgument when the entry cannot count.
  Count count_exactly(std::size_t length) const;

  /// A word drawn exactly uniformly among the words of this length in the language, or nothing
  /// when there is none.  Throws InvalidArgument when the entry cannot sample exactly.
  std::optional<Word> sample(std::size_t length, Rng& rng) const { return do_sample(length, rng); }

  /// A word drawn exactly uniformly among the words of this length *not* in the language, or
  /// nothing when there is none.  The default draws uniform words until one is rejected, which
  /// is exactly uniform on the complement; it throws LimitExceeded after kMaxRejections draws
  /// (only when the complement is a tiny fraction of all words).  Regular entries sample the
  /// complement DFA by rank instead, whatever its size.
  std::optional<Word> sample_negative(std::size_t length, Rng& rng) const { return do_sample_negative(length, rng); }

  /// targets[i] after the prefix of length i, for i = 0..|word| (|word| + 1 entries).
  /// Throws InvalidArgument on a symbol outside the alphabet.  Time O(|word| k) at most.
  std::vector<PrefixTarget> targets(std::span<const Symbol> word) const;

  /// Parses and checks a word written as Alphabet::format_word writes it.
  Word parse_word(std::string_view text) const { return alphabet().parse_word(text); }

 protected:
  explicit Language(LanguageInfo info) : info_(std::move(info)) {}

  virtual bool do_contains(std::span<const Symbol> word) const = 0;
  virtual std::optional<Count> do_count(std::size_t length) const = 0;
  virtual std::optional<Word> do_sample(std::size_t length, Rng& rng) const = 0;
  virtual std::optional<Word> do_sample_negative(std::size_t length, Rng& rng) const;
  virtual std::vector<PrefixTarget> do_targets(std::span<const Symbol> word) const = 0;

  /// Throws InvalidArgument naming the first symbol outside the alphabet and its position.
  void check_word(std::span<const Symbol> word, std::string_view what) const;

 private:
  LanguageInfo info_;
};

/// A uniformly random word of this length over the alphabet (any word, in the language or not).
Word uniform_word(std::size_t k, std::size_t length, Rng& rng);

}  // namespace statelab::languages
