// The one XML reader, for the interchange formats statelab reads (JFLAP's .jff, finite automata
// and PDAs), not part of the public API: a small, strict reader of elements, attributes,
// character data, CDATA, comments and processing instructions; the five predefined entities and
// character references.  A leading UTF-8 byte order mark is skipped; a DOCTYPE, namespaces and
// DTDs are not supported.  Every element remembers its line, so that readers can name the line
// of a well-formed element that breaks their schema; errors read "SOURCE:LINE: found ...,
// expected ..." (automata/io_util.h).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace statelab::automata::detail {

struct XmlElement {
  std::string name;
  std::vector<std::pair<std::string, std::string>> attributes;
  std::vector<XmlElement> children;
  std::string text;  // the character data directly inside, entities decoded
  std::size_t line = 0;

  /// The first child called `name`, or nullptr.
  const XmlElement* child(std::string_view name) const;
  /// The value of attribute `name`, or nullptr.
  const std::string* attribute(std::string_view name) const;
};

/// The root element.  Time O(size).  Throws ParseError "SOURCE:LINE: ..." on malformed XML
/// (unclosed or mismatched tags, a bad entity, text after the root, nesting deeper than 16).
XmlElement parse_xml(std::string_view text, std::string_view source);

/// `text` with & < > " ' escaped, for element content and attribute values.
std::string escape_xml(std::string_view text);

}  // namespace statelab::automata::detail
