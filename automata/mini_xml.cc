#include "automata/mini_xml.h"

#include <cstdint>

#include "automata/io_util.h"
#include "base/error.h"

namespace statelab::automata::detail {

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

constexpr std::size_t kMaxDepth = 16;  // a .jff nests four deep; deeper input is an error

class XmlReader {
 public:
  XmlReader(std::string_view text, std::string_view source) : text_(text), source_(source) {}

  XmlElement document() {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // a UTF-8 byte order mark
    misc();
    if (!at("<") || at("</")) fail(source_, line_, "found " + found() + ", expected the root element");
    XmlElement root = element(1);
    misc();
    if (pos_ < text_.size()) fail(source_, line_, "found " + found() + " after the root element (expected the end of the file)");
    return root;
  }

 private:
  bool at(std::string_view s) const { return text_.substr(pos_, s.size()) == s; }

  std::string found() const {
    if (pos_ >= text_.size()) return "the end of the file";
    std::size_t end = text_.find_first_of("\n>", pos_);
    end = end == std::string_view::npos ? text_.size() : end + (text_[end] == '>' ? 1 : 0);
    return quote(text_.substr(pos_, end - pos_));
  }

  void advance(std::size_t n) {
    for (std::size_t i = 0; i < n && pos_ < text_.size(); ++i) line_ += text_[pos_++] == '\n';
  }

  // Skips to just after `close`, or fails naming what was left open and where.
  void skip_past(std::string_view close, const char* what, std::size_t line) {
    const std::size_t end = text_.find(close, pos_);
    if (end == std::string_view::npos) fail(source_, line, std::string(what) + " opened here is never closed with " + quote(close));
    advance(end + close.size() - pos_);
  }

  void skip_blanks() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\r' || text_[pos_] == '\n'))
      advance(1);
  }

  // Whitespace, comments and processing instructions (the <?xml ...?> declaration among them).
  void misc() {
    while (true) {
      skip_blanks();
      if (at("<!--")) {
        skip_past("-->", "comment", line_);
      } else if (at("<?")) {
        skip_past("?>", "processing instruction", line_);
      } else if (at("<!DOCTYPE") || at("<!doctype")) {
        fail(source_, line_, "DOCTYPE declarations are not supported");
      } else {
        return;
      }
    }
  }

  static bool is_name_char(char c, bool first) {
    const auto u = static_cast<unsigned char>(c);
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || u >= 0x80 ||
           (!first && ((c >= '0' && c <= '9') || c == '-' || c == '.'));
  }

