#include "cli/lang/sample.h"

#include <algorithm>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "automata/limits.h"
#include "base/file.h"
#include "base/error.h"
#include "cli/lang/language.h"
#include "cli/options.h"
#include "cli/progress.h"
#include "languages/dataset.h"
#include "languages/dataset_io.h"
#include "languages/explore.h"

namespace statelab::cli {

namespace {

using languages::Example;
using languages::Language;
using json = nlohmann::ordered_json;

struct LangSampleOptions {
  std::string name, lengths, format = "jsonl", output;
  std::size_t length = 0, count = 0, max_length = languages::kMaxRangeLength;
  std::uint64_t seed = 0;
  bool negatives = false, targets = false, json = false;
};

}  // namespace

void add_lang_sample_command(CLI::App& parent, Commands& commands) {
  auto o = std::make_shared<LangSampleOptions>();
  CLI::App* v = parent.add_subcommand(
      "sample",
      "exact uniform random words of the language, per length; with --negatives a balanced labelled dataset");
  v->add_option("name", o->name, std::string(kLanguageNameHelp))->required();
  CLI::Option* length = v->add_option("--length", o->length, "word length")->check(kLength);
  CLI::Option* lengths = v->add_option("--lengths", o->lengths, "word lengths A..B, both included; lengths with no word add no positive")->excludes(length);
  v->add_option("--max-length", o->max_length,
                "refuse a --lengths range past this length (every length is counted: time is cubic in it)")
      ->check(kNonNegative)
      ->capture_default_str();
  v->add_option("--count", o->count,
                "words per length; with --negatives half positive and half negative, so even, all distinct")
      ->required()
      ->check(kAtLeastOne);
  v->add_flag("--negatives", o->negatives,
              "add negatives through the dataset builder (half uniform outside the language, half near misses); "
              "a length with no word gets negatives only");
  v->add_option("--seed", o->seed, "random seed")->required()->check(kNonNegative);
  v->add_option("--format", o->format, "jsonl (word, label, length) or abbadingo")
      ->check(CLI::IsMember({"jsonl", "abbadingo"}));
  v->add_flag("--targets", o->targets, "add each word's per-position targets (jsonl only)");
  v->add_option("-o,--output", o->output, "write to this file, whole or not at all (default: stdout)");
  v->add_flag("--json", o->json, "JSON lines on stdout, or a JSON summary with -o");
  commands.push_back({v, [o, length, lengths] {
    if (length->count() == 0 && lengths->count() == 0) throw InvalidArgument("lang sample: give --length N or --lengths A..B");
    const languages::LengthRange range =
        length->count() ? languages::LengthRange{o->length, o->length} : parse_lengths(o->lengths);
    if (lengths->count()) statelab::check_length(range.max, o->max_length, "lang sample: --lengths' end", "--max-length");
    const bool abbadingo = o->format == "abbadingo";
    if (abbadingo && o->targets) throw InvalidArgument("lang sample: --targets needs --format jsonl (Abbadingo has no targets)");
    if (abbadingo && o->json && o->output.empty())
      throw InvalidArgument("lang sample: --json prints JSON lines; with --format abbadingo give -o FILE");
    if (o->negatives && o->count % 2 != 0)
      throw InvalidArgument("lang sample: --count " + std::to_string(o->count) +
                            " with --negatives must be even (half positive, half negative)");
    const std::unique_ptr<Language> l = load_language(o->name, "sample");

    const std::string of = " (of " + std::to_string(range.max - range.min + 1) + ")";
    TaskProgress counting("counting the words of each length" + of), sampling("sampling words of each length" + of);
    std::vector<Example> examples;
    try {
      examples = languages::sample_words(*l, {range, o->count, o->seed, o->negatives, o->targets}, counting.callback(),
                                         sampling.callback());
    } catch (const InvalidArgument& e) {
      throw InvalidArgument(std::string("lang sample: ") + e.what());
    }
    counting.finish();
    sampling.finish();
    const std::string text = abbadingo ? languages::format_abbadingo(l->alphabet(), examples)
                                       : languages::format_jsonl(l->alphabet(), examples, o->targets);
    if (o->output.empty()) {
      std::cout << text;
      return 0;
    }
    statelab::write_file(o->output, text);
    const std::size_t positives =
        static_cast<std::size_t>(std::count_if(examples.begin(), examples.end(), [](const Example& e) { return e.label; }));
    if (o->json)
      summary_stream(o->output) << json{{"language", l->name()},
                        {"words", examples.size()},
                        {"positives", positives},
                        {"negatives", examples.size() - positives},
                        {"output", o->output}}
                       .dump()
                << "\n";
    else
      summary_stream(o->output) << "wrote " << examples.size() << " words (" << positives << " positive, "
                << examples.size() - positives << " negative) of " << l->name() << " to " << o->output << "\n";
    return 0;
  }});
}

}  // namespace statelab::cli
