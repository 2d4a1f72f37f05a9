// Example 1: define a language as a DFA, compare it with a regular expression, count and
// sample its words.  Build with the project; run ./build/examples/01_dfa_basics.
#include <iostream>

#include "automata/counting.h"
#include "automata/decide.h"
#include "automata/minimize.h"
#include "automata/regex.h"

int main() {
  using namespace statelab::automata;

  // PARITY: words over {0, 1} with an odd number of 1s.  State 1 = "odd so far".
  const Alphabet bits = Alphabet::from_chars("01");
  Dfa parity(bits, 2);
  parity.set_next(0, bits.id("0"), 0);
  parity.set_next(0, bits.id("1"), 1);
  parity.set_next(1, bits.id("0"), 1);
  parity.set_next(1, bits.id("1"), 0);
  parity.set_accepting(1);

  std::cout << "accepts 0110? " << accepts(parity, bits.parse_word("0110")) << "\n";
  std::cout << "accepts 0111? " << accepts(parity, bits.parse_word("0111")) << "\n";

  // The same language as a regular expression: equivalence is decided exactly.
  const Dfa from_regex = regex_to_dfa("0*1(0|10*1)*", bits);
  std::cout << "regex equivalent to the DFA? " << equivalent(parity, from_regex) << "\n";

  // A wrong guess gets the shortest, then shortlex-least, word that separates them.
  const Dfa wrong = regex_to_dfa("(0|1)*1", bits);
  if (auto w = find_counterexample(parity, wrong))
    std::cout << "'(0|1)*1' differs on \"" << bits.format_word(*w) << "\"\n";

  // Exact counts (2^(n-1) words of each length n >= 1) and exact uniform samples.
  std::cout << "words of length 100: " << count_accepted(parity, 100).str() << "\n";
  for (const Word& w : sample_uniform(parity, 12, 3, /*seed=*/42)) std::cout << "  " << bits.format_word(w) << "\n";

  std::cout << "minimal states: " << minimize(parity).num_states() << "\n";
}
