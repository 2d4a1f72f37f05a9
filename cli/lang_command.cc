#include "cli/lang_command.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "automata/automaton_io.h"
#include "automata/engine_json.h"
#include "automata/enumerate.h"
#include "automata/minimize.h"
#include "automata/pda_jff.h"
#include "base/error.h"
#include "base/file.h"
#include "cli/options.h"
#include "cli/render.h"
#include "languages/dataset.h"
#include "languages/dataset_io.h"
#include "languages/registry.h"
#include "languages/task.h"

namespace statelab::cli {

namespace {

using languages::CatalogueEntry;
using languages::Count;
using languages::Example;
using languages::Language;
using languages::PrefixTarget;
using languages::Symbol;
using languages::Word;
using json = nlohmann::ordered_json;

// What `show` prints: the first words in shortlex order and the counts of the short lengths.
constexpr std::size_t kShownWords = 8;
constexpr std::size_t kShownWordMaxLength = 12;
constexpr std::size_t kShownCountMaxLength = 8;
// Prefixes the shortlex walk of a non-regular language may visit before it stops.
constexpr std::size_t kShortlexBudget = 200'000;

// The language called `name`; a task's name gets a message saying what it is instead of the
// registry's "unknown language".
std::unique_ptr<Language> load_language(const std::string& name, std::string_view verb) {
  const std::string base = base_of(name);
  if (!is_language_name(base) && is_task_name(base))
    throw InvalidArgument("lang " + std::string(verb) + ": '" + base +
                          "' is a task (input to per-position targets), not a language; 'statelab lang show " + base +
                          "' describes it");
  return languages::make_language(name);
}

// "tomita:n=N", "dyck[:k=K][,depth=D]", "regex:PATTERN": the name with its parameters, optional
// ones in brackets.
std::string usage(const CatalogueEntry& e) {
  if (e.name == "regex") return "regex:PATTERN";
  if (e.name == "file") return "file:PATH";
  std::string out = e.name;
  bool first = true;
  for (const languages::ParameterInfo& p : e.parameters) {
    std::string key = p.key;
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    const std::string part = std::string(first ? ":" : ",") + p.key + "=" + key;
    out += p.required ? part : "[" + part + "]";
    first = false;
  }
  return out;
}

// The ground-truth engines an entry's languages use: those of its example, of the example
// without each optional parameter in turn, and of its bare name (when that builds without
// parameters), in that order, e.g. "dfa or pda or counter" for dyck (dyck:k=2,depth=3 is a DFA,
// dyck:k=2 a PDA, dyck = dyck:k=1 a counter machine).  Every regular entry is a DFA.
std::string engines_of(const CatalogueEntry& e) {
  if (e.language_class == "task") return "task";
  std::vector<std::string> engines;
  auto add = [&](const std::string& name) {
    const std::string engine(languages::to_string(languages::make_language(name)->ground_truth().engine));
    if (std::find(engines.begin(), engines.end(), engine) == engines.end()) engines.push_back(engine);
  };
  if (!e.example.empty()) {
    add(e.example);
    const bool raw = e.name == "regex" || e.name == "file";  // one raw value, not key=value pairs
    const languages::ParsedName parsed = raw ? languages::ParsedName{e.name, {}} : languages::parse_name(e.example);
    for (std::size_t drop = 0; drop < parsed.parameters.size(); ++drop) {
      const std::string& key = parsed.parameters[drop].first;
      const bool optional = std::any_of(e.parameters.begin(), e.parameters.end(),
                                        [&](const languages::ParameterInfo& p) { return p.key == key && !p.required; });
      if (!optional) continue;
      std::string name = parsed.base;
      for (std::size_t i = 0, n = 0; i < parsed.parameters.size(); ++i)
        if (i != drop) name += (n++ ? "," : ":") + parsed.parameters[i].first + "=" + parsed.parameters[i].second;
      add(name);
    }
  }
  const bool bare = std::none_of(e.parameters.begin(), e.parameters.end(),
                                 [](const languages::ParameterInfo& p) { return p.required; });
  if (bare && e.name != "regex" && e.name != "file") add(e.name);
  if (e.name == "file") return "dfa, pda, cfg or counter (the file's)";
  if (engines.empty() && e.language_class == "regular") engines.emplace_back(languages::to_string(languages::Engine::dfa));
  return languages::detail::join(engines, " or ");
}

json parameters_json(const CatalogueEntry& e) {
  json out = json::array();
  for (const languages::ParameterInfo& p : e.parameters)
    out.push_back({{"key", p.key},
                   {"default", p.default_value.empty() ? json(nullptr) : json(p.default_value)},
                   {"required", p.required},
                   {"description", p.description}});
  return out;
}

// Columns padded to their widest cell, two spaces apart; the last column unpadded.
void print_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (width.size() <= c) width.push_back(0);
      width[c] = std::max(width[c], row[c].size());
    }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) line += std::string(width[c] - row[c].size() + 2, ' ');
    }
    std::cout << line << "\n";
  }
}

