#include "automata/dot_io.h"

#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/graphviz.hpp>
#include <boost/property_map/function_property_map.hpp>
#include <algorithm>
#include <cctype>
#include <istream>
#include <map>
#include <sstream>
#include <unordered_map>
#include <vector>

#include "automata/dfa_graph.h"
#include "automata/io_util.h"
#include "base/error.h"
#include "base/file.h"

namespace statelab::automata {

namespace {

using detail::fail;
using detail::quote;

// ---------------------------------------------------------------------------------------------
// Tokens of the DOT language (https://graphviz.org/doc/info/lang.html), those this subset needs.

enum class Tok { id, lbrace, rbrace, lbracket, rbracket, equals, semicolon, comma, arrow, line, plus, colon, end };

struct Token {
  Tok kind;
  std::string text;     // the identifier's value (quotes removed, escapes resolved)
  bool quoted = false;  // a quoted string is never a keyword
  std::size_t line;
};

std::string describe(const Token& t) {
  switch (t.kind) {
    case Tok::id: return (t.quoted ? "string " : "identifier ") + quote(t.text);
    case Tok::lbrace: return "'{'";
    case Tok::rbrace: return "'}'";
    case Tok::lbracket: return "'['";
    case Tok::rbracket: return "']'";
    case Tok::equals: return "'='";
    case Tok::semicolon: return "';'";
    case Tok::comma: return "','";
    case Tok::arrow: return "'->'";
    case Tok::line: return "'--'";
    case Tok::plus: return "'+'";
    case Tok::colon: return "':'";
    case Tok::end: return "the end of the file";
  }
  return "?";
}

class Lexer {
 public:
  Lexer(std::string_view text, std::string_view source) : text_(text), source_(source) {}

  Token next() {
    skip_blanks_and_comments();
    if (pos_ >= text_.size()) return {Tok::end, {}, false, line_};
    const char c = text_[pos_];
    const std::size_t line = line_;
    auto single = [&](Tok kind) {
      ++pos_;
      return Token{kind, {}, false, line};
    };
    switch (c) {
      case '{': return single(Tok::lbrace);
      case '}': return single(Tok::rbrace);
      case '[': return single(Tok::lbracket);
      case ']': return single(Tok::rbracket);
      case '=': return single(Tok::equals);
      case ';': return single(Tok::semicolon);
      case ',': return single(Tok::comma);
      case '+': return single(Tok::plus);
      case ':': return single(Tok::colon);
      case '"': return quoted_string();
      case '<': fail(source_, line, "HTML-like labels <...> are not supported (use a quoted string)");
      default: break;
    }
    if (c == '-' && pos_ + 1 < text_.size() && (text_[pos_ + 1] == '>' || text_[pos_ + 1] == '-')) {
      pos_ += 2;
      return {text_[pos_ - 1] == '>' ? Tok::arrow : Tok::line, {}, false, line};
    }
    if (is_id_start(c)) {
      const std::size_t start = pos_;
      while (pos_ < text_.size() && (is_id_start(text_[pos_]) || is_digit(text_[pos_]))) ++pos_;
      return {Tok::id, std::string(text_.substr(start, pos_ - start)), false, line};
    }
    if (c == '-' || c == '.' || is_digit(c)) return numeral();
    fail(source_, line, "unexpected character " + quote(text_.substr(pos_, 1)) + " (expected a DOT statement)");
  }

 private:
  static bool is_digit(char c) { return c >= '0' && c <= '9'; }
  // Letters, underscore and any byte of a UTF-8 sequence, as DOT allows.
  static bool is_id_start(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || static_cast<unsigned char>(c) >= 0x80;
  }

