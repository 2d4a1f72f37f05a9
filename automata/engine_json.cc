#include "automata/engine_json.h"

#include <nlohmann/json.hpp>
#include <unordered_set>

#include "automata/io_util.h"
#include "base/error.h"
#include "base/file.h"
#include "automata/json_locate.h"
#include "base/error.h"
#include "base/file.h"

namespace statelab::automata {

namespace {

using detail::describe;
using detail::LocatedJson;
using detail::parse_located;
using detail::SchemaReader;
using nlohmann::json;

constexpr std::uint64_t kMaxCounters = 64;

std::string at(const std::string& pointer, std::size_t i) { return pointer + "/" + std::to_string(i); }

Alphabet read_alphabet(const SchemaReader& r, const json& v, const std::string& pointer) {
  std::vector<std::string> names;
  std::unordered_set<std::string> seen;
  r.array(v, pointer);
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::string& name = r.string(v[i], at(pointer, i));
    if (!is_valid_symbol_name(name))
      r.fail(at(pointer, i), "symbol name \"" + name + "\" is empty or holds whitespace or a control character");
    if (!seen.insert(name).second) r.fail(at(pointer, i), "symbol \"" + name + "\" appears twice");
    names.push_back(name);
  }
  return Alphabet(std::move(names));
}

Symbol read_symbol(const SchemaReader& r, const Alphabet& alphabet, const json& v, const std::string& pointer,
                   const char* what) {
  const std::string& name = r.string(v, pointer);
  auto s = alphabet.find(name);
  if (!s) {
    std::string names;
    for (const std::string& n : alphabet.names()) names += (names.empty() ? "" : " ") + n;
    r.fail(pointer, std::string("unknown ") + what + " \"" + name + "\" (expected one of: " + names + ")");
  }
  return *s;
}

// null (epsilon / nothing) or a symbol of `alphabet`.
Symbol read_optional_symbol(const SchemaReader& r, const Alphabet& alphabet, const json& v,
                            const std::string& pointer, const char* what) {
  if (v.is_null()) return kEpsilon;
  return read_symbol(r, alphabet, v, pointer, what);
}

const json& tuple(const SchemaReader& r, const json& v, const std::string& pointer, std::size_t size,
                  const char* shape) {
  if (!v.is_array() || v.size() != size)
    r.fail(pointer, std::string("expected ") + shape + ", found " + (v.is_array() ? "an array of " + std::to_string(v.size()) : describe(v)));
  return v;
}

std::string quoted(const std::string& s) { return json(s).dump(); }

std::string name_list(const std::vector<std::string>& names) {
  std::string out = "[";
  for (std::size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + quoted(names[i]);
  return out + "]";
}

struct StateHeader {
  std::uint64_t states = 0;
  State initial = 0;
  std::vector<State> accepting;
};

StateHeader read_states(const SchemaReader& r, const json& root, const char* what) {
  StateHeader h;
  h.states = r.index(root["states"], "/states", kMaxFileStates + 1, "a number of states");
  if (h.states == 0) r.fail("/states", std::string("a ") + what + " needs at least one state");
  h.initial = static_cast<State>(r.index(root["initial"], "/initial", h.states, "a state"));
  const json& accepting = r.array(root["accepting"], "/accepting");
  for (std::size_t i = 0; i < accepting.size(); ++i)
    h.accepting.push_back(static_cast<State>(r.index(accepting[i], at("/accepting", i), h.states, "a state")));
  return h;
}

std::string state_lines(std::size_t states, State initial, const std::vector<bool>& accepting) {
  std::string out = "  \"states\": " + std::to_string(states) + ",\n  \"initial\": " + std::to_string(initial) +
                    ",\n  \"accepting\": [";
  bool first = true;
  for (State q = 0; q < states; ++q)
    if (accepting[q]) {
      out += (first ? "" : ", ") + std::to_string(q);
      first = false;
    }
  return out + "],\n";
}

}  // namespace

// ----- PDA ------------------------------------------------------------------------------------

Pda read_pda_json(std::string_view text, std::string_view source_name) {
  return detail::read_pda_json(parse_located(text, source_name), source_name);
}

Pda detail::read_pda_json(const LocatedJson& doc, std::string_view source_name) {
  const SchemaReader r(doc, source_name);
  const json& root = r.root("statelab-pda", {"format", "version", "input_alphabet", "stack_alphabet", "bottom",
                                             "acceptance", "states", "initial", "accepting", "moves"});
  Alphabet input = read_alphabet(r, root["input_alphabet"], "/input_alphabet");
  Alphabet stack = read_alphabet(r, root["stack_alphabet"], "/stack_alphabet");
  const Symbol bottom = read_symbol(r, stack, root["bottom"], "/bottom", "stack symbol");
  const std::string& acceptance = r.string(root["acceptance"], "/acceptance");
  if (acceptance != "final-state" && acceptance != "empty-stack")
    r.fail("/acceptance", "expected \"final-state\" or \"empty-stack\", found \"" + acceptance + "\"");
  const StateHeader h = read_states(r, root, "PDA");
  Pda pda(std::move(input), std::move(stack), bottom, h.states,
          acceptance == "final-state" ? PdaAcceptance::final_state : PdaAcceptance::empty_stack);
  pda.set_initial(h.initial);
  for (State q : h.accepting) pda.set_accepting(q);
  const json& moves = r.array(root["moves"], "/moves");
  for (std::size_t i = 0; i < moves.size(); ++i) {
    const std::string p = at("/moves", i);
    const json& m = tuple(r, moves[i], p, 5, "a move [from, input or null, pop or null, [push...], to]");
    PdaMove move;
    move.from = static_cast<State>(r.index(m[0], at(p, 0), h.states, "a state"));
    move.input = read_optional_symbol(r, pda.input_alphabet(), m[1], at(p, 1), "input symbol");
    move.pop = read_optional_symbol(r, pda.stack_alphabet(), m[2], at(p, 2), "stack symbol");
    const json& push = r.array(m[3], at(p, 3));
    for (std::size_t j = 0; j < push.size(); ++j)
      move.push.push_back(read_symbol(r, pda.stack_alphabet(), push[j], at(at(p, 3), j), "stack symbol"));
    move.to = static_cast<State>(r.index(m[4], at(p, 4), h.states, "a state"));
    pda.add_move(std::move(move));
  }
  return pda;
}

Pda read_pda_json_file(const std::filesystem::path& path) {
  return read_pda_json(read_file(path), path.string());
}

std::string write_json(const Pda& pda) {
  const Alphabet& sigma = pda.input_alphabet();
  const Alphabet& gamma = pda.stack_alphabet();
  std::vector<bool> accepting(pda.num_states());
  for (State q = 0; q < pda.num_states(); ++q) accepting[q] = pda.is_accepting(q);
  std::string out = "{\n  \"format\": \"statelab-pda\",\n  \"version\": 1,\n";
  out += "  \"input_alphabet\": " + name_list(sigma.names()) + ",\n";
  out += "  \"stack_alphabet\": " + name_list(gamma.names()) + ",\n";
  out += "  \"bottom\": " + quoted(gamma.empty() ? std::string() : gamma.name(pda.bottom())) + ",\n";
  out += std::string("  \"acceptance\": \"") +
         (pda.acceptance() == PdaAcceptance::final_state ? "final-state" : "empty-stack") + "\",\n";
  out += state_lines(pda.num_states(), pda.initial(), accepting);
  out += "  \"moves\": [";
  for (std::size_t i = 0; i < pda.moves().size(); ++i) {
    const PdaMove& m = pda.moves()[i];
    std::vector<std::string> push;
    for (Symbol s : m.push) push.push_back(gamma.name(s));
    out += std::string(i ? "," : "") + "\n    [" + std::to_string(m.from) + ", " +
           (m.input == kEpsilon ? "null" : quoted(sigma.name(m.input))) + ", " +
           (m.pop == kEpsilon ? "null" : quoted(gamma.name(m.pop))) + ", " + name_list(push) + ", " +
           std::to_string(m.to) + "]";
  }
  out += pda.moves().empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

// ----- grammar --------------------------------------------------------------------------------

Cfg read_cfg_json(std::string_view text, std::string_view source_name) {
  return detail::read_cfg_json(parse_located(text, source_name), source_name);
}

Cfg detail::read_cfg_json(const LocatedJson& doc, std::string_view source_name) {
  const SchemaReader r(doc, source_name);
  const json& root =
      r.root("statelab-grammar", {"format", "version", "terminals", "nonterminals", "start", "rules"});
  Cfg cfg(read_alphabet(r, root["terminals"], "/terminals"), {});
  const json& nonterminals = r.array(root["nonterminals"], "/nonterminals");
  for (std::size_t i = 0; i < nonterminals.size(); ++i) {
    const std::string& name = r.string(nonterminals[i], at("/nonterminals", i));
    try {
      cfg.add_nonterminal(name);
    } catch (const InvalidArgument& e) {
      r.fail(at("/nonterminals", i), std::string(e.what()).substr(5));  // drop "Cfg: "
    }
  }
  auto nonterminal = [&](const json& v, const std::string& pointer) {
    const std::string& name = r.string(v, pointer);
    auto n = cfg.find_nonterminal(name);
    if (!n) r.fail(pointer, "unknown nonterminal \"" + name + "\"");
    return *n;
  };
  cfg.set_start(nonterminal(root["start"], "/start"));
  const json& rules = r.array(root["rules"], "/rules");
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const std::string p = at("/rules", i);
    const json& rule = tuple(r, rules[i], p, 2, "a rule [lhs, [symbols...]]");
    const Nonterminal lhs = nonterminal(rule[0], at(p, 0));
    const json& rhs = r.array(rule[1], at(p, 1));
    std::vector<GrammarSymbol> symbols;
    for (std::size_t j = 0; j < rhs.size(); ++j) {
      const std::string& name = r.string(rhs[j], at(at(p, 1), j));
      if (auto n = cfg.find_nonterminal(name)) {
        symbols.push_back(GrammarSymbol::nonterm(*n));
      } else if (auto t = cfg.terminals().find(name)) {
        symbols.push_back(GrammarSymbol::term(*t));
      } else {
        r.fail(at(at(p, 1), j), "unknown symbol \"" + name + "\": neither a terminal nor a nonterminal");
      }
    }
    cfg.add_production(lhs, std::move(symbols));
  }
  return cfg;
}

Cfg read_cfg_json_file(const std::filesystem::path& path) {
  return read_cfg_json(read_file(path), path.string());
}

std::string write_json(const Cfg& cfg) {
  if (cfg.num_nonterminals() == 0) throw InvalidArgument("a grammar with no nonterminal cannot be written as JSON");
  std::string out = "{\n  \"format\": \"statelab-grammar\",\n  \"version\": 1,\n";
  out += "  \"terminals\": " + name_list(cfg.terminals().names()) + ",\n";
  out += "  \"nonterminals\": " + name_list(cfg.nonterminal_names()) + ",\n";
  out += "  \"start\": " + quoted(cfg.nonterminal_name(cfg.start())) + ",\n";
  out += "  \"rules\": [";
  for (std::size_t i = 0; i < cfg.productions().size(); ++i) {
    const Production& p = cfg.productions()[i];
    std::vector<std::string> rhs;
    for (const GrammarSymbol& s : p.rhs)
      rhs.push_back(s.terminal ? cfg.terminals().name(s.id) : cfg.nonterminal_name(s.id));
    out += std::string(i ? "," : "") + "\n    [" + quoted(cfg.nonterminal_name(p.lhs)) + ", " + name_list(rhs) + "]";
  }
  out += cfg.productions().empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

// ----- counter machine ------------------------------------------------------------------------

CounterMachine read_counter_machine_json(std::string_view text, std::string_view source_name) {
  return detail::read_counter_machine_json(parse_located(text, source_name), source_name);
}

CounterMachine detail::read_counter_machine_json(const LocatedJson& doc, std::string_view source_name) {
  const SchemaReader r(doc, source_name);
  const json& root = r.root("statelab-counter-machine", {"format", "version", "alphabet", "counters", "acceptance",
                                                          "states", "initial", "accepting", "moves"});
  Alphabet alphabet = read_alphabet(r, root["alphabet"], "/alphabet");
  const std::size_t k = r.index(root["counters"], "/counters", kMaxCounters + 1, "a number of counters");
  const std::string& acceptance = r.string(root["acceptance"], "/acceptance");
  if (acceptance != "final-state" && acceptance != "final-state-and-zero")
    r.fail("/acceptance", "expected \"final-state\" or \"final-state-and-zero\", found \"" + acceptance + "\"");
  const StateHeader h = read_states(r, root, "counter machine");
  CounterMachine machine(std::move(alphabet), k, h.states,
                         acceptance == "final-state" ? CounterAcceptance::final_state
                                                     : CounterAcceptance::final_state_and_zero);
  machine.set_initial(h.initial);
  for (State q : h.accepting) machine.set_accepting(q);
  const json& moves = r.array(root["moves"], "/moves");
  for (std::size_t i = 0; i < moves.size(); ++i) {
    const std::string p = at("/moves", i);
    const json& m = tuple(r, moves[i], p, 5, "a move [from, input or null, tests, operations, to]");
    CounterMove move;
    move.from = static_cast<State>(r.index(m[0], at(p, 0), h.states, "a state"));
    move.input = read_optional_symbol(r, machine.alphabet(), m[1], at(p, 1), "input symbol");
    const std::string& tests = r.string(m[2], at(p, 2));
    const std::string& ops = r.string(m[3], at(p, 3));
    if (tests.size() != k)
      r.fail(at(p, 2), "expected one test per counter (" + std::to_string(k) + " characters of 0 + *), found \"" +
                           tests + "\"");
    if (ops.size() != k)
      r.fail(at(p, 3), "expected one operation per counter (" + std::to_string(k) +
                           " characters of + - =), found \"" + ops + "\"");
    for (std::size_t j = 0; j < k; ++j) {
      switch (tests[j]) {
        case '0': move.tests.push_back(CounterTest::zero); break;
        case '+': move.tests.push_back(CounterTest::non_zero); break;
        case '*': move.tests.push_back(CounterTest::any); break;
        default: r.fail(at(p, 2), "unknown test '" + std::string(1, tests[j]) + "' (expected 0, + or *)");
      }
      switch (ops[j]) {
        case '+': move.ops.push_back(CounterOp::increment); break;
        case '-': move.ops.push_back(CounterOp::decrement); break;
        case '=': move.ops.push_back(CounterOp::keep); break;
        default: r.fail(at(p, 3), "unknown operation '" + std::string(1, ops[j]) + "' (expected +, - or =)");
      }
      if (move.tests[j] == CounterTest::zero && move.ops[j] == CounterOp::decrement)
        r.fail(p, "the move tests counter " + std::to_string(j) + " for zero and decrements it");
    }
    move.to = static_cast<State>(r.index(m[4], at(p, 4), h.states, "a state"));
    machine.add_move(std::move(move));
  }
  return machine;
}

CounterMachine read_counter_machine_json_file(const std::filesystem::path& path) {
  return read_counter_machine_json(read_file(path), path.string());
}

std::string write_json(const CounterMachine& machine) {
  std::vector<bool> accepting(machine.num_states());
  for (State q = 0; q < machine.num_states(); ++q) accepting[q] = machine.is_accepting(q);
  std::string out = "{\n  \"format\": \"statelab-counter-machine\",\n  \"version\": 1,\n";
  out += "  \"alphabet\": " + name_list(machine.alphabet().names()) + ",\n";
  out += "  \"counters\": " + std::to_string(machine.num_counters()) + ",\n";
  out += std::string("  \"acceptance\": \"") +
         (machine.acceptance() == CounterAcceptance::final_state ? "final-state" : "final-state-and-zero") + "\",\n";
  out += state_lines(machine.num_states(), machine.initial(), accepting);
  out += "  \"moves\": [";
  for (std::size_t i = 0; i < machine.moves().size(); ++i) {
    const CounterMove& m = machine.moves()[i];
    std::string tests, ops;
    for (std::size_t j = 0; j < machine.num_counters(); ++j) {
      tests += m.tests[j] == CounterTest::zero ? '0' : m.tests[j] == CounterTest::non_zero ? '+' : '*';
      ops += m.ops[j] == CounterOp::increment ? '+' : m.ops[j] == CounterOp::decrement ? '-' : '=';
    }
    out += std::string(i ? "," : "") + "\n    [" + std::to_string(m.from) + ", " +
           (m.input == kEpsilon ? "null" : quoted(machine.alphabet().name(m.input))) + ", \"" + tests + "\", \"" +
           ops + "\", " + std::to_string(m.to) + "]";
  }
  out += machine.moves().empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

}  // namespace statelab::automata
