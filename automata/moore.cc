#include "automata/moore.h"

#include <algorithm>
#include <deque>
#include <map>

#include "automata/dot_io.h"
#include "automata/json_io.h"
#include "base/error.h"
#include "base/file.h"
#include "base/random.h"

namespace statelab::automata {

MooreMachine make_moore(Dfa dfa, const std::vector<std::string>& state_outputs) {
  if (state_outputs.size() != dfa.num_states())
    throw InvalidArgument("make_moore: " + std::to_string(state_outputs.size()) + " outputs for " +
                          std::to_string(dfa.num_states()) + " states");
  MooreMachine m;
  std::map<std::string, std::uint32_t> ids;
  for (const std::string& name : state_outputs) {
    auto [it, fresh] = ids.emplace(name, static_cast<std::uint32_t>(m.output_names.size()));
    if (fresh) m.output_names.push_back(name);
    m.outputs.push_back(it->second);
  }
  m.dfa = std::move(dfa);
  return m;
}

const std::string& output_of(const MooreMachine& machine, std::span<const Symbol> word) {
  return machine.output_names[machine.outputs[run(machine.dfa, machine.dfa.initial(), word)]];
}

std::vector<std::string> state_output_names(const MooreMachine& machine) {
  std::vector<std::string> out;
  out.reserve(machine.outputs.size());
  for (std::uint32_t o : machine.outputs) out.push_back(machine.output_names[o]);
  return out;
}

MooreMachine minimize(const MooreMachine& machine) {
  const Dfa& dfa = machine.dfa;
  const std::size_t n = dfa.num_states(), k = dfa.num_symbols();
  // Moore's refinement: the class of a state is (its class, its successors' classes), renumbered.
  std::vector<std::uint32_t> cls(machine.outputs.begin(), machine.outputs.end());
  std::size_t classes = 0;
  for (;;) {
    std::map<std::vector<std::uint32_t>, std::uint32_t> signature;
    std::vector<std::uint32_t> next(n);
    for (State q = 0; q < n; ++q) {
      std::vector<std::uint32_t> key{cls[q]};
      for (Symbol a = 0; a < k; ++a) key.push_back(cls[dfa.next(q, a)]);
      next[q] = signature.emplace(std::move(key), static_cast<std::uint32_t>(signature.size())).first->second;
    }
    const std::size_t now = signature.size();
    cls = std::move(next);
    if (now == classes) break;
    classes = now;
  }
  // Breadth-first numbering of the classes reachable from the initial state.
  std::vector<std::int64_t> number(classes, -1);
  std::vector<State> representative;
  std::deque<State> queue{dfa.initial()};
  number[cls[dfa.initial()]] = 0;
  representative.push_back(dfa.initial());
  while (!queue.empty()) {
    const State q = queue.front();
    queue.pop_front();
    for (Symbol a = 0; a < k; ++a) {
      const State r = dfa.next(q, a);
      if (number[cls[r]] >= 0) continue;
      number[cls[r]] = static_cast<std::int64_t>(representative.size());
      representative.push_back(r);
      queue.push_back(r);
    }
  }
  Dfa out(dfa.alphabet(), representative.size());
  std::vector<std::uint32_t> used(machine.output_names.size(), 0);
  for (std::size_t s = 0; s < representative.size(); ++s) {
    for (Symbol a = 0; a < k; ++a)
      out.set_next(static_cast<State>(s), a, static_cast<State>(number[cls[dfa.next(representative[s], a)]]));
    used[machine.outputs[representative[s]]] = 1;
  }
  MooreMachine result;
  std::vector<std::uint32_t> renumber(used.size());
  for (std::size_t o = 0; o < used.size(); ++o)
    if (used[o]) {
      renumber[o] = static_cast<std::uint32_t>(result.output_names.size());
      result.output_names.push_back(machine.output_names[o]);
    }
  for (State q : representative) result.outputs.push_back(renumber[machine.outputs[q]]);
  result.dfa = std::move(out);
  return result;
}

std::optional<Word> find_counterexample(const MooreMachine& a, const MooreMachine& b, std::size_t min_length,
                                        std::string_view dont_care) {
  require_same_alphabet(a.dfa.alphabet(), b.dfa.alphabet(), "find_counterexample: the two Moore machines");
  const std::size_t m = b.dfa.num_states(), k = a.dfa.num_symbols();
  // Pairs (p, q) reached by a word of length >= min_length are searched breadth-first; shorter
  // words are walked level by level first (at most min_length levels of at most n m pairs).
  struct Item {
    State p, q;
  };
  std::vector<Word> words{Word{}};
  std::vector<Item> level{{a.dfa.initial(), b.dfa.initial()}};
  for (std::size_t depth = 0; depth < min_length && !level.empty(); ++depth) {
    std::map<std::pair<State, State>, std::size_t> seen;
    std::vector<Word> next_words;
    std::vector<Item> next;
    for (std::size_t i = 0; i < level.size(); ++i)
      for (Symbol s = 0; s < k; ++s) {
        const Item it{a.dfa.next(level[i].p, s), b.dfa.next(level[i].q, s)};
        if (!seen.emplace(std::pair{it.p, it.q}, next.size()).second) continue;
        next.push_back(it);
        next_words.push_back(words[i]);
        next_words.back().push_back(s);
      }
    level = std::move(next);
    words = std::move(next_words);
  }
  std::vector<std::int64_t> parent(a.dfa.num_states() * m, -2);
  std::vector<Symbol> via(parent.size());
  std::vector<std::size_t> origin(parent.size());  // the starting word of a pair's search tree
  std::deque<std::size_t> queue;
  for (std::size_t i = 0; i < level.size(); ++i) {
    const std::size_t x = level[i].p * m + level[i].q;
    if (parent[x] != -2) continue;
    parent[x] = -1;
    origin[x] = i;
    queue.push_back(x);
  }
  while (!queue.empty()) {
    const std::size_t x = queue.front();
    queue.pop_front();
    const State p = static_cast<State>(x / m), q = static_cast<State>(x % m);
    if (!dont_care.empty() && b.output_names[b.outputs[q]] == dont_care) continue;
    if (a.output_names[a.outputs[p]] != b.output_names[b.outputs[q]]) {
      Word tail;
      std::size_t y = x;
      for (; parent[y] >= 0; y = static_cast<std::size_t>(parent[y])) tail.push_back(via[y]);
      Word w = words[origin[y]];
      w.insert(w.end(), tail.rbegin(), tail.rend());
      return w;
    }
    for (Symbol s = 0; s < k; ++s) {
      const std::size_t y = a.dfa.next(p, s) * m + b.dfa.next(q, s);
      if (parent[y] != -2) continue;
      parent[y] = static_cast<std::int64_t>(x);
      via[y] = s;
      queue.push_back(y);
    }
  }
  return std::nullopt;
}

bool equivalent(const MooreMachine& a, const MooreMachine& b) { return !find_counterexample(a, b); }

MooreMachine random_moore(const Alphabet& alphabet, std::size_t states, std::size_t outputs, std::uint64_t seed) {
  if (states == 0 || outputs == 0) throw InvalidArgument("random_moore: needs at least one state and one output");
  auto rng = make_rng(seed);
  Dfa dfa(alphabet, states);
  for (State q = 0; q < states; ++q)
    for (Symbol a = 0; a < alphabet.size(); ++a) dfa.set_next(q, a, static_cast<State>(uniform_below(rng, states)));
  MooreMachine m;
  m.dfa = std::move(dfa);
  for (std::size_t o = 0; o < outputs; ++o) {
    std::string name = "o";  // by append: GCC 12 warns falsely (-Wrestrict) on "o" + std::string
    name += std::to_string(o);
    m.output_names.push_back(std::move(name));
  }
  for (std::size_t q = 0; q < states; ++q) m.outputs.push_back(static_cast<std::uint32_t>(uniform_below(rng, outputs)));
  return m;
}

void require_moore_format(Format format) {
  if (format != Format::json && format != Format::dot)
    throw InvalidArgument("a Moore machine (an output per state) cannot be written as " +
                          std::string(format_name(format)) + " (use .json or .dot)");
}

std::string format_moore(const MooreMachine& machine, Format format) {
  require_moore_format(format);
  const auto names = state_output_names(machine);
  return format == Format::json ? write_json(machine.dfa, names) : write_dot(machine.dfa, names);
}

void write_moore(const MooreMachine& machine, const std::filesystem::path& path, std::optional<Format> format) {
  write_file(path, format_moore(machine, format ? *format : format_from_path(path)));
}

MooreMachine read_moore(std::string_view text, std::string_view source, std::optional<Format> format) {
  const Format f = format ? *format : format_from_path(std::filesystem::path(source));
  std::pair<Nfa, std::vector<std::string>> read;
  if (f == Format::json) read = read_json_moore(text, source);
  else if (f == Format::dot) read = read_dot_moore(text, source);
  else
    throw InvalidArgument(std::string(source) + ": a Moore machine is read from .json or .dot, not " +
                          std::string(format_name(f)));
  const Nfa& nfa = read.first;
  if (!nfa.is_complete_deterministic())
    throw ParseError(std::string(source) + ": the Moore machine must have one initial state and exactly one transition "
                     "per state and symbol");
  Dfa dfa(nfa.alphabet(), nfa.num_states());
  dfa.set_initial(nfa.initial_states().front());
  for (State q = 0; q < nfa.num_states(); ++q)
    for (const NfaArc& arc : nfa.arcs(q)) dfa.set_next(q, arc.symbol, arc.target);
  return make_moore(std::move(dfa), read.second);
}

MooreMachine read_moore_file(const std::filesystem::path& path, std::optional<Format> format) {
  return read_moore(read_file(path), path.string(), format);
}

}  // namespace statelab::automata
