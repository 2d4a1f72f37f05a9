#include "cli/dfa_command.h"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "automata/automaton_io.h"
#include "automata/boolean_ops.h"
#include "automata/counting.h"
#include "automata/decide.h"
#include "automata/minimize.h"
#include "automata/nfa.h"
#include "automata/random_dfa.h"
#include "automata/regex.h"
#include "base/error.h"
#include "cli/options.h"
#include "cli/render.h"

namespace statelab::cli {

namespace {

using automata::Dfa;
using automata::Nfa;
using nlohmann::json;

// Options every verb that reads automata shares.
struct InputOptions {
  std::string format;  // empty: from the file extension
  std::size_t max_states = automata::kDefaultMaxStates;
  bool json = false;
};

std::optional<automata::Format> format_option(const std::string& name) {
  if (name.empty()) return std::nullopt;
  return automata::format_from_name(name);
}

void add_input_options(CLI::App* verb, InputOptions& opts) {
  verb->add_option("--format", opts.format, "input format: json, dot, jff or att (default: from the extension)");
  verb->add_option("--max-states", opts.max_states, "limit on the states any construction may build")
      ->check(kAtLeastOne);
  verb->add_flag("--json", opts.json, "machine-readable output");
}

// Any finite automaton, as a complete DFA: nondeterministic or partial input is determinised
// and completed within --max-states.
Dfa load_dfa(const std::string& path, const InputOptions& opts) {
  return automata::determinize(automata::read_automaton(path, format_option(opts.format)), opts.max_states);
}

void save(const Dfa& dfa, const std::string& path, const std::string& format) {
  automata::write_automaton(dfa, path, format_option(format));
}

// "01" is two one-character symbols; "push,pop" two named ones.
automata::Alphabet parse_alphabet(const std::string& text) {
  if (text.find(',') == std::string::npos) return automata::Alphabet::from_chars(text);
  std::vector<std::string> names;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = text.find(',', start);
    names.push_back(text.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return automata::Alphabet(std::move(names));
}

std::string quoted_word(const automata::Alphabet& alphabet, const automata::Word& w) {
  return "\"" + alphabet.format_word(w) + "\"";
}


}  // namespace

void add_dfa_command(CLI::App& app, int& exit_code) {
  CLI::App* dfa = app.add_subcommand("dfa", "finite automata: build, minimise, compare, count, sample, render");
  dfa->require_subcommand(1);

  // Each verb owns its options through a shared_ptr captured by its callback.
  {
    struct Opts {
      std::string pattern, alphabet, output, out_format;
      std::size_t max_states = automata::kDefaultMaxStates;
      bool json = false;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* v = dfa->add_subcommand("from-regex", "compile a regular expression to a minimal DFA (syntax: docs/regex.md)");
    v->add_option("pattern", o->pattern, "the regular expression")->required();
    v->add_option("--alphabet", o->alphabet,
                  "the symbols: one character each (\"01\"), or names separated by commas (\"push,pop\")")
        ->required();
    v->add_option("-o,--output", o->output, "output file (format from its extension); - for standard output (with --output-format)")->required();
    v->add_option("--output-format", o->out_format, "output format: json, dot, jff or att");
    v->add_option("--max-states", o->max_states, "limit on the subset construction")->check(kAtLeastOne);
    v->add_flag("--json", o->json, "print a JSON summary");
    v->callback([o] {
      const automata::Alphabet alphabet = parse_alphabet(o->alphabet);
      const Dfa result = automata::regex_to_dfa(o->pattern, alphabet, o->max_states);  // minimal already
      save(result, o->output, o->out_format);
      if (o->json)
        summary_stream(o->output) << json{{"states", result.num_states()}, {"output", o->output}}.dump() << "\n";
      else
        summary_stream(o->output) << "wrote " << o->output << " (" << result.num_states() << " states)\n";
    });
  }

  {
    struct Opts : InputOptions {
      std::string file;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* v = dfa->add_subcommand("info", "states, alphabet and properties of an automaton");
    v->add_option("file", o->file, "automaton file")->required();
    add_input_options(v, *o);
    v->callback([o] {
      const Nfa nfa = automata::read_automaton(o->file, format_option(o->format));
      const bool deterministic = nfa.is_deterministic();
      const bool complete = nfa.is_complete_deterministic();
      const Dfa dfa = automata::determinize(nfa, o->max_states);
      const std::size_t minimal_states = automata::minimize(dfa).num_states();
      const bool minimal = complete && minimal_states == dfa.num_states();  // as is_minimal, without a second pass
      const bool empty = automata::is_empty(dfa), finite = automata::is_finite(dfa),
                 universal = automata::is_universal(dfa);
      std::size_t accepting = 0;
      for (automata::State q = 0; q < nfa.num_states(); ++q) accepting += nfa.is_accepting(q);
      if (o->json) {
        std::cout << json{{"states", nfa.num_states()},
                          {"symbols", nfa.alphabet().names()},
                          {"accepting", accepting},
                          {"deterministic", deterministic},
                          {"complete", complete},
                          {"minimal", minimal},
                          {"minimal_states", minimal_states},
                          {"empty", empty},
                          {"finite", finite},
                          {"universal", universal}}
                         .dump()
                  << "\n";
        return;
      }
      std::string symbols;
      for (const auto& s : nfa.alphabet().names()) symbols += (symbols.empty() ? "" : " ") + s;
      auto yes = [](bool b) { return b ? "yes" : "no"; };
      std::cout << "states:         " << nfa.num_states() << "\n"
                << "symbols:        " << symbols << "\n"
                << "accepting:      " << accepting << "\n"
                << "deterministic:  " << yes(deterministic) << "\n"
                << "complete:       " << yes(complete) << "\n"
                << "minimal:        " << yes(minimal) << " (minimal complete DFA: " << minimal_states << (minimal_states == 1 ? " state)\n" : " states)\n")
                << "empty:          " << yes(empty) << "\n"
                << "finite:         " << yes(finite) << "\n"
                << "universal:      " << yes(universal) << "\n";
    });
  }

  {
    struct Opts : InputOptions {
      std::string file, output, out_format;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* v = dfa->add_subcommand("minimize", "the minimal complete DFA (Hopcroft), states in breadth-first order");
    v->add_option("file", o->file, "automaton file")->required();
    v->add_option("-o,--output", o->output, "output file (format from its extension); - for standard output (with --output-format)")->required();
    v->add_option("--output-format", o->out_format, "output format: json, dot, jff or att");
    add_input_options(v, *o);
    v->callback([o] {
      const Dfa dfa = load_dfa(o->file, *o);
      const Dfa result = automata::minimize(dfa);
      save(result, o->output, o->out_format);
      if (o->json)
        summary_stream(o->output) << json{{"states_in", dfa.num_states()}, {"states", result.num_states()}, {"output", o->output}}.dump()
                  << "\n";
      else
        summary_stream(o->output) << "minimized " << dfa.num_states() << " -> " << result.num_states() << " states: " << o->output << "\n";
    });
  }

  {
    struct Opts : InputOptions {
      std::string a, b;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* v = dfa->add_subcommand(
        "equiv", "are two automata equivalent? exit 0 if so, 1 with the shortest counterexample if not, 2 on error");
    v->add_option("a", o->a, "first automaton")->required();
    v->add_option("b", o->b, "second automaton")->required();
    add_input_options(v, *o);
    v->callback([o, &exit_code] {
      const Dfa a = load_dfa(o->a, *o), b = load_dfa(o->b, *o);
      automata::require_same_alphabet(a.alphabet(), b.alphabet(), "equiv " + o->a + " " + o->b);
      const std::optional<automata::Word> w = automata::find_counterexample(a, b);
      exit_code = w ? 1 : 0;
      if (o->json) {
        json out{{"equivalent", !w}, {"counterexample", nullptr}, {"accepted_by", nullptr}};
        if (w) {
          out["counterexample"] = a.alphabet().format_word(*w);
          out["accepted_by"] = automata::accepts(a, *w) ? "A" : "B";
        }
        std::cout << out.dump() << "\n";
      } else if (!w) {
        std::cout << "equivalent\n";
      } else {
        std::cout << "counterexample: " << quoted_word(a.alphabet(), *w) << (w->empty() ? " (the empty word)" : "")
                  << " accepted by "
                  << (automata::accepts(a, *w) ? "A (" + o->a + ")" : "B (" + o->b + ")") << " only\n";
      }
    });
  }

  {
    struct Opts : InputOptions {
      std::string op, a, b, output, out_format;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* v = dfa->add_subcommand("ops", "boolean operations: intersect, union, difference, xor (two automata) or complement (one)");
    v->add_option("operation", o->op, "intersect, union, difference, xor or complement")
        ->required()
        ->check(CLI::IsMember({"intersect", "union", "difference", "xor", "complement"}));
    v->add_option("a", o->a, "first automaton")->required();
    v->add_option("b", o->b, "second automaton (not for complement)");
    v->add_option("-o,--output", o->output, "output file (format from its extension); - for standard output (with --output-format)")->required();
    v->add_option("--output-format", o->out_format, "output format: json, dot, jff or att");
    add_input_options(v, *o);
    v->callback([o] {
      const Dfa a = load_dfa(o->a, *o);
      Dfa result;
      if (o->op == "complement") {
        if (!o->b.empty()) throw InvalidArgument("ops complement takes one automaton, but a second was given: " + o->b);
        result = automata::complement(a);
      } else {
        if (o->b.empty()) throw InvalidArgument("ops " + o->op + " needs two automata");
        const Dfa b = load_dfa(o->b, *o);
        const automata::BooleanOp op = o->op == "intersect"    ? automata::BooleanOp::intersection
                                       : o->op == "union"      ? automata::BooleanOp::union_
                                       : o->op == "difference" ? automata::BooleanOp::difference
                                                               : automata::BooleanOp::symmetric_difference;
        result = automata::product(a, b, op, o->max_states);
      }
      result = automata::minimize(result);
      save(result, o->output, o->out_format);
      if (o->json)
        summary_stream(o->output) << json{{"states", result.num_states()}, {"output", o->output}}.dump() << "\n";
      else
        summary_stream(o->output) << o->op << ": " << result.num_states() << " states: " << o->output << "\n";
    });
  }

  {
    struct Opts : InputOptions {
      std::string file;
      std::vector<std::string> words;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* v = dfa->add_subcommand(
        "member", "accept or reject each word (symbols run together, or space-separated; '' is the empty word; - reads stdin)");
    v->add_option("file", o->file, "automaton file")->required();
    v->add_option("words", o->words, "words to test")->required();
    add_input_options(v, *o);
    v->callback([o] {
      const Dfa dfa = load_dfa(o->file, *o);
      const std::vector<std::string> words = words_with_stdin(o->words);
      json results = json::array();
      for (const std::string& text : words) {
        const bool accepted = automata::accepts(dfa, dfa.alphabet().parse_word(text));
        if (o->json)
          results.push_back({{"word", text}, {"accepted", accepted}});
        else
          std::cout << (accepted ? "accept" : "reject") << "\n";
      }
      if (o->json) std::cout << results.dump() << "\n";
    });
  }

  {
    struct Opts : InputOptions {
      std::string file;
      std::size_t length = 0;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* v = dfa->add_subcommand("count", "the exact number of accepted words of a length");
    v->add_option("file", o->file, "automaton file")->required();
    v->add_option("--length", o->length, "word length")->required();
    add_input_options(v, *o);
    v->callback([o] {
      const Dfa dfa = load_dfa(o->file, *o);
      const std::string count = automata::count_accepted(dfa, o->length).str();
      if (o->json)
        std::cout << json{{"length", o->length}, {"count", count}}.dump() << "\n";
      else
        std::cout << count << "\n";
    });
  }

  {
    struct Opts : InputOptions {
      std::string file;
      std::size_t length = 0, count = 1;
      std::uint64_t seed = 0;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* v = dfa->add_subcommand("sample", "exact uniform random accepted words of a length");
    v->add_option("file", o->file, "automaton file")->required();
    v->add_option("--length", o->length, "word length")->required();
    v->add_option("--count", o->count, "how many words")->required();
    v->add_option("--seed", o->seed, "random seed")->required();
    add_input_options(v, *o);
    v->callback([o] {
      const Dfa dfa = load_dfa(o->file, *o);
      const std::vector<automata::Word> words = automata::sample_uniform(dfa, o->length, o->count, o->seed);
      json out = json::array();
      for (const automata::Word& w : words) {
        if (o->json)
          out.push_back(dfa.alphabet().format_word(w));
        else
          std::cout << dfa.alphabet().format_word(w) << "\n";
      }
      if (o->json) std::cout << out.dump() << "\n";
    });
  }

  {
    struct Opts : InputOptions {
      std::string file, output, out_format;
      bool minimize = false;
      std::size_t max_render_states = kMaxRenderStates;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* v = dfa->add_subcommand("render", "draw an automaton: DOT, or SVG through Graphviz");
    v->add_option("file", o->file, "automaton file")->required();
    v->add_option("-o,--output", o->output, "out.dot or out.svg; - for standard output (DOT unless --output-format svg)")
        ->required();
    v->add_option("--output-format", o->out_format, "dot or svg (default: from the extension)")
        ->check(CLI::IsMember({"dot", "svg"}));
    v->add_option("--max-render-states", o->max_render_states,
                  "draw SVG only up to this many states (default " + std::to_string(kMaxRenderStates) + ")")
        ->check(kAtLeastOne);
    v->add_flag("--minimize", o->minimize, "draw the minimal DFA instead");
    add_input_options(v, *o);
    v->callback([o] {
      Dfa dfa = load_dfa(o->file, *o);
      if (o->minimize) dfa = automata::minimize(dfa);
      render(dfa, o->output, o->out_format, o->max_render_states);
      std::ostream& out = summary_stream(o->output);
      if (o->json)
        out << json{{"states", dfa.num_states()}, {"output", o->output}}.dump() << "\n";
      else
        out << "rendered " << dfa.num_states() << " states: " << o->output << "\n";
    });
  }

  {
    struct Opts {
      std::size_t states = 0, symbols = 0;
      std::uint64_t seed = 0;
      double accepting = 0.5;
      std::string output, out_format;
      bool json = false;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* v = dfa->add_subcommand("random", "a seeded random complete DFA");
    v->add_option("--states", o->states, "number of states")->required()->check(kAtLeastOne);
    v->add_option("--symbols", o->symbols, "alphabet size")->required()->check(kAtLeastOne);
    v->add_option("--seed", o->seed, "random seed")->required();
    v->add_option("--accepting", o->accepting, "probability that a state accepts")->check(CLI::Range(0.0, 1.0));
    v->add_option("-o,--output", o->output, "output file (format from its extension); - for standard output (with --output-format)")->required();
    v->add_option("--output-format", o->out_format, "output format: json, dot, jff or att");
    v->add_flag("--json", o->json, "print a JSON summary");
    v->callback([o] {
      const Dfa dfa = automata::random_dfa(o->states, o->symbols, o->seed, o->accepting);
      save(dfa, o->output, o->out_format);
      if (o->json)
        summary_stream(o->output) << json{{"states", dfa.num_states()}, {"output", o->output}}.dump() << "\n";
      else
        summary_stream(o->output) << "wrote " << o->output << " (" << dfa.num_states() << " states)\n";
    });
  }
}

}  // namespace statelab::cli
