#include "automata/io_util.h"

#include <algorithm>
#include <charconv>
#include <tuple>

namespace statelab::automata::detail {

std::string quote(std::string_view found) {
  constexpr std::size_t kMaxShown = 40;
  std::string out = "'";
  for (std::size_t i = 0; i < found.size() && i < kMaxShown; ++i) {
    const auto c = static_cast<unsigned char>(found[i]);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);  // UTF-8 passes through: names may be non-ASCII
    }
  }
  out += found.size() > kMaxShown ? "'..." : "'";
  return out;
}

void fail(std::string_view source, std::size_t line, const std::string& what) {
  throw ParseError(std::string(source) + ":" + std::to_string(line) + ": " + what);
}

bool parse_unsigned(std::string_view text, std::uint64_t max, std::uint64_t& value) {
  if (text.empty() || text.size() > 20) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size() && value <= max;
}

std::vector<NfaArc> distinct_arcs(const Nfa& nfa, State q) {
  std::vector<NfaArc> arcs(nfa.arcs(q).begin(), nfa.arcs(q).end());
  std::sort(arcs.begin(), arcs.end(),
            [](const NfaArc& a, const NfaArc& b) { return std::tie(a.symbol, a.target) < std::tie(b.symbol, b.target); });
  arcs.erase(std::unique(arcs.begin(), arcs.end()), arcs.end());
  return arcs;
}

}  // namespace statelab::automata::detail
