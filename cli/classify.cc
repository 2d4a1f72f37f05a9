#include "cli/classify.h"

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "automata/automaton_io.h"
#include "automata/minimize.h"
#include "automata/monoid.h"
#include "automata/nfa.h"
#include "base/error.h"
#include "bridge/expressivity.h"
#include "cli/options.h"
#include "cli/progress.h"
#include "cli/text.h"
#include "languages/registry.h"

namespace statelab::cli {

namespace {

using automata::Dfa;
using json = nlohmann::ordered_json;

struct ClassifyOptions {
  std::string input;
  std::size_t max_monoid = automata::kDefaultMaxMonoid;
  std::size_t max_states = automata::kDefaultMaxStates;
  std::size_t max_memory = kDefaultMemoryLimit;
  bool json = false, witness = false;
};

struct Input {
  std::string name;
  Dfa minimal;
};

bool names_a_file(const std::string& input) {
  if (std::filesystem::exists(input)) return true;
  try {
    automata::format_from_path(input);  // an automaton's extension: a file, even a missing one
    return true;
  } catch (const InvalidArgument&) {
    return false;
  }
}

// A file's automaton, determinised and minimised; or a regular catalogue language's minimal DFA.
Input load(const ClassifyOptions& o) {
  if (names_a_file(o.input))
    return {o.input, automata::minimize(automata::determinize(automata::read_automaton(o.input),
                                                              o.max_states))};
  const std::unique_ptr<languages::Language> l = languages::make_language(o.input);
  const Dfa* dfa = l->dfa();
  if (!dfa)
    throw InvalidArgument("classify: " + l->name() + " is " + std::string(languages::to_string(l->language_class())) +
                          ", not regular: it has no finite syntactic monoid (classify takes a regular language)");
  return {l->name(), automata::minimize(*dfa)};
}

std::string_view class_meaning(automata::MonoidClass c) {
  switch (c) {
    case automata::MonoidClass::trivial: return "one element: the empty language or every word";
    case automata::MonoidClass::aperiodic: return "no non-trivial group: star-free, first-order definable, in AC0";
    case automata::MonoidClass::solvable: return "non-trivial groups, all solvable: in ACC0, not star-free";
    case automata::MonoidClass::non_solvable: return "a non-solvable group: NC1-complete (Barrington)";
  }
  return "";
}

std::string series(const std::vector<std::size_t>& orders) {
  std::string out;
  for (std::size_t i = 0; i < orders.size(); ++i) out += (i ? " > " : "") + std::to_string(orders[i]);
  return out;
}

void run(const ClassifyOptions& o) {
  const Input in = load(o);
  const automata::Alphabet& alphabet = in.minimal.alphabet();
  const MemoryLimit memory = memory_limit(o.max_memory);
  TaskProgress closure("the monoid: elements expanded / found");
  const automata::TransitionMonoid m = automata::transition_monoid(in.minimal, o.max_monoid, memory, closure.callback());
  closure.finish();
  TaskProgress green("the monoid's Green relations");
  const automata::MonoidAnalysis a = automata::analyze(m, memory, green.callback());
  green.finish();
  const std::vector<bridge::Prediction> predictions = bridge::predict(bridge::algebraic_facts(a));
  std::size_t regular = 0;
  for (const automata::JClass& j : a.j_classes) regular += j.regular;
  const std::vector<const automata::MaximalSubgroup*> groups = a.nontrivial_groups();

  if (o.json) {
    json out;
    out["language"] = in.name;
    out["states"] = in.minimal.num_states();
    json symbols = json::array();
    for (automata::Symbol s = 0; s < alphabet.size(); ++s) symbols.push_back(alphabet.name(s));
    out["symbols"] = symbols;
    out["monoid_size"] = m.size();
    out["idempotents"] = a.idempotents.size();
    out["j_classes"] = a.j_classes.size();
    out["regular_j_classes"] = regular;
    out["r_classes"] = a.num_r_classes;
    out["l_classes"] = a.num_l_classes;
    out["aperiodic"] = a.aperiodic();
    json gs = json::array();
    for (const automata::MaximalSubgroup* g : groups) {
      json j{{"order", g->order},
             {"abelian", g->abelian},
             {"solvable", g->solvable},
             {"derived_series", g->derived_series},
             {"j_class", g->j_class},
             {"degree", g->points.size()}};
      if (o.witness) {
        j["idempotent"] = alphabet.format_word(m.word(g->idempotent));
        json words = json::array();
        for (automata::Element x : g->generators) words.push_back(alphabet.format_word(m.word(x)));
        j["generators"] = words;
      }
      gs.push_back(std::move(j));
    }
    out["groups"] = gs;
    out["class"] = automata::to_string(a.monoid_class);
    json ps = json::object();
    for (const bridge::Prediction& p : predictions) {
      ps[p.architecture] = {{"answer", bridge::to_string(p.answer)}, {"reason", p.reason}, {"source", p.source}};
      if (p.layers > 0) ps[p.architecture]["layers"] = p.layers;  // cdssm: the depth the group needs
    }
    out["predictions"] = ps;
    std::cout << out.dump() << "\n";
    return;
  }

  print_wrapped("language: ", in.name + " (minimal DFA: " + counted(in.minimal.num_states(), "state") + ", " +
                                 counted(alphabet.size(), "symbol") + ")");
  print_wrapped("monoid: ", counted(m.size(), "element") + ", " + counted(a.idempotents.size(), "idempotent") + ", " +
                               counted(a.j_classes.size(), "J-class") + " (" + std::to_string(regular) + " regular), " +
                               counted(a.num_r_classes, "R-class") + ", " + counted(a.num_l_classes, "L-class"));
  if (groups.empty()) std::cout << "groups: none beyond the trivial one\n";
  for (const automata::MaximalSubgroup* g : groups) {
    print_wrapped("group: ", "order " + std::to_string(g->order) + ", " + (g->abelian ? "abelian" : "non-abelian") + ", " +
                                 (g->solvable ? "solvable" : "non-solvable") + " (derived series " +
                                 series(g->derived_series) + "), on " + counted(g->points.size(), "state") +
                                 ", in J-class " + std::to_string(g->j_class));
    if (!o.witness) continue;
    std::string words = quoted(alphabet, m.word(g->idempotent)) + "; generated by:";
    for (automata::Element x : g->generators) words += " " + quoted(alphabet, m.word(x));
    print_wrapped("  idempotent: ", words, 4);
  }
  print_wrapped("class: ", std::string(automata::to_string(a.monoid_class)) + " (" +
                               std::string(class_meaning(a.monoid_class)) + ")");
  std::cout << "predictions (exact at every length, finite precision):\n";
  for (const bridge::Prediction& p : predictions) {
    std::ostringstream head;
    head << "  " << std::left << std::setw(15) << p.architecture << std::setw(5) << bridge::to_string(p.answer) << " ";
    print_wrapped(head.str(), p.reason + " [" + p.source + "]", head.str().size());
  }
}

}  // namespace

void add_classify_command(CLI::App& parent, Commands& commands) {
  auto o = std::make_shared<ClassifyOptions>();
  CLI::App* v = parent.add_subcommand(
      "classify", "the syntactic monoid of a regular language, its groups and class, and which architectures can track it");
  v->add_option("language", o->input,
                "a regular catalogue language (statelab lang list) or an automaton file (.json, .dot, .jff, .att)")
      ->required();
  v->add_flag("--json", o->json, "machine-readable output");
  v->add_option("--max-monoid", o->max_monoid, "limit on the monoid's elements (default 100000)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 40));
  v->add_option("--max-states", o->max_states, "limit on determinising an automaton file")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 40));
  add_max_memory_option(v, o->max_memory);
  v->add_flag("--witness", o->witness, "for each group, the words of an idempotent and of generators");
  commands.push_back({v, [o] {
    run(*o);
    return 0;
  }});
}

}  // namespace statelab::cli
