#include "automata/json_io.h"

#include <algorithm>
#include <istream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <tuple>
#include <vector>

#include "automata/io_util.h"
#include "automata/json_locate.h"
#include "base/error.h"
#include "base/file.h"

namespace statelab::automata {

namespace {

using nlohmann::json;
using detail::fail;
using detail::quote;

constexpr std::string_view kFormatName = "statelab-automaton";

std::string shown(const json& value) {
  return quote(value.dump(-1, ' ', false, json::error_handler_t::replace));
}

// Interprets a parsed document against the schema; every error names the line it came from.
class Interpreter {
 public:
  Interpreter(const detail::LocatedJson& doc, std::string_view source, bool moore = false)
      : root_(doc.value), lines_(doc.lines), source_(source), moore_(moore) {}

  // A Moore machine's "outputs": one output name per state (after run()).
  std::vector<std::string> outputs;

  Nfa run() {
    if (!root_.is_object()) fail(source_, 1, "expected a JSON object {\"format\": \"" + std::string(kFormatName) + "\", ...}, found " + shown(root_));
    static const char* const kKeys[] = {"format", "version", "kind", "alphabet", "states", "initial", "accepting", "transitions"};
    for (const auto& [k, v] : root_.items()) {
      if (k == "outputs" && !moore_)
        fail(source_, key_line(k), "\"outputs\" gives each state an output: this is a Moore machine, not a DFA or NFA (read it as one)");
      if (k == "outputs") continue;
      if (std::find(std::begin(kKeys), std::end(kKeys), k) == std::end(kKeys))
        fail(source_, key_line(k), "unknown key " + quote(k) + " (expected format, version, kind, alphabet, states, initial, accepting, transitions)");
    }
    for (const char* k : kKeys)
      if (!root_.contains(k)) fail(source_, 1, "missing key \"" + std::string(k) + "\"");

    const json& format = root_["format"];
    if (format != kFormatName)
      fail(source_, key_line("format"), "\"format\" is " + shown(format) + ", expected \"" + std::string(kFormatName) + "\"");
    const json& version = root_["version"];
    if (!version.is_number_unsigned() || version.get<std::uint64_t>() != 1)
      fail(source_, key_line("version"), "unsupported \"version\" " + shown(version) + " (this reader reads version 1)");
    const json& kind = root_["kind"];
    if (kind != "dfa" && kind != "nfa")
      fail(source_, key_line("kind"), "\"kind\" is " + shown(kind) + ", expected \"dfa\" or \"nfa\"");
    dfa_ = kind == "dfa";

    Alphabet alphabet = read_alphabet();
    const std::size_t n = read_count();
    Nfa nfa(std::move(alphabet), n);
    for (State q : read_states("initial", n)) nfa.add_initial(q);
    if (dfa_ && nfa.initial_states().size() != 1)
      fail(source_, key_line("initial"), "a \"dfa\" has exactly one initial state, found " + std::to_string(nfa.initial_states().size()));
    for (State q : read_states("accepting", n)) nfa.set_accepting(q);
    read_transitions(nfa, n);
    if (moore_) read_outputs(n);
    return nfa;
  }

 private:
  // The line where the value of top-level key `k` starts, and that of its element i.
  std::size_t key_line(const std::string& k) const {
    auto it = lines_.find("/" + k);
    return it == lines_.end() ? 1 : it->second;
  }
  std::size_t element_line(const std::string& k, std::size_t i) const {
    auto it = lines_.find("/" + k + "/" + std::to_string(i));
    return it == lines_.end() ? key_line(k) : it->second;
  }

  Alphabet read_alphabet() {
    const json& names = root_["alphabet"];
    if (!names.is_array()) fail(source_, key_line("alphabet"), "\"alphabet\" must be an array of symbol names, found " + shown(names));
    std::vector<std::string> out;
    for (std::size_t i = 0; i < names.size(); ++i) {
      const json& name = names[i];
      if (!name.is_string() || !is_valid_symbol_name(name.get_ref<const std::string&>()))
        fail(source_, element_line("alphabet", i), "symbol " + shown(name) + " is not a non-empty string without whitespace");
      if (std::find(out.begin(), out.end(), name.get<std::string>()) != out.end())
        fail(source_, element_line("alphabet", i), "symbol " + shown(name) + " appears twice in the alphabet");
      out.push_back(name.get<std::string>());
    }
    return Alphabet(std::move(out));
  }

  std::size_t read_count() {
    const json& states = root_["states"];
    if (!states.is_number_unsigned() || states.get<std::uint64_t>() > kMaxFileStates)
      fail(source_, key_line("states"), "\"states\" must be a number of states from 0 to " + std::to_string(kMaxFileStates) + ", found " + shown(states));
    const auto n = states.get<std::size_t>();
    if (dfa_ && n == 0) fail(source_, key_line("states"), "a \"dfa\" needs at least one state (its initial state)");
    return n;
  }

