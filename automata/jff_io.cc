#include "automata/jff_io.h"

#include <cstdint>
#include <istream>
#include <limits>
#include <sstream>
#include <unordered_map>
#include <vector>

#include "automata/io_util.h"
#include "base/error.h"
#include "base/file.h"

namespace statelab::automata {

namespace {

using io_detail::fail;
using io_detail::quote;

// ---------------------------------------------------------------------------------------------
// A small, strict XML reader for the subset .jff files use.

struct Element {
  std::string name;
  std::vector<std::pair<std::string, std::string>> attributes;
  std::vector<Element> children;
  std::string text;  // the character data directly inside, entities resolved
  std::size_t line = 1;

  const std::string* attribute(std::string_view key) const {
    for (const auto& [k, v] : attributes)
      if (k == key) return &v;
    return nullptr;
  }
};

constexpr std::size_t kMaxDepth = 16;  // a .jff nests four deep; deeper input is an error

class XmlReader {
 public:
  XmlReader(std::string_view text, std::string_view source) : text_(text), source_(source) {}

  Element document() {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // a UTF-8 byte order mark
    misc();
    if (!at("<") || at("</")) fail(source_, line_, "found " + found() + ", expected the root element <structure>");
    Element root = element(1);
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
        fail(source_, line_, "DOCTYPE declarations are not supported in a .jff file");
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
  Element element(std::size_t depth) {
    if (depth > kMaxDepth) fail(source_, line_, "elements nested more than " + std::to_string(kMaxDepth) + " deep");
    Element e;
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

// ---------------------------------------------------------------------------------------------
// From the XML tree to the automaton.

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string what_type_is(std::string_view type) {
  if (type == "pda") return "a pushdown automaton";
  if (type == "turing") return "a Turing machine";
  if (type == "mealy") return "a Mealy machine (transition outputs)";
  if (type == "moore") return "a Moore machine (state outputs)";
  if (type == "grammar") return "a grammar";
  if (type == "re") return "a regular expression";
  if (type == "lsystem") return "an L-system";
  return "not a type this reader knows";
}

class Builder {
 public:
  Builder(std::string_view source, const std::optional<Alphabet>& given) : source_(source), given_(given) {
    if (given_)
      for (Symbol a = 0; a < given_->size(); ++a) ids_.emplace(given_->name(a), a);
  }

  Nfa build(const Element& root) {
    if (root.name != "structure") fail(source_, root.line, "root element is <" + root.name + ">, expected <structure>");
    const Element* type = nullptr;
    const Element* automaton = nullptr;
    for (const Element& child : root.children) {
      if (child.name == "type") {
        if (type) fail(source_, child.line, "a second <type> element");
        type = &child;
      } else if (child.name == "automaton") {
        if (automaton) fail(source_, child.line, "a second <automaton> element");
        automaton = &child;
      }
    }
    if (!type) fail(source_, root.line, "<structure> has no <type> (expected <type>fa</type>)");
    const std::string_view kind = trimmed(type->text);
    if (kind != "fa")
      fail(source_, type->line, "JFLAP type " + quote(kind) + " is " + what_type_is(kind) +
                                    ", not a finite automaton (expected <type>fa</type>)");
    // JFLAP 6 and 7 put the states in <automaton>; JFLAP 4 put them in <structure>.
    const Element& body = automaton ? *automaton : root;
    for (const Element& child : root.children)
      if (child.name != "type" && child.name != "automaton" && !(automaton == nullptr && is_body_element(child.name)))
        unexpected(child, "<structure>", "<type> and <automaton>");
    for (const Element& child : body.children) {
      if (child.name == "state") state(child);
      else if (!is_body_element(child.name) && automaton) unexpected(child, "<automaton>", "<state>, <transition> and <note>");
    }
    if (initial_ == kNone) fail(source_, body.line, "no state is marked <initial/> (a JFLAP automaton has one initial state)");
    for (const Element& child : body.children)
      if (child.name == "transition") transition(child);

    Nfa nfa(given_ ? *given_ : Alphabet(std::move(names_)), states_.size());
    nfa.add_initial(initial_);
    for (State q = 0; q < states_.size(); ++q) nfa.set_accepting(q, final_[q]);
    for (const Arc& arc : arcs_) nfa.add_arc(arc.from, arc.symbol, arc.to);
    return nfa;
  }

 private:
  static constexpr State kNone = std::numeric_limits<State>::max();
  struct Arc {
    State from;
    Symbol symbol;
    State to;
  };

  static bool is_body_element(std::string_view name) { return name == "state" || name == "transition" || name == "note"; }

  [[noreturn]] void unexpected(const Element& e, const char* parent, const char* expected) const {
    fail(source_, e.line, "unexpected element <" + e.name + "> in " + parent + " (expected " + expected + ")");
  }

  void no_text(const Element& e) const {
    if (!trimmed(e.text).empty()) fail(source_, e.line, "<" + e.name + "> contains text " + quote(trimmed(e.text)) + ", expected none");
  }

  void state(const Element& e) {
    const std::string* id = e.attribute("id");
    if (!id) fail(source_, e.line, "<state> has no id attribute");
    if (states_.size() >= io_detail::kMaxFileStates)
      fail(source_, e.line, "more than " + std::to_string(io_detail::kMaxFileStates) + " states");
    const auto q = static_cast<State>(states_.size());
    if (!states_.emplace(*id, q).second) fail(source_, e.line, "state id " + quote(*id) + " is used twice");
    final_.push_back(false);
    for (const Element& child : e.children) {
      if (child.name == "initial") {
        no_text(child);
        if (initial_ != kNone)
          fail(source_, child.line, "state " + quote(*id) + " is marked <initial/> too (a JFLAP automaton has one initial state)");
        initial_ = q;
      } else if (child.name == "final") {
        no_text(child);
        final_[q] = true;
      } else if (child.name != "x" && child.name != "y" && child.name != "label" && child.name != "name") {
        unexpected(child, "<state>", "<x>, <y>, <label>, <name>, <initial/> and <final/>");
      }
    }
  }

  State endpoint(const Element& transition, const Element* e, const char* which) const {
    if (!e) fail(source_, transition.line, "<transition> has no <" + std::string(which) + ">");
    const std::string id(trimmed(e->text));
    auto it = states_.find(id);
    if (it == states_.end()) fail(source_, e->line, "<" + std::string(which) + "> names state id " + quote(id) + ", which no <state> has");
    return it->second;
  }

  void transition(const Element& e) {
    const Element *from = nullptr, *to = nullptr, *read = nullptr;
    for (const Element& child : e.children) {
      const Element** slot = child.name == "from" ? &from : child.name == "to" ? &to : child.name == "read" ? &read : nullptr;
      if (!slot) {
        unexpected(child, "<transition>", "<from>, <to> and <read>");
      }
      if (*slot) fail(source_, child.line, "<transition> has a second <" + child.name + ">");
      *slot = &child;
    }
    const State source = endpoint(e, from, "from");
    const State target = endpoint(e, to, "to");
    if (!read) fail(source_, e.line, "<transition> has no <read> (write <read/> for an epsilon move)");
    // The label is taken as written: JFLAP writes exactly what was typed.
    const std::string& label = read->text;
    if (label.empty()) {
      arcs_.push_back({source, kEpsilon, target});
      return;
    }
    if (!io_detail::valid_symbol_name(label))
      fail(source_, read->line, "<read> label " + quote(label) + " contains whitespace (expected one symbol, or <read/> for epsilon)");
    auto it = ids_.find(label);
    if (it == ids_.end()) {
      if (given_) fail(source_, read->line, "<read> label " + quote(label) + " is not in the given alphabet");
      it = ids_.emplace(label, static_cast<Symbol>(names_.size())).first;
      names_.push_back(label);
    }
    arcs_.push_back({source, it->second, target});
  }

  std::string_view source_;
  const std::optional<Alphabet>& given_;
  std::unordered_map<std::string, State> states_;
  std::vector<bool> final_;
  State initial_ = kNone;
  std::vector<Arc> arcs_;
  std::vector<std::string> names_;
  std::unordered_map<std::string, Symbol> ids_;
};

// ---------------------------------------------------------------------------------------------
// Writing.

std::string escaped(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

struct JffWriter {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?><!--Created with statelab.--><structure>\n"
                    "\t<type>fa</type>\n\t<automaton>\n";

  void state(State q, bool initial, bool accepting) {
    // A grid of ten columns, so that JFLAP opens the file with the states apart.
    out += "\t\t<state id=\"" + std::to_string(q) + "\" name=\"q" + std::to_string(q) + "\">\n";
    out += "\t\t\t<x>" + std::to_string(80 + 140 * (q % 10)) + ".0</x>\n";
    out += "\t\t\t<y>" + std::to_string(80 + 140 * (q / 10)) + ".0</y>\n";
    if (initial) out += "\t\t\t<initial/>\n";
    if (accepting) out += "\t\t\t<final/>\n";
    out += "\t\t</state>\n";
  }

  void transition(State from, State to, const std::string* symbol) {
    out += "\t\t<transition>\n\t\t\t<from>" + std::to_string(from) + "</from>\n\t\t\t<to>" + std::to_string(to) + "</to>\n";
    out += symbol ? "\t\t\t<read>" + escaped(*symbol) + "</read>\n" : "\t\t\t<read/>\n";
    out += "\t\t</transition>\n";
  }

  std::string finish() {
    out += "\t</automaton>\n</structure>\n";
    return std::move(out);
  }
};

}  // namespace

Nfa read_jff(std::string_view text, std::string_view source_name, const std::optional<Alphabet>& alphabet) {
  const Element root = XmlReader(text, source_name).document();
  return Builder(source_name, alphabet).build(root);
}

Nfa read_jff(std::istream& in, std::string_view source_name, const std::optional<Alphabet>& alphabet) {
  std::ostringstream text;
  text << in.rdbuf();
  return read_jff(text.view(), source_name, alphabet);
}

Nfa read_jff_file(const std::filesystem::path& path, const std::optional<Alphabet>& alphabet) {
  return read_jff(read_file(path), path.string(), alphabet);
}

std::string write_jff(const Dfa& dfa) {
  JffWriter writer;
  for (State q = 0; q < dfa.num_states(); ++q) writer.state(q, q == dfa.initial(), dfa.is_accepting(q));
  for (State q = 0; q < dfa.num_states(); ++q)
    for (Symbol a = 0; a < dfa.num_symbols(); ++a) writer.transition(q, dfa.next(q, a), &dfa.alphabet().name(a));
  return writer.finish();
}

std::string write_jff(const Nfa& nfa) {
  JffWriter writer;
  const std::vector<State>& initial = nfa.initial_states();
  const bool fresh = initial.size() != 1;
  const auto n = static_cast<State>(nfa.num_states());
  for (State q = 0; q < n; ++q) writer.state(q, !fresh && q == initial[0], nfa.is_accepting(q));
  if (fresh) writer.state(n, true, false);
  for (State q = 0; q < n; ++q)
    for (const NfaArc& arc : nfa.arcs(q))
      writer.transition(q, arc.target, arc.symbol == kEpsilon ? nullptr : &nfa.alphabet().name(arc.symbol));
  if (fresh)
    for (State q : initial) writer.transition(n, q, nullptr);
  return writer.finish();
}

}  // namespace statelab::automata
