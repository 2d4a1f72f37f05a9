#include "cli/train.h"

#include <tbb/global_control.h>
#include <unistd.h>

#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "bridge/run.h"
#include "cli/options.h"
#include "cli/progress.h"
#include "cli/text.h"
#include "models/error.h"
#include "models/train.h"

namespace statelab::cli {

namespace {

struct TrainOpts {
  std::map<std::string, std::string> values;  // run options given as text
  std::map<std::string, bool> flags;          // run options that are flags
  std::vector<std::pair<std::string, CLI::Option*>> options;
  std::string from, output;
  int threads = 0, checkpoint_every = 1000, log_every = 0, timing_skip = 0;
  bool quiet = false, json = false;
};

int run_train(const TrainOpts& o) {
  std::optional<tbb::global_control> threads;
  if (o.threads > 0) threads.emplace(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(o.threads));
  // --from: the spec of an earlier run; options given beside it replace its values.
  bridge::RunSpec spec = o.from.empty() ? bridge::RunSpec{} : bridge::spec_from_metrics_file(o.from);
  for (const auto& [name, option] : o.options) {
    if (option->count() == 0) continue;
    const auto flag = o.flags.find(name);
    bridge::set_option(spec, name, flag != o.flags.end() ? (flag->second ? "true" : "false") : o.values.at(name));
  }
  bridge::validate(spec);

  const int log_every = o.log_every > 0 ? o.log_every : std::max(1, spec.steps / 10);
  Progress progress(std::cerr, 0, spec.steps, log_every, ::isatty(STDERR_FILENO) != 0, o.quiet);
  bridge::RunOptions how;
  how.output = o.output;
  how.checkpoint_every = o.checkpoint_every;
  how.timing_skip = o.timing_skip;
  how.threads = o.threads;
  bool started = false;
  how.on_step = [&](const bridge::RunStep& s) {
    if (!started) {  // the rate counts training steps only, not the data drawn before them
      progress.restart(s.step);
      started = true;
    }
    if (progress.wants(s.step)) progress.update(s.step, s.loss, models::batch_accuracy(*s.state));
  };
  bridge::RunResult result;
  try {
    result = bridge::run(spec, how);
  } catch (...) {
    progress.finish();
    throw;
  }
  progress.finish();
  if (o.json) {
    std::cout << result.metrics << "\n";
    return 0;
  }
  if (o.quiet) return 0;
  print_clauses(std::cout, result.summary);
  std::cout << "wrote " << o.output << " and " << bridge::metrics_path(o.output).string() << "\n";
  return 0;
}

}  // namespace

void add_train_command(CLI::App& parent, Commands& commands) {
  auto o = std::make_shared<TrainOpts>();
  CLI::App* c = parent.add_subcommand(
      "train",
      "train a neural model on a language or task until validation accuracy reaches the target or the step budget runs "
      "out; writes a safetensors checkpoint and NAME.metrics.json (the whole run spec included)");
  const auto defaults = bridge::spec_options(bridge::RunSpec{});
  for (const bridge::RunOption& r : bridge::run_options()) {
    const auto d = defaults.find(r.name);
    std::string help = r.help;
    if (r.name == "model") help += ": " + models::available_cells();
    if (d != defaults.end() && !d->second.empty()) help += " [default: " + d->second + "]";
    CLI::Option* option = r.flag ? c->add_flag("--" + r.name, o->flags[r.name], help)
                                 : c->add_option("--" + r.name, o->values[r.name], help);
    if (!r.value.empty()) option->type_name(r.value);
    option->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);  // a later value replaces an earlier one
    o->options.emplace_back(r.name, option);
  }
  c->add_option("--from", o->from, "repeat the run of a metrics file (NAME.metrics.json); options given beside it change it");
  c->add_option("--threads", o->threads, "threads (0: all cores); the result does not depend on it")
      ->check(kNonNegative)
      ->capture_default_str();
  c->add_option("--checkpoint-every", o->checkpoint_every,
                "write the checkpoint every N steps (and at step 0), so that a run that diverges keeps the last good "
                "one (0: only at the end)")
      ->check(kNonNegative)
      ->capture_default_str();
  c->add_option("--log-every", o->log_every, "without a terminal: a progress line every N steps (default steps/10)")
      ->check(kNonNegative);
  c->add_option("--timing-skip", o->timing_skip, "leave the first N steps out of seconds and steps_per_s (benchmarks)")
      ->check(kNonNegative);
  c->add_flag("--quiet", o->quiet, "no progress and no summary (errors only; --json still prints the metrics)");
  c->add_flag("--json", o->json, "print the metrics JSON instead of a summary");
  c->add_option("-o,--output", o->output, "checkpoint file (.safetensors); metrics go beside it")->required();
  commands.push_back({c, [o] { return run_train(*o); }});
}

}  // namespace statelab::cli
