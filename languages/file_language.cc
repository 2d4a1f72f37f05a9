// `file:PATH`: a language from any automaton or grammar file statelab reads.  The kind comes from
// the file: its extension, then for .json the "format" field and for .jff the <type> element.
//
//   .json   "format": "statelab-automaton" (DFA/NFA), "statelab-pda", "statelab-grammar" or
//           "statelab-counter-machine" (automata/json_io.h, automata/engine_json.h)
//   .jff    <type>fa</type> (DFA/NFA) or <type>pda</type> (final-state acceptance, as JFLAP)
//   .cfg    a grammar in the text syntax of automata/cfg.h
//   .dot, .gv, .att   a DFA/NFA (automata/automaton_io.h)
//
// A DFA/NFA is determinised and minimised (a DfaLanguage).  A PDA, a grammar or a counter
// machine becomes an EngineLanguage with that machine as its ground truth.  Counting needs a
// grammar whose derivations are the words: a grammar file's own, or the grammar of a PDA
// (automata::to_cfg, one derivation per accepting run); it is used only when its counts match
// enumeration of every word up to the length where 20000 words have been tried, so an ambiguous
// grammar or a PDA with several accepting runs per word is caught on short words (not proved
// unambiguous: ambiguity is undecidable).  A deterministic real-time counter machine counts and
// samples exactly by its configurations (one run per word); other counter machines do not.
#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <string>

#include "automata/automaton_io.h"
#include "automata/engine_json.h"
#include "automata/mini_xml.h"
#include "automata/pda_jff.h"
#include "base/error.h"
#include "base/file.h"
#include "languages/engine_language.h"
#include "languages/entries.h"

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
                           (pda.acceptance() == automata::PdaAcceptance::kFinalState ? "final-state" : "empty-stack") +
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

std::string lower_extension(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

}  // namespace

std::unique_ptr<Language> make_file_language(std::string name, const std::filesystem::path& path) {
  const std::string shown = path.string();
  const std::string ext = lower_extension(path);
  auto dfa_language = [&] {
    const automata::Nfa nfa = automata::read_automaton(path);
    return make_dfa_language(name, automata::determinize(nfa),
                             "the automaton in " + shown + " (determinised and minimised)");
  };
  if (ext == ".cfg") return grammar_language(name, shown, automata::read_cfg_file(path));
  if (ext == ".dot" || ext == ".gv" || ext == ".att") return dfa_language();
  if (ext == ".jff") {
    const std::string text = read_file(path);
    const auto root = automata::xml_detail::parse_xml(text, shown);
    const auto* type = root.child("type");
    if (type && type->text == "pda") return pda_language(name, shown, automata::read_pda_jff(text, shown));
    return dfa_language();  // the finite-automaton reader names any other type
  }
  if (ext == ".json") {
    const std::string text = read_file(path);
    const nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    std::string format;
    if (doc.is_object() && doc.contains("format") && doc["format"].is_string()) format = doc["format"];
    if (format == "statelab-pda") return pda_language(name, shown, automata::read_pda_json(text, shown));
    if (format == "statelab-grammar") return grammar_language(name, shown, automata::read_cfg_json(text, shown));
    if (format == "statelab-counter-machine")
      return counter_language(name, shown, automata::read_counter_machine_json(text, shown));
    if (format.empty() || format == "statelab-automaton") return dfa_language();  // its reader names the problem
    throw ParseError(shown + ": unknown \"format\": \"" + format +
                     "\" (expected statelab-automaton, statelab-pda, statelab-grammar or statelab-counter-machine)");
  }
  throw InvalidArgument("file:" + shown + ": unknown extension '" + ext +
                        "' (expected .json, .jff, .cfg for a grammar, .dot, .gv or .att)");
}

}  // namespace statelab::languages
