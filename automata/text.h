// Small text helpers for messages and reports, shared by every library above automata (until a
// base library holds them): public, so that no library uses another's private helpers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace statelab::automata {

/// The items with `separator` between them: join({"a", "b", "c"}) is "a, b, c".  Time O(size).
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");

}  // namespace statelab::automata