  std::string name(const char* what) {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && is_name_char(text_[pos_], pos_ == start)) ++pos_;
    if (pos_ == start) fail(source_, line_, "found " + found() + ", expected " + what);
    return std::string(text_.substr(start, pos_ - start));
  }

  // &lt; &gt; &amp; &quot; &apos; &#N; &#xN; — appended to `out` as UTF-8.
  void reference(std::string& out) {
    const std::size_t semicolon = text_.find(';', pos_);
    if (semicolon == std::string_view::npos || semicolon - pos_ > 12)
      fail(source_, line_, "found " + quote(text_.substr(pos_, 12)) + ", expected an entity such as &amp; (a bare '&' must be written &amp;)");
    const std::string_view entity = text_.substr(pos_ + 1, semicolon - pos_ - 1);
    static constexpr std::pair<std::string_view, char> kNamed[] = {{"lt", '<'}, {"gt", '>'}, {"amp", '&'}, {"quot", '"'}, {"apos", '\''}};
    for (const auto& [n, c] : kNamed)
      if (entity == n) {
        out += c;
        pos_ = semicolon + 1;
        return;
      }
    if (entity.size() >= 2 && entity[0] == '#') {
      const bool hex = entity[1] == 'x';
      const std::string_view digits = entity.substr(hex ? 2 : 1);
      std::uint32_t code = 0;
      bool ok = !digits.empty();
      for (char c : digits) {
        int d = c >= '0' && c <= '9' ? c - '0' : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10 : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0 || code > 0x10FFFF) {
          ok = false;
          break;
        }
        code = code * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
      }
      // XML 1.0 characters: tab, newline, carriage return, and U+0020 up, less surrogates.
      ok = ok && (code == 0x9 || code == 0xA || code == 0xD || (code >= 0x20 && code <= 0x10FFFF)) &&
           !(code >= 0xD800 && code <= 0xDFFF) && code != 0xFFFE && code != 0xFFFF;
      if (!ok) fail(source_, line_, "character reference &" + std::string(entity) + "; is not an XML character");
      append_utf8(out, code);
      pos_ = semicolon + 1;
      return;
    }
    fail(source_, line_, "unknown entity &" + std::string(entity) + "; (expected &lt; &gt; &amp; &quot; &apos; or &#N;)");
  }

  static void append_utf8(std::string& out, std::uint32_t code) {
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xC0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      out += static_cast<char>(0xE0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (code >> 18));
      out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    }
  }

  std::string attribute_value() {
    if (pos_ >= text_.size() || (text_[pos_] != '"' && text_[pos_] != '\''))
      fail(source_, line_, "found " + found() + ", expected a quoted attribute value");
    const char quote_char = text_[pos_];
    const std::size_t line = line_;
    advance(1);
    std::string value;
    while (true) {
      if (pos_ >= text_.size()) fail(source_, line, "attribute value opened here is never closed");
      const char c = text_[pos_];
      if (c == quote_char) break;
      if (c == '<') fail(source_, line_, "'<' inside an attribute value (write &lt;)");
      if (c == '&') {
        reference(value);
        continue;
      }
      value += c;
      advance(1);
    }
    advance(1);
    return value;
  }

  // At '<': an element and everything inside it, up to its end tag.
  XmlElement element(std::size_t depth) {
    if (depth > kMaxDepth) fail(source_, line_, "elements nested more than " + std::to_string(kMaxDepth) + " deep");
    XmlElement e;
    e.line = line_;
    advance(1);
    e.name = name("an element name after '<'");
    while (true) {
      const std::size_t before = pos_;
      skip_blanks();
      if (at("/>")) {
        advance(2);
        return e;
      }
      if (at(">")) {
        advance(1);
        break;
      }
      if (pos_ == before) fail(source_, line_, "found " + found() + " in tag <" + e.name + ">, expected an attribute, '>' or '/>'");
      std::string key = name("an attribute name");
      skip_blanks();
      if (!at("=")) fail(source_, line_, "found " + found() + " after attribute " + quote(key) + ", expected '='");
      advance(1);
      skip_blanks();
      if (e.attribute(key)) fail(source_, line_, "attribute " + quote(key) + " appears twice in <" + e.name + ">");
      e.attributes.emplace_back(std::move(key), attribute_value());
    }
    while (true) {
      if (pos_ >= text_.size()) fail(source_, e.line, "element <" + e.name + "> opened here is never closed");
      if (at("</")) {
        advance(2);
        const std::size_t line = line_;
        const std::string closing = name("an element name after '</'");
        skip_blanks();
        if (!at(">")) fail(source_, line_, "found " + found() + " in end tag </" + closing + ">, expected '>'");
        advance(1);
        if (closing != e.name)
          fail(source_, line, "end tag </" + closing + "> does not match <" + e.name + "> opened on line " + std::to_string(e.line));
        return e;
      }
      if (at("<!--")) {
        skip_past("-->", "comment", line_);
      } else if (at("<![CDATA[")) {
        const std::size_t line = line_;
        advance(9);
        const std::size_t end = text_.find("]]>", pos_);
        if (end == std::string_view::npos) fail(source_, line, "CDATA section opened here is never closed with ']]>'");
        e.text += text_.substr(pos_, end - pos_);
        advance(end + 3 - pos_);
      } else if (at("<?")) {
        skip_past("?>", "processing instruction", line_);
      } else if (at("<!")) {
        fail(source_, line_, "found " + found() + ", expected an element, text or a comment");
      } else if (at("<")) {
        e.children.push_back(element(depth + 1));
      } else if (at("&")) {
        reference(e.text);
      } else {
        e.text += text_[pos_];
        advance(1);
      }
    }
  }

  std::string_view text_;
  std::string_view source_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

}  // namespace

XmlElement parse_xml(std::string_view text, std::string_view source) { return XmlReader(text, source).document(); }

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

}  // namespace statelab::automata::detail
