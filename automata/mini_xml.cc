#include "automata/mini_xml.h"

#include <algorithm>
#include <cctype>
#include <cstdint>

#include "base/error.h"

namespace statelab::automata::xml_detail {

const XmlElement* XmlElement::child(std::string_view wanted) const {
  for (const XmlElement& c : children)
    if (c.name == wanted) return &c;
  return nullptr;
}

const std::string* XmlElement::attribute(std::string_view wanted) const {
  for (const auto& [key, value] : attributes)
    if (key == wanted) return &value;
  return nullptr;
}

namespace {

constexpr std::size_t kMaxDepth = 64;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_name_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x80 || std::isalnum(u) || c == '_' || c == '-' || c == '.' || c == ':';
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class Parser {
 public:
  Parser(std::string_view text, std::string_view source) : text_(text), source_(source) {
    for (std::size_t i = 0; i < text.size(); ++i)
      if (text[i] == '\n') newlines_.push_back(i);
  }

  XmlElement document() {
    skip_misc();
    if (!starts_with("<")) fail(pos_, "expected the root element");
    XmlElement root = element(0);
    skip_misc();
    if (pos_ != text_.size()) fail(pos_, "unexpected content after the root element");
    return root;
  }

 private:
  std::size_t line_at(std::size_t pos) const {
    return 1 + static_cast<std::size_t>(std::lower_bound(newlines_.begin(), newlines_.end(), pos) - newlines_.begin());
  }
  [[noreturn]] void fail(std::size_t pos, const std::string& what) const {
    throw ParseError(std::string(source_) + ":" + std::to_string(line_at(pos)) + ": XML: " + what);
  }
  bool starts_with(std::string_view s) const { return text_.substr(pos_, s.size()) == s; }
  void skip_spaces() {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
  }
  void skip_past(std::string_view end, const char* what) {
    const std::size_t found = text_.find(end, pos_);
    if (found == std::string_view::npos) fail(pos_, std::string("unterminated ") + what);
    pos_ = found + end.size();
  }
  // Whitespace, comments, processing instructions and a DOCTYPE, between top-level items.
  void skip_misc() {
    for (;;) {
      skip_spaces();
      if (starts_with("<!--")) {
        skip_past("-->", "comment");
      } else if (starts_with("<?")) {
        skip_past("?>", "processing instruction");
      } else if (starts_with("<!DOCTYPE")) {
        skip_past(">", "DOCTYPE");
      } else {
        return;
      }
    }
  }
  std::string name() {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && is_name_char(text_[pos_])) ++pos_;
    if (pos_ == start) fail(pos_, "expected a name");
    return std::string(text_.substr(start, pos_ - start));
  }
  // Decodes character data up to (not including) `stop`.
  std::string decode(std::size_t start, std::size_t stop) const {
    std::string out;
    for (std::size_t i = start; i < stop; ++i) {
      if (text_[i] != '&') {
        out += text_[i];
        continue;
      }
      const std::size_t semi = text_.find(';', i);
      if (semi == std::string_view::npos || semi >= stop) fail(i, "unterminated entity reference");
      const std::string_view entity = text_.substr(i + 1, semi - i - 1);
      if (entity == "lt") {
        out += '<';
      } else if (entity == "gt") {
        out += '>';
      } else if (entity == "amp") {
        out += '&';
      } else if (entity == "quot") {
        out += '"';
      } else if (entity == "apos") {
        out += '\'';
      } else if (entity.size() > 1 && entity[0] == '#') {
        const bool hex = entity[1] == 'x';
        const std::string_view digits = entity.substr(hex ? 2 : 1);
        std::uint32_t cp = 0;
        if (digits.empty() || digits.size() > 8) fail(i, "bad character reference &" + std::string(entity) + ";");
        for (char c : digits) {
          int d = -1;
          if (c >= '0' && c <= '9') d = c - '0';
          if (hex && c >= 'a' && c <= 'f') d = c - 'a' + 10;
          if (hex && c >= 'A' && c <= 'F') d = c - 'A' + 10;
          if (d < 0) fail(i, "bad character reference &" + std::string(entity) + ";");
          cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
        }
        if (cp == 0 || cp > 0x10FFFF) fail(i, "character reference out of range &" + std::string(entity) + ";");
        append_utf8(out, cp);
      } else {
        fail(i, "unknown entity &" + std::string(entity) + ";");
      }
      i = semi;
    }
    return out;
  }
  XmlElement element(std::size_t depth) {
    if (depth >= kMaxDepth) fail(pos_, "elements nested more than " + std::to_string(kMaxDepth) + " deep");
    XmlElement e;
    e.line = line_at(pos_);
    ++pos_;  // '<'
    e.name = name();
    for (;;) {
      skip_spaces();
      if (starts_with("/>")) {
        pos_ += 2;
        return e;
      }
      if (starts_with(">")) {
        ++pos_;
        break;
      }
      std::string key = name();
      skip_spaces();
      if (!starts_with("=")) fail(pos_, "expected '=' after attribute " + key);
      ++pos_;
      skip_spaces();
      if (pos_ >= text_.size() || (text_[pos_] != '"' && text_[pos_] != '\''))
        fail(pos_, "expected a quoted value for attribute " + key);
      const char quote = text_[pos_];
      const std::size_t close = text_.find(quote, pos_ + 1);
      if (close == std::string_view::npos) fail(pos_, "unterminated value of attribute " + key);
      if (e.attribute(key)) fail(pos_, "attribute " + key + " appears twice");
      e.attributes.emplace_back(std::move(key), decode(pos_ + 1, close));
      pos_ = close + 1;
    }
    for (;;) {  // content
      const std::size_t lt = text_.find('<', pos_);
      if (lt == std::string_view::npos)
        fail(text_.size(), "element <" + e.name + "> opened on line " + std::to_string(e.line) + " is never closed");
      e.text += decode(pos_, lt);
      pos_ = lt;
      if (starts_with("</")) {
        pos_ += 2;
        const std::size_t at = pos_;
        const std::string closing = name();
        if (closing != e.name) fail(at, "</" + closing + "> closes <" + e.name + "> (line " + std::to_string(e.line) + ")");
        skip_spaces();
        if (!starts_with(">")) fail(pos_, "expected '>' to end </" + closing);
        ++pos_;
        return e;
      }
      if (starts_with("<!--")) {
        skip_past("-->", "comment");
      } else if (starts_with("<![CDATA[")) {
        const std::size_t start = pos_ + 9;
        skip_past("]]>", "CDATA section");
        e.text += std::string(text_.substr(start, pos_ - 3 - start));
      } else if (starts_with("<?")) {
        skip_past("?>", "processing instruction");
      } else {
        e.children.push_back(element(depth + 1));
      }
    }
  }

  std::string_view text_;
  std::string_view source_;
  std::size_t pos_ = 0;
  std::vector<std::size_t> newlines_;
};

}  // namespace

XmlElement parse_xml(std::string_view text, std::string_view source) { return Parser(text, source).document(); }

std::string escape_xml(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace statelab::automata::xml_detail