  void skip_blanks_and_comments() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '\n') {
        ++line_;
        ++pos_;
        at_line_start_ = true;
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
        ++pos_;
        continue;
      }
      if (c == '#' && at_line_start_) {  // a C preprocessor output line, which DOT ignores
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
        continue;
      }
      if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/') {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
        continue;
      }
      if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '*') {
        const std::size_t line = line_;
        const std::size_t close = text_.find("*/", pos_ + 2);
        if (close == std::string_view::npos) fail(source_, line, "comment /* is never closed with */");
        for (std::size_t i = pos_; i < close; ++i) line_ += text_[i] == '\n';
        pos_ = close + 2;
        at_line_start_ = false;
        continue;
      }
      break;
    }
    at_line_start_ = false;
  }

  // "..." with \" for a quote, \\ for a backslash and backslash-newline joining lines; any other
  // backslash stays as it is (Graphviz gives \n, \l, ... meaning in labels; we keep them).
  Token quoted_string() {
    const std::size_t line = line_;
    std::string value;
    ++pos_;
    while (true) {
      if (pos_ >= text_.size()) fail(source_, line, "string opened here is never closed with '\"'");
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return {Tok::id, std::move(value), true, line};
      }
      if (c == '\\' && pos_ + 1 < text_.size()) {
        const char d = text_[pos_ + 1];
        if (d == '"' || d == '\\') {
          value += d;
          pos_ += 2;
          continue;
        }
        if (d == '\n' || (d == '\r' && pos_ + 2 < text_.size() && text_[pos_ + 2] == '\n')) {
          pos_ += d == '\n' ? 2 : 3;
          ++line_;
          continue;
        }
      }
      if (c == '\n') ++line_;
      value += c;
      ++pos_;
    }
  }

  // [-]?(.[0-9]+ | [0-9]+(.[0-9]*)?)
  Token numeral() {
    const std::size_t start = pos_;
    if (text_[pos_] == '-') ++pos_;
    bool digits = false;
    while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_, digits = true;
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_, digits = true;
    }
    const std::string_view numeral = text_.substr(start, pos_ - start);
    if (!digits) fail(source_, line_, "malformed number " + quote(numeral));
    if (pos_ < text_.size() && is_id_start(text_[pos_]))
      fail(source_, line_, "identifier " + quote(text_.substr(start, pos_ - start + 1)) +
                               "... starts with a digit (quote it: \"...\")");
    return {Tok::id, std::string(numeral), false, line_};
  }

  std::string_view text_;
  std::string_view source_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  bool at_line_start_ = true;
};

// ---------------------------------------------------------------------------------------------
// The graph as read: nodes with their attributes, and edges with theirs.

using Attributes = std::map<std::string, std::string>;

struct Node {
  std::string name;
  Attributes attributes;
  std::size_t line;                     // of its first mention
  std::size_t order = SIZE_MAX;         // rank among states, SIZE_MAX until it appears as one
  bool marker = false;                  // an initial-state marker (__start...)
};

struct Edge {
  std::size_t from, to;  // indices into the node list
  Attributes attributes;
  std::size_t line;
};

struct Graph {
  std::vector<Node> nodes;
  std::unordered_map<std::string, std::size_t> index;
  std::vector<Edge> edges;
  std::size_t states = 0;    // nodes given an order so far
  std::size_t end_line = 1;  // of the closing brace
};

bool is_keyword(const Token& t, std::string_view keyword) {
  if (t.kind != Tok::id || t.quoted || t.text.size() != keyword.size()) return false;
  for (std::size_t i = 0; i < keyword.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(t.text[i])) != keyword[i]) return false;
  return true;
}

class Parser {
 public:
  Parser(std::string_view text, std::string_view source, bool moore = false)
      : lexer_(text, source), source_(source), moore_(moore) {
    advance();
  }

  Graph parse() {
    if (is_keyword(token_, "strict")) advance();
    if (is_keyword(token_, "graph"))
      fail(source_, token_.line, "an undirected 'graph' is not an automaton (expected 'digraph')");
    if (!is_keyword(token_, "digraph")) fail(source_, token_.line, "found " + describe(token_) + ", expected 'digraph'");
    advance();
    if (token_.kind == Tok::id) identifier();  // the graph's name, unused
    expect(Tok::lbrace, "'{' to open the graph");
    while (token_.kind != Tok::rbrace) {
      if (token_.kind == Tok::end) fail(source_, token_.line, "the graph is never closed with '}'");
      statement();
      if (token_.kind == Tok::semicolon) advance();
    }
    graph_.end_line = token_.line;
    advance();
    if (token_.kind != Tok::end)
      fail(source_, token_.line, "found " + describe(token_) + " after the graph's closing '}' (expected the end of the file)");
    return std::move(graph_);
  }

