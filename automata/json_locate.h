// JSON parsing that remembers where each value starts, so that readers can name the line of a
// value that parses but breaks the schema (not part of the public API).  Also the small checks
// every schema reader makes, all throwing ParseError "SOURCE:LINE: what (at /json/pointer)".
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>

namespace statelab::automata::json_detail {

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

}  // namespace statelab::automata::json_detail
