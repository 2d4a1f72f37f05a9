// Extraction end to end: the automaton a network learned, by L* or L# (with the abstraction oracle of
// Weiss, Goldberg and Yahav, then random-word conformance testing) or by clustering, and a report
// on it: size, queries, seconds, fidelity to the network on held-out words, accuracy against the
// ground truth, and -- when the truth is regular -- exact equivalence with it or the shortest word
// on which they differ (with what the network says there: the network's own error when the
// extracted automaton follows the network).  `statelab extract` prints this report.
#pragma once

#include <optional>
#include <string>

#include "automata/dfa.h"
#include "bridge/cluster.h"
#include "bridge/lstar.h"
#include "bridge/lstar_moore.h"
#include "bridge/recognizer.h"
#include "bridge/run.h"
#include "languages/language.h"

namespace statelab::bridge {

/// The default longest conformance word of extraction: 4 x check's default max_length (20).
inline constexpr std::size_t kDefaultConformanceLength = 80;

/// lstar and lsharp: query learners (bridge/lstar.h, bridge/lsharp.h) with the same oracles.
enum class Method { lstar, lsharp, cluster };

struct ExtractOptions {
  Method method = Method::lstar;
  Limits limits;                      // L*: time, states, queries
  bool abstraction_oracle = true;     // L*: Weiss et al.'s oracle first (networks only)
  std::size_t random_tests = 2000;    // L*: conformance words per equivalence query (0: none)
  /// Conformance words have lengths up to this: by default the longest word `statelab check` draws
  /// (its long words reach 4 x its default --max-length 20), so that an extraction reported complete
  /// has been tested at the lengths a default check tests.
  std::size_t random_max_length = kDefaultConformanceLength;
  ClusterOptions cluster;             // clustering
  std::size_t fidelity_words = 2000;  // held-out words for fidelity and accuracy
  std::size_t fidelity_max_length = 50;
  std::uint64_t seed = 0;
};

struct ExtractionReport {
  std::string method;  // "lstar", "lsharp" or "cluster"
  std::string oracle;  // L*: the oracles used, e.g. "abstraction+random-words"
  automata::Dfa dfa;
  std::size_t states = 0;
  std::size_t membership_queries = 0;  // distinct words asked of the network (cluster: words run)
  std::size_t equivalence_queries = 0;
  std::size_t refinements = 0;         // abstraction splits (L* with the abstraction oracle)
  double seconds = 0;
  bool complete = true;                // false when a limit stopped the run
  std::string stopped_by;              // the limit that did ("time", "states", ...)
  double fidelity = 0;                 // agreement with the network on held-out words
  std::size_t fidelity_words = 0;
  std::size_t fidelity_max_length = 0;
  std::optional<double> accuracy;      // agreement with the ground truth on the same words
  std::optional<bool> equivalent_to_truth;  // regular ground truth only
  std::optional<Word> counterexample;       // shortest, shortlex-least word where dfa and truth differ
  std::optional<bool> truth_on_counterexample;
  std::optional<double> network_on_counterexample;  // the network's score there
};

/// Extracts and reports.  `truth`, when given, must have the network's alphabet; its accuracy is
/// always reported, equivalence only when it is regular (Language::dfa()).  Held-out words alternate
/// uniform words and (with a truth) uniform positives, lengths uniform in 0..fidelity_max_length,
/// drawn from a seed derived from options.seed.  Deterministic for a seed whenever the limits stop
/// nothing on time (a time limit that is hit makes the result depend on the machine's speed).
/// Throws InvalidArgument on invalid limits or mismatched alphabets.
ExtractionReport extract(const Recognizer& network, const ExtractOptions& options,
                         const languages::Language* truth = nullptr);

/// Held-out words: `count` words alternating uniform words and (with a truth) uniform positives,
/// lengths uniform in 0..max_length, from make_rng(seed).
std::vector<Word> held_out_words(std::size_t k, const languages::Language* truth, std::size_t count,
                                 std::size_t max_length, std::uint64_t seed);

/// The fraction of `words` on which the automaton and the recognizer agree (1 when there are none).
double agreement(const automata::Dfa& dfa, const Recognizer& recognizer, std::span<const Word> words);

/// Compares an extracted automaton with a regular language: equivalence and the shortest,
/// shortlex-least word on which they differ.  Throws InvalidArgument naming the language when it
/// has no regular ground truth (no DFA), or when the alphabets differ.
std::optional<Word> difference_with_truth(const automata::Dfa& dfa, const languages::Language& truth);

/// The report as a JSON object (the fields above; words written with the alphabet; the automaton
/// itself is not included).
std::string to_json(const ExtractionReport& report, const Alphabet& alphabet);

// ---- Moore machines: networks with a tag or next-set head ---------------------------------------

/// A next-set tagger as its own outputs define its language: once a word reads a symbol that the
/// output at the position before excluded, the tagger has called the prefix dead, and from there
/// on it says nothing (kNoOutput, "-"), as a next-set truth says nothing on dead prefixes.  The
/// first symbol is never judged (no output precedes it).  A next-set network learns from the
/// language's words only, so its outputs on prefixes it calls impossible were never trained: L*
/// learning them learns noise (a network exact on Dyck-1 of depth 2 gave 2621 states in 60 s).
/// Holds a reference to `network`; hidden states, trajectories and batch size are its own.
class LiveNextSetTagger final : public Tagger {
 public:
  /// Throws InvalidArgument when `network`'s head is not next-set.
  explicit LiveNextSetTagger(const Tagger& network);
  const Alphabet& alphabet() const override { return network_.alphabet(); }
  models::Head head() const override { return network_.head(); }
  const std::vector<std::string>& output_names() const override { return network_.output_names(); }
  std::vector<std::vector<Output>> tags(std::span<const Word> words) const override;
  std::size_t state_dim() const override { return network_.state_dim(); }
  std::vector<Trajectory> trajectories(std::span<const Word> words) const override { return network_.trajectories(words); }
  std::size_t batch_size() const override { return network_.batch_size(); }

