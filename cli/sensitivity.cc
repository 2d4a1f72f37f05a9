#include "cli/sensitivity.h"

#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "base/error.h"
#include "bridge/plot.h"
#include "bridge/sensitivity.h"
#include "cli/options.h"
#include "languages/registry.h"
#include "models/architecture.h"

namespace statelab::cli {

namespace {

using json = nlohmann::ordered_json;

struct SensitivityCommandOptions {
  std::string lang, ckpt, random_init, plot, distribution = "uniform";
  std::size_t length = 0, samples = 0, inits = 100, symbols = 2;
  int hidden = 32, layers = 1, embedding = 8;
  double weight_range = 10;
  std::uint64_t seed = 0;
  bool json = false;
  std::vector<CLI::Option*> init_options;  // those of --random-init only
};

std::string fixed(double x, int digits = 4) {
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", digits, x);
  return b;
}

int run_random_init(const SensitivityCommandOptions& o, const bridge::SensitivityOptions& s) {
  bridge::RandomInitOptions r;
  r.config.cell = models::parse_cell(o.random_init);
  r.config.vocab_size = static_cast<int>(o.symbols);
  r.config.hidden_size = o.hidden;
  r.config.num_layers = o.layers;
  r.config.embedding_dim = o.embedding;
  r.config.max_length = static_cast<int>(std::max<std::size_t>(o.length, 1));  // learned positions cover the words
  r.inits = o.inits;
  r.distribution = bridge::parse_init_distribution(o.distribution);
  r.weight_range = o.weight_range;
  r.seed = o.seed;
  r.sensitivity = s;
  if (!o.plot.empty()) bridge::plot_format(o.plot);  // refuse a bad extension before the work
  const auto d = bridge::random_init_sensitivity(r);
  if (!o.plot.empty()) bridge::plot_sensitivity(d, o.random_init, o.length, o.plot);
  if (o.json) {
    std::cout << json{{"model", o.random_init},         {"hidden", o.hidden},
                      {"layers", o.layers},              {"embedding", o.embedding},
                      {"symbols", o.symbols},            {"distribution", bridge::init_distribution_name(r.distribution)},
                      {"weight_range", o.weight_range},
                      {"length", o.length},              {"inits", o.inits},
                      {"exact", d.exact},                {"samples", o.samples},
                      {"seed", o.seed},                  {"mean", d.mean},
                      {"min", d.min},                    {"q10", d.q10},
                      {"q25", d.q25},                    {"median", d.median},
                      {"q75", d.q75},                    {"q90", d.q90},
                      {"max", d.max},                    {"values", d.values}}
                     .dump()
              << "\n";
    return 0;
  }
  std::cout << o.random_init << " (hidden " << o.hidden << ", layers " << o.layers << ", " << o.symbols
            << " symbols, every parameter "
            << (r.distribution == bridge::InitDistribution::normal
                    ? "normal with mean 0 and sd " + fixed(o.weight_range, 2)
                    : "uniform in [-" + fixed(o.weight_range, 2) + ", " + fixed(o.weight_range, 2) + "]")
            << "), length "
            << o.length << ", " << o.inits << " initialisations, each "
            << (d.exact ? "exact" : "sampled on " + std::to_string(o.samples) + " words") << ":\n"
            << "average sensitivity mean " << fixed(d.mean) << "; min " << fixed(d.min) << ", 10% " << fixed(d.q10)
            << ", 25% " << fixed(d.q25) << ", median " << fixed(d.median) << ", 75% " << fixed(d.q75) << ", 90% "
            << fixed(d.q90) << ", max " << fixed(d.max) << "\n";
  if (!o.plot.empty()) std::cout << "wrote " << o.plot << "\n";
  return 0;
}

int run_sensitivity(const SensitivityCommandOptions& o) {
  const int sources = !o.lang.empty() + !o.ckpt.empty() + !o.random_init.empty();
  if (sources != 1)
    throw InvalidArgument("sensitivity: give exactly one of --lang NAME, --ckpt FILE or --random-init MODEL");
  if (!o.plot.empty() && o.random_init.empty())
    throw InvalidArgument("sensitivity: --plot draws the distribution over --random-init initialisations");
  if (o.random_init.empty())
    for (const CLI::Option* option : o.init_options)
      if (option->count() > 0)
        throw InvalidArgument("sensitivity: " + option->get_name() + " applies to --random-init only");
  bridge::SensitivityOptions s;
  s.length = o.length;
  s.samples = o.samples;
  s.seed = o.seed;
  if (!o.random_init.empty()) return run_random_init(o, s);
  std::unique_ptr<languages::Language> language;
  std::unique_ptr<bridge::Recognizer> recognizer;
  std::string name;
  if (!o.lang.empty()) {
    language = languages::make_language(o.lang);
    recognizer = std::make_unique<bridge::LanguageRecognizer>(*language);
    name = language->name();
  } else {
    const auto model = bridge::load_model(o.ckpt);
    bridge::require_head(model, {models::Head::recognize}, "sensitivity");
    recognizer = bridge::model_recognizer(model);
    name = o.ckpt;
  }
  const bridge::Sensitivity r = bridge::average_sensitivity(*recognizer, s);
  if (o.json) {
    std::cout << bridge::to_json(r, name, s, recognizer->alphabet().size()) << "\n";
    return 0;
  }
  std::cout << name << " at length " << o.length << ": average sensitivity " << fixed(r.mean);
  if (r.exact)
    std::cout << " (exact, all " << r.words << " words)\n";
  else
    std::cout << " (95% confidence interval " << fixed(r.low) << ".." << fixed(r.high) << ", " << r.words
              << " sampled words, seed " << o.seed << ")\n";
  return 0;
}

}  // namespace

void add_sensitivity_command(CLI::App& parent, Commands& commands) {
  auto o = std::make_shared<SensitivityCommandOptions>();
  CLI::App* c = parent.add_subcommand(
      "sensitivity",
      "average sensitivity at one length (the expected number of positions where another symbol changes the decision): "
      "of a language, a trained recognizer, or the distribution over random initialisations of an architecture");
  c->add_option("--lang", o->lang, "a language of the catalogue (statelab lang list)");
  c->add_option("--ckpt", o->ckpt, "a trained recognizer (safetensors, head recognize)");
  c->add_option("--random-init", o->random_init, "an architecture (" + models::available_cells() +
                                                     "): networks with every parameter drawn from --init (uniform in [-W, W] or normal of sd W)");
  c->add_option("--length", o->length, "the word length n")->required()->check(kLength);
  c->add_option("--samples", o->samples,
                "estimate on N uniform words (with a 95% confidence interval) instead of enumerating all; needed "
                "past " + std::to_string(bridge::kMaxEnumeratedWords) + " words")
      ->check(kNonNegative);
  c->add_option("--seed", o->seed, "seed of the sampled words and the initialisations")->check(kNonNegative)->capture_default_str();
  o->init_options.push_back(c->add_option("--inits", o->inits, "--random-init: number of initialisations")->check(kAtLeastOne)->capture_default_str());
  o->init_options.push_back(c->add_option("--weight-range", o->weight_range, "--random-init: W, the scale of --init")->capture_default_str());
  o->init_options.push_back(c->add_option("--init", o->distribution,
                                          "--random-init: uniform (every parameter in [-W, W]) or normal (mean 0, sd W: "
                                          "Bhattamishra et al. 2023's Figure 1)")
                                ->capture_default_str());
  for (auto [name, value, help] : {std::tuple{"--hidden", &o->hidden, "--random-init: hidden size"},
                                   std::tuple{"--layers", &o->layers, "--random-init: layers"},
                                   std::tuple{"--embedding", &o->embedding, "--random-init: embedding size"}})
    o->init_options.push_back(c->add_option(name, *value, help)->check(kAtLeastOne)->capture_default_str());
  o->init_options.push_back(c->add_option("--symbols", o->symbols, "--random-init: alphabet size (symbols 0..K-1)")
                                ->check(kAtLeastOne)
                                ->capture_default_str());
  c->add_option("--plot", o->plot, "--random-init: a histogram of the distribution (.png or .svg, needs gnuplot)");
  c->add_flag("--json", o->json, "machine-readable output");
  commands.push_back({c, [o] { return run_sensitivity(*o); }});
}

}  // namespace statelab::cli