 private:
  void advance() { token_ = lexer_.next(); }

  void expect(Tok kind, const char* what) {
    if (token_.kind != kind) fail(source_, token_.line, "found " + describe(token_) + ", expected " + what);
    advance();
  }

  // ID, with "a" + "b" concatenation of quoted strings.
  std::string identifier() {
    if (token_.kind != Tok::id) fail(source_, token_.line, "found " + describe(token_) + ", expected an identifier or a string");
    std::string value = token_.text;
    const bool quoted = token_.quoted;
    advance();
    while (quoted && token_.kind == Tok::plus) {
      advance();
      if (token_.kind != Tok::id || !token_.quoted)
        fail(source_, token_.line, "found " + describe(token_) + " after '+', expected a quoted string");
      value += token_.text;
      advance();
    }
    return value;
  }

  void statement() {
    const std::size_t line = token_.line;
    if (is_keyword(token_, "node") || is_keyword(token_, "edge") || is_keyword(token_, "graph")) {
      const bool node = is_keyword(token_, "node"), edge = is_keyword(token_, "edge");
      advance();
      if (token_.kind != Tok::lbracket) fail(source_, token_.line, "found " + describe(token_) + ", expected '[' after '" + (node ? "node" : edge ? "edge" : "graph") + "'");
      Attributes attributes = attribute_lists();
      if (node) merge(node_defaults_, attributes);
      if (edge) merge(edge_defaults_, attributes);
      return;  // graph attributes say nothing about the automaton
    }
    if (is_keyword(token_, "subgraph") || token_.kind == Tok::lbrace)
      fail(source_, line, "subgraphs are not supported in an automaton file");
    if (token_.kind != Tok::id) fail(source_, line, "found " + describe(token_) + ", expected a statement (a node, an edge or an attribute)");
    std::string first = identifier();
    if (token_.kind == Tok::equals) {  // ID = ID: a graph attribute
      advance();
      identifier();
      return;
    }
    no_port();
    if (token_.kind == Tok::line) fail(source_, token_.line, "'--' is an undirected edge (expected '->' in a digraph)");
    if (token_.kind != Tok::arrow) {
      const std::size_t node = mention(first, line);
      Attributes attributes = token_.kind == Tok::lbracket ? attribute_lists() : Attributes{};
      merge(graph_.nodes[node].attributes, attributes);
      check_not_moore(graph_.nodes[node], line);
      return;
    }
    std::vector<std::pair<std::string, std::size_t>> chain{{std::move(first), line}};
    while (token_.kind == Tok::arrow || token_.kind == Tok::line) {
      if (token_.kind == Tok::line) fail(source_, token_.line, "'--' is an undirected edge (expected '->' in a digraph)");
      advance();
      if (is_keyword(token_, "subgraph") || token_.kind == Tok::lbrace)
        fail(source_, token_.line, "subgraphs are not supported in an automaton file");
      const std::size_t at = token_.line;
      chain.emplace_back(identifier(), at);
      no_port();
    }
    Attributes attributes = edge_defaults_;
    if (token_.kind == Tok::lbracket) merge(attributes, attribute_lists());
    for (std::size_t i = 0; i + 1 < chain.size(); ++i) edge(chain[i], chain[i + 1], attributes, line);
  }

  void no_port() {
    if (token_.kind == Tok::colon) fail(source_, token_.line, "node ports (name:port) are not supported in an automaton file");
  }

  // One or more [a=b, c=d; ...] lists.
  Attributes attribute_lists() {
    Attributes attributes;
    while (token_.kind == Tok::lbracket) {
      advance();
      while (token_.kind != Tok::rbracket) {
        const std::size_t line = token_.line;
        std::string key = identifier();
        if (token_.kind != Tok::equals) fail(source_, token_.line, "found " + describe(token_) + " after attribute " + quote(key) + ", expected '='");
        advance();
        if (token_.kind != Tok::id) fail(source_, token_.line, "found " + describe(token_) + ", expected the value of attribute " + quote(key));
        attributes[key] = identifier();
        (void)line;
        if (token_.kind == Tok::comma || token_.kind == Tok::semicolon) advance();
        else if (token_.kind != Tok::rbracket)
          fail(source_, token_.line, "found " + describe(token_) + " in an attribute list, expected ',' or ']'");
      }
      advance();
    }
    return attributes;
  }

