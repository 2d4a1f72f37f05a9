#include "cli/check.h"

#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "base/error.h"
#include "cli/options.h"
#include "cli/progress.h"
#include "bridge/check.h"
#include "bridge/check_report.h"
#include "bridge/recognizer.h"
#include "bridge/run.h"
#include "cli/text.h"
#include "languages/registry.h"
#include "models/model.h"

namespace statelab::cli {

namespace {


struct CheckCommandOptions {
  std::string ckpt, lang;
  std::size_t max_length = 20, tests = 1000, length_limit = bridge::kDefaultCheckLengthLimit,
              max_memory = kDefaultMemoryLimit, counterexamples = bridge::CheckOptions{}.max_counterexamples;
  std::uint64_t seed = 0;
  std::optional<std::size_t> exhaustive;
  bool json = false;
  KvCacheOptions kv;
};

// "agreement by length: 7:98/100 ..." (only the lengths below 100%).
void print_by_length(const std::vector<bridge::LengthAgreement>& by_length) {
  std::size_t disagree = 0;
  std::string text;
  for (const auto& l : by_length)
    if (l.agree != l.tested) {
      text += std::to_string(l.length) + ":" + std::to_string(l.agree) + "/" + std::to_string(l.tested) + " ";
      disagree += l.tested - l.agree;
    }
  text += disagree == 0 ? "100% at every length tested" : "(lengths not listed: 100%)";
  print_wrapped("agreement by length: ", text, 2);
}

bridge::CheckOptions check_options(const CheckCommandOptions& o) {
  bridge::CheckOptions options;
  options.max_length = o.max_length;
  options.tests = o.tests;
  options.seed = o.seed;
  options.exhaustive_up_to = o.exhaustive;
  options.length_limit = o.length_limit;
  options.memory = memory_limit(o.max_memory);
  options.max_counterexamples = o.counterexamples;
  return options;
}

// check's long words reach 4 --max-length symbols (and the end marker one more): a transformer
// with learned positions refuses longer ones, so say up front which --max-length it can take.
// (A task's sizes are not its sequence lengths: make_batch guards those.)
void require_long_words_fit(const CheckCommandOptions& o, const models::ModelConfig& config) {
  const std::size_t longest = models::longest_word(config);
  const std::size_t fits = longest / bridge::kLongWordFactor;
  if (longest == 0 || std::max<std::size_t>(o.max_length, 1) <= fits) return;
  const std::size_t marker = config.end_marker ? 1 : 0;
  const std::string what = "check: --max-length " + std::to_string(o.max_length) + " draws long words of up to " +
                           std::to_string(bridge::kLongWordFactor * std::max<std::size_t>(o.max_length, 1) + marker) +
                           " symbols, but the model's learned positions cover " + std::to_string(longest + marker);
  if (fits == 0)
    throw InvalidArgument(what + ", fewer than check's shortest long words (" + std::to_string(bridge::kLongWordFactor) +
                          " symbols) need");
  throw InvalidArgument(what + ": give --max-length " + std::to_string(fits) + " or less");
}

// A tag, next-set or seq head: every position compared with the language's or task's truth (seq:
// the greedy-decoded output against the task's).
int run_check_tags(const CheckCommandOptions& o, const bridge::LoadedModel& model) {
  const models::Head head = model.config.head;
  const bridge::Source source = bridge::load_source(o.lang, head, "check");
  if (!source.task) require_long_words_fit(o, model.config);
  const std::unique_ptr<bridge::Tagger> tagger =
      head == models::Head::seq
          ? std::unique_ptr<bridge::Tagger>(bridge::model_seq_tagger(model, *source.task))
          : std::unique_ptr<bridge::Tagger>(bridge::model_tagger(model, &source.alphabet(), bridge::output_names(source, head)));
  const auto truth = source.task ? std::make_unique<bridge::TruthTagger>(*source.task)
                                 : std::make_unique<bridge::TruthTagger>(*source.language, head);
  const auto draw = source.task ? bridge::task_drawer(*source.task, o.max_length)
                                : bridge::language_drawer(*source.language, o.max_length);
  bridge::CheckOptions options = check_options(o);
  TaskProgress progress("checking every position: words drawn and evaluated");
  options.progress = progress.callback();
  const auto result = bridge::check_tags(*tagger, *truth, draw, options);
  progress.finish();
  const auto& alphabet = source.alphabet();
  if (o.json) {
    std::cout << bridge::to_json(result, alphabet, source.name(), o.ckpt, models::head_name(head), o.seed) << "\n";
    return result.agree ? 0 : 1;
  }
  std::size_t disagree = 0;
  for (const auto& l : result.by_length) disagree += l.tested - l.agree;
  if (result.agree) {
    std::cout << "agree: no disagreement with " << source.name() << " at any position of " << result.tested << " distinct words\n";
  } else {
    std::cout << "disagree: " << disagree << " of " << result.tested << " distinct words; minimal counterexample first\n";
    for (const auto& d : result.counterexamples)
      std::cout << "  " << quoted(alphabet, d.word) << " (length " << d.word.size() << "): first wrong at position "
                << d.position << " (after " << quoted(alphabet, bridge::Word(d.word.begin(), d.word.begin() + static_cast<std::ptrdiff_t>(d.position) + 1))
                << "): model " << d.model << ", truth " << d.truth << "\n";
  }
  print_by_length(result.by_length);
  std::cout << "agreement by position:";
  bool all = true;
  for (const auto& p : result.by_position)
    if (p.agree != p.tested) std::cout << " " << p.position << ":" << p.agree << "/" << p.tested, all = false;
  std::cout << (all ? " 100% at every position tested\n" : " (positions not listed: 100%)\n");
  return result.agree ? 0 : 1;
}

int run_check(const CheckCommandOptions& o) {
  if (o.tests == 0 && !o.exhaustive)
    throw InvalidArgument("--tests 0 tests no word, and agreeing on no word is no agreement: give --tests N (N >= 1) "
                          "or --exhaustive-up-to N");
  check_length(o.max_length, o.length_limit, "check: --max-length", "--length-limit");
  auto model = bridge::load_model(o.ckpt);
  model.kv = kv_bound(o.kv, model.config, o.ckpt);
  if (model.config.head != models::Head::recognize) return run_check_tags(o, model);
  require_long_words_fit(o, model.config);
  const auto language = languages::make_language(o.lang);
  const auto recognizer = bridge::model_recognizer(model, language->alphabet());
  bridge::CheckOptions options = check_options(o);
  TaskProgress progress("checking: words drawn and evaluated");
  options.progress = progress.callback();
  const auto result = bridge::check(*recognizer, *language, options);
  progress.finish();
  const auto& alphabet = language->alphabet();
  if (o.json) {
    std::cout << bridge::to_json(result, alphabet, language->name(), o.ckpt, o.seed) << "\n";
  } else {
    std::size_t disagree = 0;
    for (const auto& l : result.by_length) disagree += l.tested - l.agree;
    if (result.agree) {
      std::cout << "agree: no disagreement with " << language->name() << " on " << result.tested << " distinct words\n";
    } else {
      std::cout << "disagree: " << disagree << " of " << result.tested << " distinct words; minimal counterexample first\n";
      for (const auto& d : result.counterexamples)
        std::cout << "  " << quoted(alphabet, d.word) << " (length " << d.word.size() << "): model "
                  << (d.model_score > 0.5 ? "accepts" : "rejects") << " (score " << d.model_score << "), truth "
                  << (d.truth ? "accepts" : "rejects") << "\n";
    }
    print_by_length(result.by_length);
  }
  return result.agree ? 0 : 1;
}

}  // namespace

void add_check_command(CLI::App& parent, Commands& commands) {
  auto o = std::make_shared<CheckCommandOptions>();
  CLI::App* c = parent.add_subcommand("check", "property-test a trained model against a language's or task's ground truth (recognize: every word; tag, next-set: every position; seq: the greedy-decoded output)");
  c->add_option("--ckpt", o->ckpt, "the model checkpoint (safetensors with metadata \"alphabet\")")->required();
  c->add_option("--lang", o->lang, "the language or task (catalogue name, e.g. tomita:n=3, word-problem:group=S3)")->required();
  c->add_option("--max-length", o->max_length, "random words have lengths 0..N (long words beyond)")
      ->check(kNonNegative)
      ->capture_default_str();
  c->add_option("--length-limit", o->length_limit, "refuse a longer --max-length (exact sampling is quadratic in it)")
      ->check(kNonNegative)
      ->capture_default_str();
  add_max_memory_option(c, o->max_memory);
  c->add_option("--tests", o->tests, "random words to draw (one drawn twice is tested once: reports count distinct words)")->check(kNonNegative)->capture_default_str();
  c->add_option("--seed", o->seed, "seed of the random words")->check(kNonNegative)->capture_default_str();
  c->add_option("--exhaustive-up-to", o->exhaustive, "also test every word of length <= N")->check(kNonNegative);
  c->add_option("--counterexamples", o->counterexamples,
                "words it disagrees on to report: the minimal one (shrunk), then the others as found, shortest first")
      ->check(kAtLeastOne)
      ->capture_default_str();
  c->add_flag("--json", o->json, "machine-readable output");
  add_kv_cache_options(c, o->kv);
  commands.push_back({c, [o] { return run_check(*o); }});
}

}  // namespace statelab::cli
