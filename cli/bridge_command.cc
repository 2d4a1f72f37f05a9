#include "cli/bridge_command.h"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "automata/automaton_io.h"
#include "base/error.h"
#include "base/file.h"
#include "bridge/check.h"
#include "bridge/extract.h"
#include "bridge/recognizer.h"
#include "cli/options.h"
#include "cli/render.h"
#include "languages/registry.h"

namespace statelab::cli {

namespace {

using json = nlohmann::ordered_json;

std::string quoted(const bridge::Alphabet& alphabet, const bridge::Word& w) {
  return "\"" + alphabet.format_word(w) + "\"";
}

std::string percent(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", 100.0 * x);
  return buf;
}

struct CheckOptions {
  std::string ckpt, lang;
  std::size_t max_length = 20, tests = 1000;
  std::uint64_t seed = 0;
  std::optional<std::size_t> exhaustive;
  bool json = false;
};

int run_check(const CheckOptions& o) {
  const auto language = languages::make_language(o.lang);
  const auto model = bridge::load_model(o.ckpt);
  const auto recognizer = bridge::model_recognizer(model, language->alphabet());
  bridge::CheckOptions options;
  options.max_length = o.max_length;
  options.tests = o.tests;
  options.seed = o.seed;
  options.exhaustive_up_to = o.exhaustive;
  const auto result = bridge::check(*recognizer, *language, options);
  const auto& alphabet = language->alphabet();
  if (o.json) {
    json j{{"language", language->name()}, {"checkpoint", o.ckpt}, {"seed", o.seed}, {"agree", result.agree},
           {"tested", result.tested}};
    j["counterexamples"] = json::array();
    for (const auto& d : result.counterexamples)
      j["counterexamples"].push_back({{"word", alphabet.format_word(d.word)},
                                      {"length", d.word.size()},
                                      {"model", d.model_score > 0.5},
                                      {"model_score", d.model_score},
                                      {"truth", d.truth}});
    j["by_length"] = json::array();
    for (const auto& l : result.by_length)
      j["by_length"].push_back({{"length", l.length},
                                {"tested", l.tested},
                                {"agree", l.agree},
                                {"agreement", static_cast<double>(l.agree) / static_cast<double>(l.tested)}});
    std::cout << j.dump() << "\n";
  } else {
    std::size_t disagree = 0;
    for (const auto& l : result.by_length) disagree += l.tested - l.agree;
    if (result.agree) {
      std::cout << "agree: no disagreement with " << language->name() << " on " << result.tested << " words\n";
    } else {
      std::cout << "disagree: " << disagree << " of " << result.tested << " words; minimal counterexample first\n";
      for (const auto& d : result.counterexamples)
        std::cout << "  " << quoted(alphabet, d.word) << " (length " << d.word.size() << "): model "
                  << (d.model_score > 0.5 ? "accepts" : "rejects") << " (score " << d.model_score << "), truth "
                  << (d.truth ? "accepts" : "rejects") << "\n";
    }
    std::cout << "agreement by length:";
    for (const auto& l : result.by_length)
      if (l.agree != l.tested) std::cout << " " << l.length << ":" << l.agree << "/" << l.tested;
    std::cout << (disagree == 0 ? " 100% at every length tested\n" : " (lengths not listed: 100%)\n");
  }
  return result.agree ? 0 : 1;
}

struct ExtractOptions {
  std::string ckpt, method = "lstar", lang, output, output_format, svg;
  std::size_t max_render_states = kMaxRenderStates;
  double time_limit = 60;
  std::size_t max_states = 0, max_queries = 0, clusters = 16, random_tests = 2000;
  std::uint64_t seed = 0;
  bool json = false;
};

void run_extract(const ExtractOptions& o) {
  if (!(o.time_limit > 0) || !std::isfinite(o.time_limit))
    throw InvalidArgument("extract: --time-limit must be a positive number of seconds, got " +
                          std::to_string(o.time_limit));
  bridge::ExtractOptions options;
  if (o.method == "lstar") {
    options.method = bridge::Method::lstar;
  } else if (o.method == "cluster") {
    options.method = bridge::Method::cluster;
  } else {
    throw InvalidArgument("extract: unknown method '" + o.method + "' (expected lstar or cluster)");
  }
  options.limits.seconds = o.time_limit;
  options.limits.max_states = o.max_states;
  options.limits.max_membership_queries = o.max_queries;
  options.random_tests = o.random_tests;
  options.cluster.clusters = o.clusters;
  options.cluster.seed = o.seed;
  options.seed = o.seed;
  // Refuse an unknown extension before working.
  const automata::Format format =
      o.output_format.empty() ? automata::format_from_path(o.output) : automata::format_from_name(o.output_format);
  std::unique_ptr<languages::Language> language;
  if (!o.lang.empty()) {
    language = languages::make_language(o.lang);
    if (!language->dfa())
      throw InvalidArgument("extract: '" + language->name() + "' has no regular ground truth (it is " +
                            std::string(languages::to_string(language->language_class())) +
                            "), so --lang cannot compare the extracted automaton with it for equivalence; "
                            "drop --lang");
  }
  const auto model = bridge::load_model(o.ckpt);
  const auto network = language ? bridge::model_recognizer(model, language->alphabet()) : bridge::model_recognizer(model);
  const auto report = bridge::extract(*network, options, language.get());
  automata::write_automaton(report.dfa, o.output, format);
  if (!o.svg.empty()) render(report.dfa, o.svg, "svg", o.max_render_states);
  const auto& alphabet = network->alphabet();
  // The report goes to stderr when the automaton or the drawing went to stdout.
  std::ostream& out = is_standard_output(o.svg) ? std::cerr : summary_stream(o.output);
  if (o.json) {
    auto j = json::parse(bridge::to_json(report, alphabet));
    j["output"] = o.output;
    if (language) j["language"] = language->name();
    out << j.dump() << "\n";
    return;
  }
  char line[512];
  std::snprintf(line, sizeof line,
                "extracted %zu states by %s%s in %.3f s: %zu membership queries, %zu equivalence queries; %s\n",
                report.states, report.method.c_str(), report.oracle.empty() ? "" : (" (" + report.oracle + ")").c_str(),
                report.seconds, report.membership_queries, report.equivalence_queries,
                report.complete ? "complete" : ("incomplete: stopped by the " + report.stopped_by + " limit").c_str());
  out << line;
  out << "fidelity " << percent(report.fidelity) << " on " << report.fidelity_words << " held-out words up to length "
            << report.fidelity_max_length << "\n";
  if (language) {
    out << "accuracy " << percent(*report.accuracy) << " against " << language->name() << "; ";
    if (*report.equivalent_to_truth) {
      out << "equivalent to its minimal DFA\n";
    } else {
      out << "differs from it on " << quoted(alphabet, *report.counterexample) << " (truth "
                << (*report.truth_on_counterexample ? "accepts" : "rejects") << ", network "
                << (*report.network_on_counterexample > 0.5 ? "accepts" : "rejects") << ")\n";
    }
  }
  out << "wrote " << o.output << (o.svg.empty() ? "" : " and " + o.svg) << "\n";
}

}  // namespace

void add_check_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<CheckOptions>();
  CLI::App* c = app.add_subcommand("check", "property-test a trained recognizer against a language's ground truth");
  c->add_option("--ckpt", o->ckpt, "the model checkpoint (safetensors with metadata \"alphabet\")")->required();
  c->add_option("--lang", o->lang, "the language (catalogue name, e.g. tomita:n=3)")->required();
  c->add_option("--max-length", o->max_length, "random words have lengths 0..N (long words beyond)")
      ->capture_default_str();
  c->add_option("--tests", o->tests, "random words to test")->capture_default_str();
  c->add_option("--seed", o->seed, "seed of the random words")->capture_default_str();
  c->add_option("--exhaustive-up-to", o->exhaustive, "also test every word of length <= N");
  c->add_flag("--json", o->json, "machine-readable output");
  c->callback([o, &exit_code] { exit_code = run_check(*o); });
}

