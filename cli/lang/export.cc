#include "cli/lang/export.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "base/file.h"
#include "automata/automaton_io.h"
#include "automata/cfg.h"
#include "automata/engine_json.h"
#include "base/error.h"
#include "automata/machine_io.h"
#include "automata/pda_jff.h"
#include "cli/lang/language.h"
#include "cli/options.h"
#include "cli/render.h"
#include "cli/text.h"

namespace statelab::cli {

namespace {

using languages::Language;
using json = nlohmann::ordered_json;

// `lang export`: the machine to write is --engine's, else the grammar for .cfg, else the ground
// truth's (for .jff a DFA, or else a PDA); a PDA and a grammar convert into each other
// (automata::to_cfg, automata::to_pda with final-state acceptance, which .jff files assume).
void export_language(const std::string& name, const std::string& output, std::string engine, bool as_json,
                     const std::string& format, std::size_t max_render_states) {
  const std::unique_ptr<Language> l = load_language(name, "export");
  // --output-format names the format as an extension would ("json" is ".json"): needed for "-".
  std::string ext = format.empty() ? std::filesystem::path(output).extension().string() : "." + format;
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const bool drawn = ext == ".svg" || ext == ".gv" || ext == ".dot" || ext == ".att";
  if (!drawn && ext != ".json" && ext != ".jff" && ext != ".cfg")
    throw InvalidArgument("lang export: unknown output extension '" + ext + "' of " + output +
                          " (expected .json, .jff, .cfg, .dot, .att, .gv or .svg; for - name it with --output-format)");
  const std::string truth(languages::to_string(l->ground_truth().engine));
  if (truth == "predicate" && engine.empty())
    throw InvalidArgument("lang export: " + l->name() + " is " + std::string(languages::to_string(l->language_class())) +
                          " and has no automaton or grammar (its ground truth is a predicate written from the definition)");
  if (engine.empty()) {
    if (ext == ".cfg") engine = "cfg";
    else if (ext == ".jff") engine = l->dfa() ? "dfa" : "pda";
    else if (drawn) engine = "dfa";
    else engine = truth;
  }
  if (engine == "predicate") engine = l->dfa() ? "dfa" : "none";
  const bool has = (engine == "dfa" && l->dfa()) || (engine == "pda" && (l->pda() || l->grammar())) ||
                   (engine == "cfg" && (l->grammar() || l->pda())) || (engine == "counter" && l->counter_machine());
  if (!has)
    throw InvalidArgument("lang export: " + l->name() + " has no " +
                          (engine == "dfa" ? std::string("finite automaton") : engine == "counter" ? "counter machine"
                                           : engine == "pda" ? "pushdown automaton" : "grammar") +
                          " (its ground truth is " + truth + ")");
  std::string summary;
  json size;  // {"states": n} or {"rules": n}
  if (engine == "dfa") {
    const automata::Dfa& dfa = *l->dfa();
    if (ext == ".svg" || ext == ".gv") render(dfa, output, ext == ".svg" ? "svg" : "dot", max_render_states);
    else automata::write_machine(dfa, output, ext);
    summary = "DFA, " + counted(dfa.num_states(), "state");
    size = {{"states", dfa.num_states()}};
  } else if (engine == "pda") {
    const automata::Pda pda = l->pda() ? *l->pda() : automata::to_pda(*l->grammar(), automata::PdaAcceptance::final_state);
    automata::write_machine(pda, output, ext);
    summary = "PDA, " + counted(pda.num_states(), "state");
    size = {{"states", pda.num_states()}};
  } else if (engine == "cfg") {
    const automata::Cfg g = l->grammar() ? *l->grammar() : automata::to_cfg(*l->pda());
    automata::write_machine(g, output, ext);
    summary = "grammar, " + counted(g.productions().size(), "rule");
    size = {{"rules", g.productions().size()}};
  } else {
    const automata::CounterMachine& m = *l->counter_machine();
    automata::write_machine(m, output, ext);
    summary = "counter machine, " + counted(m.num_states(), "state") + ", " + counted(m.num_counters(), "counter");
    size = {{"states", m.num_states()}, {"counters", m.num_counters()}};
  }
  if (as_json) {
    json out{{"language", l->name()}, {"engine", engine}};
    out.update(size);
    out["output"] = output;
    summary_stream(output) << out.dump() << "\n";
  }
  else
    summary_stream(output) << "wrote " << l->name() << " (" << summary << ") to " << output << "\n";
}

struct LangExportOptions {
  std::string name, output, engine, format;
  std::size_t max_render_states = kMaxRenderStates;
  bool json = false;
};

}  // namespace

void add_lang_export_command(CLI::App& parent, Commands& commands) {
  auto o = std::make_shared<LangExportOptions>();
  CLI::App* v = parent.add_subcommand(
      "export",
      "write a language's automaton or grammar: a DFA as .json .dot .jff .att or drawn as .svg .gv; a PDA as .json "
      ".jff; a grammar as .cfg .json; a counter machine as .json (file:PATH reads each back)");
  v->add_option("name", o->name, std::string(kLanguageNameHelp))->required();
  v->add_option("-o,--output", o->output, "output file; its extension picks the format; - for standard output")
      ->required();
  v->add_option("--output-format", o->format, "the format, as an extension without the dot (needed for -)")
      ->check(CLI::IsMember({"json", "jff", "cfg", "dot", "att", "gv", "svg"}));
  v->add_option("--max-render-states", o->max_render_states,
                ".svg: draw only up to this many states (default " + std::to_string(kMaxRenderStates) + ")")
      ->check(kAtLeastOne);
  v->add_option("--engine", o->engine,
                "which machine to write when the language has several (default: the ground truth's; .cfg: the "
                "grammar): dfa, pda, cfg (a PDA becomes a grammar and back by the standard constructions) or counter")
      ->check(CLI::IsMember({"dfa", "pda", "cfg", "counter"}));
  v->add_flag("--json", o->json, "print a JSON summary");
  commands.push_back({v, [o] {
    export_language(o->name, o->output, o->engine, o->json, o->format, o->max_render_states);
    return 0;
  }});
}

}  // namespace statelab::cli