std::string quoted(const Language& lang, std::span<const Symbol> w) { return "\"" + lang.alphabet().format_word(w) + "\""; }

std::string symbols_of(const languages::Alphabet& alphabet) { return languages::detail::join(alphabet.names(), " "); }

// A word of the command line, checked against the language's alphabet; the error names the
// language, the symbol and its position.
Word parse_word(const Language& lang, const std::string& text) {
  try {
    return lang.parse_word(text);
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(lang.name() + ": " + e.what());
  }
}

// The first `limit` words of the language in shortlex order among lengths <= max_length.  A DFA
// is walked by automata::enumerate_shortlex; any other language by a depth-first walk in symbol
// order that enters a prefix only when its targets say some word extends it, skips the lengths
// its count says are empty, and leaves a length once it has found all of its words.  Sets
// `complete` to false when the walk stopped at kShortlexBudget prefixes.
// Time: O(budget * max_length * k) for the walk (a targets() call per prefix).
std::vector<Word> first_words(const Language& lang, std::size_t limit, std::size_t max_length, bool& complete) {
  complete = true;
  if (const automata::Dfa* dfa = lang.dfa()) return automata::enumerate_shortlex(*dfa, max_length, limit);
  std::vector<Word> out;
  std::size_t visited = 0;
  const std::size_t k = lang.alphabet().size();
  bool has_targets = true;
  try {
    (void)lang.targets({});
  } catch (const InvalidArgument&) {
    has_targets = false;
  }
  for (std::size_t n = 0; n <= max_length && out.size() < limit && complete; ++n) {
    const std::optional<Count> total = lang.count(n);
    if (total && *total == 0) continue;
    std::size_t found = 0;
    Word prefix;
    // Returns false to stop the walk at this length.
    auto walk = [&](auto&& self) -> bool {
      if (++visited > kShortlexBudget) {
        complete = false;
        return false;
      }
      if (prefix.size() == n) {
        if (lang.contains(prefix)) {
          out.push_back(prefix);
          ++found;
        }
        return out.size() < limit && !(total && *total == found);
      }
      // A language without targets (a nondeterministic counter machine from a file) is walked
      // through every prefix.
      std::vector<bool> next(k, true);
      if (has_targets) next = lang.targets(prefix).back().next;
      for (Symbol a = 0; a < k; ++a) {
        if (!next[a]) continue;
        prefix.push_back(a);
        const bool go_on = self(self);
        prefix.pop_back();
        if (!go_on) return false;
      }
      return true;
    };
    walk(walk);
  }
  return out;
}

// ---- the machines of a language, for show and export -------------------------------------------

std::string plural(std::size_t n, const std::string& noun) { return std::to_string(n) + " " + noun + (n == 1 ? "" : "s"); }

