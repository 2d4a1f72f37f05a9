#include "automata/att_io.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <istream>
#include <map>
#include <sstream>
#include <unordered_map>

#include "automata/io_util.h"
#include "base/error.h"
#include "base/file.h"

namespace statelab::automata {

namespace {

using detail::fail;
using detail::quote;

constexpr std::string_view kEps = "<eps>";

// One line split at blanks (spaces and tabs, as OpenFst splits them).  Fields live in a fixed
// array so that a file of millions of lines is read without an allocation per line; a line
// with more fields than any form allows keeps only the first ones and is refused by count.
constexpr std::size_t kMaxFields = 5;
struct Line {
  std::size_t number = 0;
  std::size_t count = 0;
  std::array<std::string_view, kMaxFields> fields;
};

// Calls visit(line) for every non-blank line, in order.  Time O(|text|).
template <typename Visit>
void for_each_line(std::string_view text, Visit visit) {
  std::size_t start = 0, number = 1;
  Line out;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.number = number;
    out.count = 0;
    std::size_t i = 0;
    while (i < line.size()) {
      if (line[i] == ' ' || line[i] == '\t') {
        ++i;
        continue;
      }
      const std::size_t field = i;
      while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
      if (out.count < kMaxFields) out.fields[out.count] = line.substr(field, i - field);
      ++out.count;
    }
    if (out.count > 0) visit(static_cast<const Line&>(out));
    start = end + 1;
    ++number;
  }
}

// A weight as OpenFst prints one: a decimal number, or Infinity / -Infinity.
std::optional<double> parse_weight(std::string_view text) {
  if (text == "Infinity" || text == "inf") return HUGE_VAL;
  if (text == "-Infinity" || text == "-inf") return -HUGE_VAL;
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || std::isnan(value)) return std::nullopt;
  return value;
}

State parse_state(std::string_view field, std::string_view source, std::size_t line, const char* what) {
  std::uint64_t value = 0;
  if (!detail::parse_unsigned(field, kMaxFileStates - 1, value))
    fail(source, line, std::string(what) + " " + quote(field) + " is not a state number (expected an integer from 0 to " +
                           std::to_string(kMaxFileStates - 1) + ")");
  return static_cast<State>(value);
}

double weight_at(std::string_view field, std::string_view source, std::size_t line) {
  const auto weight = parse_weight(field);
  if (!weight) fail(source, line, "weight " + quote(field) + " is not a number");
  return *weight;
}

std::string alphabet_error(const Alphabet& alphabet) {
  for (const std::string& name : alphabet.names())
    if (name == kEps) return "symbol '<eps>' cannot be written: the AT&T format reads it as epsilon";
  return {};
}

void check_writable(const Alphabet& alphabet, const char* what) {
  const std::string error = alphabet_error(alphabet);
  if (!error.empty()) throw InvalidArgument(std::string(what) + " cannot be written in AT&T text: " + error);
}

}  // namespace

AttSymbolTable read_att_symbols(std::string_view text, std::string_view source_name) {
  AttSymbolTable table;
  std::unordered_map<std::string_view, std::size_t> names;
  std::unordered_map<std::uint64_t, std::size_t> labels;
  for_each_line(text, [&](const Line& line) {
    if (line.count != 2)
      fail(source_name, line.number, "found " + std::to_string(line.count) + " fields, expected 'NAME LABEL'");
    const std::string_view name = line.fields[0];
    std::uint64_t label = 0;
    if (!detail::parse_unsigned(line.fields[1], UINT32_MAX, label))
      fail(source_name, line.number, "label " + quote(line.fields[1]) + " is not a non-negative integer below 2^32");
    if (!is_valid_symbol_name(name)) fail(source_name, line.number, "symbol name " + quote(name) + " contains a control character");
    if (names.count(name)) fail(source_name, line.number, "symbol " + quote(name) + " is listed twice");
    if (labels.count(label)) fail(source_name, line.number, "label " + std::to_string(label) + " is given to " + quote(table[labels[label]].name) + " and " + quote(name));
    names.emplace(name, table.size());
    labels.emplace(label, table.size());
    table.push_back({std::string(name), label});
  });
  return table;
}

AttSymbolTable read_att_symbols_file(const std::filesystem::path& path) {
  return read_att_symbols(read_file(path), path.string());
}

std::string write_att_symbols(const Alphabet& alphabet) {
  check_writable(alphabet, "a symbol table");
  std::string out = std::string(kEps) + "\t0\n";
  for (std::size_t i = 0; i < alphabet.size(); ++i) out += alphabet.name(static_cast<Symbol>(i)) + "\t" + std::to_string(i + 1) + "\n";
  return out;
}