  static void merge(Attributes& into, const Attributes& from) {
    for (const auto& [k, v] : from) into[k] = v;
  }

  // The node named `name`, created on its first mention with the node defaults then in force.
  std::size_t find_or_create(const std::string& name, std::size_t line) {
    auto [it, fresh] = graph_.index.emplace(name, graph_.nodes.size());
    if (fresh) {
      Node node{name, node_defaults_, line};
      node.marker = name.rfind("__start", 0) == 0;
      graph_.nodes.push_back(std::move(node));
      check_not_moore(graph_.nodes.back(), line);
    }
    return it->second;
  }

  // A mention as a state (a node statement or an end of an edge between states) fixes its rank.
  std::size_t mention(const std::string& name, std::size_t line) {
    const std::size_t i = find_or_create(name, line);
    Node& node = graph_.nodes[i];
    if (!node.marker && node.order == SIZE_MAX) {
      if (graph_.states >= kMaxFileStates)
        fail(source_, line, "more than " + std::to_string(kMaxFileStates) + " states");
      node.order = graph_.states++;
    }
    return i;
  }

  void edge(const std::pair<std::string, std::size_t>& from, const std::pair<std::string, std::size_t>& to,
            const Attributes& attributes, std::size_t line) {
    const std::size_t source = find_or_create(from.first, from.second);
    if (graph_.nodes[source].marker) {
      const std::size_t target = find_or_create(to.first, to.second);
      if (graph_.nodes[target].marker)
        fail(source_, line, "edge " + quote(from.first) + " -> " + quote(to.first) + " joins two initial markers (expected __start -> STATE)");
      auto label = attributes.find("label");
      if (label != attributes.end() && !label->second.empty())
        fail(source_, line, "the initial marker's edge to " + quote(to.first) + " has label " + quote(label->second) + ", expected none or \"\"");
      graph_.edges.push_back({source, target, attributes, line});
      return;
    }
    mention(from.first, from.second);
    const std::size_t target = mention(to.first, to.second);
    if (graph_.nodes[target].marker)
      fail(source_, line, "edge " + quote(from.first) + " -> " + quote(to.first) + " enters an initial marker (__start nodes only have edges out)");
    graph_.edges.push_back({source, target, attributes, line});
  }

  void check_not_moore(const Node& node, std::size_t line) const {
    if (node.marker || moore_) return;
    auto shape = node.attributes.find("shape");
    auto label = node.attributes.find("label");
    const bool record = shape != node.attributes.end() && (shape->second == "record" || shape->second == "Mrecord");
    if (record || (label != node.attributes.end() && label->second.find('|') != std::string::npos))
      fail(source_, line, "node " + quote(node.name) + " has a record label " +
                              quote(label == node.attributes.end() ? std::string() : label->second) +
                              " (state|output): this is a Moore machine (state outputs), not a DFA");
  }

  Lexer lexer_;
  std::string_view source_;
  Token token_{Tok::end, {}, false, 1};
  Graph graph_;
  Attributes node_defaults_, edge_defaults_;
  bool moore_ = false;
};

// ---------------------------------------------------------------------------------------------
// From the graph to the automaton.

