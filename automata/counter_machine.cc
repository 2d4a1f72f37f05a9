#include "automata/counter_machine.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "base/error.h"

namespace statelab::automata {

CounterMachine::CounterMachine(Alphabet alphabet, std::size_t num_counters, std::size_t num_states,
                               CounterAcceptance acceptance)
    : MoveTable(num_states),
      alphabet_(std::move(alphabet)),
      k_(num_counters),
      acceptance_(acceptance) {}

void CounterMachine::add_move(CounterMove move) {
  if (move.input != kEpsilon && move.input >= alphabet_.size())
    throw InvalidArgument("CounterMachine::add_move: symbol " + std::to_string(move.input) +
                          " out of range (the alphabet has " + std::to_string(alphabet_.size()) + " symbols)");
  if (move.tests.size() != k_ || move.ops.size() != k_)
    throw InvalidArgument("CounterMachine::add_move: a move needs one test and one operation per counter (" +
                          std::to_string(k_) + "), got " + std::to_string(move.tests.size()) + " tests and " +
                          std::to_string(move.ops.size()) + " operations");
  for (std::size_t i = 0; i < k_; ++i)
    if (move.tests[i] == CounterTest::zero && move.ops[i] == CounterOp::decrement)
      throw InvalidArgument("CounterMachine::add_move: the move tests counter " + std::to_string(i) +
                            " for zero and decrements it, so it could never be taken");
  insert_move(std::move(move));
}

bool is_enabled(const CounterMove& move, const Counters& counters) {
  for (std::size_t i = 0; i < counters.size(); ++i) {
    const bool zero = counters[i] == 0;
    if (move.tests[i] == CounterTest::zero && !zero) return false;
    if ((move.tests[i] == CounterTest::non_zero || move.ops[i] == CounterOp::decrement) && zero) return false;
  }
  return true;
}

bool is_accepting(const CounterMachine& machine, const CounterConfig& config) {
  if (!machine.is_accepting(config.state)) return false;
  if (machine.acceptance() == CounterAcceptance::final_state) return true;
  for (std::uint64_t c : config.counters)
    if (c != 0) return false;
  return true;
}

namespace {

void apply(const CounterMove& move, CounterConfig& config) {
  for (std::size_t i = 0; i < config.counters.size(); ++i) {
    if (move.ops[i] == CounterOp::increment) ++config.counters[i];
    if (move.ops[i] == CounterOp::decrement) --config.counters[i];
  }
  config.state = move.to;
}

void check_word(const CounterMachine& machine, std::span<const Symbol> word, const char* what) {
  for (std::size_t i = 0; i < word.size(); ++i)
    if (word[i] >= machine.alphabet().size())
      throw InvalidArgument(std::string(what) + ": symbol " + std::to_string(word[i]) + " at position " +
                            std::to_string(i) + " is outside the alphabet (" +
                            std::to_string(machine.alphabet().size()) + " symbols)");
}

// The move of `machine` enabled at `config` on `input` (kEpsilon or a symbol), or -1.
std::int64_t enabled_move(const CounterMachine& machine, const CounterConfig& config, Symbol input) {
  for (std::size_t i : machine.moves_from(config.state)) {
    const CounterMove& m = machine.moves()[i];
    if (m.input == input && is_enabled(m, config.counters)) return static_cast<std::int64_t>(i);
  }
  return -1;
}

struct ConfigHash {
  std::size_t operator()(const CounterConfig& c) const {
    std::uint64_t h = c.state * 0x9E3779B97F4A7C15ull;
    for (std::uint64_t x : c.counters) h = (h ^ x) * 0x100000001B3ull + (h >> 29);
    return static_cast<std::size_t>(h);
  }
};

}  // namespace

bool is_deterministic(const CounterMachine& machine) {
  auto guard = [](const CounterMove& m, std::size_t i) {
    return m.ops[i] == CounterOp::decrement ? CounterTest::non_zero : m.tests[i];
  };
  for (State q = 0; q < machine.num_states(); ++q) {
    const auto& out = machine.moves_from(q);
    for (std::size_t x = 0; x < out.size(); ++x)
      for (std::size_t y = x + 1; y < out.size(); ++y) {
        const CounterMove& a = machine.moves()[out[x]];
        const CounterMove& b = machine.moves()[out[y]];
        if (!(a.input == b.input || a.input == kEpsilon || b.input == kEpsilon)) continue;
        bool disjoint = false;
        for (std::size_t i = 0; i < machine.num_counters() && !disjoint; ++i) {
          const CounterTest ga = guard(a, i), gb = guard(b, i);
          disjoint = ga != CounterTest::any && gb != CounterTest::any && ga != gb;
        }
        if (!disjoint) return false;
      }
  }
  return true;
}

bool is_real_time(const CounterMachine& machine) {
  for (const CounterMove& m : machine.moves())
    if (m.input == kEpsilon) return false;
  return true;
}

CounterTrace trace_deterministic(const CounterMachine& machine, std::span<const Symbol> word,
                                 std::size_t max_epsilon_moves) {
  check_word(machine, word, "trace_deterministic");
  if (!is_deterministic(machine))
    throw InvalidArgument("tracing a counter machine: it is not deterministic");
  CounterTrace trace;
  if (machine.num_states() == 0) return trace;
  const std::size_t k = machine.num_counters();
  CounterConfig config{machine.initial(), Counters(k, 0)};
  std::size_t epsilon_moves = 0;
  bool accepted = false;

  // Loop detection, reset after each symbol read: configurations seen in this phase, the last
  // visit (step, counters) of each state, and the last step at which each counter was zero.
  std::unordered_set<CounterConfig, ConfigHash> seen;
  std::unordered_map<State, std::pair<std::size_t, Counters>> last_visit;
  std::vector<std::size_t> last_zero(k, 0);
  auto repeats = [&](std::size_t step) {
    if (!seen.insert(config).second) return true;
    for (std::size_t i = 0; i < k; ++i)
      if (config.counters[i] == 0) last_zero[i] = step;
    auto [it, fresh] = last_visit.try_emplace(config.state, step, config.counters);
    if (fresh) return false;
    const auto& [then, before] = it->second;
    bool pumps = true;
    for (std::size_t i = 0; i < k && pumps; ++i)
      pumps = config.counters[i] == before[i] || (config.counters[i] > before[i] && last_zero[i] < then);
    it->second = {step, config.counters};
    return pumps;
  };
  auto epsilon_phase = [&](bool last) {
    seen.clear();
    last_visit.clear();
    std::fill(last_zero.begin(), last_zero.end(), 0);
    // Steps count from 1 so that "never zero since step 0" holds for counters not yet zero.
    for (std::size_t step = 1;; ++step) {
      if (last) accepted = accepted || is_accepting(machine, config);
      const std::int64_t m = enabled_move(machine, config, kEpsilon);
      if (m < 0) return false;
      if (repeats(step)) return true;
      if (++epsilon_moves > max_epsilon_moves)
        throw LimitExceeded("tracing a counter machine: more than " + std::to_string(max_epsilon_moves) +
                            " epsilon moves without a detected loop (state " + std::to_string(config.state) + ")");
      apply(machine.moves()[static_cast<std::size_t>(m)], config);
    }
  };
  for (std::size_t i = 0;; ++i) {
    const bool last = i == word.size();
    const bool looped = epsilon_phase(last);
    trace.steps.push_back(config);
    if (looped) trace.epsilon_loop = true;
    if (last || looped) break;
    const std::int64_t m = enabled_move(machine, config, word[i]);
    if (m < 0) break;
    apply(machine.moves()[static_cast<std::size_t>(m)], config);
    trace.read = i + 1;
  }
  trace.accepted = trace.read == word.size() && accepted;
  return trace;
}

bool accepts_deterministic(const CounterMachine& machine, std::span<const Symbol> word,
                           std::size_t max_epsilon_moves) {
  return trace_deterministic(machine, word, max_epsilon_moves).accepted;
}

bool accepts(const CounterMachine& machine, std::span<const Symbol> word) {
  return is_deterministic(machine) ? accepts_deterministic(machine, word) : accepts_by_configurations(machine, word);
}

bool accepts_by_configurations(const CounterMachine& machine, std::span<const Symbol> word,
                               std::size_t max_configurations) {
  check_word(machine, word, "accepts_by_configurations");
  if (machine.num_states() == 0) return false;
  using ConfigSet = std::unordered_set<CounterConfig, ConfigHash>;
  std::vector<CounterConfig> current{{machine.initial(), Counters(machine.num_counters(), 0)}};
  auto close = [&](std::vector<CounterConfig>& configs) {  // epsilon closure, in place
    ConfigSet seen(configs.begin(), configs.end());
    for (std::size_t x = 0; x < configs.size(); ++x)
      for (std::size_t i : machine.moves_from(configs[x].state)) {
        const CounterMove& m = machine.moves()[i];
        if (m.input != kEpsilon || !is_enabled(m, configs[x].counters)) continue;
        CounterConfig next = configs[x];
        apply(m, next);
        if (!seen.insert(next).second) continue;
        if (seen.size() > max_configurations)
          throw LimitExceeded("deciding membership in a counter machine: more than " + std::to_string(max_configurations) +
                              " configurations at one position (epsilon moves that count without end?)");
        configs.push_back(std::move(next));
      }
  };
  close(current);
  for (Symbol a : word) {
    std::vector<CounterConfig> next;
    ConfigSet seen;
    for (const CounterConfig& c : current)
      for (std::size_t i : machine.moves_from(c.state)) {
        const CounterMove& m = machine.moves()[i];
        if (m.input != a || !is_enabled(m, c.counters)) continue;
        CounterConfig n = c;
        apply(m, n);
        if (seen.insert(n).second) next.push_back(std::move(n));
      }
    close(next);
    current = std::move(next);
    if (current.empty()) return false;
  }
  for (const CounterConfig& c : current)
    if (is_accepting(machine, c)) return true;
  return false;
}

}  // namespace statelab::automata
