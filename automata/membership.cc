#include "automata/membership.h"

#include <algorithm>
#include <string>

#include "base/error.h"

namespace statelab::automata {

std::vector<std::uint8_t> accepts_batch(const Dfa& dfa, std::span<const Word> words) {
  const std::size_t k = dfa.num_symbols();
  for (std::size_t i = 0; i < words.size(); ++i) {
    const auto bad = std::find_if(words[i].begin(), words[i].end(), [k](Symbol a) { return a >= k; });
    if (bad != words[i].end())
      throw InvalidArgument("accepts_batch: word " + std::to_string(i) + " has symbol id " + std::to_string(*bad) +
                            " at position " + std::to_string(bad - words[i].begin()) + ", outside the alphabet of " +
                            std::to_string(k) + " symbols");
  }
  // Rows addressed by offset (state * k) so the inner loop has no multiplication.
  std::vector<std::uint32_t> offsets(dfa.table().size());
  for (std::size_t t = 0; t < offsets.size(); ++t) offsets[t] = static_cast<std::uint32_t>(dfa.table()[t] * k);
  const std::uint32_t* next = offsets.data();

  std::vector<std::uint8_t> result(words.size());
  constexpr std::size_t kLanes = 8;
  std::size_t i = 0;
  for (; i + kLanes <= words.size(); i += kLanes) {
    std::uint32_t row[kLanes];
    std::size_t common = SIZE_MAX;
    for (std::size_t l = 0; l < kLanes; ++l) {
      row[l] = static_cast<std::uint32_t>(dfa.initial() * k);
      common = std::min(common, words[i + l].size());
    }
    // The common prefix runs all lanes in lock-step; the tails one by one.
    for (std::size_t p = 0; p < common; ++p)
      for (std::size_t l = 0; l < kLanes; ++l) row[l] = next[row[l] + words[i + l][p]];
    for (std::size_t l = 0; l < kLanes; ++l) {
      const Word& w = words[i + l];
      std::uint32_t r = row[l];
      for (std::size_t p = common; p < w.size(); ++p) r = next[r + w[p]];
      result[i + l] = dfa.is_accepting(k ? r / static_cast<std::uint32_t>(k) : dfa.initial());
    }
  }
  for (; i < words.size(); ++i) {
    std::uint32_t r = static_cast<std::uint32_t>(dfa.initial() * k);
    for (Symbol a : words[i]) r = next[r + a];
    result[i] = dfa.is_accepting(k ? r / static_cast<std::uint32_t>(k) : dfa.initial());
  }
  return result;
}

}  // namespace statelab::automata
