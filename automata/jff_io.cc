#include "automata/jff_io.h"

#include <cstdint>
#include <istream>
#include <limits>
#include <sstream>
#include <unordered_map>
#include <vector>

#include "automata/io_util.h"
#include "automata/mini_xml.h"
#include "base/error.h"
#include "base/file.h"

namespace statelab::automata {

namespace {

using detail::fail;
using detail::quote;
using detail::XmlElement;

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

  Nfa build(const XmlElement& root) {
    if (root.name != "structure") fail(source_, root.line, "root element is <" + root.name + ">, expected <structure>");
    const XmlElement* type = nullptr;
    const XmlElement* automaton = nullptr;
    for (const XmlElement& child : root.children) {
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
    const XmlElement& body = automaton ? *automaton : root;
    for (const XmlElement& child : root.children)
      if (child.name != "type" && child.name != "automaton" && !(automaton == nullptr && is_body_element(child.name)))
        unexpected(child, "<structure>", "<type> and <automaton>");
    for (const XmlElement& child : body.children) {
      if (child.name == "state") state(child);
      else if (!is_body_element(child.name) && automaton) unexpected(child, "<automaton>", "<state>, <transition> and <note>");
    }
    if (initial_ == kNone) fail(source_, body.line, "no state is marked <initial/> (a JFLAP automaton has one initial state)");
    for (const XmlElement& child : body.children)
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

  [[noreturn]] void unexpected(const XmlElement& e, const char* parent, const char* expected) const {
    fail(source_, e.line, "unexpected element <" + e.name + "> in " + parent + " (expected " + expected + ")");
  }

  void no_text(const XmlElement& e) const {
    if (!trimmed(e.text).empty()) fail(source_, e.line, "<" + e.name + "> contains text " + quote(trimmed(e.text)) + ", expected none");
  }

  void state(const XmlElement& e) {
    const std::string* id = e.attribute("id");
    if (!id) fail(source_, e.line, "<state> has no id attribute");
    if (states_.size() >= kMaxFileStates)
      fail(source_, e.line, "more than " + std::to_string(kMaxFileStates) + " states");
    const auto q = static_cast<State>(states_.size());
    if (!states_.emplace(*id, q).second) fail(source_, e.line, "state id " + quote(*id) + " is used twice");
    final_.push_back(false);
    for (const XmlElement& child : e.children) {
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

  State endpoint(const XmlElement& transition, const XmlElement* e, const char* which) const {
    if (!e) fail(source_, transition.line, "<transition> has no <" + std::string(which) + ">");
    const std::string id(trimmed(e->text));
    auto it = states_.find(id);
    if (it == states_.end()) fail(source_, e->line, "<" + std::string(which) + "> names state id " + quote(id) + ", which no <state> has");
    return it->second;
  }

  void transition(const XmlElement& e) {
    const XmlElement *from = nullptr, *to = nullptr, *read = nullptr;
    for (const XmlElement& child : e.children) {
      const XmlElement** slot = child.name == "from" ? &from : child.name == "to" ? &to : child.name == "read" ? &read : nullptr;
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
    if (!is_valid_symbol_name(label))
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
    out += symbol ? "\t\t\t<read>" + detail::escape_xml(*symbol) + "</read>\n" : "\t\t\t<read/>\n";
    out += "\t\t</transition>\n";
  }

  std::string finish() {
    out += "\t</automaton>\n</structure>\n";
    return std::move(out);
  }
};

}  // namespace

Nfa read_jff(std::string_view text, std::string_view source_name, const std::optional<Alphabet>& alphabet) {
  const XmlElement root = detail::parse_xml(text, source_name);
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
