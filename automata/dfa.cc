#include "automata/dfa.h"

#include <algorithm>
#include <string>

#include "base/error.h"

namespace statelab::automata {

namespace {
// Checked before anything is allocated, so an impossible size is an error, not a bad_alloc.
std::size_t checked_states(std::size_t num_states, std::size_t k) {
  if (num_states == 0) throw InvalidArgument("Dfa: a DFA needs at least one state (its initial state)");
  if (num_states > UINT32_MAX || (k && num_states > SIZE_MAX / k))
    throw InvalidArgument("Dfa: too many states (" + std::to_string(num_states) + "; at most " +
                          std::to_string(UINT32_MAX) + ")");
  return num_states;
}
}  // namespace

Dfa::Dfa(Alphabet alphabet, std::size_t num_states)
    : alphabet_(std::move(alphabet)),
      k_(alphabet_.size()),
      table_(checked_states(num_states, k_) * k_, 0),
      accepting_(num_states, false) {}

void Dfa::check_state(State q, const char* what) const {
  if (q >= num_states())
    throw InvalidArgument(std::string("Dfa::") + what + ": state " + std::to_string(q) + " out of range (the DFA has " +
                          std::to_string(num_states()) + " states)");
}

void Dfa::set_initial(State q) {
  check_state(q, "set_initial");
  initial_ = q;
}

void Dfa::set_next(State q, Symbol a, State r) {
  check_state(q, "set_next");
  check_state(r, "set_next");
  if (a >= k_)
    throw InvalidArgument("Dfa::set_next: symbol " + std::to_string(a) + " out of range (the alphabet has " +
                          std::to_string(k_) + " symbols)");
  table_[static_cast<std::size_t>(q) * k_ + a] = r;
}

void Dfa::set_accepting(State q, bool accepting) {
  check_state(q, "set_accepting");
  accepting_[q] = accepting;
}

std::size_t Dfa::num_accepting() const { return static_cast<std::size_t>(std::count(accepting_.begin(), accepting_.end(), true)); }

State Dfa::add_state(bool accepting) {
  if (num_states() >= UINT32_MAX) throw InvalidArgument("Dfa::add_state: a DFA has at most " + std::to_string(UINT32_MAX) + " states");
  const State q = static_cast<State>(num_states());
  accepting_.push_back(accepting);
  table_.resize(table_.size() + k_, q);
  return q;
}

State run(const Dfa& dfa, State from, std::span<const Symbol> word) {
  const std::size_t k = dfa.num_symbols();
  const State* table = dfa.table().data();
  State q = from;
  for (std::size_t i = 0; i < word.size(); ++i) {
    const Symbol a = word[i];
    if (a >= k)
      throw InvalidArgument("run: symbol id " + std::to_string(a) + " at position " + std::to_string(i) +
                            " is outside the alphabet of " + std::to_string(k) + " symbols");
    q = table[static_cast<std::size_t>(q) * k + a];
  }
  return q;
}

bool accepts(const Dfa& dfa, std::span<const Symbol> word) { return dfa.is_accepting(run(dfa, dfa.initial(), word)); }

}  // namespace statelab::automata
