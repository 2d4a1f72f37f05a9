#include "cli/lang/export.h"

#include <variant>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "base/file.h"
#include "base/error.h"
#include "automata/machine_io.h"
#include "languages/export.h"
#include "cli/lang/language.h"
#include "cli/options.h"
#include "cli/render.h"
#include "cli/text.h"

namespace statelab::cli {

namespace {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};

using languages::Language;
using json = nlohmann::ordered_json;

// `lang export`: languages::machine_to_write chooses the machine, automata::output_format the format.
void export_language(const std::string& name, const std::string& output, const std::string& engine, bool as_json,
                     const std::string& format, std::size_t max_render_states) {
  const std::string ext =
      automata::output_format(output, format, {".json", ".jff", ".cfg", ".dot", ".att", ".svg"});
  const std::unique_ptr<Language> l = load_language(name, "export");
  const automata::Machine machine = languages::machine_to_write(*l, engine, ext);
  if (ext == ".svg") write_file(output, render(std::get<automata::Dfa>(machine), ext, max_render_states));
  else automata::write_machine(machine, output, ext);
  static constexpr const char* kEngines[] = {"dfa", "nfa", "pda", "cfg", "counter"};
  json size;  // {"states": n} or {"rules": n}
  std::string summary;
  std::visit(Overloaded{[&](const automata::Dfa& m) { size = {{"states", m.num_states()}}; },
                        [&](const automata::Nfa& m) { size = {{"states", m.num_states()}}; },
                        [&](const automata::Pda& m) { size = {{"states", m.num_states()}}; },
                        [&](const automata::Cfg& g) { size = {{"rules", g.productions().size()}}; },
                        [&](const automata::CounterMachine& m) {
                          size = {{"states", m.num_states()}, {"counters", m.num_counters()}};
                        }},
             machine);
  if (as_json) {
    json out{{"language", l->name()}, {"engine", kEngines[machine.index()]}};
    out.update(size);
    out["output"] = output;
    summary_stream(output) << out.dump() << "\n";
    return;
  }
  summary = std::string(automata::kind_name(machine)) + ", " +
            (size.contains("rules") ? counted(size["rules"], "rule") : counted(size["states"], "state"));
  if (size.contains("counters")) summary += ", " + counted(size["counters"], "counter");
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
  v->add_option("-o,--output", o->output, "output file; its extension picks the format; - for standard output (JSON unless --output-format)")
      ->required();
  v->add_option("--output-format", o->format, "the format, as an extension without the dot (default: from the extension; JSON for -)")
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
