#include "automata/io_util.h"

#include <algorithm>
#include <charconv>
#include <tuple>

namespace statelab::automata::detail {

namespace {

// The length of the valid UTF-8 sequence of two to four bytes that `s` begins with, or 0.
std::size_t utf8_length(std::string_view s) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char c = byte(0);
  const std::size_t n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
  if (n == 0 || s.size() < n) return 0;
  for (std::size_t i = 1; i < n; ++i)
    if ((byte(i) & 0xc0) != 0x80) return 0;
  // No overlong three- or four-byte form, no surrogate, nothing past U+10FFFF.
  if ((c == 0xe0 && byte(1) < 0xa0) || (c == 0xed && byte(1) >= 0xa0) || (c == 0xf0 && byte(1) < 0x90) ||
      (c == 0xf4 && byte(1) >= 0x90))
    return 0;
  return n;
}

}  // namespace

std::string escape(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else if (const std::size_t n = utf8_length(text.substr(i)); n > 1) {
      out += text.substr(i, n);  // valid UTF-8 passes through: names may be non-ASCII
      i += n - 1;
    } else {  // a control byte, DEL, or a byte of no valid UTF-8 sequence (binary input)
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string quote(std::string_view found) {
  constexpr std::size_t kMaxShown = 40;
  // Cut at a character boundary at or before kMaxShown bytes.
  std::size_t cut = std::min(found.size(), kMaxShown);
  while (cut < found.size() && cut > 0 && (static_cast<unsigned char>(found[cut]) & 0xc0) == 0x80) --cut;
  // Built by append: GCC 12 warns falsely (-Wrestrict) on "'" + std::string.
  std::string out(1, '\'');
  out.append(escape(found.substr(0, cut))).append(cut < found.size() ? "'..." : "'");
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
