#include "bridge/classify.h"

#include <nlohmann/json.hpp>

#include "automata/minimize.h"

namespace statelab::bridge {

Classification classify(std::string language, const automata::Dfa& dfa, std::size_t max_monoid,
                        const MemoryLimit& memory, const ProgressFn& closure, const ProgressFn& green) {
  automata::Dfa minimal = automata::minimize(dfa);
  automata::TransitionMonoid monoid = automata::transition_monoid(minimal, max_monoid, memory, closure);
  automata::MonoidAnalysis analysis = automata::analyze(monoid, memory, green);
  AlgebraicFacts facts = algebraic_facts(monoid, analysis);
  std::vector<Prediction> predictions = predict(facts);
  std::size_t regular = 0;
  for (const automata::JClass& j : analysis.j_classes) regular += j.regular;
  return Classification{std::move(language), std::move(minimal),     std::move(monoid), std::move(analysis),
                        facts,               std::move(predictions), regular};
}

std::string to_json(const Classification& c, bool witness) {
  using json = nlohmann::ordered_json;
  const automata::Alphabet& alphabet = c.minimal.alphabet();
  const automata::MonoidAnalysis& a = c.analysis;
  json out;
  out["language"] = c.language;
  out["states"] = c.minimal.num_states();
  out["symbols"] = alphabet.names();
  out["monoid_size"] = c.monoid.size();
  out["idempotents"] = a.idempotents.size();
  out["j_classes"] = a.j_classes.size();
  out["regular_j_classes"] = c.regular_j_classes;
  out["r_classes"] = a.num_r_classes;
  out["l_classes"] = a.num_l_classes;
  out["r_trivial"] = c.facts.r_trivial;  // transformer-nope's rule (expressivity.h)
  out["aperiodic"] = a.aperiodic();
  json groups = json::array();
  for (const automata::MaximalSubgroup* g : a.nontrivial_groups()) {
    json j{{"order", g->order},
           {"abelian", g->abelian},
           {"solvable", g->solvable},
           {"derived_series", g->derived_series},
           {"j_class", g->j_class},
           {"degree", g->points.size()}};
    if (witness) {
      j["idempotent"] = alphabet.format_word(c.monoid.word(g->idempotent));
      json words = json::array();
      for (automata::Element x : g->generators) words.push_back(alphabet.format_word(c.monoid.word(x)));
      j["generators"] = words;
    }
    groups.push_back(std::move(j));
  }
  out["groups"] = groups;
  out["class"] = automata::to_string(a.monoid_class);
  json predictions = json::object();
  for (const Prediction& p : c.predictions) {
    predictions[p.architecture] = {{"answer", to_string(p.answer)}, {"reason", p.reason}, {"source", p.source}};
    if (p.layers > 0) predictions[p.architecture]["layers"] = p.layers;  // cdssm: the depth the group needs
  }
  out["predictions"] = predictions;
  return out.dump();
}

}  // namespace statelab::bridge