// The symbols of a non-empty edge label: SYMBOL or SYMBOL,SYMBOL,...  A symbol that holds a ',',
// a '/', a '"' or a backslash (a word-problem generator such as (1,2)) is written in double
// quotes inside the label, with \" and \\ for a quote and a backslash.  An unquoted '/' marks a
// Mealy machine's input/output label.
std::vector<std::string> split_label(const std::string& text, std::string_view source, std::size_t line,
                                     const std::string& edge_name) {
  std::vector<std::string> symbols;
  auto bad = [&](const std::string& why) {
    fail(source, line, "edge " + edge_name + " has label " + quote(text) + ": " + why);
  };
  std::size_t i = 0;
  while (true) {
    while (i < text.size() && text[i] == ' ') ++i;
    std::string symbol;
    if (i < text.size() && text[i] == '"') {
      for (++i;; ++i) {
        if (i >= text.size()) bad("a quoted symbol is never closed (expected \"SYMBOL\")");
        if (text[i] == '"') break;
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        symbol += text[i];
      }
      ++i;
      while (i < text.size() && text[i] == ' ') ++i;
      if (i < text.size() && text[i] != ',') bad("found " + quote(text.substr(i, 1)) + " after a quoted symbol, expected ','");
    } else {
      const std::size_t end = std::min(text.find(',', i), text.size());
      std::string_view raw = std::string_view(text).substr(i, end - i);
      while (!raw.empty() && raw.back() == ' ') raw.remove_suffix(1);
      if (raw.find('/') != std::string_view::npos)
        fail(source, line, "edge " + edge_name + " is labelled " + quote(text) +
                               " (input/output): this is a Mealy machine (transition outputs), not a DFA");
      symbol = raw;
      i = end;
    }
    if (!is_valid_symbol_name(symbol))
      bad("symbol " + quote(symbol) + " is empty or contains whitespace (expected SYMBOL or SYMBOL,SYMBOL,...)");
    symbols.push_back(std::move(symbol));
    if (i >= text.size()) return symbols;
    ++i;  // the ','
  }
}

// A Moore state's label "NAME|OUTPUT": the output, with the record label's escapes (\| \{ \} \<
// \> \\ \") resolved.
std::string moore_output(const Node& node, std::string_view source) {
  auto label = node.attributes.find("label");
  const std::string text = label == node.attributes.end() ? std::string() : label->second;
  std::size_t bar = std::string::npos;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\') ++i;
    else if (text[i] == '|') {
      bar = i;
      break;
    }
  }
  if (bar == std::string::npos)
    fail(source, node.line, "node " + quote(node.name) + " has label " + quote(text) +
                                ", expected \"NAME|OUTPUT\" (a Moore machine's state and its output)");
  std::string output;
  for (std::size_t i = bar + 1; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) ++i;
    output += text[i];
  }
  if (output.empty()) fail(source, node.line, "node " + quote(node.name) + " has an empty output in label " + quote(text));
  return output;
}

Nfa build(Graph& graph, std::string_view source, const std::optional<Alphabet>& given,
          std::vector<std::string>* outputs = nullptr) {
  // Nodes only an initial marker's edge names get their rank last, in order of first mention.
  for (Node& node : graph.nodes)
    if (!node.marker && node.order == SIZE_MAX) node.order = graph.states++;
  if (graph.states == 0) fail(source, graph.end_line, "the graph has no states (expected nodes such as s0)");

  std::vector<std::string> names;  // alphabet by first appearance, when none is given
  std::unordered_map<std::string, Symbol> ids;
  if (given)
    for (Symbol a = 0; a < given->size(); ++a) ids.emplace(given->name(a), a);
  struct Arc {
    State from;
    Symbol symbol;
    State to;
  };
  std::vector<Arc> arcs;
  std::vector<State> initial;
  for (const Edge& edge : graph.edges) {
    const Node& from = graph.nodes[edge.from];
    const State to = static_cast<State>(graph.nodes[edge.to].order);
    if (from.marker) {
      initial.push_back(to);
      continue;
    }
    auto label = edge.attributes.find("label");
    const std::string edge_name = quote(from.name) + " -> " + quote(graph.nodes[edge.to].name);
    if (label == edge.attributes.end())
      fail(source, edge.line, "edge " + edge_name + " has no label (expected label=\"SYMBOL\", or \"\" for epsilon)");
    const std::string& text = label->second;
    if (text.empty()) {
      arcs.push_back({static_cast<State>(from.order), kEpsilon, to});
      continue;
    }
    for (const std::string& symbol : split_label(text, source, edge.line, edge_name)) {
      auto it = ids.find(symbol);
      if (it == ids.end()) {
        if (given) fail(source, edge.line, "edge " + edge_name + ": symbol " + quote(symbol) + " is not in the given alphabet");
        it = ids.emplace(symbol, static_cast<Symbol>(names.size())).first;
        names.push_back(symbol);
      }
      arcs.push_back({static_cast<State>(from.order), it->second, to});
    }
  }
  if (initial.empty()) fail(source, graph.end_line, "no initial state (expected a marker edge such as __start0 -> s0)");

  Nfa nfa(given ? *given : Alphabet(std::move(names)), graph.states);
  if (outputs) outputs->assign(graph.states, std::string());
  for (const Node& node : graph.nodes) {
    if (node.marker) continue;
    auto shape = node.attributes.find("shape");
    if (outputs) {
      if (shape != node.attributes.end() && shape->second != "record" && shape->second != "Mrecord")
        fail(source, node.line, "node " + quote(node.name) + " has shape=" + shape->second +
                                    " (expected record: a Moore machine's state)");
      (*outputs)[node.order] = moore_output(node, source);
      continue;
    }
    const std::string value = shape == node.attributes.end() ? "" : shape->second;
    if (value == "doublecircle") nfa.set_accepting(static_cast<State>(node.order));
    else if (!value.empty() && value != "circle" && value != "ellipse" && value != "oval")
      fail(source, node.line, "node " + quote(node.name) + " has shape=" + value +
                                  " (expected circle, or doublecircle for an accepting state)");
  }
  for (State q : initial) nfa.add_initial(q);
  for (const Arc& arc : arcs) nfa.add_arc(arc.from, arc.symbol, arc.to);
  return nfa;
}

