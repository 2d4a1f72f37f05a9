// libFuzzer target for the regex parser and what consumes its trees.
// The first byte picks an alphabet (one-character names, metacharacters as names, longer names),
// the rest is the pattern.  A statelab::Error is the expected answer to a bad pattern or a limit;
// anything else (a crash, a sanitizer report, a broken law below) is a bug and aborts.
// Laws checked on every pattern that parses: the printed pattern parses back to the same tree,
// Thompson's NFA has the predicted size, and the minimal DFA agrees with the NFA on every short
// word (length <= 3 over at most 3 symbols, <= 2 over more).  The state limits are small so that
// one input never takes more than milliseconds, even under AddressSanitizer.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "automata/nfa.h"
#include "automata/regex.h"
#include "base/error.h"

namespace {

using namespace statelab::automata;

const std::vector<Alphabet>& alphabets() {
  static const std::vector<Alphabet> all = {
      Alphabet::from_chars("01"),
      Alphabet::from_chars("abc"),
      Alphabet::from_chars("a"),
      Alphabet::from_chars("()*|.[]\\<>{}-^+?,"),
      Alphabet({"push", "pop", "x", "a>b", "<", "-"}),
  };
  return all;
}

void check(bool law) {
  if (!law) std::abort();
}

void all_words(const Alphabet& alphabet, std::size_t max_length, Word& word, const Nfa& nfa, const Dfa& dfa) {
  check(accepts(nfa, word) == accepts(dfa, word));
  if (word.size() == max_length) return;
  for (Symbol a = 0; a < alphabet.size(); ++a) {
    word.push_back(a);
    all_words(alphabet, max_length, word, nfa, dfa);
    word.pop_back();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const Alphabet& alphabet = alphabets()[data[0] % alphabets().size()];
  const std::string_view pattern(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    const Regex regex = parse_regex(pattern, alphabet);
    check(regex.height() <= kMaxRegexDepth);
    check(parse_regex(to_string(regex, alphabet), alphabet) == regex);
    const Nfa nfa = thompson(regex, alphabet, 1000);
    check(nfa.num_states() == thompson_size(regex));
    const Dfa dfa = regex_to_dfa(regex, alphabet, 1000);
    Word word;
    all_words(alphabet, alphabet.size() <= 3 ? 3 : 2, word, nfa, dfa);
  } catch (const statelab::Error&) {
    // A malformed pattern or a limit: the answer expected for most inputs.
  }
  return 0;
}
