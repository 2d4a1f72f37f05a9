// JSON parsing that remembers where each value starts, so that readers can name the line of a
// value that parses but breaks the schema (not part of the public API).  Also the small checks
// every schema reader makes, all throwing ParseError "SOURCE:LINE: what (at /json/pointer)".
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>

namespace statelab::automata::detail {

// How far the lexer has read; nlohmann's SAX events carry no position, so the builder reads it
// from the input iterator, which every copy shares through this struct.
struct ReadPosition {
  const char* text = nullptr;
  std::size_t offset = 0;
  std::size_t newlines = 0;
  // The line of the last byte consumed: the lexer has read the token that caused an event and
  // at most one byte of lookahead, which may be the newline after it.
  std::size_t line() const {
    if (offset == 0) return 1;
    return 1 + newlines - (text[offset - 1] == '\n' ? 1 : 0);
  }
};

class CountingIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  CountingIterator(const char* p, ReadPosition* position) : p_(p), position_(position) {}
  reference operator*() const { return *p_; }
  CountingIterator& operator++() {
    if (*p_ == '\n') ++position_->newlines;
    ++p_;
    ++position_->offset;
    return *this;
  }
  CountingIterator operator++(int) {
    CountingIterator old = *this;
    ++*this;
    return old;
  }
  friend bool operator==(const CountingIterator& a, const CountingIterator& b) { return a.p_ == b.p_; }

 private:
  const char* p_;
  ReadPosition* position_;
};

/// A parsed document and the line on which each value starts, keyed by JSON pointer ("" for the
/// root, "/moves/3/1" for the second element of the fourth move).
struct LocatedJson {
  nlohmann::json value;
  std::unordered_map<std::string, std::size_t> lines;
};

/// Time O(size * depth).  Throws ParseError "SOURCE:LINE: JSON syntax error: ..." and refuses
/// documents nested deeper than 32.
LocatedJson parse_located(std::string_view text, std::string_view source);

/// A schema reader over a LocatedJson: each accessor checks a type and range and throws a
/// ParseError naming the line of the offending value.
class SchemaReader {
 public:
  SchemaReader(const LocatedJson& doc, std::string_view source) : doc_(doc), source_(source) {}

  [[noreturn]] void fail(const std::string& pointer, const std::string& what) const;

  /// The root as an object with exactly the keys `keys` (all required), "format" equal to
  /// `format` and "version" equal to 1.
  const nlohmann::json& root(std::string_view format, std::initializer_list<std::string_view> keys) const;

  const nlohmann::json& array(const nlohmann::json& v, const std::string& pointer) const;
  const std::string& string(const nlohmann::json& v, const std::string& pointer) const;
  /// A non-negative integer strictly below `bound`.
  std::uint64_t index(const nlohmann::json& v, const std::string& pointer, std::uint64_t bound,
                      std::string_view what) const;

 private:
  const LocatedJson& doc_;
  std::string_view source_;
};

/// What a value is, for messages: "a string", "an array", "null", ...
std::string describe(const nlohmann::json& v);

}  // namespace statelab::automata::detail
