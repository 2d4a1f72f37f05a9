#include "cli/check.h"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "base/error.h"
#include "cli/options.h"
#include "cli/progress.h"
#include "bridge/check.h"
#include "bridge/recognizer.h"
#include "cli/text.h"
#include "languages/registry.h"

namespace statelab::cli {

namespace {

using json = nlohmann::ordered_json;

struct CheckCommandOptions {
  std::string ckpt, lang;
  std::size_t max_length = 20, tests = 1000, length_limit = bridge::kDefaultCheckLengthLimit,
              max_memory = kDefaultMemoryLimit;
  std::uint64_t seed = 0;
  std::optional<std::size_t> exhaustive;
  bool json = false;
};

int run_check(const CheckCommandOptions& o) {
  if (o.tests == 0 && !o.exhaustive)
    throw InvalidArgument("--tests 0 tests no word, and agreeing on no word is no agreement: give --tests N (N >= 1) "
                          "or --exhaustive-up-to N");
  check_length(o.max_length, o.length_limit, "check: --max-length", "--length-limit");
  const auto language = languages::make_language(o.lang);
  const auto model = bridge::load_model(o.ckpt);
  const auto recognizer = bridge::model_recognizer(model, language->alphabet());
  bridge::CheckOptions options;
  options.max_length = o.max_length;
  options.tests = o.tests;
  options.seed = o.seed;
  options.exhaustive_up_to = o.exhaustive;
  options.length_limit = o.length_limit;
  options.memory = memory_limit(o.max_memory);
  TaskProgress progress("checking: words drawn and evaluated");
  options.progress = progress.callback();
  const auto result = bridge::check(*recognizer, *language, options);
  progress.finish();
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

}  // namespace

void add_check_command(CLI::App& parent, Commands& commands) {
  auto o = std::make_shared<CheckCommandOptions>();
  CLI::App* c = parent.add_subcommand("check", "property-test a trained recognizer against a language's ground truth");
  c->add_option("--ckpt", o->ckpt, "the model checkpoint (safetensors with metadata \"alphabet\")")->required();
  c->add_option("--lang", o->lang, "the language (catalogue name, e.g. tomita:n=3)")->required();
  c->add_option("--max-length", o->max_length, "random words have lengths 0..N (long words beyond)")
      ->check(kNonNegative)
      ->capture_default_str();
  c->add_option("--length-limit", o->length_limit, "refuse a longer --max-length (exact sampling is quadratic in it)")
      ->check(kNonNegative)
      ->capture_default_str();
  add_max_memory_option(c, o->max_memory);
  c->add_option("--tests", o->tests, "random words to test")->check(kNonNegative)->capture_default_str();
  c->add_option("--seed", o->seed, "seed of the random words")->check(kNonNegative)->capture_default_str();
  c->add_option("--exhaustive-up-to", o->exhaustive, "also test every word of length <= N")->check(kNonNegative);
  c->add_flag("--json", o->json, "machine-readable output");
  commands.push_back({c, [o] { return run_check(*o); }});
}

}  // namespace statelab::cli