  State state_at(const json& value, std::size_t n, std::size_t line, const char* what) {
    if (!value.is_number_unsigned() || value.get<std::uint64_t>() >= n)
      fail(source_, line, std::string(what) + " " + shown(value) + " is not a state (" +
                              (n == 0 ? std::string("the automaton has no states)") : "expected 0 to " + std::to_string(n - 1) + ")"));
    return value.get<State>();
  }

  std::vector<State> read_states(const char* k, std::size_t n) {
    const json& list = root_[k];
    if (!list.is_array()) fail(source_, key_line(k), "\"" + std::string(k) + "\" must be an array of states, found " + shown(list));
    std::vector<State> out;
    std::vector<bool> seen(n, false);
    for (std::size_t i = 0; i < list.size(); ++i) {
      const State q = state_at(list[i], n, element_line(k, i), k);
      if (seen[q]) fail(source_, element_line(k, i), "state " + std::to_string(q) + " is listed twice in \"" + k + "\"");
      seen[q] = true;
      out.push_back(q);
    }
    return out;
  }

  void read_transitions(Nfa& nfa, std::size_t n) {
    const json& list = root_["transitions"];
    if (!list.is_array()) fail(source_, key_line("transitions"), "\"transitions\" must be an array of [from, symbol, to], found " + shown(list));
    struct Move {
      State from;
      Symbol symbol;
      State to;
      std::size_t index;
    };
    std::vector<Move> moves;
    moves.reserve(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
      const json& t = list[i];
      const std::size_t line = element_line("transitions", i);
      if (!t.is_array() || t.size() != 3) fail(source_, line, "a transition is [from, symbol, to], found " + shown(t));
      const State from = state_at(t[0], n, line, "source");
      const State to = state_at(t[2], n, line, "target");
      Symbol symbol = kEpsilon;
      const json& s = t[1];
      if (s.is_string() && !s.get_ref<const std::string&>().empty()) {
        auto found = nfa.alphabet().find(s.get_ref<const std::string&>());
        if (!found) fail(source_, line, "symbol " + shown(s) + " is not in the alphabet");
        symbol = *found;
      } else if (!s.is_null() && !s.is_string()) {
        fail(source_, line, "a symbol is a name from the alphabet, or null for epsilon, found " + shown(s));
      }
      if (dfa_ && symbol == kEpsilon) fail(source_, line, "a \"dfa\" has no epsilon moves (use \"kind\": \"nfa\")");
      moves.push_back({from, symbol, to, i});
    }
    // Sorting by (from, symbol, to) brings together what the schema forbids twice.
    std::vector<Move> sorted = moves;
    std::sort(sorted.begin(), sorted.end(), [](const Move& a, const Move& b) {
      return std::tie(a.from, a.symbol, a.to, a.index) < std::tie(b.from, b.symbol, b.to, b.index);
    });
    for (std::size_t i = 1; i < sorted.size(); ++i) {
      const Move& a = sorted[i - 1];
      const Move& b = sorted[i];
      if (a.from != b.from || a.symbol != b.symbol) continue;
      const std::string on = b.symbol == kEpsilon ? "epsilon" : quote(nfa.alphabet().name(b.symbol));
      if (a.to == b.to)
        fail(source_, element_line("transitions", b.index), "duplicate transition from state " + std::to_string(b.from) + " on " + on + " to state " + std::to_string(b.to));
      if (dfa_)
        fail(source_, element_line("transitions", b.index), "second transition from state " + std::to_string(b.from) + " on " + on + " (a \"dfa\" has one per state and symbol; use \"kind\": \"nfa\")");
    }
    if (dfa_) {
      const std::size_t k = nfa.alphabet().size();
      if (sorted.size() != n * k) {
        std::size_t next = 0;  // walk (state, symbol) pairs in order against the sorted moves
        for (State q = 0; q < n; ++q)
          for (Symbol a = 0; a < k; ++a, ++next)
            if (next >= sorted.size() || sorted[next].from != q || sorted[next].symbol != a)
              fail(source_, key_line("transitions"), "state " + std::to_string(q) + " has no transition on " + quote(nfa.alphabet().name(a)) + " (a \"dfa\" is complete; use \"kind\": \"nfa\" for a partial automaton)");
      }
    }
    for (const Move& m : moves) nfa.add_arc(m.from, m.symbol, m.to);
  }

  const json& root_;
  const std::unordered_map<std::string, std::size_t>& lines_;
  std::string_view source_;
  bool dfa_ = false;
  bool moore_ = false;

