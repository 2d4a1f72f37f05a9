// What every parser fuzzer checks, besides the sanitizers' memory and undefined-behaviour
// checks: a reader either returns an automaton or throws a statelab::Error (anything else
// escapes and crashes the fuzzer); and what it returns, written back in the same format, reads
// again (no exception allowed) as an automaton with the same language.
#pragma once

#include <cstdio>
#include <cstdlib>

#include "automata/decide.h"
#include "automata/nfa.h"
#include "base/error.h"

namespace statelab::fuzz {

// Small enough that a subset construction stays cheap on every input.
inline constexpr std::size_t kMaxSubsets = 2000;

[[noreturn]] inline void die(const char* what) {
  std::fprintf(stderr, "fuzz check failed: %s\n", what);
  std::abort();
}

/// Aborts unless `a` and `b` accept the same language (skipped when either subset
/// construction would exceed kMaxSubsets states, which the input can force).
inline void require_same_language(const automata::Nfa& a, const automata::Nfa& b) {
  if (!(a.alphabet() == b.alphabet())) die("the alphabet changed in a round trip");
  try {
    if (!automata::equivalent(automata::determinize(a, kMaxSubsets), automata::determinize(b, kMaxSubsets)))
      die("the language changed in a round trip");
  } catch (const LimitExceeded&) {
  }
}

}  // namespace statelab::fuzz
