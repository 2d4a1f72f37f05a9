#include "languages/engine_language.h"

#include <string>

#include "automata/cfg_prefix.h"
#include "automata/text.h"
#include "base/error.h"
#include "languages/registry.h"

namespace statelab::languages {

namespace {

const char* engine_noun(Engine e) {
  switch (e) {
    case Engine::pda: return "a pushdown automaton";
    case Engine::cfg: return "a grammar";
    case Engine::counter: return "a counter machine";
    default: return "an engine";
  }
}

void check_alphabet(const std::string& name, const char* what, const Alphabet& got, const Alphabet& want) {
  if (got != want)
    throw InvalidArgument("language " + name + ": the " + what + "'s alphabet {" + automata::join(got.names(), " ") +
                          "} differs from the language's {" + automata::join(want.names(), " ") + "}");
}

}  // namespace

EngineLanguage::EngineLanguage(LanguageInfo info, Engines engines, EngineOptions options)
    : Language(std::move(info)),
      engines_(std::move(engines)),
      options_(std::move(options)),
      counter_([this](std::size_t n) { return automata::CfgCounter(*engines_.grammar, n); }) {
  const Engine e = ground_truth().engine;
  const bool present = (e == Engine::pda && engines_.pda) || (e == Engine::cfg && engines_.grammar) ||
                       (e == Engine::counter && engines_.counter_machine);
  if (!present)
    throw InvalidArgument("language " + name() + ": ground truth " + std::string(to_string(e)) + " needs " +
                          engine_noun(e) + ", which was not given");
  if (engines_.pda) check_alphabet(name(), "pushdown automaton", engines_.pda->input_alphabet(), alphabet());
  if (engines_.grammar) check_alphabet(name(), "grammar", engines_.grammar->terminals(), alphabet());
  if (engines_.counter_machine) check_alphabet(name(), "counter machine", engines_.counter_machine->alphabet(), alphabet());
  if (static_cast<bool>(options_.closed_form.count) != static_cast<bool>(options_.closed_form.sample))
    throw InvalidArgument("language " + name() + ": a closed form needs both count and sample");
  if (options_.grammar_counts && !engines_.grammar)
    throw InvalidArgument("language " + name() + ": grammar_counts without a grammar");
  if (options_.grammar_counts) (void)counter_.get(0);  // throws when derivations are infinite

  std::size_t components = 0;
  if (e == Engine::counter && !options_.closed_form.count)
    counter_tables_ = automata::is_deterministic(*engines_.counter_machine) &&
                      automata::is_real_time(*engines_.counter_machine);
  if (e == Engine::counter) {
    if (automata::is_deterministic(*engines_.counter_machine))
      components = options_.counter_state ? state_names().size() : engines_.counter_machine->num_counters();
  } else {
    prefix_grammar_ = engines_.grammar ? *engines_.grammar : automata::to_cfg(*engines_.pda);
    pda_depths_ = engines_.pda && automata::is_deterministic(*engines_.pda);
    components = pda_depths_ ? 1 : 0;
  }
  if (state_names().size() != components)
    throw InvalidArgument("language " + name() + ": " + std::to_string(state_names().size()) +
                          " state names for a per-position state of " + std::to_string(components) + " components");
}

bool EngineLanguage::do_contains(std::span<const Symbol> word) const {
  switch (ground_truth().engine) {
    case Engine::pda: return automata::accepts(*engines_.pda, word);
    case Engine::cfg: return automata::accepts(*engines_.grammar, word);
    default: return automata::accepts(*engines_.counter_machine, word);
  }
}

// layers[i]: each configuration reachable after i symbols (key: state, then the counters) with
// the number of words of the remaining length - i symbols that lead from it to acceptance.
struct EngineLanguage::ConfigurationTables {
  std::vector<std::map<std::vector<std::uint64_t>, Count>> layers;
};

namespace {

using ConfigKey = std::vector<std::uint64_t>;

ConfigKey after_move(const automata::CounterMove& move, const ConfigKey& key) {
  ConfigKey out = key;
  out[0] = move.to;
  for (std::size_t j = 0; j < move.ops.size(); ++j) {
    if (move.ops[j] == automata::CounterOp::increment) ++out[j + 1];
    if (move.ops[j] == automata::CounterOp::decrement) --out[j + 1];
  }
  return out;
}

automata::Counters counters_of(const ConfigKey& key) { return automata::Counters(key.begin() + 1, key.end()); }

}  // namespace

// Forward: the configurations reachable after each prefix length; backward: the words that
// lead from each to acceptance.  A deterministic real-time machine has one run per word, so the
// count at the initial configuration is the number of words.  Time O(n C d k log C), space O(n C)
// big integers, C the configurations of a layer (at most |Q| (n+1)^k).
std::shared_ptr<const EngineLanguage::ConfigurationTables> EngineLanguage::configuration_tables(std::size_t n) const {
  std::lock_guard lock(tables_mutex_);
  if (auto it = tables_.find(n); it != tables_.end()) return it->second;
  const automata::CounterMachine& m = *engines_.counter_machine;
  auto tables = std::make_shared<ConfigurationTables>();
  auto& layers = tables->layers;
  layers.resize(n + 1);
  ConfigKey start(m.num_counters() + 1, 0);
  start[0] = m.initial();
  layers[0][start] = 0;
  std::size_t total = 1;
  for (std::size_t i = 0; i < n; ++i)
    for (const auto& [key, unused] : layers[i])
      for (std::size_t index : m.moves_from(static_cast<automata::State>(key[0]))) {
        const automata::CounterMove& move = m.moves()[index];
        if (!automata::is_enabled(move, counters_of(key))) continue;
        if (layers[i + 1].try_emplace(after_move(move, key), 0).second && ++total > kMaxCounterConfigurations)
          throw LimitExceeded("count (" + name() + "): more than " + std::to_string(kMaxCounterConfigurations) +
                              " counter-machine configurations for words of length " + std::to_string(n));
      }
  for (auto& [key, count] : layers[n])
    count = automata::is_accepting(m, {static_cast<automata::State>(key[0]), counters_of(key)}) ? 1 : 0;
  for (std::size_t i = n; i-- > 0;)
    for (auto& [key, count] : layers[i])
      for (std::size_t index : m.moves_from(static_cast<automata::State>(key[0]))) {
        const automata::CounterMove& move = m.moves()[index];
        if (automata::is_enabled(move, counters_of(key))) count += layers[i + 1].at(after_move(move, key));
      }
  tables_.emplace(n, tables);
  return tables;
}

std::optional<Count> EngineLanguage::do_count(std::size_t length) const {
  if (options_.closed_form.count) return options_.closed_form.count(length);
  if (counter_tables_) return configuration_tables(length)->layers[0].begin()->second;
  if (!options_.grammar_counts) return std::nullopt;
  return Count(counter_.get(length)->count(length));
}

std::optional<Word> EngineLanguage::do_sample(std::size_t length, Rng& rng) const {
  if (options_.closed_form.sample) return options_.closed_form.sample(length, rng);
  if (counter_tables_) {
    // One uniform integer below the count at each configuration picks the move whose share of
    // the words holds it: every word of the length equally likely.
    const auto tables = configuration_tables(length);
    ConfigKey key = tables->layers[0].begin()->first;
    if (tables->layers[0].begin()->second == 0) return std::nullopt;
    const automata::CounterMachine& m = *engines_.counter_machine;
    Word w;
    for (std::size_t i = 0; i < length; ++i) {
      Count rank = uniform_below(rng, tables->layers[i].at(key));
      for (std::size_t index : m.moves_from(static_cast<automata::State>(key[0]))) {
        const automata::CounterMove& move = m.moves()[index];
        if (!automata::is_enabled(move, counters_of(key))) continue;
        ConfigKey next = after_move(move, key);
        const Count& share = tables->layers[i + 1].at(next);
        if (rank < share) {
          w.push_back(move.input);
          key = std::move(next);
          break;
        }
        rank -= share;
      }
    }
    return w;
  }
  if (!options_.grammar_counts)
    throw InvalidArgument("sample (" + name() +
                          "): no exact sampler (no closed form, no grammar known to be unambiguous, not a deterministic "
                          "real-time counter machine)");
  const auto table = counter_.get(length);
  if (table->count(length) == 0) return std::nullopt;
  return table->sample(length, rng);
}

std::vector<PrefixTarget> EngineLanguage::do_targets(std::span<const Symbol> word) const {
  return ground_truth().engine == Engine::counter ? counter_targets(word) : grammar_targets(word);
}

std::vector<PrefixTarget> EngineLanguage::counter_targets(std::span<const Symbol> word) const {
  const automata::CounterMachine& m = *engines_.counter_machine;
  if (!automata::is_deterministic(m))
    throw InvalidArgument("targets (" + name() +
                          "): the counter machine is not deterministic, so no run gives the state after a prefix");
  const automata::CounterTrace trace = automata::trace_deterministic(m, word);
  const bool real_time = automata::is_real_time(m);
  const std::size_t k = alphabet().size();
  std::vector<PrefixTarget> out;
  out.reserve(word.size() + 1);
  for (std::size_t i = 0; i <= word.size(); ++i) {
    if (i > trace.read) {  // the machine blocked: no word extends the prefix
      out.push_back({std::vector<std::int64_t>(state_names().size(), kDead), std::vector<bool>(k, false), false});
      continue;
    }
    const automata::CounterConfig& c = trace.steps[i];
    PrefixTarget t;
    if (options_.counter_state) {
      t.state = options_.counter_state(c);
    } else {
      for (std::uint64_t x : c.counters) t.state.push_back(static_cast<std::int64_t>(x));
    }
    t.next.assign(k, false);
    if (!(trace.epsilon_loop && i == trace.read))
      for (std::size_t index : m.moves_from(c.state)) {
        const automata::CounterMove& move = m.moves()[index];
        if (move.input != automata::kEpsilon && automata::is_enabled(move, c.counters)) t.next[move.input] = true;
      }
    // A real-time run accepts where it stands; otherwise epsilon moves after the prefix may reach
    // acceptance, which the run of the prefix alone tells.
    t.end = real_time ? automata::is_accepting(m, c) : automata::accepts_deterministic(m, word.first(i));
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<PrefixTarget> EngineLanguage::grammar_targets(std::span<const Symbol> word) const {
  const std::vector<automata::PrefixFacts> facts = automata::prefix_facts(*prefix_grammar_, word);
  std::vector<std::size_t> depths;
  if (pda_depths_) depths = automata::stack_depths(*engines_.pda, word);
  std::vector<PrefixTarget> out;
  out.reserve(word.size() + 1);
  for (std::size_t i = 0; i <= word.size(); ++i) {
    PrefixTarget t{{}, facts[i].next, facts[i].accepted};
    if (pda_depths_) {
      // A viable prefix is read by the deterministic PDA (it blocks only on dead prefixes);
      // its depth counts the bottom symbol, which the state leaves out.
      // (0 once an empty-stack run has popped the bottom too).
      const bool read = i < depths.size();
      t.state = {facts[i].viable && read ? static_cast<std::int64_t>(depths[i] ? depths[i] - 1 : 0) : kDead};
    }
    out.push_back(std::move(t));
  }
  return out;
}

bool grammar_counts_words(const automata::Cfg& grammar, const std::function<bool(std::span<const Symbol>)>& member,
                          std::size_t budget) {
  const std::size_t k = grammar.terminals().size();
  std::size_t max_length = 0;
  for (std::size_t words = 1, total = 1; k > 1 && total + words * k <= budget;) {
    words *= k;
    total += words;
    ++max_length;
  }
  if (k == 1) max_length = budget > 64 ? 64 : budget;
  std::optional<automata::CfgCounter> counter;
  try {
    counter.emplace(grammar, max_length);
  } catch (const InvalidArgument&) {
    return false;  // infinitely many derivations
  }
  for (std::size_t n = 0; n <= max_length; ++n) {
    Count words = 0;
    Word w(n, 0);
    for (;;) {  // every word of length n, in lexicographic order
      if (member(w)) ++words;
      std::size_t i = n;
      while (i > 0 && w[i - 1] + 1 == k) w[--i] = 0;
      if (i == 0) break;
      ++w[i - 1];
    }
    if (words != counter->count(n)) return false;
  }
  return true;
}

}  // namespace statelab::languages
