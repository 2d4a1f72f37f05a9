#include "cli/probe.h"

#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "base/error.h"
#include "automata/text.h"
#include "bridge/plot.h"
#include "bridge/probe.h"
#include "bridge/recognizer.h"
#include "cli/options.h"
#include "cli/progress.h"
#include "languages/registry.h"

namespace statelab::cli {

namespace {

struct ProbeCommandOptions : ProbeCommonOptions {
  std::string layer = "all", target = "state", test_lengths, plot;
  std::size_t train_words = 32, test_words = 16;
  std::uint64_t max_work = bridge::kDefaultProbeWork;
  double l2 = 1e-3, tolerance = 1e-5;
  std::optional<bool> layer_norm;
  KvCacheOptions kv;
};

std::string retention_text(const bridge::ProbeCurve& c) {
  if (!c.retention_end) return "every position";
  return "below at " + std::to_string(*c.retention_end);
}

std::string fit_text(const bridge::ProbeCurve& c) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "%s (%d it., |g| %.1e)", c.converged ? "yes" : "NO", c.iterations, c.gradient_norm);
  return buf;
}

bridge::ProbeOptions probe_options(const ProbeCommandOptions& o, const bridge::LoadedModel& model) {
  bridge::ProbeOptions options;
  if (o.layer != "all") {
    const auto n = parse_length(o.layer);
    if (!n) throw InvalidArgument("--layer '" + o.layer + "': expected a layer number (0-based) or all");
    options.layer = static_cast<int>(std::min<std::size_t>(*n, 1u << 30));
  }
  options.target = bridge::parse_probe_target(o.target);
  options.layer_norm = o.layer_norm;
  if (!o.train_lengths.empty()) {
    options.train_lengths = parse_lengths(o.train_lengths, "--train-lengths");
  } else if (const auto recorded = bridge::recorded_training_lengths(model)) {
    options.train_lengths = *recorded;
  }
  options.test_lengths = o.test_lengths.empty()
                             ? languages::LengthRange{1, 2 * std::max<std::size_t>(options.train_lengths.max, 1)}
                             : parse_lengths(o.test_lengths, "--test-lengths");
  options.train_words = o.train_words;
  options.test_words = o.test_words;
  options.threshold = o.threshold;
  options.seed = o.seed;
  options.optimiser.l2 = o.l2;
  options.optimiser.tolerance = o.tolerance;
  options.length_limit = o.length_limit;
  options.max_work = o.max_work;
  options.work_option = "--max-work";
  options.memory = memory_limit(o.max_memory);
  return options;
}

int run_probe(const ProbeCommandOptions& o) {
  if (!o.plot.empty()) bridge::plot_format(o.plot);  // a bad extension refused before any work
  bridge::LoadedModel model = bridge::load_model(o.ckpt);
  model.kv = kv_bound(o.kv, model.config, o.ckpt);
  const auto language = languages::make_language(o.lang);
  bridge::ProbeOptions options = probe_options(o, model);
  TaskProgress progress("probing: hidden states, then three fits per layer");
  options.progress = progress.callback();
  const bridge::ProbeResult r = bridge::probe(model, *language, options);
  progress.finish();
  if (!o.plot.empty()) bridge::plot_probe(r, o.plot);
  if (o.json) {
    std::cout << bridge::to_json(r) << "\n";
    return 0;
  }
  std::printf("probe of %s (%s, %d layer%s, hidden %d) on %s: %s (%s), %zu values seen in training\n",
              o.ckpt.c_str(), models::cell_name(model.config.cell), model.config.num_layers,
              model.config.num_layers == 1 ? "" : "s", model.config.hidden_size, r.language.c_str(), r.target.c_str(),
              automata::join(r.components).c_str(), r.classes);
  std::printf("fitted on %zu positions of lengths %s, scored on %zu positions of lengths %s (%zu with a state never "
              "seen in training)\n",
              r.train_positions, range_text(options.train_lengths).c_str(), r.test_positions,
              range_text(options.test_lengths).c_str(), r.unseen_test_positions);
  if (r.layer_norm) std::printf("each position's state layer-normalised before the probe reads it, as the head does\n");
  std::printf("retention: the first position below %.0f%% accuracy; controls: random-init network (seed %llu), "
              "shuffled labels\n",
              100 * r.threshold, static_cast<unsigned long long>(r.random_init_seed));
  std::printf("%-6s %-17s %-7s %-7s %-18s %s\n", "LAYER", "PROBE", "TRAIN", "TEST", "RETENTION", "CONVERGED");
  for (const auto& l : r.layers) {
    const std::pair<const char*, const bridge::ProbeCurve*> rows[] = {
        {"trained network", &l.model}, {"random-init", l.random_init ? &*l.random_init : nullptr},
        {"shuffled labels", &l.shuffled}};
    for (const auto& [name, c] : rows)
      if (c) std::printf("%-6d %-17s %-7.4f %-7.4f %-18s %s\n", l.layer, name, c->train_accuracy, c->test_accuracy,
                  retention_text(*c).c_str(), fit_text(*c).c_str());
  }
  // Accuracy by position: at most about 40 rows.
  const std::size_t longest = r.majority.size(), every = (longest + 39) / 40;
  std::printf("\nPOSITION  CHANCE");
  for (const auto& l : r.layers) std::printf("  L%d-TRAINED L%d-RANDOM L%d-SHUFFLED", l.layer, l.layer, l.layer);
  std::printf("\n");
  for (std::size_t t = 0; t < longest; ++t) {
    if (t % every != 0 && t + 1 != longest) continue;
    if (r.layers.empty() || r.layers.front().model.tested[t] == 0) continue;
    std::printf("%-9zu %-6.3f", t, r.majority[t]);
    for (const auto& l : r.layers)
      std::printf("  %-10.3f %-9.3f %-11.3f", l.model.accuracy[t], l.random_init ? l.random_init->accuracy[t] : 0.0,
                  l.shuffled.accuracy[t]);
    std::printf("\n");
  }
  if (!o.plot.empty()) std::printf("wrote %s\n", o.plot.c_str());
  return 0;
}

}  // namespace