// ---------------------------------------------------------------------------------------------
// Writing.

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// A symbol as it stands in an edge label: as it is, or in quotes when the reader would otherwise
// split it (',' , '/') or misread it ('"', '\\').
std::string label_symbol(const std::string& name) {
  if (name.find_first_of(",/\"\\") == std::string::npos) return name;
  std::string out = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::vector<std::string> edge_labels(const Alphabet& alphabet, DotLabels style = DotLabels::exact) {
  std::vector<std::string> labels;
  for (const std::string& name : alphabet.names())
    labels.push_back(quoted(style == DotLabels::exact ? label_symbol(name) : name));
  return labels;
}

std::string state_name(State q) { return "s" + std::to_string(q); }

// Writes `[label="sQ", shape=...]` for each state.
template <typename Automaton>
struct StateWriter {
  const Automaton* automaton;
  void operator()(std::ostream& out, State q) const {
    out << "[label=" << quoted(state_name(q)) << ", shape=" << (automaton->is_accepting(q) ? "doublecircle" : "circle") << "]";
  }
};

// Writes the initial markers, which write_graphviz puts before the states.
struct StartWriter {
  std::vector<State> initial;
  void operator()(std::ostream& out) const {
    for (std::size_t i = 0; i < initial.size(); ++i) {
      out << "__start" << i << " [label=\"\", shape=none];\n";
      out << "__start" << i << " -> " << state_name(initial[i]) << " [label=\"\"];\n";
    }
  }
};

// A state's DOT id.  write_graphviz passes every id through escape_dot_string, which by default
// runs a regular expression over its lexical_cast (3 times per edge, most of write_dot's time);
// for this type, argument-dependent lookup finds the overload below, which knows that "s0"
// needs no quoting.
struct DotStateId {
  State q;
};
std::string escape_dot_string(const DotStateId& id) { return state_name(id.q); }

auto state_names() {
  return boost::make_function_property_map<State, DotStateId>([](State q) { return DotStateId{q}; });
}

}  // namespace

Nfa read_dot(std::string_view text, std::string_view source_name, const std::optional<Alphabet>& alphabet) {
  Graph graph = Parser(text, source_name).parse();
  return build(graph, source_name, alphabet);
}

std::pair<Nfa, std::vector<std::string>> read_dot_moore(std::string_view text, std::string_view source_name,
                                                       const std::optional<Alphabet>& alphabet) {
  Graph graph = Parser(text, source_name, true).parse();
  std::vector<std::string> outputs;
  Nfa nfa = build(graph, source_name, alphabet, &outputs);
  return {std::move(nfa), std::move(outputs)};
}

