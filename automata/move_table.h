// MoveTable: the states (accepting flags, the initial state) and the moves of a machine whose
// moves go from one state to another: the part that Pda and CounterMachine share.  Each machine
// derives from it, checks its own moves' symbols and counters, then calls insert_move.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "automata/alphabet.h"
#include "automata/dfa.h"
#include "base/error.h"

namespace statelab::automata {

/// `Move` has `from` and `to` states and ==; `Machine` names itself in messages through
/// `Machine::kMachineName` ("Pda", "CounterMachine").
template <class Move, class Machine>
class MoveTable {
 public:
  std::size_t num_states() const { return accepting_.size(); }
  State add_state(bool accepting = false) {
    accepting_.push_back(accepting);
    out_.emplace_back();
    return static_cast<State>(accepting_.size() - 1);
  }
  State initial() const { return initial_; }
  /// Throws InvalidArgument when q is out of range.
  void set_initial(State q) {
    check_state(q, "set_initial");
    initial_ = q;
  }
  bool is_accepting(State q) const { return accepting_.at(q); }
  void set_accepting(State q, bool accepting = true) {
    check_state(q, "set_accepting");
    accepting_[q] = accepting;
  }
  const std::vector<Move>& moves() const { return moves_; }
  /// Indices into moves() of the moves leaving q, in the order they were added.
  const std::vector<std::size_t>& moves_from(State q) const { return out_.at(q); }

  friend bool operator==(const MoveTable&, const MoveTable&) = default;

 protected:
  MoveTable() = default;
  explicit MoveTable(std::size_t num_states) : accepting_(num_states, false), out_(num_states) {}

  void check_state(State q, const char* what) const {
    if (q >= num_states())
      throw InvalidArgument(std::string(Machine::kMachineName) + "::" + what + ": state " + std::to_string(q) +
                            " out of range (the machine has " + std::to_string(num_states()) + " states)");
  }
  /// Checks the move's states, then adds it unless an equal move is there (a duplicate adds no
  /// behaviour).  Time O(moves leaving `move.from`).
  void insert_move(Move move) {
    check_state(move.from, "add_move");
    check_state(move.to, "add_move");
    for (std::size_t i : out_[move.from])
      if (moves_[i] == move) return;
    out_[move.from].push_back(moves_.size());
    moves_.push_back(std::move(move));
  }

 private:
  std::vector<bool> accepting_;
  State initial_ = 0;
  std::vector<Move> moves_;
  std::vector<std::vector<std::size_t>> out_;
};

}  // namespace statelab::automata
