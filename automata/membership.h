// Membership of many words at once.  A single word is a chain of dependent table loads, so its
// speed is bounded by load latency; running several words interleaved keeps several chains in
// flight and reaches the throughput of the memory system instead.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "automata/dfa.h"

namespace statelab::automata {

/// result[i] = 1 when `dfa` accepts words[i], else 0.  Time O(total length), eight words
/// interleaved.  Throws InvalidArgument on a symbol outside the alphabet (checked up front).
std::vector<std::uint8_t> accepts_batch(const Dfa& dfa, std::span<const Word> words);

}  // namespace statelab::automata
