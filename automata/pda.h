// Pda: a nondeterministic pushdown automaton with epsilon moves, and its membership tests.
//
// Conventions (docs/engines.md has the long form):
// - states are dense ids 0..n-1; the input and the stack each have their own Alphabet;
// - the stack starts as the bottom symbol alone;
// - a move reads one input symbol or nothing (kEpsilon), pops one stack symbol or nothing
//   (kEpsilon: such a move is enabled whatever the top, even on an empty stack), then pushes a
//   string of stack symbols, written top first: push {A, B} leaves A on top of B (as JFLAP and
//   the textbooks write it);
// - a word is accepted when some run reads all of it and then stands in an accepting state
//   (PdaAcceptance::final_state, JFLAP's default) or on an empty stack (empty_stack); epsilon
//   moves may follow the last symbol.
//
// Membership has two engines: a direct simulation for deterministic PDAs, linear in the word,
// and a summarisation algorithm for any PDA, cubic in the word.  `accepts` picks one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "automata/alphabet.h"
#include "automata/dfa.h"
#include "automata/move_table.h"
#include "automata/nfa.h"

namespace statelab::automata {

enum class PdaAcceptance : std::uint8_t {
  final_state,  // the run ends in an accepting state, whatever is on the stack
  empty_stack,  // the run ends with nothing on the stack (the bottom symbol popped too)
};

struct PdaMove {
  State from = 0;
  Symbol input = kEpsilon;   // the input symbol read, or kEpsilon
  Symbol pop = kEpsilon;     // the stack symbol popped, or kEpsilon for none
  std::vector<Symbol> push;  // pushed after the pop, top first
  State to = 0;
  friend bool operator==(const PdaMove&, const PdaMove&) = default;
};

class Pda : public MoveTable<PdaMove, Pda> {
 public:
  static constexpr const char* kMachineName = "Pda";

  Pda() = default;
  /// `num_states` states, none accepting, initial state 0.  Throws InvalidArgument when
  /// `bottom` is not a symbol of `stack_alphabet`.
  Pda(Alphabet input_alphabet, Alphabet stack_alphabet, Symbol bottom, std::size_t num_states = 0,
      PdaAcceptance acceptance = PdaAcceptance::final_state);

  const Alphabet& input_alphabet() const { return input_; }
  const Alphabet& stack_alphabet() const { return stack_; }
  Symbol bottom() const { return bottom_; }

  PdaAcceptance acceptance() const { return acceptance_; }
  void set_acceptance(PdaAcceptance acceptance) { acceptance_ = acceptance; }

  /// Adds a move; an exact duplicate of an existing move is ignored (it adds no behaviour).
  /// Throws InvalidArgument naming the move when a state or a symbol is out of range.
  /// Time O(moves leaving `move.from`).
  void add_move(PdaMove move);
  /// The longest push string of any move.
  std::size_t max_push() const;

  friend bool operator==(const Pda&, const Pda&) = default;

 private:
  Alphabet input_;
  Alphabet stack_;
  Symbol bottom_ = 0;
  PdaAcceptance acceptance_ = PdaAcceptance::final_state;
};

/// A move written for messages: "q0 --a, Z / A Z--> q1" (eps for nothing).
std::string format_move(const Pda& pda, const PdaMove& move);

/// Whether no configuration enables two moves on the same next input: no two moves leaving one
/// state whose inputs are equal or one is epsilon, and whose pops are equal or one pops nothing.
/// Time O(sum over states of d^2), d the moves leaving a state.
bool is_deterministic(const Pda& pda);

/// What a deterministic run did: the configuration after each prefix, once the epsilon moves
/// that follow it are done (the configuration that reads the next symbol).
struct PdaTrace {
  std::vector<State> state;        // state[i] after the first i symbols, i = 0..read
  std::vector<std::size_t> depth;  // stack height then, the bottom symbol included
  std::size_t read = 0;            // symbols read: the word's length unless the run blocked
  bool accepted = false;
  /// The run ended in epsilon moves that never stop (the last configuration is where the
  /// repetition was seen).
  bool epsilon_loop = false;
};

/// Direct simulation of a deterministic PDA.  An epsilon run that never reads is detected as
/// soon as a pair (state, or point inside a move between its pop and pushes; top symbol)
/// repeats at a stack position that was not popped in between: the run then repeats forever,
/// pushing or not, and every endless epsilon run is caught this way.  The run then blocks, or,
/// after the last symbol, accepts when some configuration on the way accepts.
/// Time O(|word| + epsilon moves taken), which is O(|word|) for a fixed PDA: an epsilon phase
/// makes at most P |Gamma| marks (P = |Q| + total push length) before it stops or repeats, so
/// it is bounded by its pops plus a constant, and pops never exceed pushes.
/// Throws InvalidArgument when the PDA is not deterministic or a symbol is outside the alphabet.
PdaTrace trace_deterministic(const Pda& pda, std::span<const Symbol> word);

/// trace_deterministic(pda, word).accepted.
bool accepts_deterministic(const Pda& pda, std::span<const Symbol> word);

/// Stack height after each prefix of a deterministic run: trace_deterministic(pda, word).depth.
std::vector<std::size_t> stack_depths(const Pda& pda, std::span<const Symbol> word);

/// Membership for any PDA by summarisation (CFL reachability, an Earley-style saturation).
/// The PDA is first normalised so that each step reads at most one symbol and either pops one
/// symbol, pushes one symbol or leaves the stack alone (Q' states: |Q| + 1 + one per pushed or
/// popped symbol beyond the first step of a move).  It then saturates the facts "from state p
/// at position i, a run with balanced pushes and pops reaches state q at position j", position
/// by position, joining a push at i with a balanced run and a matching pop.  Runs that leave
/// pushes unmatched (final-state acceptance) are tracked as a separate start.  Every set is
/// finite and deduplicated, so epsilon cycles, even ones that push forever, terminate.
/// Time O(n^3 Q'^3 d), space O(n^2 Q'^2 |Gamma|), n = |word|, d the most moves leaving a state.
/// Throws InvalidArgument on a symbol outside the alphabet.
bool accepts_by_summaries(const Pda& pda, std::span<const Symbol> word);

/// Membership: the direct simulation when the PDA is deterministic, summaries otherwise.
bool accepts(const Pda& pda, std::span<const Symbol> word);

}  // namespace statelab::automata