  void read_outputs(std::size_t n) {
    if (!root_.contains("outputs")) fail(source_, 1, "missing key \"outputs\" (a Moore machine has one output name per state)");
    if (!dfa_) fail(source_, key_line("kind"), "a Moore machine has \"kind\": \"dfa\", found \"nfa\"");
    const json& list = root_["outputs"];
    if (!list.is_array() || list.size() != n)
      fail(source_, key_line("outputs"), "\"outputs\" must be an array of " + std::to_string(n) +
                                             " output names (one per state), found " + shown(list));
    for (std::size_t i = 0; i < n; ++i) {
      if (!list[i].is_string() || list[i].get<std::string>().empty())
        fail(source_, key_line("outputs"), "output " + std::to_string(i) + " must be a non-empty string, found " + shown(list[i]));
      outputs.push_back(list[i].get<std::string>());
    }
  }
};

// A name as a JSON string; JSON text is UTF-8, so a name that is not cannot be written.
std::string json_string(const std::string& name) {
  try {
    return json(name).dump();
  } catch (const json::exception&) {
    throw InvalidArgument("an automaton cannot be written as JSON: its symbol " + quote(name) +
                          " is not valid UTF-8, which JSON requires");
  }
}

std::string names_json(const Alphabet& alphabet) {
  std::string out = "[";
  for (std::size_t i = 0; i < alphabet.size(); ++i) out += (i ? ", " : "") + json_string(alphabet.name(static_cast<Symbol>(i)));
  return out + "]";
}

void append_states(std::string& out, const char* key, const std::vector<State>& states, bool last = false) {
  out += "  \"";
  out += key;
  out += "\": [";
  for (std::size_t i = 0; i < states.size(); ++i) out += (i ? ", " : "") + std::to_string(states[i]);
  out += last ? "]\n" : "],\n";
}

std::string header(const char* kind, const Alphabet& alphabet, std::size_t n) {
  return std::string("{\n  \"format\": \"") + std::string(kFormatName) + "\",\n  \"version\": 1,\n  \"kind\": \"" + kind +
         "\",\n  \"alphabet\": " + names_json(alphabet) + ",\n  \"states\": " + std::to_string(n) + ",\n";
}

std::string transition_line(State from, const std::string& symbol, State to, bool first) {
  return std::string(first ? "\n" : ",\n") + "    [" + std::to_string(from) + ", " + symbol + ", " + std::to_string(to) + "]";
}

}  // namespace

Nfa read_json(std::string_view text, std::string_view source_name) {
  return detail::read_json(detail::parse_located(text, source_name), source_name);
}

Nfa detail::read_json(const LocatedJson& doc, std::string_view source_name) { return Interpreter(doc, source_name).run(); }

Nfa read_json(std::istream& in, std::string_view source_name) {
  std::ostringstream text;
  text << in.rdbuf();
  return read_json(text.view(), source_name);
}

Nfa read_json_file(const std::filesystem::path& path) { return read_json(read_file(path), path.string()); }

std::string write_json(const Dfa& dfa) {
  std::string out = header("dfa", dfa.alphabet(), dfa.num_states());
  append_states(out, "initial", {dfa.initial()});
  std::vector<State> accepting;
  for (State q = 0; q < dfa.num_states(); ++q)
    if (dfa.is_accepting(q)) accepting.push_back(q);
  append_states(out, "accepting", accepting);
  std::vector<std::string> symbols;
  for (const auto& name : dfa.alphabet().names()) symbols.push_back(json_string(name));
  out += "  \"transitions\": [";
  bool first = true;
  for (State q = 0; q < dfa.num_states(); ++q)
    for (Symbol a = 0; a < dfa.num_symbols(); ++a, first = false) out += transition_line(q, symbols[a], dfa.next(q, a), first);
  out += first ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

std::pair<Nfa, std::vector<std::string>> read_json_moore(std::string_view text, std::string_view source_name) {
  const detail::LocatedJson doc = detail::parse_located(text, source_name);
  Interpreter interpreter(doc, source_name, true);
  Nfa nfa = interpreter.run();
  return {std::move(nfa), std::move(interpreter.outputs)};
}

std::string write_json(const Dfa& dfa, std::span<const std::string> outputs) {
  if (outputs.size() != dfa.num_states())
    throw InvalidArgument("write_json: " + std::to_string(outputs.size()) + " outputs for " +
                          std::to_string(dfa.num_states()) + " states");
  std::string out = write_json(dfa);
  std::string list = "  \"outputs\": [";
  for (std::size_t i = 0; i < outputs.size(); ++i) list += (i ? ", " : "") + json_string(outputs[i]);
  list += "],\n";
  out.insert(out.find("  \"transitions\""), list);
  return out;
}

std::string write_json(const Nfa& nfa) {
  std::string out = header("nfa", nfa.alphabet(), nfa.num_states());
  append_states(out, "initial", nfa.initial_states());
  std::vector<State> accepting;
  for (State q = 0; q < nfa.num_states(); ++q)
    if (nfa.is_accepting(q)) accepting.push_back(q);
  append_states(out, "accepting", accepting);
  std::vector<std::string> symbols;
  for (const auto& name : nfa.alphabet().names()) symbols.push_back(json_string(name));
  out += "  \"transitions\": [";
  bool first = true;
  for (State q = 0; q < nfa.num_states(); ++q) {
    for (const NfaArc& arc : detail::distinct_arcs(nfa, q)) {
      out += transition_line(q, arc.symbol == kEpsilon ? "null" : symbols[arc.symbol], arc.target, first);
      first = false;
    }
  }
  out += first ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

}  // namespace statelab::automata
