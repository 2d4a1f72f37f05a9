#include "cli/extract.h"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "automata/machine_io.h"
#include "automata/text.h"
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
  std::optional<std::size_t> max_render_states;  // default: kMaxRenderStates, kMaxMooreRenderStates
  double time_limit = 60;
  std::size_t max_states = 0, max_queries = 0, clusters = 16, random_tests = 2000,
              random_max_length = bridge::kDefaultConformanceLength;
  std::uint64_t seed = 0;
  bool json = false;
  KvCacheOptions kv;
};

// The report's lines: how the machine was learned (clauses wrapped at "; "), then how it compares.
void print_learner(std::ostream& out, const std::string& what, const std::string& method, const std::string& oracle,
                   double seconds, std::size_t membership_queries, std::size_t equivalence_queries, bool complete,
                   const std::string& stopped_by) {
  char line[512];
  std::snprintf(line, sizeof line, "extracted %s by %s%s in %.3f s; %zu membership queries; %zu equivalence queries; %s",
                what.c_str(), method.c_str(), oracle.empty() ? "" : (" (" + oracle + ")").c_str(), seconds,
                membership_queries, equivalence_queries,
                complete ? "complete" : ("incomplete: stopped by the " + stopped_by + " limit").c_str());
  print_clauses(out, line);
}

void print_report(std::ostream& out, const bridge::CheckpointExtraction& e) {
  if (const auto& r = e.dfa) {
    print_learner(out, counted(r->states, "state"), r->method, r->oracle, r->seconds, r->membership_queries,
                  r->equivalence_queries, r->complete, r->stopped_by);
    out << "fidelity " << percent(r->fidelity) << " on " << r->fidelity_words << " held-out words up to length "
        << r->fidelity_max_length << "\n";
    if (!r->accuracy) return;
    out << "accuracy " << percent(*r->accuracy) << " against " << e.language << "; ";
    if (*r->equivalent_to_truth) {
      out << "equivalent to its minimal DFA\n";
    } else {
      out << "differs from it on " << quoted(e.alphabet, *r->counterexample) << " (truth "
          << (*r->truth_on_counterexample ? "accepts" : "rejects") << ", network "
          << (*r->network_on_counterexample > 0.5 ? "accepts" : "rejects") << ")\n";
    }
    return;
  }
  const auto& r = *e.moore;
  print_learner(out, "a Moore machine of " + counted(r.states, "state") + " (" + models::head_name(e.head) + " head)",
                r.method, r.oracle, r.seconds, r.membership_queries, r.equivalence_queries, r.complete, r.stopped_by);
  print_wrapped(out, "outputs: ", automata::join(automata::state_output_names(r.machine), " "));
  out << "fidelity " << percent(r.fidelity) << " at " << r.fidelity_positions << " positions of " << r.fidelity_words
      << " held-out words of lengths 1.." << r.fidelity_max_length << "\n";
  if (r.accuracy) out << "accuracy " << percent(*r.accuracy) << " against " << e.language << "\n";
  if (!e.no_truth_machine.empty()) out << e.no_truth_machine << "\n";
  if (!r.equivalent_to_truth) return;
  if (*r.equivalent_to_truth) {
    out << "equivalent to the truth's Moore machine (" << r.truth_machine_states << " states) at every position it asks\n";
  } else {
    out << "differs from the truth's Moore machine on " << quoted(e.alphabet, *r.counterexample) << " (truth "
        << *r.truth_on_counterexample << ", network " << *r.network_on_counterexample << ")\n";
  }
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
  auto model = bridge::load_model(o.ckpt);
  model.kv = kv_bound(o.kv, model.config, o.ckpt);
  const bool moore = model.config.head == models::Head::tag || model.config.head == models::Head::next_set;
  // Refuse an unknown extension before working; "-" is JSON unless --output-format says otherwise.
  const std::string format = automata::output_format(o.output, o.output_format, {".json", ".dot", ".jff", ".att"});
  const automata::Format machine_format = automata::format_from_name(format.substr(1));
  if (moore) automata::require_moore_format(machine_format);

  TaskProgress progress("extracting (" + o.method + "): milliseconds of --time-limit");
  options.limits.progress = progress.callback();
  options.cluster.progress = progress.callback();
  const auto e = bridge::extract_checkpoint(model, o.lang, options);
  progress.finish();
  // Drawn before anything is written: a drawing refused (too large, no Graphviz) leaves no -o file.
  const std::string svg = o.svg.empty() ? ""
                          : e.dfa ? render(e.dfa->dfa, ".svg", o.max_render_states.value_or(kMaxRenderStates))
                                  : render(e.moore->machine, ".svg", o.max_render_states.value_or(kMaxMooreRenderStates));
  if (e.dfa) automata::write_machine(e.dfa->dfa, o.output, format);
  else automata::write_moore(e.moore->machine, o.output, machine_format);
  if (!o.svg.empty()) write_file(o.svg, svg);
  // The report goes to stderr when the automaton or the drawing went to stdout.
  std::ostream& out = is_standard_output(o.svg) ? std::cerr : summary_stream(o.output);
  if (o.json) {
    auto j = json::parse(bridge::to_json(e));
    j["output"] = o.output;
    out << j.dump() << "\n";
    return;
  }
  print_report(out, e);
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
                "--svg: draw only up to this many states (default " + std::to_string(kMaxRenderStates) + " for a DFA, " +
                    std::to_string(kMaxMooreRenderStates) + " for a Moore machine: Graphviz is slower on its labels)")
      ->check(kNonNegative);
  c->add_flag("--json", o->json, "machine-readable report");
  add_kv_cache_options(c, o->kv);
  commands.push_back({c, [o] {
    run_extract(*o);
    return 0;
  }});
}

}  // namespace statelab::cli