std::string acceptance_text(automata::PdaAcceptance a) {
  return a == automata::PdaAcceptance::kFinalState ? "final-state" : "empty-stack";
}
std::string acceptance_text(automata::CounterAcceptance a) {
  return a == automata::CounterAcceptance::kFinalState ? "final-state" : "final-state-and-zero";
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
                   "DFA, " + plural(dfa->num_states(), "state") + " (" + (minimal ? "minimal" : "not minimal") +
                       ", complete), " + std::to_string(dfa->num_accepting()) + " accepting",
                   {{"kind", "dfa"}, {"states", dfa->num_states()}, {"accepting", dfa->num_accepting()}, {"minimal", minimal}}});
  }
  if (const automata::Pda* pda = l.pda()) {
    const bool det = automata::is_deterministic(*pda);
    out.push_back({"pda",
                   "PDA, " + plural(pda->num_states(), "state") + ", " +
                       plural(pda->stack_alphabet().size(), "stack symbol") + " (bottom " +
                       pda->stack_alphabet().name(pda->bottom()) + "), " + plural(pda->moves().size(), "move") + ", " +
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
                   "grammar, " + plural(g->num_nonterminals(), "nonterminal") + ", " +
                       plural(g->productions().size(), "rule") + ", start " + g->nonterminal_name(g->start()),
                   {{"kind", "cfg"},
                    {"nonterminals", g->nonterminal_names()},
                    {"rules", g->productions().size()},
                    {"start", g->nonterminal_name(g->start())}}});
  }
  if (const automata::CounterMachine* m = l.counter_machine()) {
    const bool det = automata::is_deterministic(*m), real_time = automata::is_real_time(*m);
    out.push_back({"counter",
                   "counter machine, " + plural(m->num_states(), "state") + ", " + plural(m->num_counters(), "counter") +
                       ", " + plural(m->moves().size(), "move") + ", " + (det ? "deterministic" : "nondeterministic") +
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
  std::cout << "name:             " << task->name() << "\n"
            << "class:            task (per-position targets; datasets and models use it, not lang member/count)\n"
            << "definition:       " << task->definition() << "\n"
            << "input alphabet:   " << symbols_of(task->input_alphabet()) << "\n"
            << "target alphabet:  " << symbols_of(task->target_alphabet()) << "\n"
            << "example (size 4): \"" << task->input_alphabet().format_word(example.input) << "\" -> targets "
            << languages::detail::join(targets, " ") << " (- : no target)\n";
}

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
  // Which formats hold which machine.
  const bool fits = engine == "dfa" ? ext != ".cfg" : engine == "pda" ? (ext == ".json" || ext == ".jff")
                                                    : engine == "cfg" ? (ext == ".json" || ext == ".cfg")
                                                                      : ext == ".json";
  if (!fits)
    throw InvalidArgument("lang export: a " + std::string(engine == "dfa" ? "DFA" : engine == "pda" ? "PDA" : engine == "cfg" ? "grammar" : "counter machine") +
                          " cannot be written as " + ext + " (" +
                          (engine == "dfa" ? "use .json, .dot, .jff, .att, .gv or .svg" : engine == "pda" ? "use .json or .jff"
                           : engine == "cfg" ? "use .cfg or .json" : "use .json") +
                          ")");
  std::string summary;
  json size;  // {"states": n} or {"rules": n}
  if (engine == "dfa") {
    const automata::Dfa& dfa = *l->dfa();
    if (ext == ".svg" || ext == ".gv") render(dfa, output, ext == ".svg" ? "svg" : "dot", max_render_states);
    else automata::write_automaton(dfa, output, automata::format_from_name(ext.substr(1)));
    summary = "DFA, " + plural(dfa.num_states(), "state");
    size = {{"states", dfa.num_states()}};
  } else if (engine == "pda") {
    const automata::Pda pda = l->pda() ? *l->pda() : automata::to_pda(*l->grammar(), automata::PdaAcceptance::kFinalState);
    write_file(output, ext == ".jff" ? automata::write_jff(pda) : automata::write_json(pda));
    summary = "PDA, " + plural(pda.num_states(), "state");
    size = {{"states", pda.num_states()}};
  } else if (engine == "cfg") {
    const automata::Cfg g = l->grammar() ? *l->grammar() : automata::to_cfg(*l->pda());
    write_file(output, ext == ".cfg" ? automata::format_cfg(g) : automata::write_json(g));
    summary = "grammar, " + plural(g.productions().size(), "rule");
    size = {{"rules", g.productions().size()}};
  } else {
    const automata::CounterMachine& m = *l->counter_machine();
    write_file(output, automata::write_json(m));
    summary = "counter machine, " + plural(m.num_states(), "state") + ", " + plural(m.num_counters(), "counter");
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

}  // namespace

void add_lang_command(CLI::App& app) {
  CLI::App* lang = app.add_subcommand("lang", "the language catalogue: list, show, member, count, sample, targets, export");
  lang->require_subcommand(1);
  const std::string name_help = "language name: NAME or NAME:key=value,... (statelab lang list)";

  {
    struct Opts {
      bool json = false;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* v = lang->add_subcommand("list", "every language and task of the catalogue: name, class, alphabet, engine");
    v->add_flag("--json", o->json, "machine-readable output");
    v->callback([o] {
      std::vector<CatalogueEntry> all = languages::language_catalogue();
      const auto& tasks = languages::task_catalogue();
      all.insert(all.end(), tasks.begin(), tasks.end());
      if (o->json) {
        json out = json::array();
        for (const CatalogueEntry& e : all)
          out.push_back({{"name", e.name},
                         {"usage", usage(e)},
                         {"parameters", parameters_json(e)},
                         {"class", e.language_class},
                         {"alphabet", e.alphabet},
                         {"engine", engines_of(e)},
                         {"summary", e.summary},
                         {"example", e.example}});
        std::cout << out.dump() << "\n";
        return;
      }
      std::vector<std::vector<std::string>> rows{{"NAME", "CLASS", "ALPHABET", "GROUND TRUTH"}};
      for (const CatalogueEntry& e : all) rows.push_back({usage(e), e.language_class, e.alphabet, engines_of(e)});
      print_table(rows);
    });
  }

  {
    struct Opts {
      std::string name;
      bool json = false;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* v = lang->add_subcommand(
        "show", "a language's definition, alphabet, class, ground truth, automaton, first words and counts");
    v->add_option("name", o->name, name_help)->required();
    v->add_flag("--json", o->json, "machine-readable output");
    v->callback([o] {
      const std::string base = base_of(o->name);
      if (!is_language_name(base) && is_task_name(base)) return show_task(o->name, o->json);
      const std::unique_ptr<Language> l = load_language(o->name, "show");
      bool complete = true;
      const std::vector<Word> words = first_words(*l, kShownWords, kShownWordMaxLength, complete);
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
        return;
      }
      std::string automaton = "none (" + std::string(languages::to_string(l->language_class())) +
                              ": decided by a predicate written from the definition)";
      if (!machines.empty()) {
        std::vector<std::string> parts;
        for (const MachineSummary& m : machines) parts.push_back(m.text);
        automaton = languages::detail::join(parts, "; ");
      }
      std::vector<std::string> shown, count_text;
      for (const Word& w : words) shown.push_back(quoted(*l, w));
      for (const auto& c : counts) count_text.push_back(c ? c->str() : "?");
      std::cout << "name:          " << l->name() << "\n"
                << "definition:    " << l->ground_truth().definition << "\n"
                << "alphabet:      " << symbols_of(l->alphabet()) << "\n"
                << "class:         " << languages::to_string(l->language_class()) << "\n"
                << "ground truth:  " << languages::to_string(l->ground_truth().engine) << "\n"
                << "automaton:     " << automaton << "\n"
                << "state:         "
                << (l->state_names().empty() ? std::string("none (no deterministic machine; targets give next symbols only)")
                                             : languages::detail::join(l->state_names(), ", "))
                << "\n"
                << "first words:   "
                << (shown.empty() ? "none up to length " + std::to_string(kShownWordMaxLength)
                                  : languages::detail::join(shown, " "))
                << (complete ? "" : " ...") << "\n"
                << "counts 0.." << kShownCountMaxLength << ":   " << languages::detail::join(count_text, ", ") << "\n";
    });
  }

  {
    struct Opts {
      std::string name;
      std::vector<std::string> words;
      bool json = false;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* v = lang->add_subcommand(
        "member", "accept or reject each word (symbols run together, or space-separated; '' is the empty word; - reads stdin)");
    v->add_option("name", o->name, name_help)->required();
    v->add_option("words", o->words, "words to test")->required();
    v->add_flag("--json", o->json, "machine-readable output");
    v->callback([o] {
      const std::unique_ptr<Language> l = load_language(o->name, "member");
      const std::vector<std::string> texts = words_with_stdin(o->words);
      // Every word is checked before anything is printed: a bad word prints nothing but the error.
      std::vector<Word> words;
      for (const std::string& text : texts) words.push_back(parse_word(*l, text));
      json results = json::array();
      for (std::size_t i = 0; i < words.size(); ++i) {
        const bool accepted = l->contains(words[i]);
        if (o->json)
          results.push_back({{"word", texts[i]}, {"accepted", accepted}});
        else
          std::cout << (accepted ? "accept" : "reject") << "\n";
      }
      if (o->json) std::cout << results.dump() << "\n";
    });
  }

  {
    struct Opts {
      std::string name;
      std::size_t length = 0;
      bool json = false;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* v = lang->add_subcommand("count", "the exact number of words of a length in the language");
    v->add_option("name", o->name, name_help)->required();
    v->add_option("--length", o->length, "word length")->required()->check(kLength);
    v->add_flag("--json", o->json, "machine-readable output");
    v->callback([o] {
      const std::unique_ptr<Language> l = load_language(o->name, "count");
      const std::optional<Count> c = l->count(o->length);
      if (!c)
        throw InvalidArgument("lang count: " + l->name() + " (" + std::string(languages::to_string(l->language_class())) +
                              ", ground truth " + std::string(languages::to_string(l->ground_truth().engine)) +
                              ") cannot be counted exactly");
      if (o->json)
        std::cout << json{{"language", l->name()}, {"length", o->length}, {"count", c->str()}}.dump() << "\n";
      else
        std::cout << c->str() << "\n";
    });
  }

  {
    struct Opts {
      std::string name, lengths, format = "jsonl", output;
      std::size_t length = 0, count = 0;
      std::uint64_t seed = 0;
      bool negatives = false, targets = false, json = false;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* v = lang->add_subcommand(
        "sample",
        "exact uniform random words of the language, per length; with --negatives a balanced labelled dataset");
    v->add_option("name", o->name, name_help)->required();
    CLI::Option* length = v->add_option("--length", o->length, "word length")->check(kLength);
    CLI::Option* lengths = v->add_option("--lengths", o->lengths, "word lengths A..B, both included; lengths with no word add no positive")->excludes(length);
    v->add_option("--count", o->count,
                  "words per length; with --negatives half positive and half negative, so even, all distinct")
        ->required()
        ->check(kAtLeastOne);
    v->add_flag("--negatives", o->negatives,
                "add negatives through the dataset builder (half uniform outside the language, half near misses); "
                "a length with no word gets negatives only");
    v->add_option("--seed", o->seed, "random seed")->required();
    v->add_option("--format", o->format, "jsonl (word, label, length) or abbadingo")
        ->check(CLI::IsMember({"jsonl", "abbadingo"}));
    v->add_flag("--targets", o->targets, "add each word's per-position targets (jsonl only)");
    v->add_option("-o,--output", o->output, "write to this file, whole or not at all (default: stdout)");
    v->add_flag("--json", o->json, "JSON lines on stdout, or a JSON summary with -o");
    v->callback([o, length, lengths] {
      if (length->count() == 0 && lengths->count() == 0) throw InvalidArgument("lang sample: give --length N or --lengths A..B");
      const languages::LengthRange range =
          length->count() ? languages::LengthRange{o->length, o->length} : parse_lengths(o->lengths);
      const bool abbadingo = o->format == "abbadingo";
      if (abbadingo && o->targets) throw InvalidArgument("lang sample: --targets needs --format jsonl (Abbadingo has no targets)");
      if (abbadingo && o->json && o->output.empty())
        throw InvalidArgument("lang sample: --json prints JSON lines; with --format abbadingo give -o FILE");
      if (o->negatives && o->count % 2 != 0)
        throw InvalidArgument("lang sample: --count " + std::to_string(o->count) +
                              " with --negatives must be even (half positive, half negative)");
      const std::unique_ptr<Language> l = load_language(o->name, "sample");

      // Which lengths have a word: a length that has none is an error when asked alone, and when
      // no length of a range has one; otherwise it contributes no positive.
      std::vector<bool> has_word(range.max - range.min + 1);
      for (std::size_t n = range.min; n <= range.max; ++n) {
        const std::optional<Count> c = l->count(n);
        if (c) {
          has_word[n - range.min] = *c > 0;
        } else {
          languages::Rng probe = languages::make_rng(o->seed);
          has_word[n - range.min] = l->sample(n, probe).has_value();
        }
      }
      if (std::none_of(has_word.begin(), has_word.end(), [](bool b) { return b; }))
        throw InvalidArgument("lang sample: " + l->name() + " has no word of length" +
                              (range.min == range.max ? " " : "s ") + range_text(range));

      std::vector<Example> examples;
      if (o->negatives) {
        languages::DatasetOptions options;
        options.train_lengths = range;
        options.train_per_length = o->count;
        options.test_lengths = range;
        options.test_per_length = 0;
        options.seed = o->seed;
        options.with_targets = o->targets;
        examples = languages::build_dataset(*l, options).train;
      } else {
        for (std::size_t n = range.min; n <= range.max; ++n) {
          if (!has_word[n - range.min]) continue;
          for (std::size_t i = 0; i < o->count; ++i) {
            // The seeds of the dataset builder's positives: each word reproducible on its own.
            languages::Rng rng = languages::make_rng(
                languages::item_seed(o->seed, languages::Split::train, n, languages::Origin::positive, i));
            std::optional<Word> w = l->sample(n, rng);
            if (!w) throw InvalidArgument("lang sample: " + l->name() + " has no word of length " + std::to_string(n));
            Example e{std::move(*w), true, {}, languages::Origin::positive};
            if (o->targets) e.targets = l->targets(e.word);
            examples.push_back(std::move(e));
          }
        }
      }
      const std::string text = abbadingo ? languages::format_abbadingo(l->alphabet(), examples)
                                         : languages::format_jsonl(l->alphabet(), examples, o->targets);
      if (o->output.empty()) {
        std::cout << text;
        return;
      }
      write_file(o->output, text);
      const std::size_t positives =
          static_cast<std::size_t>(std::count_if(examples.begin(), examples.end(), [](const Example& e) { return e.label; }));
      if (o->json)
        summary_stream(o->output) << json{{"language", l->name()},
                          {"words", examples.size()},
                          {"positives", positives},
                          {"negatives", examples.size() - positives},
                          {"output", o->output}}
                         .dump()
                  << "\n";
      else
        summary_stream(o->output) << "wrote " << examples.size() << " words (" << positives << " positive, "
                  << examples.size() - positives << " negative) of " << l->name() << " to " << o->output << "\n";
    });
  }

  {
    struct Opts {
      std::string name, word;
      bool json = false;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* v = lang->add_subcommand(
        "targets", "per-position targets of a word: the machine state after each prefix and the symbols that may follow");
    v->add_option("name", o->name, name_help)->required();
    v->add_option("word", o->word, "the word ('' is the empty word)")->required();
    v->add_flag("--json", o->json, "machine-readable output");
    v->callback([o] {
      const std::unique_ptr<Language> l = load_language(o->name, "targets");
      const Word word = parse_word(*l, o->word);
      const std::vector<PrefixTarget> targets = l->targets(word);
      const languages::Alphabet& alphabet = l->alphabet();
      auto next_of = [&](const PrefixTarget& t) {
        std::vector<std::string> next;
        for (Symbol a = 0; a < t.next.size(); ++a)
          if (t.next[a]) next.push_back(alphabet.name(a));
        return next;
      };
      if (o->json) {
        json rows = json::array();
        for (std::size_t i = 0; i < targets.size(); ++i)
          rows.push_back({{"length", i},
                          {"prefix", alphabet.format_word(std::span(word).first(i))},
                          {"state", targets[i].state},
                          {"next", next_of(targets[i])},
                          {"end", targets[i].end}});
        std::cout << json{{"language", l->name()},
                          {"word", alphabet.format_word(word)},
                          {"state_names", l->state_names()},
                          {"targets", rows}}
                         .dump()
                  << "\n";
        return;
      }
      std::vector<std::vector<std::string>> table;
      std::vector<std::string> header{"LENGTH", "PREFIX"};
      for (const std::string& s : l->state_names()) header.push_back(s);
      header.push_back("END");
      header.push_back("NEXT");
      table.push_back(header);
      for (std::size_t i = 0; i < targets.size(); ++i) {
        std::vector<std::string> row{std::to_string(i), quoted(*l, std::span(word).first(i))};
        // kDead is -1, also a value some states take (majority's ones_minus_zeros): a prefix is
        // dead only when nothing may follow it and it is not a word.
        const bool dead = !targets[i].end && std::none_of(targets[i].next.begin(), targets[i].next.end(), [](bool b) { return b; });
        for (std::int64_t x : targets[i].state) row.push_back(dead && x == languages::kDead ? "dead" : std::to_string(x));
        row.push_back(targets[i].end ? "yes" : "no");
        const std::vector<std::string> next = next_of(targets[i]);
        row.push_back(next.empty() ? "(none)" : languages::detail::join(next, " "));
        table.push_back(row);
      }
      print_table(table);
    });
  }

  {
    struct Opts {
      std::string name, output, engine, format;
      std::size_t max_render_states = kMaxRenderStates;
      bool json = false;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* v = lang->add_subcommand(
        "export",
        "write a language's automaton or grammar: a DFA as .json .dot .jff .att or drawn as .svg .gv; a PDA as .json "
        ".jff; a grammar as .cfg .json; a counter machine as .json (file:PATH reads each back)");
    v->add_option("name", o->name, name_help)->required();
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
    v->callback([o] { export_language(o->name, o->output, o->engine, o->json, o->format, o->max_render_states); });
  }
}

}  // namespace statelab::cli
