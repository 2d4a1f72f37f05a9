// `file:PATH`: a language from any automaton or grammar file statelab reads.  The kind comes from
// the file, as automata/machine_io.h's read_machine tells it (its header has the table).
//
// A DFA/NFA is determinised and minimised (a DfaLanguage).  A PDA, a grammar or a counter
// machine becomes an EngineLanguage with that machine as its ground truth.  Counting needs a
// grammar whose derivations are the words: a grammar file's own, or the grammar of a PDA
// (automata::to_cfg, one derivation per accepting run); it is used only when its counts match
// enumeration of every word up to the length where 20000 words have been tried, so an ambiguous
// grammar or a PDA with several accepting runs per word is caught on short words (not proved
// unambiguous: ambiguity is undecidable).  A deterministic real-time counter machine counts and
// samples exactly by its configurations (one run per word); other counter machines do not.
#include <string>
#include <variant>

#include "automata/automaton_io.h"
#include "automata/engine_json.h"
#include "automata/machine_io.h"
#include "automata/mini_xml.h"
#include "automata/pda_jff.h"
#include "base/error.h"
#include "base/file.h"
#include "languages/engine_language.h"
#include "languages/entries.h"
#include "languages/registry.h"

namespace statelab::languages {

namespace {


std::string plural(std::size_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

std::unique_ptr<Language> pda_language(std::string name, const std::string& path, automata::Pda pda) {
  automata::Cfg grammar = automata::to_cfg(pda);
  EngineOptions options;
  options.grammar_counts = grammar_counts_words(grammar, [&pda](std::span<const Symbol> w) { return automata::accepts(pda, w); });
  const bool deterministic = automata::is_deterministic(pda);
  Alphabet alphabet = pda.input_alphabet();
  std::string definition = "the pushdown automaton in " + path + " (" + plural(pda.num_states(), "state") + ", " +
                           (deterministic ? "deterministic, " : "") +
                           (pda.acceptance() == automata::PdaAcceptance::final_state ? "final-state" : "empty-stack") +
                           " acceptance" + (options.grammar_counts ? "" : "; not counted: its runs are ambiguous") + ")";
  return std::make_unique<EngineLanguage>(
      make_language_info(std::move(name), std::move(alphabet), LanguageClass::context_free, Engine::pda, std::move(definition),
                deterministic ? std::vector<std::string>{"stack_depth"} : std::vector<std::string>{}),
      Engines{std::move(pda), std::move(grammar), std::nullopt}, std::move(options));
}

std::unique_ptr<Language> grammar_language(std::string name, const std::string& path, automata::Cfg grammar) {
  EngineOptions options;
  options.grammar_counts =
      grammar_counts_words(grammar, [&grammar](std::span<const Symbol> w) { return automata::accepts(grammar, w); });
  Alphabet alphabet = grammar.terminals();
  std::string definition = "the grammar in " + path + " (" + plural(grammar.num_nonterminals(), "nonterminal") + ", " +
                           plural(grammar.productions().size(), "rule") +
                           (options.grammar_counts ? "" : "; not counted: it is ambiguous") + ")";
  return std::make_unique<EngineLanguage>(make_language_info(std::move(name), std::move(alphabet), LanguageClass::context_free,
                                                    Engine::cfg, std::move(definition), {}),
                                          Engines{std::nullopt, std::move(grammar), std::nullopt}, std::move(options));
}

std::unique_ptr<Language> counter_language(std::string name, const std::string& path, automata::CounterMachine m) {
  std::vector<std::string> names;
  const bool deterministic = automata::is_deterministic(m);
  if (deterministic)
    for (std::size_t c = 1; c <= m.num_counters(); ++c) names.push_back("counter_" + std::to_string(c));
  Alphabet alphabet = m.alphabet();
  std::string definition = "the counter machine in " + path + " (" + plural(m.num_states(), "state") + ", " +
                           plural(m.num_counters(), "counter") + (deterministic ? ", deterministic" : "") +
                           (deterministic && automata::is_real_time(m)
                                ? ", real-time: counted by its configurations)"
                                : "; not counted: only a deterministic real-time machine is counted)");
  return std::make_unique<EngineLanguage>(make_language_info(std::move(name), std::move(alphabet), LanguageClass::counter,
                                                    Engine::counter, std::move(definition), std::move(names)),
                                          Engines{std::nullopt, std::nullopt, std::move(m)});
}

std::unique_ptr<Language> machine_language(std::string name, const std::string& shown, automata::Machine machine) {
  if (auto* dfa = std::get_if<automata::Dfa>(&machine))
    return make_dfa_language(std::move(name), *dfa, "the automaton in " + shown + " (minimised)");
  if (auto* nfa = std::get_if<automata::Nfa>(&machine))
    return make_dfa_language(std::move(name), automata::determinize(*nfa),
                             "the automaton in " + shown + " (determinised and minimised)");
  if (auto* pda = std::get_if<automata::Pda>(&machine)) return pda_language(std::move(name), shown, std::move(*pda));
  if (auto* grammar = std::get_if<automata::Cfg>(&machine)) return grammar_language(std::move(name), shown, std::move(*grammar));
  return counter_language(std::move(name), shown, std::get<automata::CounterMachine>(std::move(machine)));
}

}  // namespace

std::unique_ptr<Language> make_file_language(std::string name, const std::filesystem::path& path) {
  return machine_language(std::move(name), path.string(), automata::read_machine_file(path));
}

std::unique_ptr<Language> make_file_language(std::string name, const std::filesystem::path& path, std::string_view text) {
  return machine_language(std::move(name), path.string(), automata::read_machine(text, path));
}

}  // namespace statelab::languages
