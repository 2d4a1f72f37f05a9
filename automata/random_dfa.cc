#include "automata/random_dfa.h"

#include <sstream>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/random.h"

namespace statelab::automata {

namespace {

Alphabet symbol_names(std::size_t k) {
  std::vector<std::string> names;
  names.reserve(k);
  for (std::size_t i = 0; i < k; ++i) {
    if (k <= 26) {
      names.emplace_back(1, static_cast<char>('a' + i));
    } else {
      // Appended rather than "s" + std::to_string(i), which trips GCC 12's false -Wrestrict.
      names.emplace_back("s");
      names.back() += std::to_string(i);
    }
  }
  return Alphabet(std::move(names));
}

}  // namespace

Dfa random_dfa(std::size_t states, std::size_t symbols, std::uint64_t seed, double accepting_probability,
               const MemoryLimit& memory) {
  if (states == 0) throw InvalidArgument("a random DFA needs at least one state (got 0)");
  if (symbols == 0) throw InvalidArgument("a random DFA needs at least one symbol (got 0)");
  // Written so that NaN fails too.
  if (!(accepting_probability >= 0.0 && accepting_probability <= 1.0))
  {
    std::ostringstream message;
    message << "a random DFA's accepting probability " << accepting_probability << " is not in [0, 1]";
    throw InvalidArgument(message.str());
  }
  // The transition table, the accepting bits, and each symbol's name (a short string, twice: the
  // alphabet's list and its index).
  const std::size_t row = symbols * sizeof(State) + 1, name = 2 * 48;
  check_memory(memory,
               states > (SIZE_MAX - symbols * name) / row ? SIZE_MAX : states * row + symbols * name,
               "a random DFA of " + std::to_string(states) + " states x " + std::to_string(symbols) + " symbols");
  Dfa dfa(symbol_names(symbols), states);  // throws on more states than State can number
  Rng rng = make_rng(seed);
  for (State q = 0; q < states; ++q) {
    for (Symbol a = 0; a < symbols; ++a) dfa.set_next(q, a, static_cast<State>(uniform_below(rng, states)));
  }
  for (State q = 0; q < states; ++q) dfa.set_accepting(q, bernoulli(rng, accepting_probability));
  return dfa;
}

}  // namespace statelab::automata