std::string write_dot(const Dfa& dfa, std::span<const std::string> outputs, DotLabels style) {
  if (outputs.size() != dfa.num_states())
    throw InvalidArgument("write_dot: " + std::to_string(outputs.size()) + " outputs for " +
                          std::to_string(dfa.num_states()) + " states");
  const std::vector<std::string> labels = edge_labels(dfa.alphabet(), style);
  std::string out = "digraph G {\n__start0 [label=\"\", shape=none];\n__start0 -> " + state_name(dfa.initial()) +
                    " [label=\"\"];\n";
  for (State q = 0; q < dfa.num_states(); ++q) {
    std::string output;  // escaped for a record label
    for (char c : outputs[q]) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '"' || c == '\\')
        throw InvalidArgument("write_dot: output " + quote(outputs[q]) + " of state " + std::to_string(q) +
                              " holds a control character, a quote or a backslash, which a DOT record label cannot "
                              "hold (write .json)");
      if (std::string_view("|{}<>").find(c) != std::string_view::npos) output += '\\';
      output += c;
    }
    if (output.empty()) throw InvalidArgument("write_dot: state " + std::to_string(q) + " has an empty output");
    out += state_name(q) + " [label=\"" + state_name(q) + "|" + output + "\", shape=record, style=rounded];\n";
  }
  for (State q = 0; q < dfa.num_states(); ++q)
    for (Symbol a = 0; a < dfa.num_symbols(); ++a)
      out += state_name(q) + " -> " + state_name(dfa.next(q, a)) + " [label=" + labels[a] + "];\n";
  return out + "}\n";
}

Nfa read_dot(std::istream& in, std::string_view source_name, const std::optional<Alphabet>& alphabet) {
  std::ostringstream text;
  text << in.rdbuf();
  return read_dot(text.view(), source_name, alphabet);
}

Nfa read_dot_file(const std::filesystem::path& path, const std::optional<Alphabet>& alphabet) {
  return read_dot(read_file(path), path.string(), alphabet);
}

std::string write_dot(const Dfa& dfa, DotLabels style) {
  const std::vector<std::string> labels = edge_labels(dfa.alphabet(), style);
  std::ostringstream out;
  boost::write_graphviz(
      out, dfa, StateWriter<Dfa>{&dfa},
      [&labels](std::ostream& o, const DfaEdge& e) { o << "[label=" << labels[e.symbol] << "]"; },
      StartWriter{{dfa.initial()}}, state_names());
  return std::move(out).str();
}

std::string write_dot(const Nfa& nfa) {
  // The Nfa has no graph traits of its own: copy it into a compressed sparse row graph whose
  // edges carry their symbol (arcs are listed by source, so already in the order CSR wants).
  // A fresh initial state stands for "no initial state", which DOT cannot say.
  using NfaGraph = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, Symbol>;
  std::vector<State> initial = nfa.initial_states();
  const bool fresh = initial.empty();
  std::vector<std::pair<State, State>> ends;
  std::vector<Symbol> symbols;
  for (State q = 0; q < nfa.num_states(); ++q)
    for (const NfaArc& arc : nfa.arcs(q)) {
      ends.emplace_back(q, arc.target);
      symbols.push_back(arc.symbol);
    }
  const NfaGraph graph(boost::edges_are_sorted, ends.begin(), ends.end(), symbols.begin(),
                       nfa.num_states() + (fresh ? 1 : 0));
  if (fresh) initial.push_back(static_cast<State>(nfa.num_states()));
  const std::vector<std::string> labels = edge_labels(nfa.alphabet());
  auto accepting = [&nfa](State q) { return q < nfa.num_states() && nfa.is_accepting(q); };
  struct Accepting {
    decltype(accepting) f;
    bool is_accepting(State q) const { return f(q); }
  } acceptance{accepting};
  std::ostringstream out;
  boost::write_graphviz(
      out, graph, StateWriter<Accepting>{&acceptance},
      [&](std::ostream& o, const NfaGraph::edge_descriptor& e) {
        const Symbol a = graph[e];
        o << "[label=" << (a == kEpsilon ? std::string("\"\"") : labels[a]) << "]";
      },
      StartWriter{initial}, state_names());
  return std::move(out).str();
}

}  // namespace statelab::automata