 private:
  const Tagger& network_;
};

struct MooreExtractionReport {
  std::string method = "lstar";
  std::string oracle;
  automata::MooreMachine machine;
  std::size_t states = 0;
  std::size_t membership_queries = 0;  // distinct words asked of the network
  std::size_t equivalence_queries = 0;
  std::size_t refinements = 0;
  double seconds = 0;
  bool complete = true;
  std::string stopped_by;
  double fidelity = 0;                 // positions where the machine and the network agree
  std::size_t fidelity_words = 0, fidelity_positions = 0, fidelity_max_length = 0;
  std::optional<double> accuracy;      // positions where the machine and the truth agree
  std::optional<bool> equivalent_to_truth;  // when the truth is a Moore machine
  std::optional<Word> counterexample;       // shortest, shortlex-least non-empty word where they differ
  std::optional<std::string> truth_on_counterexample, network_on_counterexample;  // the outputs there
  std::size_t truth_machine_states = 0;     // the truth machine's states (0: none was given)
};

/// Extracts the Moore machine of a tagger by L* or L# (lstar_moore.h, lsharp.h: the abstraction oracle when the
/// network has hidden states and options.abstraction_oracle, then options.random_tests random
/// words) and reports on it: fidelity to the network and, with `truth`, accuracy at every
/// position of options.fidelity_words held-out uniform words of lengths 1..fidelity_max_length
/// (positions where the truth asks nothing are skipped); with `truth_machine`, equivalence on
/// every non-empty word (where the truth machine's output is "-", nothing is asked, there or
/// after) or the shortest word where they differ.  A next-set head is learned on the prefixes it
/// calls live (LiveNextSetTagger): its outputs past a symbol it excluded are "-", as the truth's on
/// dead prefixes.  Throws InvalidArgument for the cluster method, invalid limits, or alphabets
/// that differ.
MooreExtractionReport extract_moore(const Tagger& tagger, const ExtractOptions& options, const Tagger* truth = nullptr,
                                    const automata::MooreMachine* truth_machine = nullptr);

/// The truth as a Moore machine over the states of `dfa` (a regular language's DFA whose state
/// decides the truth's output: a language's minimal DFA for tag and next-set, a word problem's for
/// its tagging task): each reachable state's output is the truth's after a shortest non-empty
/// word reaching it ("-" for an initial state no such word reaches), then minimised
/// (complete_initial_output).  Time: a breadth-first search and one tags() call per state.
automata::MooreMachine truth_machine(const Tagger& truth, const automata::Dfa& dfa);

std::string to_json(const MooreExtractionReport& report, const Alphabet& alphabet);

/// The truth of a tag or next-set head as a Moore machine, when finitely many states decide it:
/// a regular language's DFA (Language::dfa()) or a task's (Task::state_dfa(): a word problem's
/// Cayley automaton), with the truth's output at each state (truth_machine).  Otherwise no
/// machine, and `why_not` says why in one line (a language that is not regular, a task whose
/// targets remember the input, a machine past kMaxTruthMachineStates).
struct TruthMachine {
  std::optional<automata::MooreMachine> machine;
  std::string why_not;
};
inline constexpr std::size_t kMaxTruthMachineStates = std::size_t{1} << 20;
TruthMachine truth_moore_machine(const Source& source, const Tagger& truth);

// ---- a checkpoint end to end (what `statelab extract` runs) -------------------------------------

/// What a checkpoint's extraction is compared with: the language or task `language` names, else
/// the one the checkpoint's metadata records (statelab.language), else nothing.
struct CheckpointExtraction {
  models::Head head = models::Head::recognize;
  std::string language;            // the truth's name; empty when there is none
  Alphabet alphabet;               // the network's
  std::optional<ExtractionReport> dfa;        // a recognize head
  std::optional<MooreExtractionReport> moore;  // a tag or next-set head
  std::string no_truth_machine;    // moore: why it is not compared with a truth machine ("" when it is, or no truth)
};

/// Extracts a checkpoint's automaton: a DFA from a recognize head (extract; the truth must then be
/// regular, and `language` given: a recognizer's checkpoint is compared only when asked), a Moore
/// machine from a tag or next-set head (extract_moore; the outputs named by the truth, numbered
/// without one; compared with truth_moore_machine when there is one).  Throws InvalidArgument
/// naming `language` when it is not regular for a recognizer, or not of the head's kind.
CheckpointExtraction extract_checkpoint(const LoadedModel& model, const std::string& language, const ExtractOptions& options);

/// The report as JSON (to_json of the DFA or Moore report), with "head" (Moore machines) and "language".
std::string to_json(const CheckpointExtraction& extraction);

}  // namespace statelab::bridge
