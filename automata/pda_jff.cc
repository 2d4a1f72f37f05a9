#include "automata/pda_jff.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "automata/io_util.h"
#include "base/error.h"
#include "base/file.h"
#include "automata/mini_xml.h"
#include "base/error.h"
#include "base/file.h"

namespace statelab::automata {

namespace {

using detail::XmlElement;

[[noreturn]] void fail(std::string_view source, std::size_t line, const std::string& what) {
  throw ParseError(std::string(source) + ":" + std::to_string(line) + ": " + what);
}

std::string trimmed(const std::string& s) {
  const std::size_t begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(" \t\r\n") - begin + 1);
}

// The characters (UTF-8 code points) of an element's text, surrounding whitespace ignored.
std::vector<std::string> characters(const XmlElement* e, std::string_view source) {
  std::vector<std::string> out;
  if (!e) return out;
  const std::string text = trimmed(e->text);
  for (std::size_t i = 0; i < text.size();) {
    std::size_t len = 1;
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0xF0) {
      len = 4;
    } else if (c >= 0xE0) {
      len = 3;
    } else if (c >= 0xC0) {
      len = 2;
    }
    std::string ch = text.substr(i, len);
    const auto u = static_cast<unsigned char>(ch[0]);
    if (u <= 0x20 || u == 0x7f)
      fail(source, e->line, "<" + e->name + "> holds whitespace or a control character inside '" + text + "'");
    out.push_back(std::move(ch));
    i += len;
  }
  return out;
}

std::size_t state_id(const XmlElement* e, const XmlElement& at, const char* what, std::string_view source) {
  if (!e) fail(source, at.line, std::string("<transition> has no <") + what + ">");
  const std::string text = trimmed(e->text);
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos)
    fail(source, e->line, std::string("<") + what + "> should be a state id, found '" + text + "'");
  return std::stoul(text);
}