Nfa read_att(std::string_view text, std::string_view source_name, const std::optional<AttSymbolTable>& symbols) {
  // One form for the whole file (see the header): transducer when a line can only be one.
  bool transducer = false;
  for_each_line(text, [&](const Line& line) {
    const std::size_t f = line.count;
    if (f == 5 || (f == 4 && !parse_weight(line.fields[3]))) transducer = true;
    if (f > kMaxFields)
      fail(source_name, line.number, "found " + std::to_string(f) + " fields, expected 'SRC DST LABEL [WEIGHT]', 'SRC DST IN OUT [WEIGHT]' or 'STATE [WEIGHT]'");
  });

  // Labels resolve to table labels when a table is given, else to names in order of appearance.
  std::unordered_map<std::string_view, std::uint64_t> table_labels;
  std::vector<std::string> table_names;  // the alphabet, by label
  if (symbols) {
    AttSymbolTable sorted = *symbols;
    std::sort(sorted.begin(), sorted.end(), [](const AttSymbol& a, const AttSymbol& b) { return a.label < b.label; });
    for (const AttSymbol& s : *symbols) table_labels.emplace(s.name, s.label);
    for (const AttSymbol& s : sorted)
      if (s.label != 0) table_names.push_back(s.name);
  }
  // Labels get provisional ids in order of appearance (kEpsilon for epsilon), renumbered once
  // the alphabet is known; a linear scan beats hashing for the few labels files usually have.
  struct Arc {
    State from, to;
    Symbol label;
  };
  std::vector<Arc> arcs;
  std::vector<std::string_view> seen_labels;
  std::unordered_map<std::string_view, Symbol> seen_index;  // used once there are many labels
  auto provisional_id = [&](std::string_view label) {
    if (seen_index.empty()) {
      for (std::size_t i = 0; i < seen_labels.size(); ++i)
        if (seen_labels[i] == label) return static_cast<Symbol>(i);
    } else if (auto it = seen_index.find(label); it != seen_index.end()) {
      return it->second;
    }
    const auto id = static_cast<Symbol>(seen_labels.size());
    seen_labels.push_back(label);
    if (seen_labels.size() == 64)
      for (std::size_t i = 0; i < seen_labels.size(); ++i) seen_index.emplace(seen_labels[i], static_cast<Symbol>(i));
    else if (!seen_index.empty())
      seen_index.emplace(label, id);
    return id;
  };
  std::vector<std::pair<State, bool>> finals;
  std::optional<State> initial;
  std::uint64_t num_states = 0;
  for_each_line(text, [&](const Line& line) {
    const std::size_t f = line.count;
    const State from = parse_state(line.fields[0], source_name, line.number, f <= 2 ? "final state" : "source");
    if (!initial) initial = from;
    num_states = std::max<std::uint64_t>(num_states, from + 1ULL);
    if (f <= 2) {
      const bool zero = f == 2 && weight_at(line.fields[1], source_name, line.number) == HUGE_VAL;
      finals.emplace_back(from, !zero);
      return;
    }
    const State to = parse_state(line.fields[1], source_name, line.number, "target");
    num_states = std::max<std::uint64_t>(num_states, to + 1ULL);
    const std::string_view label = line.fields[2];
    if (transducer) {
      if (f == 3)
        fail(source_name, line.number, "found 3 fields in a file of transducer lines, expected 'SRC DST IN OUT [WEIGHT]'");
      if (line.fields[3] != label)
        fail(source_name, line.number, "arc " + std::to_string(from) + " -> " + std::to_string(to) + " reads " + quote(label) +
                                           " and writes " + quote(line.fields[3]) + ": this is a transducer, not an acceptor");
    }
    const std::size_t weight_field = transducer ? 4 : 3;
    if (f > weight_field && weight_at(line.fields[weight_field], source_name, line.number) == HUGE_VAL) return;
    bool epsilon = label == kEps;
    if (symbols) {
      auto it = table_labels.find(label);
      if (it == table_labels.end()) fail(source_name, line.number, "label " + quote(label) + " is not in the symbol table");
      epsilon = it->second == 0;
    } else if (!is_valid_symbol_name(label)) {
      fail(source_name, line.number, "label " + quote(label) + " contains a control character");
    }
    arcs.push_back({from, to, epsilon ? kEpsilon : provisional_id(label)});
  });

  std::vector<std::string> names = table_names;
  if (!symbols) {
    names.assign(seen_labels.begin(), seen_labels.end());
  }
  std::unordered_map<std::string_view, Symbol> ids;
  for (std::size_t i = 0; i < names.size(); ++i) ids.emplace(names[i], static_cast<Symbol>(i));
  std::vector<Symbol> final_id(seen_labels.size());
  for (std::size_t i = 0; i < seen_labels.size(); ++i) final_id[i] = ids.at(seen_labels[i]);
  Nfa nfa(Alphabet(names), num_states);
  if (initial) nfa.add_initial(*initial);
  for (const auto& [q, final] : finals) nfa.set_accepting(q, final);
  {
    std::vector<std::uint32_t> per_state(num_states, 0);
    for (const Arc& arc : arcs) ++per_state[arc.from];
    for (State q = 0; q < num_states; ++q) nfa.reserve_arcs(q, per_state[q]);
  }
  for (const Arc& arc : arcs) nfa.add_arc(arc.from, arc.label == kEpsilon ? kEpsilon : final_id[arc.label], arc.to);
  return nfa;
}

