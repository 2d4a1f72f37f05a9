#include "cli/eval.h"

#include <tbb/global_control.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "bridge/checkpoint_meta.h"
#include "bridge/run.h"
#include "cli/options.h"
#include "models/safetensors.h"
#include "models/train.h"

namespace statelab::cli {

namespace {

using json = nlohmann::ordered_json;
using models::Head;

struct EvalOpts {
  std::string ckpt, lang, lengths, alphabet;
  std::size_t count = 100;
  std::uint64_t seed = 0;
  int threads = 0;
  bool json = false;
  KvCacheOptions kv;
};

int run_eval(const EvalOpts& o) {
  std::optional<tbb::global_control> threads;
  if (o.threads > 0) threads.emplace(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(o.threads));
  const languages::LengthRange lengths = parse_lengths(o.lengths);
  const models::Checkpoint ckpt = models::load_checkpoint(std::filesystem::path(o.ckpt));
  const std::optional<models::KvBound> kv = kv_bound(o.kv, ckpt.config, o.ckpt);
  const std::vector<std::string> alphabet = bridge::checkpoint_alphabet(ckpt, o.ckpt, o.alphabet);
  std::string name = o.lang;
  if (name.empty()) {
    const std::optional<std::string> recorded = bridge::recorded_language_name(ckpt.metadata);
    if (!recorded)
      throw InvalidArgument("eval: " + o.ckpt + " does not say which language it learned (no statelab.language metadata): give --lang");
    name = *recorded;
  }
  bridge::Source source;
  if (o.lang.empty() && name.starts_with("file:"))
    source.language = bridge::recorded_language(ckpt.metadata, o.ckpt);  // the file as it was at training
  else
    source = bridge::load_source(name, ckpt.config.head, "eval");
  bridge::check_matches(ckpt, o.ckpt, alphabet, source);
  const bridge::Data data = bridge::evaluation_data(source, ckpt.config.head, lengths, o.count, o.seed);
  if (data.examples.empty())
    throw InvalidArgument("eval: no example of " + source.name() + " at lengths " + range_text(lengths) +
                          (ckpt.config.head == Head::next_set ? " (next-set is evaluated on the words of the language)" : ""));
  bridge::check_sequence_task(ckpt.config, source, data);
  const auto by_length =
      models::accuracy_by_length(ckpt.config, ckpt.params, data.examples, data.lengths, kv ? &*kv : nullptr);
  if (o.json) {
    json out{{"checkpoint", o.ckpt},
             {"language", source.name()},
             {"task", models::head_name(ckpt.config.head)},
             {"lengths", range_text(lengths)},
             {"examples", data.examples.size()},
             {"accuracy", bridge::overall_accuracy(by_length)},
             {"accuracy_by_length", bridge::accuracy_json(by_length)}};
    if (kv) out["kv_cache"] = models::to_string(*kv);  // only when bounded: the unbounded output is unchanged
    std::cout << out.dump() << "\n";
    return 0;
  }
  std::printf("%-8s %-9s %s\n", "LENGTH", "EXAMPLES", "ACCURACY");
  for (const auto& a : by_length) std::printf("%-8d %-9lld %.4f\n", a.length, static_cast<long long>(a.examples), a.accuracy);
  std::printf("overall  %-9zu %.4f\n", data.examples.size(), bridge::overall_accuracy(by_length));
  return 0;
}

}  // namespace

void add_eval_command(CLI::App& parent, Commands& commands) {
  auto o = std::make_shared<EvalOpts>();
  CLI::App* c = parent.add_subcommand("eval", "accuracy of a checkpoint by length on fresh words of a language or task");
  c->add_option("--ckpt", o->ckpt, "checkpoint (.safetensors)")->required();
  c->add_option("--lang", o->lang, "language or task: NAME or NAME:key=value,... (statelab lang list) (default: the checkpoint's statelab.language)");
  c->add_option("--lengths", o->lengths, "lengths A..B")->required();
  c->add_option("--count", o->count, "words per length (balanced accept/reject for recognize)")
      ->check(kAtLeastOne)
      ->capture_default_str();
  c->add_option("--seed", o->seed, "random seed of the words")->check(kNonNegative)->capture_default_str();
  c->add_option("--alphabet", o->alphabet, "symbol names a,b,... (token id = position) when the checkpoint has none");
  c->add_option("--threads", o->threads, "threads (0: all cores)")->check(kNonNegative);
  c->add_flag("--json", o->json, "machine-readable output");
  add_kv_cache_options(c, o->kv);
  commands.push_back({c, [o] { return run_eval(*o); }});
}

}  // namespace statelab::cli
