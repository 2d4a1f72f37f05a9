// EngineLanguage: a language whose ground truth is one of the engines of automata/ beyond finite
// automata -- a pushdown automaton (automata/pda.h), a context-free grammar (automata/cfg.h) or a
// counter machine (automata/counter_machine.h) -- with membership, counting, sampling and the
// per-position targets all computed by those engines:
//
// - membership by the ground-truth engine: automata::accepts on the PDA (linear when it is
//   deterministic, cubic otherwise), Earley on the grammar, or the counter machine's run;
// - counting and exactly uniform sampling by automata::CfgCounter over a grammar whose
//   derivations are in bijection with the words (an unambiguous grammar), or by a closed form
//   the entry gives (for the counter languages that are not context-free);
// - targets: for a counter machine (deterministic) the configuration after each prefix -- its
//   counters, or a value the entry derives from them -- with `next` the symbols the machine can
//   read there and `end` its acceptance; for a PDA or a grammar the facts of Earley's chart
//   (automata/cfg_prefix.h) over the grammar (the PDA's own, by automata::to_cfg, when none is
//   given) for `next` and `end`, and the stack depth of the deterministic PDA's run (bottom
//   symbol excluded) as the state.
//
// The catalogue's context-free and counter entries (languages/entries.h) and `file:` languages
// are EngineLanguages.  The machines are immutable; the counting tables grow on demand under a
// lock, so a language is safe to share between threads.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "automata/cfg.h"
#include "automata/cfg_count.h"
#include "automata/counter_machine.h"
#include "automata/pda.h"
#include "languages/language.h"

namespace statelab::languages {

/// The machines of one language; the one its ground truth names must be present.
struct Engines {
  std::optional<automata::Pda> pda;
  std::optional<automata::Cfg> grammar;
  std::optional<automata::CounterMachine> counter_machine;
};

/// Counting and sampling by formulas, for languages no unambiguous grammar describes (anbncn,
/// shuffle-dyck, majority).  Both or neither.
struct ClosedForm {
  std::function<Count(std::size_t)> count;
  std::function<std::optional<Word>(std::size_t, Rng&)> sample;
};

struct EngineOptions {
  /// The grammar's derivation trees are in bijection with the words (it is unambiguous): it
  /// counts and samples.  A promise, since ambiguity is undecidable; the catalogue's grammars
  /// keep it and `file:` grammars are checked against enumeration on short lengths.
  bool grammar_counts = false;
  ClosedForm closed_form;
  /// The per-position state of a counter machine's configuration; unset: its counters.
  std::function<std::vector<std::int64_t>(const automata::CounterConfig&)> counter_state;
};

class EngineLanguage final : public Language {
 public:
  /// `info.ground_truth.engine` is pda, cfg or counter, and `engines` holds that machine with
  /// `info.alphabet` as its input alphabet; so does every other machine given.  `state_names`
  /// must match the targets: one name per counter (or per value of `counter_state`) for a
  /// deterministic counter machine, one (the stack depth) for a deterministic PDA, none otherwise.
  /// Throws InvalidArgument when these do not hold, or when the grammar is said to count but
  /// has words with infinitely many derivations.
  EngineLanguage(LanguageInfo info, Engines engines, EngineOptions options = {});

  const automata::Pda* pda() const override { return engines_.pda ? &*engines_.pda : nullptr; }
  const automata::Cfg* grammar() const override { return engines_.grammar ? &*engines_.grammar : nullptr; }
  const automata::CounterMachine* counter_machine() const override {
    return engines_.counter_machine ? &*engines_.counter_machine : nullptr;
  }
  /// Whether count() and sample() are exact: a closed form, a counting grammar, or a
  /// deterministic real-time counter machine as the ground truth (counted by its configurations).
  bool counts() const { return options_.closed_form.count || options_.grammar_counts || counter_tables_; }

 private:
  bool do_contains(std::span<const Symbol> word) const override;
  std::optional<Count> do_count(std::size_t length) const override;
  std::optional<Word> do_sample(std::size_t length, Rng& rng) const override;
  std::vector<PrefixTarget> do_targets(std::span<const Symbol> word) const override;
  std::vector<PrefixTarget> counter_targets(std::span<const Symbol> word) const;
  std::vector<PrefixTarget> grammar_targets(std::span<const Symbol> word) const;
  struct ConfigurationTables;
  std::shared_ptr<const ConfigurationTables> configuration_tables(std::size_t length) const;

  Engines engines_;
  EngineOptions options_;
  std::optional<automata::Cfg> prefix_grammar_;  // the grammar Earley's chart runs on (pda, cfg)
  bool pda_depths_ = false;                       // the state is the deterministic PDA's depth
  GrowingTable<automata::CfgCounter> counter_;
  // Deterministic real-time counter machines without a closed form: per length, the number of
  // words leading from each reachable configuration to acceptance (built on first use).
  bool counter_tables_ = false;
  mutable std::mutex tables_mutex_;
  mutable std::map<std::size_t, std::shared_ptr<const ConfigurationTables>> tables_;
};

/// The most configurations the counting tables of a counter machine may hold for one length
/// (a real-time machine with k counters reaches up to |Q| (n+1)^k after n symbols).
inline constexpr std::size_t kMaxCounterConfigurations = 5'000'000;

/// Whether counting `grammar`'s derivations gives the number of words of `member` for every
/// length n with k^n <= `budget` words in all (member decides each of them).  False also when
/// some word has infinitely many derivations.  A check on short words, not a proof: a grammar
/// may be ambiguous only on longer words.  Time O(budget * membership).
bool grammar_counts_words(const automata::Cfg& grammar, const std::function<bool(std::span<const Symbol>)>& member,
                          std::size_t budget = 20'000);

}  // namespace statelab::languages
