#include "cli/track.h"

#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "bridge/track.h"
#include "cli/options.h"
#include "cli/probe.h"
#include "cli/progress.h"

namespace statelab::cli {

namespace {

struct TrackCommandOptions : ProbeCommonOptions {
  std::optional<std::size_t> max_length;
  std::size_t count = 100, tests = 1000;
};

int run_track(const TrackCommandOptions& o) {
  const bridge::LoadedModel model = bridge::load_model(o.ckpt);
  bridge::TrackOptions options;
  options.max_length = o.max_length;
  if (!o.train_lengths.empty()) options.train_lengths = parse_lengths(o.train_lengths, "--train-lengths");
  options.count = o.count;
  options.threshold = o.threshold;
  options.tests = o.tests;
  options.seed = o.seed;
  options.length_limit = o.length_limit;
  options.memory = memory_limit(o.max_memory);
  TaskProgress progress("track: prediction, accuracy by length, check, probe");
  options.progress = progress.callback();
  const bridge::TrackResult r = bridge::track(model, o.lang, options);
  progress.finish();
  if (o.json) {
    std::cout << bridge::to_json(r) << "\n";
    return r.tracks ? 0 : 1;
  }
  std::printf("track: %s (%s, %s head) on %s\n", o.ckpt.c_str(), r.architecture.c_str(), r.head.c_str(), r.language.c_str());
  if (r.prediction)
    std::printf("prediction (classify): %s: %s (%s)\n", std::string(bridge::to_string(r.prediction->answer)).c_str(),
                r.prediction->reason.c_str(), r.prediction->source.c_str());
  else
    std::printf("prediction (classify): none: %s\n", r.prediction_note.c_str());
  std::printf("accuracy by length (trained on %s; %s examples per length):\n", range_text(r.train_lengths).c_str(),
              std::to_string(o.count).c_str());
  std::string line;
  for (std::size_t i = 0; i < r.by_length.size(); ++i) {
    char cell[32];
    std::snprintf(cell, sizeof cell, "%4d:%.3f", r.by_length[i].length, r.by_length[i].accuracy);
    line += std::string(line.empty() ? "  " : " ") + cell;
    if (line.size() > 88 || i + 1 == r.by_length.size()) std::printf("%s\n", line.c_str()), line.clear();
  }
  if (r.first_below)
    std::printf("first length below %.0f%%: %zu\n", 100 * r.threshold, *r.first_below);
  else
    std::printf("first length below %.0f%%: none up to %zu\n", 100 * r.threshold, r.max_length);
  if (!r.checked) {
    std::printf("check: none: %s\n", r.check_note.c_str());
  } else if (r.agree) {
    std::printf("check: no disagreement on %zu words up to length %zu (longer words beyond)\n", r.tested, r.check_max_length);
  } else {
    std::printf("check: minimal counterexample \"%s\" (length %zu)", r.counterexample_text.c_str(), r.counterexample->size());
    if (r.counterexample_position) std::printf(", first wrong at position %zu", *r.counterexample_position);
    std::printf(": model %s, truth %s\n", r.model_says.c_str(), r.truth_says.c_str());
  }
  if (!r.probe) {
    std::printf("probe: none: %s\n", r.probe_note.c_str());
  } else {
    for (const auto& l : r.probe->layers) {
      auto end = [&](const bridge::ProbeCurve& c) {
        return c.retention_end ? "below " + std::to_string(static_cast<int>(100 * r.threshold)) + "% at position " +
                                     std::to_string(*c.retention_end)
                               : std::string("retained at every position to ") + std::to_string(r.max_length - 1);
      };
      const bridge::ProbeCurve none;
      const bridge::ProbeCurve& random = l.random_init ? *l.random_init : none;  // a checkpoint always has one
      std::printf("probe, layer %d (%zu states): trained %s (test %.3f); random-init %s (%.3f); shuffled labels %.3f\n",
                  l.layer, r.probe->classes, end(l.model).c_str(), l.model.test_accuracy, end(random).c_str(),
                  random.test_accuracy, l.shuffled.test_accuracy);
    }
  }
  if (r.tracks)
    std::printf("tracks: every length up to %zu at %.0f%% or more\n", r.max_length, 100 * r.threshold);
  else
    std::printf("fails: below %.0f%% from length %zu (max length %zu)\n", 100 * r.threshold, *r.first_below, r.max_length);
  return r.tracks ? 0 : 1;
}

}  // namespace

void add_track_command(CLI::App& parent, Commands& commands) {
  auto o = std::make_shared<TrackCommandOptions>();
  CLI::App* c = parent.add_subcommand(
      "track", "does a trained model track a language's state, and where does it stop: classify's prediction, accuracy "
               "by length, the minimal counterexample, the probe's retention curve (exit 0 tracks, 1 fails)");
  add_probe_options(c, *o,
                    {"the language or task it learned (catalogue name, e.g. word-problem:group=S3)",
                     "the training lengths A..B (default: those the checkpoint records)",
                     "tracking fails at the first length below this accuracy", "seed of every random word",
                     "refuse a longer --max-length"});
  c->add_option("--max-length", o->max_length, "the longest length tested (default 8x the longest training length)")
      ->check(kAtLeastOne);
  c->add_option("--count", o->count, "examples per length")->check(kAtLeastOne)->capture_default_str();
  c->add_option("--tests", o->tests, "check's random words")->check(kAtLeastOne)->capture_default_str();
  commands.push_back({c, [o] { return run_track(*o); }});
}

}  // namespace statelab::cli
