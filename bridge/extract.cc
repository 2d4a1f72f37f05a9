#include "bridge/extract.h"

#include <deque>
#include <nlohmann/json.hpp>

#include "automata/decide.h"
#include "base/error.h"
#include "base/random.h"
#include "languages/registry.h"
#include "bridge/check.h"
#include "bridge/checkpoint_meta.h"
#include "bridge/lsharp.h"

namespace statelab::bridge {

std::optional<Word> difference_with_truth(const automata::Dfa& dfa, const languages::Language& truth) {
  if (!truth.dfa())
    throw InvalidArgument("'" + truth.name() + "' has no regular ground truth (it is " +
                          std::string(languages::to_string(truth.language_class())) +
                          "), so an automaton cannot be compared with it for equivalence");
  automata::require_same_alphabet(dfa.alphabet(), truth.alphabet(), "the extracted automaton and the language");
  return automata::find_counterexample(dfa, *truth.dfa());
}

ExtractionReport extract(const Recognizer& network, const ExtractOptions& options, const languages::Language* truth) {
  validate(options.limits);
  if (truth) automata::require_same_alphabet(network.alphabet(), truth->alphabet(), "the network and the language");
  ExtractionReport report;
  if (options.method == Method::lstar || options.method == Method::lsharp) {
    report.method = options.method == Method::lstar ? "lstar" : "lsharp";
    std::optional<AbstractionOracle> abstraction;
    std::optional<RandomWordsOracle> random;
    std::vector<EquivalenceOracle*> oracles;
    if (options.abstraction_oracle && network.state_dim() > 0) oracles.push_back(&abstraction.emplace(network));
    if (options.random_tests > 0)
      oracles.push_back(&random.emplace(options.random_tests, options.random_max_length, options.seed));
    if (oracles.empty())
      throw InvalidArgument("extract: " + report.method + " needs an equivalence oracle (the network has no hidden state and "
                            "random tests are 0)");
    SequenceOracle oracle(oracles);
    auto r = options.method == Method::lstar ? lstar(network, oracle, options.limits)
                                             : lsharp(network, oracle, options.limits);
    report.oracle = oracle.name();
    report.dfa = std::move(r.dfa);
    report.membership_queries = r.membership_queries;
    report.equivalence_queries = r.equivalence_queries;
    report.refinements = abstraction ? abstraction->refinements() : 0;
    report.seconds = r.seconds;
    report.complete = r.complete;
    report.stopped_by = r.stopped_by;
  } else {
    report.method = "cluster";
    auto r = cluster_extract(network, options.cluster);
    report.dfa = std::move(r.dfa);
    report.membership_queries = options.cluster.words;  // words run through the network
    report.seconds = r.seconds;
  }
  report.states = report.dfa.num_states();
  // Held-out words, from their own seeds.
  const auto words = held_out_words(network.alphabet().size(), truth, options.fidelity_words,
                                    options.fidelity_max_length, options.seed ^ 0x5eed'f1de'11c7'0000ULL);
  report.fidelity = agreement(report.dfa, network, words);
  report.fidelity_words = words.size();
  report.fidelity_max_length = options.fidelity_max_length;
  if (truth) {
    report.accuracy = agreement(report.dfa, LanguageRecognizer(*truth), words);
    if (truth->dfa()) {
      report.counterexample = difference_with_truth(report.dfa, *truth);
      report.equivalent_to_truth = !report.counterexample;
      if (report.counterexample) {
        report.truth_on_counterexample = truth->contains(*report.counterexample);
        report.network_on_counterexample = network.score(*report.counterexample);
      }
    }
  }
  return report;
}

std::vector<Word> held_out_words(std::size_t k, const languages::Language* truth, std::size_t count,
                                 std::size_t max_length, std::uint64_t seed) {
  std::vector<Word> words;
  words.reserve(count);
  auto rng = make_rng(seed);
  for (std::size_t i = 0; i < count; ++i) {
    if (truth && i % 2 == 1) {
      words.push_back(draw_word(*truth, WordKind::positive, 0, max_length, rng()));
    } else {
      words.push_back(languages::uniform_word(k, uniform_below(rng, max_length + 1), rng));
    }
  }
  return words;
}

double agreement(const automata::Dfa& dfa, const Recognizer& recognizer, std::span<const Word> words) {
  if (words.empty()) return 1.0;
  const auto says = accepts_all(recognizer, words);
  std::size_t agree = 0;
  for (std::size_t i = 0; i < words.size(); ++i) agree += automata::accepts(dfa, words[i]) == says[i];
  return static_cast<double>(agree) / static_cast<double>(words.size());
}

namespace {

// The learner's counts and limits, shared by both reports.
template <typename Report>
void learner_json(nlohmann::ordered_json& j, const Report& r) {
  j["membership_queries"] = r.membership_queries;
  j["equivalence_queries"] = r.equivalence_queries;
  j["refinements"] = r.refinements;
  j["seconds"] = r.seconds;
  j["complete"] = r.complete;
  j["stopped_by"] = r.stopped_by.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.stopped_by);
}

// Accuracy against the truth and the comparison with its machine, shared by both reports; the
// counterexample's "truth" and "network" are what each says there (`extra`: more fields).
template <typename Report>
void truth_json(nlohmann::ordered_json& j, const Report& r, const Alphabet& alphabet, nlohmann::ordered_json network,
                const nlohmann::ordered_json& extra = nlohmann::ordered_json::object()) {
  if (r.accuracy) j["accuracy"] = *r.accuracy;
  if (!r.equivalent_to_truth) return;
  j["equivalent_to_truth"] = *r.equivalent_to_truth;
  if (!r.counterexample) {
    j["counterexample"] = nullptr;
    return;
  }
  nlohmann::ordered_json c = {{"word", alphabet.format_word(*r.counterexample)},
                              {"truth", *r.truth_on_counterexample},
                              {"network", std::move(network)}};
  c.update(extra);
  j["counterexample"] = std::move(c);
}

}  // namespace

std::string to_json(const ExtractionReport& r, const Alphabet& alphabet) {
  nlohmann::ordered_json j;
  j["method"] = r.method;
  if (!r.oracle.empty()) j["oracle"] = r.oracle;
  j["states"] = r.states;
  learner_json(j, r);
  j["fidelity"] = r.fidelity;
  j["fidelity_words"] = r.fidelity_words;
  j["fidelity_max_length"] = r.fidelity_max_length;
  const double score = r.network_on_counterexample.value_or(0);
  truth_json(j, r, alphabet, score > 0.5, {{"network_score", score}});
  return j.dump();
}

LiveNextSetTagger::LiveNextSetTagger(const Tagger& network) : network_(network) {
  if (network.head() != models::Head::next_set)
    throw InvalidArgument(std::string("LiveNextSetTagger: the tagger's head is ") + models::head_name(network.head()) +
                          ", not next-set");
}

std::vector<std::vector<Output>> LiveNextSetTagger::tags(std::span<const Word> words) const {
  auto out = network_.tags(words);
  for (std::size_t i = 0; i < words.size(); ++i)
    for (std::size_t t = 1; t < out[i].size(); ++t)
      if (out[i][t - 1] == kNoOutput || !((out[i][t - 1] >> words[i][t]) & 1)) out[i][t] = kNoOutput;
  return out;
}

MooreExtractionReport extract_moore(const Tagger& tagger, const ExtractOptions& options, const Tagger* truth,
                                    const automata::MooreMachine* truth_machine) {
  validate(options.limits);
  std::optional<LiveNextSetTagger> live;
  const Tagger& network = tagger.head() == models::Head::next_set ? live.emplace(tagger) : tagger;
  if (options.method == Method::cluster)
    throw InvalidArgument("extract: a tag or next-set head is extracted as a Moore machine by lstar or lsharp (cluster learns DFAs)");
  if (truth) automata::require_same_alphabet(network.alphabet(), truth->alphabet(), "the network and the truth");
  MooreExtractionReport report;
  std::optional<MooreAbstractionOracle> abstraction;
  std::optional<MooreRandomWordsOracle> random;
  std::vector<MooreEquivalenceOracle*> oracles;
  if (options.abstraction_oracle && network.state_dim() > 0) oracles.push_back(&abstraction.emplace(network));
  if (options.random_tests > 0)
    oracles.push_back(&random.emplace(options.random_tests, options.random_max_length, options.seed));
  if (oracles.empty())
    throw InvalidArgument("extract: lstar needs an equivalence oracle (the network has no hidden state and random tests are 0)");
  MooreSequenceOracle oracle(oracles);
  auto r = options.method == Method::lstar ? lstar_moore(network, oracle, options.limits)
                                           : lsharp_moore(network, oracle, options.limits);
  report.method = options.method == Method::lstar ? "lstar" : "lsharp";
  report.oracle = oracle.name();
  report.machine = std::move(r.machine);
  report.states = report.machine.dfa.num_states();
  report.membership_queries = r.membership_queries;
  report.equivalence_queries = r.equivalence_queries;
  report.refinements = abstraction ? abstraction->refinements() : 0;
  report.seconds = r.seconds;
  report.complete = r.complete;
  report.stopped_by = r.stopped_by;
  // Held-out words: uniform, lengths 1..max, from their own seed.
  auto rng = make_rng(options.seed ^ 0x5eed'f1de'11c7'0000ULL);
  const std::size_t k = network.alphabet().size();
  std::vector<Word> words;
  for (std::size_t i = 0; i < options.fidelity_words; ++i)
    words.push_back(languages::uniform_word(k, 1 + uniform_below(rng, std::max<std::size_t>(options.fidelity_max_length, 1)), rng));
  const auto says = tags_all(network, words);
  std::vector<std::vector<Output>> truth_says;
  if (truth) truth_says = tags_all(*truth, words);
  std::size_t positions = 0, faithful = 0, asked = 0, right = 0;
  for (std::size_t i = 0; i < words.size(); ++i) {
    automata::State q = report.machine.dfa.initial();
    for (std::size_t t = 0; t < words[i].size(); ++t) {
      q = report.machine.dfa.next(q, words[i][t]);
      const std::string& machine_says = report.machine.output_names[report.machine.outputs[q]];
      ++positions;
      faithful += machine_says == network.name(says[i][t]);
      if (truth && truth_says[i][t] != kNoOutput) {
        ++asked;
        right += machine_says == truth->name(truth_says[i][t]);
      }
    }
  }
  report.fidelity = positions ? static_cast<double>(faithful) / static_cast<double>(positions) : 1.0;
  report.fidelity_words = words.size();
  report.fidelity_positions = positions;
  report.fidelity_max_length = options.fidelity_max_length;
  if (truth) report.accuracy = asked ? static_cast<double>(right) / static_cast<double>(asked) : 1.0;
  if (truth_machine) {
    report.truth_machine_states = truth_machine->dfa.num_states();
    // Where the truth asks nothing (a next-set truth's dead prefixes: "-"), anything goes.
    report.counterexample = automata::find_counterexample(report.machine, *truth_machine, 1, "-");
    report.equivalent_to_truth = !report.counterexample;
    if (report.counterexample) {
      report.truth_on_counterexample = automata::output_of(*truth_machine, *report.counterexample);
      report.network_on_counterexample = network.name(final_outputs(network, std::span<const Word>(&*report.counterexample, 1)).front());
    }
  }
  return report;
}

automata::MooreMachine truth_machine(const Tagger& truth, const automata::Dfa& dfa) {
  automata::require_same_alphabet(truth.alphabet(), dfa.alphabet(), "the truth and its DFA");
  const std::size_t n = dfa.num_states(), k = dfa.num_symbols();
  std::vector<std::optional<Word>> access(n);
  std::deque<automata::State> queue;
  for (Symbol a = 0; a < k; ++a) {
    const automata::State r = dfa.next(dfa.initial(), a);
    if (!access[r]) access[r] = Word{a}, queue.push_back(r);
  }
  while (!queue.empty()) {
    const automata::State q = queue.front();
    queue.pop_front();
    for (Symbol a = 0; a < k; ++a) {
      const automata::State r = dfa.next(q, a);
      if (access[r]) continue;
      access[r] = *access[q];
      access[r]->push_back(a);
      queue.push_back(r);
    }
  }
  std::vector<Word> words;
  for (const auto& w : access) words.push_back(w.value_or(Word{}));
  const auto outputs = final_outputs(truth, words);
  std::vector<std::string> names;
  for (Output o : outputs) names.push_back(truth.name(o));
  return complete_initial_output(automata::make_moore(dfa, names));
}

std::string to_json(const MooreExtractionReport& r, const Alphabet& alphabet) {
  nlohmann::ordered_json j;
  j["machine"] = "moore";
  j["method"] = r.method;
  j["oracle"] = r.oracle;
  j["states"] = r.states;
  j["outputs"] = automata::state_output_names(r.machine);
  learner_json(j, r);
  j["fidelity"] = r.fidelity;
  j["fidelity_words"] = r.fidelity_words;
  j["fidelity_positions"] = r.fidelity_positions;
  j["fidelity_max_length"] = r.fidelity_max_length;
  if (r.truth_machine_states > 0) j["truth_machine_states"] = r.truth_machine_states;
  truth_json(j, r, alphabet, r.network_on_counterexample.value_or(""));
  return j.dump();
}

TruthMachine truth_moore_machine(const Source& source, const Tagger& truth) {
  std::optional<automata::Dfa> dfa;
  if (source.task) {
    dfa = source.task->state_dfa();
    if (!dfa)
      return {std::nullopt, "no truth Moore machine: the targets of " + source.name() +
                                " remember the input (no finite machine decides them); accuracy only"};
  } else if (source.language->dfa()) {
    dfa = *source.language->dfa();
  } else {
    return {std::nullopt, "no truth Moore machine: " + source.name() + " is not regular (it is " +
                              std::string(languages::to_string(source.language->language_class())) + "); accuracy only"};
  }
  if (dfa->num_states() > kMaxTruthMachineStates)
    return {std::nullopt, "no truth Moore machine: " + source.name() + "'s DFA has " + std::to_string(dfa->num_states()) +
                              " states, more than " + std::to_string(kMaxTruthMachineStates) + "; accuracy only"};
  return {truth_machine(truth, *dfa), ""};
}

CheckpointExtraction extract_checkpoint(const LoadedModel& model, const std::string& language, const ExtractOptions& options) {
  const models::Head head = model.config.head;
  CheckpointExtraction out;
  out.head = head;
  if (head == models::Head::tag || head == models::Head::next_set) {
    // The outputs are named by the truth (--lang, or the language the checkpoint recorded).
    out.language = language.empty() ? recorded_language_name(model.metadata).value_or("") : language;
    std::optional<Source> source;
    if (!out.language.empty()) source = load_source(out.language, head, "extract");
    std::vector<std::string> outputs;
    if (source) {
      outputs = output_names(*source, head);
    } else {
      for (int i = 0; i < model.config.num_outputs; ++i) outputs.push_back(std::to_string(i));
    }
    const auto network = model_tagger(model, source ? &source->alphabet() : nullptr, outputs);
    out.alphabet = network->alphabet();
    if (!source) {
      out.moore = extract_moore(*network, options);
      return out;
    }
    const TruthTagger truth = source->task ? TruthTagger(*source->task) : TruthTagger(*source->language, head);
    const TruthMachine machine = truth_moore_machine(*source, truth);
    out.no_truth_machine = machine.why_not;
    out.moore = extract_moore(*network, options, &truth, machine.machine ? &*machine.machine : nullptr);
    return out;
  }
  require_head(model, {models::Head::recognize, models::Head::tag, models::Head::next_set}, "extract");
  std::unique_ptr<languages::Language> truth;
  if (!language.empty()) {
    truth = languages::make_language(language);
    if (!truth->dfa())
      throw InvalidArgument("extract: '" + truth->name() + "' has no regular ground truth (it is " +
                            std::string(languages::to_string(truth->language_class())) +
                            "), so --lang cannot compare the extracted automaton with it for equivalence; drop --lang");
    out.language = truth->name();
  }
  const auto network = truth ? model_recognizer(model, truth->alphabet()) : model_recognizer(model);
  out.alphabet = network->alphabet();
  out.dfa = extract(*network, options, truth.get());
  return out;
}

std::string to_json(const CheckpointExtraction& e) {
  auto j = nlohmann::ordered_json::parse(e.dfa ? to_json(*e.dfa, e.alphabet) : to_json(*e.moore, e.alphabet));
  if (e.moore) j["head"] = models::head_name(e.head);
  if (e.moore && !e.no_truth_machine.empty()) j["no_truth_machine"] = e.no_truth_machine;
  if (!e.language.empty()) j["language"] = e.language;
  return j.dump();
}

}  // namespace statelab::bridge
