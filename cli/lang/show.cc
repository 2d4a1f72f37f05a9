#include "cli/lang/show.h"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "automata/text.h"
#include "automata/minimize.h"
#include "cli/lang/language.h"
#include "cli/options.h"
#include "cli/text.h"
#include "languages/explore.h"
#include "languages/registry.h"
#include "languages/task.h"

namespace statelab::cli {

namespace {

using languages::Count;
using languages::Language;
using languages::Symbol;
using languages::Word;
using json = nlohmann::ordered_json;

// What `show` prints: the first words in shortlex order and the counts of the short lengths.
constexpr std::size_t kShownWords = 8;
constexpr std::size_t kShownWordMaxLength = 12;
constexpr std::size_t kShownCountMaxLength = 8;

// ---- the machines of a language, for show and export -------------------------------------------

std::string acceptance_text(automata::PdaAcceptance a) {
  return a == automata::PdaAcceptance::final_state ? "final-state" : "empty-stack";
}
std::string acceptance_text(automata::CounterAcceptance a) {
  return a == automata::CounterAcceptance::final_state ? "final-state" : "final-state-and-zero";
}

// One summary per machine the language has, the ground truth's first: {kind, text, json}.
struct MachineSummary {
  std::string kind, text;
  json detail;
};

std::vector<MachineSummary> machines_of(const Language& l) {
  std::vector<MachineSummary> out;
  if (const automata::Dfa* dfa = l.dfa()) {
    const bool minimal = automata::is_minimal(*dfa);
    out.push_back({"dfa",
                   "DFA, " + counted(dfa->num_states(), "state") + " (" + (minimal ? "minimal" : "not minimal") +
                       ", complete), " + std::to_string(dfa->num_accepting()) + " accepting",
                   {{"kind", "dfa"}, {"states", dfa->num_states()}, {"accepting", dfa->num_accepting()}, {"minimal", minimal}}});
  }
  if (const automata::Pda* pda = l.pda()) {
    const bool det = automata::is_deterministic(*pda);
    out.push_back({"pda",
                   "PDA, " + counted(pda->num_states(), "state") + ", " +
                       counted(pda->stack_alphabet().size(), "stack symbol") + " (bottom " +
                       pda->stack_alphabet().name(pda->bottom()) + "), " + counted(pda->moves().size(), "move") + ", " +
                       (det ? "deterministic" : "nondeterministic") + ", " + acceptance_text(pda->acceptance()) +
                       " acceptance",
                   {{"kind", "pda"},
                    {"states", pda->num_states()},
                    {"stack_alphabet", pda->stack_alphabet().names()},
                    {"bottom", pda->stack_alphabet().name(pda->bottom())},
                    {"moves", pda->moves().size()},
                    {"deterministic", det},
                    {"acceptance", acceptance_text(pda->acceptance())}}});
  }
  if (const automata::Cfg* g = l.grammar()) {
    out.push_back({"cfg",
                   "grammar, " + counted(g->num_nonterminals(), "nonterminal") + ", " +
                       counted(g->productions().size(), "rule") + ", start " + g->nonterminal_name(g->start()),
                   {{"kind", "cfg"},
                    {"nonterminals", g->nonterminal_names()},
                    {"rules", g->productions().size()},
                    {"start", g->nonterminal_name(g->start())}}});
  }
  if (const automata::CounterMachine* m = l.counter_machine()) {
    const bool det = automata::is_deterministic(*m), real_time = automata::is_real_time(*m);
    out.push_back({"counter",
                   "counter machine, " + counted(m->num_states(), "state") + ", " + counted(m->num_counters(), "counter") +
                       ", " + counted(m->moves().size(), "move") + ", " + (det ? "deterministic" : "nondeterministic") +
                       (real_time ? " real-time" : " with epsilon moves") + ", " + acceptance_text(m->acceptance()) +
                       " acceptance",
                   {{"kind", "counter"},
                    {"states", m->num_states()},
                    {"counters", m->num_counters()},
                    {"moves", m->moves().size()},
                    {"deterministic", det},
                    {"real_time", real_time},
                    {"acceptance", acceptance_text(m->acceptance())}}});
  }
  // The ground truth's machine first.
  const std::string truth(languages::to_string(l.ground_truth().engine));
  std::stable_partition(out.begin(), out.end(), [&](const MachineSummary& m) { return m.kind == truth; });
  return out;
}

void show_task(const std::string& name, bool as_json) {
  const std::unique_ptr<languages::Task> task = languages::make_task(name);
  languages::Rng rng = languages::make_rng(0);
  const languages::TaskExample example = task->sample(4, rng);
  std::vector<std::string> targets;
  for (Symbol s : example.target)
    targets.push_back(s == languages::kNoTarget ? "-" : task->target_alphabet().name(s));
  if (as_json) {
    std::cout << json{{"name", task->name()},
                      {"class", "task"},
                      {"definition", task->definition()},
                      {"input_alphabet", task->input_alphabet().names()},
                      {"target_alphabet", task->target_alphabet().names()},
                      {"example", {{"input", task->input_alphabet().format_word(example.input)}, {"targets", targets}}}}
                     .dump()
              << "\n";
    return;
  }
  constexpr std::size_t kIndent = 18;
  print_wrapped("name:             ", task->name(), kIndent);
  print_wrapped("class:            ", "task (per-position targets; datasets and models use it, not lang member/count)",
                kIndent);
  print_wrapped("definition:       ", task->definition(), kIndent);
  print_wrapped("input alphabet:   ", symbols_of(task->input_alphabet()), kIndent);
  print_wrapped("target alphabet:  ", symbols_of(task->target_alphabet()), kIndent);
  print_wrapped("example (size 4): ", "\"" + task->input_alphabet().format_word(example.input) + "\" -> targets " +
                                         automata::join(targets, " ") + " (- : no target)",
                kIndent);
}

struct LangShowOptions {
  std::string name;
  bool json = false;
};

}  // namespace

void add_lang_show_command(CLI::App& parent, Commands& commands) {
  auto o = std::make_shared<LangShowOptions>();
  CLI::App* v = parent.add_subcommand(
      "show", "a language's definition, alphabet, class, ground truth, automaton, first words and counts");
  v->add_option("name", o->name, std::string(kLanguageNameHelp))->required();
  v->add_flag("--json", o->json, "machine-readable output");
  commands.push_back({v, [o] {
    const std::string base = base_of(o->name);
    if (!is_language_name(base) && is_task_name(base)) {
      show_task(o->name, o->json);
      return 0;
    }
    const std::unique_ptr<Language> l = load_language(o->name, "show");
    bool complete = true;
    const std::vector<Word> words = languages::first_words(*l, kShownWords, kShownWordMaxLength, complete);
    std::vector<std::optional<Count>> counts;
    for (std::size_t n = 0; n <= kShownCountMaxLength; ++n) counts.push_back(l->count(n));
    const std::vector<MachineSummary> machines = machines_of(*l);
    if (o->json) {
      json automaton = nullptr, machines_json = json::array();
      if (!machines.empty() && machines.front().kind == languages::to_string(l->ground_truth().engine))
        automaton = machines.front().detail;
      for (const MachineSummary& m : machines) machines_json.push_back(m.detail);
      json shortest = json::array(), counts_json = json::array();
      for (const Word& w : words) shortest.push_back(l->alphabet().format_word(w));
      for (const auto& c : counts) counts_json.push_back(c ? json(c->str()) : json(nullptr));
      std::cout << json{{"name", l->name()},
                        {"definition", l->ground_truth().definition},
                        {"class", languages::to_string(l->language_class())},
                        {"engine", languages::to_string(l->ground_truth().engine)},
                        {"alphabet", l->alphabet().names()},
                        {"state_names", l->state_names()},
                        {"automaton", automaton},
                        {"machines", machines_json},
                        {"shortest_words", shortest},
                        {"shortest_words_complete", complete},
                        {"counts", counts_json}}
                       .dump()
                << "\n";
      return 0;
    }
    std::string automaton = "none (" + std::string(languages::to_string(l->language_class())) +
                            ": decided by a predicate written from the definition)";
    if (!machines.empty()) {
      std::vector<std::string> parts;
      for (const MachineSummary& m : machines) parts.push_back(m.text);
      automaton = automata::join(parts, "; ");
    }
    std::vector<std::string> shown, count_text;
    for (const Word& w : words) shown.push_back(quoted(l->alphabet(), w));
    for (const auto& c : counts) count_text.push_back(c ? c->str() : "?");
    // Each line fits kWidth: a long value continues under itself.
    constexpr std::size_t kIndent = 15;
    print_wrapped("name:          ", l->name(), kIndent);
    print_wrapped("definition:    ", l->ground_truth().definition, kIndent);
    print_wrapped("alphabet:      ", symbols_of(l->alphabet()), kIndent);
    print_wrapped("class:         ", languages::to_string(l->language_class()), kIndent);
    print_wrapped("ground truth:  ", languages::to_string(l->ground_truth().engine), kIndent);
    print_wrapped("automaton:     ", automaton, kIndent);
    print_wrapped("state:         ",
                  l->state_names().empty() ? std::string("none (no deterministic machine; targets give next symbols only)")
                                           : automata::join(l->state_names(), ", "),
                  kIndent);
    print_wrapped("first words:   ",
                  (shown.empty() ? "none up to length " + std::to_string(kShownWordMaxLength)
                                 : automata::join(shown, " ")) +
                      (complete ? "" : " ..."),
                  kIndent);
    print_wrapped("counts 0.." + std::to_string(kShownCountMaxLength) + ":   ", automata::join(count_text, ", "),
                  kIndent);
    return 0;
  }});
}

}  // namespace statelab::cli