void add_extract_command(CLI::App& app) {
  auto o = std::make_shared<ExtractOptions>();
  CLI::App* c = app.add_subcommand("extract", "extract the automaton a trained recognizer learned (L* or clustering)");
  c->add_option("--ckpt", o->ckpt, "the model checkpoint (safetensors with metadata \"alphabet\")")->required();
  c->add_option("--method", o->method, "lstar (queries, Weiss et al.'s oracle) or cluster (k-means)")
      ->capture_default_str();
  c->add_option("--lang", o->lang, "compare with this regular language's minimal DFA");
  c->add_option("--time-limit", o->time_limit, "seconds (L*); a partial result is marked incomplete")
      ->capture_default_str();
  c->add_option("--max-states", o->max_states, "L*: stop before the hypothesis exceeds N states (0: none)");
  c->add_option("--max-queries", o->max_queries, "L*: stop after N membership queries (0: none)");
  c->add_option("--random-tests", o->random_tests, "L*: random words per equivalence query")->capture_default_str();
  c->add_option("--clusters", o->clusters, "cluster: k of k-means")->capture_default_str();
  c->add_option("--seed", o->seed, "seed of every random choice")->capture_default_str();
  c->add_option("-o,--output", o->output,
                "dfa.json, dfa.att, dfa.dot or dfa.jff (format from the extension); - for standard output (with "
                "--output-format)")
      ->required();
  c->add_option("--output-format", o->output_format, "json, dot, jff or att (default: from the extension)")
      ->check(CLI::IsMember({"json", "dot", "jff", "att"}));
  c->add_option("--svg", o->svg, "also draw the automaton to this SVG (needs Graphviz)");
  c->add_option("--max-render-states", o->max_render_states,
                "--svg: draw only up to this many states (default " + std::to_string(kMaxRenderStates) + ")");
  c->add_flag("--json", o->json, "machine-readable report");
  c->callback([o] { run_extract(*o); });
}

}  // namespace statelab::cli
