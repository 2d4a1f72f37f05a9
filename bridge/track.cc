#include "bridge/track.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "automata/monoid.h"
#include "base/error.h"
#include "bridge/check.h"
#include "bridge/classify.h"
#include "bridge/run.h"
#include "languages/registry.h"
#include "models/model.h"

namespace statelab::bridge {

namespace {

// The language of `name`, when the name is one (a word problem is both a language and a task).
std::unique_ptr<languages::Language> language_named(const std::string& name) {
  const std::string base = name.substr(0, name.find(':'));
  for (const auto& e : languages::language_catalogue())
    if (e.name == base) return languages::make_language(name);
  return nullptr;
}

void predict_for(TrackResult& r, const languages::Language* language, const MemoryLimit& memory) {
  if (!language) {
    r.prediction_note = r.language + " is a task, not a language: classify predicts for regular languages";
    return;
  }
  const automata::Dfa* dfa = language->dfa();
  if (!dfa) {
    r.prediction_note = r.language + " is " + std::string(languages::to_string(language->language_class())) +
                        ", not regular: classify predicts for regular languages";
    return;
  }
  // classify minimises first: the facts are those of the syntactic monoid, not of a bigger
  // monoid of a redundant automaton (a file's DFA need not be minimal).
  for (const Prediction& p : classify(r.language, *dfa, automata::kDefaultMaxMonoid, memory).predictions)
    if (p.architecture == r.architecture) {
      r.prediction = p;
      return;
    }
  r.prediction_note = "classify's table has no row for " + r.architecture;
}

void check_for(TrackResult& r, const LoadedModel& model, const Source& source, const TrackOptions& options) {
  if (r.check_max_length == 0) {
    r.check_note = "the transformer's learned positions cover fewer symbols than check's shortest long words (" +
                   std::to_string(kLongWordFactor) + ")";
    return;
  }
  CheckOptions co;
  co.max_length = r.check_max_length;
  co.length_limit = options.length_limit;
  co.tests = options.tests;
  co.seed = options.seed;
  co.memory = options.memory;
  co.max_counterexamples = 1;
  const models::Head head = model.config.head;
  const Alphabet& alphabet = source.alphabet();
  if (head == models::Head::recognize) {
    const auto recognizer = model_recognizer(model, alphabet);
    const CheckResult c = check(*recognizer, *source.language, co);
    r.checked = true;
    r.agree = c.agree;
    r.tested = c.tested;
    if (!c.counterexamples.empty()) {
      const Disagreement& d = c.counterexamples.front();
      r.counterexample = d.word;
      r.model_says = d.model_score > 0.5 ? "accepts" : "rejects";
      r.truth_says = d.truth ? "accepts" : "rejects";
    }
  } else if (head == models::Head::tag || head == models::Head::next_set) {
    const auto tagger = model_tagger(model, &alphabet, output_names(source, head));
    const auto truth = source.task ? std::make_unique<TruthTagger>(*source.task)
                                   : std::make_unique<TruthTagger>(*source.language, head);
    const auto draw = source.task ? task_drawer(*source.task, r.check_max_length)
                                  : language_drawer(*source.language, r.check_max_length);
    const TagCheckResult c = check_tags(*tagger, *truth, draw, co);
    r.checked = true;
    r.agree = c.agree;
    r.tested = c.tested;
    if (!c.counterexamples.empty()) {
      const PositionDisagreement& d = c.counterexamples.front();
      r.counterexample = d.word;
      r.counterexample_position = d.position;
      r.model_says = d.model;
      r.truth_says = d.truth;
    }
  } else {
    r.check_note = "check compares recognize, tag and next-set heads; a seq head has no counterexample here";
  }
  if (r.counterexample) r.counterexample_text = alphabet.format_word(*r.counterexample);
}

}  // namespace

TrackResult track(const LoadedModel& model, const std::string& lang, const TrackOptions& options) {
  TrackResult r;
  r.checkpoint = model.path;
  r.architecture = expressivity_architecture(model.config);
  r.head = models::head_name(model.config.head);
  r.threshold = options.threshold;
  const auto recorded = options.train_lengths ? options.train_lengths : recorded_training_lengths(model);
  if (!recorded)
    throw InvalidArgument("track: " + model.path +
                          " records no training lengths (statelab.training): give them (--train-lengths A..B)");
  r.train_lengths = *recorded;
  r.max_length = options.max_length.value_or(8 * std::max<std::size_t>(r.train_lengths.max, 1));
  check_length(r.max_length, options.length_limit, "track: a maximum length of", "--length-limit");
  const Source source = load_source(lang, model.config.head, "track");
  r.check_max_length = r.max_length;
  // A transformer with learned positions reads at most `longest` tokens, the end marker one of
  // them: words past that are refused, and check's long words (4x its lengths) must fit too.
  // (A task's sizes are not its sequence lengths: make_batch guards those.)
  if (const std::size_t fits = models::longest_word(model.config); fits > 0 && !source.task) {
    if (options.max_length && *options.max_length > fits)
      throw InvalidArgument("track: --max-length " + std::to_string(*options.max_length) +
                            " is past the transformer's learned positions (" + std::to_string(fits) +
                            " symbols): give --max-length " + std::to_string(fits) + " or less");
    r.max_length = std::min(r.max_length, fits);
    r.check_max_length = std::min(r.max_length, fits / kLongWordFactor);
  }
  if (r.max_length < r.train_lengths.min)
    throw InvalidArgument("track: --max-length " + std::to_string(r.max_length) + " is below the training lengths " +
                          std::to_string(r.train_lengths.min) + ".." + std::to_string(r.train_lengths.max));
  r.language = source.name();
  const std::unique_ptr<languages::Language> language = language_named(lang);
  // Everything that can be refused is refused before the work: the checkpoint's fit, the probe.
  std::vector<std::size_t> components;
  if (!language) {
    r.probe_note = r.language + " is a task, not a language: the probe decodes a language's state";
  } else {
    try {
      components = probe_components(*language, ProbeTarget::state);
    } catch (const InvalidArgument& e) {
      r.probe_note = e.what();
    }
  }
  std::uint64_t phase = 0;
  report(options.progress, phase, 4);
  predict_for(r, language.get(), options.memory);
  report(options.progress, ++phase, 4);

  const Data data = evaluation_data(source, model.config.head,
                                    {std::max<std::size_t>(r.train_lengths.min, 1), r.max_length}, options.count,
                                    options.seed);
  if (data.examples.empty()) throw InvalidArgument("track: no example of " + r.language + " at lengths up to " + std::to_string(r.max_length));
  check_sequence_task(model.config, source, data);
  r.by_length = models::accuracy_by_length(model.config, model.params, data.examples, data.lengths);
  for (const auto& a : r.by_length)
    if (a.accuracy < options.threshold) {
      r.first_below = static_cast<std::size_t>(a.length);
      break;
    }
  r.tracks = !r.first_below;
  report(options.progress, ++phase, 4);

  check_for(r, model, source, options);
  report(options.progress, ++phase, 4);

  if (!components.empty()) {
    ProbeOptions po;
    po.train_lengths = {std::max<std::size_t>(r.train_lengths.min, 1), std::max<std::size_t>(r.train_lengths.max, 1)};
    po.test_lengths = {1, r.max_length};
    po.train_words = options.probe_train_words;
    po.test_words = options.probe_test_words;
    po.threshold = options.threshold;
    po.seed = options.seed;
    po.length_limit = options.length_limit;
    po.memory = options.memory;
    r.probe = probe(model, *language, po);
  }
  report(options.progress, ++phase, 4);
  return r;
}

std::string to_json(const TrackResult& r) {
  using json = nlohmann::ordered_json;
  json j{{"checkpoint", r.checkpoint},
         {"language", r.language},
         {"architecture", r.architecture},
         {"head", r.head}};
  j["prediction"] = r.prediction ? json{{"answer", to_string(r.prediction->answer)},
                                        {"reason", r.prediction->reason},
                                        {"source", r.prediction->source}}
                                 : json{{"note", r.prediction_note}};
  j["train_lengths"] = std::to_string(r.train_lengths.min) + ".." + std::to_string(r.train_lengths.max);
  j["max_length"] = r.max_length;
  j["threshold"] = r.threshold;
  j["tracks"] = r.tracks;
  j["first_length_below"] = r.first_below ? json(*r.first_below) : json(nullptr);
  j["accuracy_by_length"] = accuracy_json(r.by_length);
  if (r.checked) {
    json c{{"agree", r.agree}, {"tested", r.tested}, {"max_length", r.check_max_length}};
    if (r.counterexample) {
      c["counterexample"] = {{"word", r.counterexample_text}, {"length", r.counterexample->size()}};
      if (r.counterexample_position) c["counterexample"]["position"] = *r.counterexample_position;
      c["counterexample"]["model"] = r.model_says;
      c["counterexample"]["truth"] = r.truth_says;
    }
    j["check"] = c;
  } else {
    j["check"] = {{"note", r.check_note}};
  }
  j["probe"] = r.probe ? json::parse(to_json(*r.probe)) : json{{"note", r.probe_note}};
  return j.dump();
}

}  // namespace statelab::bridge