Nfa read_att(std::istream& in, std::string_view source_name, const std::optional<AttSymbolTable>& symbols) {
  std::ostringstream text;
  text << in.rdbuf();
  return read_att(text.view(), source_name, symbols);
}

Nfa read_att_file(const std::filesystem::path& path, const std::optional<AttSymbolTable>& symbols) {
  return read_att(read_file(path), path.string(), symbols);
}

namespace {

// Appends the decimal digits of `value` (to_chars: no allocation, no locale).
void append_number(std::string& out, std::uint64_t value) {
  char digits[24];
  const auto [end, error] = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, end);
}

// Writes the lines of `q`: its arcs, as "q\ttarget\tlabel".
template <typename Arcs>
void write_arcs(std::string& out, State q, const Arcs& arcs, const Alphabet& alphabet) {
  for (const auto& [symbol, target] : arcs) {
    append_number(out, q);
    out += '\t';
    append_number(out, target);
    out += '\t';
    out += symbol == kEpsilon ? kEps : std::string_view(alphabet.name(symbol));
    out += '\n';
  }
}

// The first line must name the initial state: when it has no arc to write, a final-state line
// does, weighted Infinity (not final) if it does not accept.
void write_initial_final_line(std::string& out, State q, bool accepting) {
  out += std::to_string(q) + (accepting ? "\n" : "\tInfinity\n");
}

std::vector<std::pair<Symbol, State>> arcs_of(const Dfa& dfa, State q) {
  std::vector<std::pair<Symbol, State>> arcs;
  for (Symbol a = 0; a < dfa.num_symbols(); ++a) arcs.emplace_back(a, dfa.next(q, a));
  return arcs;
}

std::vector<std::pair<Symbol, State>> arcs_of(const Nfa& nfa, State q) {
  std::vector<std::pair<Symbol, State>> arcs;
  for (const NfaArc& arc : nfa.arcs(q)) arcs.emplace_back(arc.symbol, arc.target);
  return arcs;
}

template <typename Automaton>
std::string write_from(const Automaton& automaton, State initial) {
  std::string out;
  out.reserve(automaton.num_states() * (automaton.alphabet().size() * 16 + 8));  // ~16 bytes an arc line
  const auto n = static_cast<State>(automaton.num_states());
  const auto initial_arcs = arcs_of(automaton, initial);
  const bool initial_line = initial_arcs.empty();
  if (initial_line) write_initial_final_line(out, initial, automaton.is_accepting(initial));
  write_arcs(out, initial, initial_arcs, automaton.alphabet());
  for (State q = 0; q < n; ++q)
    if (q != initial) write_arcs(out, q, arcs_of(automaton, q), automaton.alphabet());
  for (State q = 0; q < n; ++q)
    if (automaton.is_accepting(q) && !(initial_line && q == initial)) append_number(out, q), out += '\n';
  return out;
}

}  // namespace

std::string write_att(const Dfa& dfa) {
  check_writable(dfa.alphabet(), "an automaton");
  return write_from(dfa, dfa.initial());
}

std::string write_att(const Nfa& nfa) {
  check_writable(nfa.alphabet(), "an automaton");
  const std::vector<State>& initial = nfa.initial_states();
  if (initial.empty()) return {};
  if (initial.size() == 1) return write_from(nfa, initial[0]);
  // A fresh initial state n, written first, with an epsilon arc to each initial state.
  const auto n = static_cast<State>(nfa.num_states());
  std::string out;
  for (State q : initial) out += std::to_string(n) + "\t" + std::to_string(q) + "\t" + std::string(kEps) + "\n";
  std::string rest = write_from(nfa, initial[0]);
  // write_from may open with a final-state line for initial[0]; after our arcs it is an
  // ordinary final line, and "q Infinity" is harmless.
  return out + rest;
}

}  // namespace statelab::automata