void add_probe_command(CLI::App& parent, Commands& commands) {
  auto o = std::make_shared<ProbeCommandOptions>();
  CLI::App* c = parent.add_subcommand(
      "probe", "linear state probes: decode the truth's state (the minimal DFA's state, group element, stack depth, counters) from "
               "a checkpoint's hidden states, by position and layer, beside a random-init and a shuffled-label control");
  add_probe_options(c, *o,
                    {"the language whose state is decoded (catalogue name, e.g. word-problem:group=S3)",
                     "the probe is fitted on positions of words of these lengths A..B (default: the checkpoint's training "
                     "lengths, else 1..20)",
                     "retention ends at the first position below this accuracy",
                     "seed of the words, the random-init network and the shuffle", "refuse longer training or test lengths"});
  c->add_option("--layer", o->layer, "the layer probed (0-based), or all (each on its own)")->capture_default_str();
  c->add_option("--target", o->target, "state (the whole state of lang targets), stack-depth, counter")
      ->capture_default_str();
  c->add_option("--test-lengths", o->test_lengths, "scored on positions of words of these lengths (default 1..2B)");
  c->add_option("--train-words", o->train_words, "words per training length")->check(kAtLeastOne)->capture_default_str();
  c->add_option("--test-words", o->test_words, "words per test length")->check(kAtLeastOne)->capture_default_str();
  c->add_option("--l2", o->l2, "L2 penalty λ of the probe")->check(CLI::PositiveNumber)->capture_default_str();
  c->add_option("--tolerance", o->tolerance, "the optimiser stops when every gradient entry is at most this")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  c->add_option("--max-work", o->max_work, "refuse a fit of more positions x hidden size x states")
      ->check(kAtLeastOne)
      ->capture_default_str();
  c->add_option("--layer-norm", o->layer_norm,
                "layer-normalise each position's state first (default: yes for transformers and state-space models, "
                "whose head reads a LayerNorm of the residual stream; no for recurrent ones)");
  c->add_option("--plot", o->plot, "draw the retention curves (.png or .svg, gnuplot)");
  add_kv_cache_options(c, o->kv);
  commands.push_back({c, [o] { return run_probe(*o); }});
}

void add_probe_options(CLI::App* c, ProbeCommonOptions& o, const ProbeOptionsHelp& help) {
  c->add_option("--ckpt", o.ckpt, "the model checkpoint (safetensors with metadata \"alphabet\"; any head)")->required();
  c->add_option("--lang", o.lang, std::string(help.lang))->required();
  c->add_option("--train-lengths", o.train_lengths, std::string(help.train_lengths));
  c->add_option("--threshold", o.threshold, std::string(help.threshold))
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  c->add_option("--seed", o.seed, std::string(help.seed))->check(kNonNegative)->capture_default_str();
  c->add_option("--length-limit", o.length_limit, std::string(help.length_limit))
      ->check(kNonNegative)
      ->capture_default_str();
  add_max_memory_option(c, o.max_memory);
  c->add_flag("--json", o.json, "machine-readable output");
}

}  // namespace statelab::cli