std::size_t code_points(const std::string& s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace

Pda read_pda_jff(std::string_view text, std::string_view source_name, PdaAcceptance acceptance) {
  const XmlElement root = detail::parse_xml(text, source_name);
  if (root.name != "structure") fail(source_name, root.line, "expected the root <structure>, found <" + root.name + ">");
  const XmlElement* type = root.child("type");
  if (!type) fail(source_name, root.line, "<structure> has no <type>");
  if (trimmed(type->text) != "pda")
    fail(source_name, type->line, "expected <type>pda</type>, found <type>" + trimmed(type->text) + "</type>");
  // JFLAP 7 wraps the states and transitions in <automaton>; JFLAP 6 does not.
  const XmlElement* automaton = root.child("automaton");
  const XmlElement& body = automaton ? *automaton : root;

  std::map<std::size_t, State> ids;  // JFLAP id -> dense state
  std::vector<bool> accepting;
  std::optional<State> initial;
  std::size_t initial_line = 0;
  for (const XmlElement& e : body.children) {
    if (e.name != "state") continue;
    const std::string* id = e.attribute("id");
    if (!id) fail(source_name, e.line, "<state> has no id attribute");
    if (id->empty() || id->size() > 9 || id->find_first_not_of("0123456789") != std::string::npos)
      fail(source_name, e.line, "state id '" + *id + "' is not a non-negative integer");
    if (accepting.size() >= kMaxFileStates)
      fail(source_name, e.line, "more than " + std::to_string(kMaxFileStates) + " states");
    const auto state = static_cast<State>(accepting.size());
    if (!ids.emplace(std::stoul(*id), state).second) fail(source_name, e.line, "state id " + *id + " appears twice");
    accepting.push_back(e.child("final") != nullptr);
    if (e.child("initial")) {
      if (initial)
        fail(source_name, e.line,
             "a second initial state (the first is on line " + std::to_string(initial_line) + ")");
      initial = state;
      initial_line = e.line;
    }
  }
  if (!initial) fail(source_name, body.line, "no initial state (JFLAP marks it with <initial/>)");

  struct Raw {
    State from, to;
    std::vector<std::string> read, pop, push;
  };
  std::vector<Raw> raw;
  std::set<std::string> input_names, stack_names;
  for (const XmlElement& e : body.children) {
    if (e.name != "transition") continue;
    auto state = [&](const char* what) {
      const XmlElement* c = e.child(what);
      const std::size_t id = state_id(c, e, what, source_name);
      auto it = ids.find(id);
      if (it == ids.end()) fail(source_name, c->line, std::string("<") + what + "> names state " + std::to_string(id) + ", which no <state> declares");
      return it->second;
    };
    Raw r{state("from"), state("to"), characters(e.child("read"), source_name), characters(e.child("pop"), source_name),
          characters(e.child("push"), source_name)};
    input_names.insert(r.read.begin(), r.read.end());
    stack_names.insert(r.pop.begin(), r.pop.end());
    stack_names.insert(r.push.begin(), r.push.end());
    raw.push_back(std::move(r));
  }
  stack_names.erase("Z");
  std::vector<std::string> stack{"Z"};
  stack.insert(stack.end(), stack_names.begin(), stack_names.end());
  Pda pda(Alphabet(std::vector<std::string>(input_names.begin(), input_names.end())), Alphabet(std::move(stack)), 0,
          accepting.size(), acceptance);
  for (State q = 0; q < accepting.size(); ++q) pda.set_accepting(q, accepting[q]);
  pda.set_initial(*initial);
  for (const Raw& r : raw) {
    // One move per character read or popped, through fresh states; the last one pushes.
    const std::size_t steps = std::max<std::size_t>({r.read.size(), r.pop.size(), 1});
    State from = r.from;
    for (std::size_t i = 0; i < steps; ++i) {
      PdaMove move;
      move.from = from;
      move.input = i < r.read.size() ? pda.input_alphabet().id(r.read[i]) : kEpsilon;
      move.pop = i < r.pop.size() ? pda.stack_alphabet().id(r.pop[i]) : kEpsilon;
      if (i + 1 == steps) {
        for (const std::string& s : r.push) move.push.push_back(pda.stack_alphabet().id(s));
        move.to = r.to;
      } else {
        move.to = pda.add_state();
      }
      from = move.to;
      pda.add_move(std::move(move));
    }
  }
  return pda;
}

Pda read_pda_jff_file(const std::filesystem::path& path, PdaAcceptance acceptance) {
  return read_pda_jff(read_file(path), path.string(), acceptance);
}

std::string write_jff(const Pda& pda) {
  const Alphabet& sigma = pda.input_alphabet();
  const Alphabet& gamma = pda.stack_alphabet();
  for (const std::string& name : sigma.names())
    if (code_points(name) != 1)
      throw InvalidArgument("a PDA cannot be written as .jff: JFLAP spells each symbol with one character, but input symbol " +
                            detail::quote(name) + " has " + std::to_string(code_points(name)));
  for (Symbol s = 0; s < gamma.size(); ++s) {
    const std::string& name = gamma.name(s);
    if (code_points(name) != 1 && s != pda.bottom())
      throw InvalidArgument("a PDA cannot be written as .jff: JFLAP spells each symbol with one character, but stack symbol " +
                            detail::quote(name) + " has " + std::to_string(code_points(name)));
    if (name == "Z" && s != pda.bottom())
      throw InvalidArgument("a PDA cannot be written as .jff: JFLAP's stack starts with Z, but Z is not the bottom symbol here");
  }
  auto stack_name = [&](Symbol s) { return s == pda.bottom() ? std::string("Z") : gamma.name(s); };
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?><!--Created by statelab.-->\n<structure>\n"
      "\t<type>pda</type>\n";
  if (pda.acceptance() == PdaAcceptance::empty_stack)
    out += "\t<!--This PDA accepts by empty stack: choose that mode when running it in JFLAP.-->\n";
  out += "\t<automaton>\n";
  for (State q = 0; q < pda.num_states(); ++q) {
    out += "\t\t<state id=\"" + std::to_string(q) + "\" name=\"q" + std::to_string(q) + "\">\n";
    out += "\t\t\t<x>" + std::to_string(100 + 150 * (q % 6)) + ".0</x>\n";
    out += "\t\t\t<y>" + std::to_string(100 + 150 * (q / 6)) + ".0</y>\n";
    if (q == pda.initial()) out += "\t\t\t<initial/>\n";
    if (pda.is_accepting(q)) out += "\t\t\t<final/>\n";
    out += "\t\t</state>\n";
  }
  auto element = [](const char* name, const std::string& text) {
    return text.empty() ? std::string("\t\t\t<") + name + "/>\n"
                        : std::string("\t\t\t<") + name + ">" + detail::escape_xml(text) + "</" + name + ">\n";
  };
  for (const PdaMove& m : pda.moves()) {
    std::string push;
    for (Symbol s : m.push) push += stack_name(s);
    out += "\t\t<transition>\n";
    out += element("from", std::to_string(m.from));
    out += element("to", std::to_string(m.to));
    out += element("read", m.input == kEpsilon ? "" : sigma.name(m.input));
    out += element("pop", m.pop == kEpsilon ? "" : stack_name(m.pop));
    out += element("push", push);
    out += "\t\t</transition>\n";
  }
  out += "\t</automaton>\n</structure>\n";
  return out;
}

}  // namespace statelab::automata
