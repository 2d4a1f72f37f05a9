#include "cli/extract.h"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "automata/machine_io.h"
#include "base/error.h"
#include "base/file.h"
#include "bridge/check.h"
#include "cli/options.h"
#include "cli/progress.h"
#include "bridge/extract.h"
#include "bridge/recognizer.h"
#include "bridge/checkpoint_meta.h"
#include "bridge/run.h"
#include "cli/render.h"
#include "cli/text.h"
#include "languages/registry.h"

namespace statelab::cli {

namespace {

using json = nlohmann::ordered_json;

struct ExtractCommandOptions {
  std::string ckpt, method = "lstar", lang, output, output_format, svg;
  std::size_t max_render_states = kMaxRenderStates;
  double time_limit = 60;
  std::size_t max_states = 0, max_queries = 0, clusters = 16, random_tests = 2000,
              random_max_length = bridge::kDefaultConformanceLength;
  std::uint64_t seed = 0;
  bool json = false;
};

// A tag or next-set head: the Moore machine, from L* or L#.  The outputs are named by --lang (or the
// language the checkpoint recorded); the truth is that language or task, and its Moore machine
// when it has a DFA whose state decides the output (a regular language; a word problem).
void run_extract_moore(const ExtractCommandOptions& o, const bridge::LoadedModel& model, const bridge::ExtractOptions& options,
                       automata::Format format) {
  const models::Head head = model.config.head;
  std::string name = o.lang;
  if (name.empty()) name = bridge::recorded_language_name(model.metadata).value_or("");
  std::optional<bridge::Source> source;
  if (!name.empty()) source = bridge::load_source(name, head, "extract");
  std::vector<std::string> outputs;
  if (source) {
    outputs = bridge::output_names(*source, head);
  } else {
    for (int i = 0; i < model.config.num_outputs; ++i) outputs.push_back(std::to_string(i));
  }
  const auto network = bridge::model_tagger(model, source ? &source->alphabet() : nullptr, outputs);
  std::unique_ptr<bridge::TruthTagger> truth;
  std::optional<automata::MooreMachine> truth_moore;
  if (source) {
    truth = source->task ? std::make_unique<bridge::TruthTagger>(*source->task)
                         : std::make_unique<bridge::TruthTagger>(*source->language, head);
    std::unique_ptr<languages::Language> regular;  // a task's language of the same name (word problems)
    const languages::Language* language = source->language.get();
    if (source->task) {
      try {
        regular = languages::make_language(name);
        language = regular.get();
      } catch (const Error&) {
      }
    }
    if (language && language->dfa() && language->alphabet().names() == source->alphabet().names())
      truth_moore = bridge::truth_machine(*truth, *language->dfa());
  }
  TaskProgress progress("extracting (" + o.method + "): milliseconds of --time-limit");
  auto with_progress = options;
  with_progress.limits.progress = progress.callback();
  const auto report = bridge::extract_moore(*network, with_progress, truth.get(), truth_moore ? &*truth_moore : nullptr);
  progress.finish();
  // Drawn before anything is written: a drawing refused (too large, no Graphviz) leaves no -o file.
  const std::string svg = o.svg.empty() ? "" : render(report.machine, ".svg", o.max_render_states);
  automata::write_moore(report.machine, o.output, format);
  if (!o.svg.empty()) write_file(o.svg, svg);
  const auto& alphabet = network->alphabet();
  std::ostream& out = is_standard_output(o.svg) ? std::cerr : summary_stream(o.output);
  if (o.json) {
    auto j = json::parse(bridge::to_json(report, alphabet));
    j["output"] = o.output;
    j["head"] = models::head_name(head);
    if (source) j["language"] = source->name();
    out << j.dump() << "\n";
    return;
  }
  char line[512];
  std::snprintf(line, sizeof line,
                "extracted a Moore machine of %zu states (%s head) by %s (%s) in %.3f s: %zu membership queries, "
                "%zu equivalence queries; %s\n",
                report.states, models::head_name(head), report.method.c_str(), report.oracle.c_str(), report.seconds, report.membership_queries,
                report.equivalence_queries,
                report.complete ? "complete" : ("incomplete: stopped by the " + report.stopped_by + " limit").c_str());
  out << line;
  out << "outputs:";
  for (const auto& n : automata::state_output_names(report.machine)) out << " " << n;
  out << "\n";
  out << "fidelity " << percent(report.fidelity) << " at " << report.fidelity_positions << " positions of "
      << report.fidelity_words << " held-out words of lengths 1.." << report.fidelity_max_length << "\n";
  if (report.accuracy) out << "accuracy " << percent(*report.accuracy) << " against " << source->name() << "\n";
  if (report.equivalent_to_truth) {
    if (*report.equivalent_to_truth) {
      out << "equivalent to the truth's Moore machine (" << truth_moore->dfa.num_states()
          << " states) at every position it asks\n";
    } else {
      out << "differs from the truth's Moore machine on " << quoted(alphabet, *report.counterexample) << " (truth "
          << *report.truth_on_counterexample << ", network " << *report.network_on_counterexample << ")\n";
    }
  }
  out << "wrote " << o.output << (o.svg.empty() ? "" : " and " + o.svg) << "\n";
}

void run_extract(const ExtractCommandOptions& o) {
  if (!(o.time_limit > 0) || !std::isfinite(o.time_limit))
    throw InvalidArgument("extract: --time-limit must be a positive number of seconds, got " +
                          std::to_string(o.time_limit));
  bridge::ExtractOptions options;
  if (o.method == "lstar") {
    options.method = bridge::Method::lstar;
  } else if (o.method == "lsharp") {
    options.method = bridge::Method::lsharp;
  } else if (o.method == "cluster") {
    options.method = bridge::Method::cluster;
  } else {
    throw InvalidArgument("extract: unknown method '" + o.method + "' (expected lstar, lsharp or cluster)");
  }
  options.limits.seconds = o.time_limit;
  options.limits.max_states = o.max_states;
  options.limits.max_membership_queries = o.max_queries;
  options.random_tests = o.random_tests;
  options.random_max_length = o.random_max_length;
  options.cluster.clusters = o.clusters;
  options.cluster.seed = o.seed;
  options.seed = o.seed;
  const auto model = bridge::load_model(o.ckpt);
  const bool moore = model.config.head == models::Head::tag || model.config.head == models::Head::next_set;
  // Refuse an unknown extension before working; "-" is JSON unless --output-format says otherwise.
  const std::string format = automata::output_format(o.output, o.output_format, {".json", ".dot", ".jff", ".att"});
  if (moore) {
    const automata::Format moore_format = automata::format_from_name(format.substr(1));
    automata::require_moore_format(moore_format);
    return run_extract_moore(o, model, options, moore_format);
  }
  bridge::require_head(model, {models::Head::recognize, models::Head::tag, models::Head::next_set}, "extract");
  std::unique_ptr<languages::Language> language;
  if (!o.lang.empty()) {
    language = languages::make_language(o.lang);
    if (!language->dfa())
      throw InvalidArgument("extract: '" + language->name() + "' has no regular ground truth (it is " +
                            std::string(languages::to_string(language->language_class())) +
                            "), so --lang cannot compare the extracted automaton with it for equivalence; "
                            "drop --lang");
  }
  const auto network = language ? bridge::model_recognizer(model, language->alphabet()) : bridge::model_recognizer(model);
  TaskProgress progress("extracting (" + o.method + "): milliseconds of --time-limit");
  options.limits.progress = progress.callback();
  const auto report = bridge::extract(*network, options, language.get());
  progress.finish();
  // Drawn before anything is written: a drawing refused (too large, no Graphviz) leaves no -o file.
  const std::string svg = o.svg.empty() ? "" : render(report.dfa, ".svg", o.max_render_states);
  automata::write_machine(report.dfa, o.output, format);
  if (!o.svg.empty()) write_file(o.svg, svg);
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

void add_extract_command(CLI::App& parent, Commands& commands) {
  auto o = std::make_shared<ExtractCommandOptions>();
  CLI::App* c = parent.add_subcommand("extract", "extract the automaton a trained network learned: a DFA from a recognizer (L*, L# or "
                                      "clustering), a Moore machine from a tag or next-set head (L* or L#)");
  c->add_option("--ckpt", o->ckpt, "the model checkpoint (safetensors with metadata \"alphabet\")")->required();
  c->add_option("--method", o->method, "lstar or lsharp (queries, Weiss et al.'s oracle) or cluster (k-means)")
      ->capture_default_str();
  c->add_option("--lang", o->lang, "compare with this regular language's minimal DFA (tag, next-set: with this language's "
                "or task's truth, and name the outputs by it; default: the checkpoint's)");
  c->add_option("--time-limit", o->time_limit, "seconds (L*); a partial result is marked incomplete")
      ->capture_default_str();
  c->add_option("--max-states", o->max_states, "L*: stop before the hypothesis exceeds N states (0: none)")->check(kNonNegative);
  c->add_option("--max-queries", o->max_queries, "L*: stop after N membership queries (0: none)")->check(kNonNegative);
  c->add_option("--random-max-length", o->random_max_length,
                "L*, L#: random words have lengths up to N (default: the longest word a default check draws)")
      ->check(kLength)
      ->capture_default_str();
  c->add_option("--random-tests", o->random_tests, "L*: random words per equivalence query")
      ->check(kNonNegative)
      ->capture_default_str();
  c->add_option("--clusters", o->clusters, "cluster: k of k-means")->check(kAtLeastOne)->capture_default_str();
  c->add_option("--seed", o->seed, "seed of every random choice")->check(kNonNegative)->capture_default_str();
  c->add_option("-o,--output", o->output, "dfa.json, dfa.att, dfa.dot or dfa.jff (format from the extension); - for standard output "
                "(JSON unless --output-format)")
      ->required();
  c->add_option("--output-format", o->output_format, "json, dot, jff or att (default: from the extension)")
      ->check(CLI::IsMember({"json", "dot", "jff", "att"}));
  c->add_option("--svg", o->svg, "also draw the automaton to this SVG (needs Graphviz)");
  c->add_option("--max-render-states", o->max_render_states,
                "--svg: draw only up to this many states (default " + std::to_string(kMaxRenderStates) + ")");
  c->add_flag("--json", o->json, "machine-readable report");
  commands.push_back({c, [o] {
    run_extract(*o);
    return 0;
  }});
}

}  // namespace statelab::cli
