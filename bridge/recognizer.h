// Recognizer: one interface for anything that classifies words over an alphabet -- a language of
// the catalogue (its exact ground truth, whatever its engine), a DFA, or a trained network (in
// memory or loaded from a safetensors checkpoint, statelab's or PyTorch's).  Property tests and
// extraction (bridge/check.h, bridge/lstar.h, bridge/cluster.h) see models only through it.
//
// A recognizer says `score(word)` in [0, 1] (1 or 0 for an exact ground truth; sigma(logit) for a
// network) and `accepts(word)` (score > 1/2).  A network also exposes its hidden state after every
// prefix (`trajectories`), which the abstraction oracle and the clustering method partition.
// Batched evaluation (`accepts_all`, `scores_all`) cuts the words into fixed chunks run in parallel
// with TBB; the result does not depend on the number of threads.
#pragma once

#include <Eigen/Core>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "automata/alphabet.h"
#include "automata/dfa.h"
#include "automata/moore.h"
#include "languages/language.h"
#include "languages/task.h"
#include "models/model.h"

namespace statelab::bridge {

using automata::Alphabet;
using automata::Symbol;
using automata::Word;

/// A hidden-state trajectory: column t is the state after the prefix of length t, so a word of
/// length n has n + 1 columns (column 0 is the initial state).  Shape (state_dim, n + 1).
using Trajectory = Eigen::MatrixXf;

/// An affine read-out on the hidden state: the word is accepted when weight . h + bias > 0.
struct Readout {
  Eigen::VectorXf weight;  // (state_dim)
  float bias = 0;
};

class Recognizer {
 public:
  virtual ~Recognizer() = default;

  /// The symbols words are written in.
  virtual const Alphabet& alphabet() const = 0;

  /// Scores of many words, in order, each in [0, 1].  Implementations may evaluate in one batch.
  /// Throws InvalidArgument on a symbol outside the alphabet.
  virtual std::vector<double> scores(std::span<const Word> words) const = 0;

  /// Dimension of the hidden state, 0 when the recognizer exposes none.
  virtual std::size_t state_dim() const { return 0; }

  /// The hidden state after every prefix of each word (see Trajectory).  Throws InvalidArgument
  /// when state_dim() is 0.
  virtual std::vector<Trajectory> trajectories(std::span<const Word> words) const;

  /// The words batched evaluation (scores_all, final_states) hands to one call, instead of the
  /// caller's chunk; 0: the caller's.  For a recognizer whose every call costs a fixed overhead
  /// (a Python callable, python/).
  virtual std::size_t batch_size() const { return 0; }

  /// The read-out that turns a hidden state into the decision, when it is affine (a network's
  /// recognition head on its top layer), else nothing.
  virtual std::optional<Readout> readout() const { return std::nullopt; }

  /// The DFA this recognizer is, when it is one (DfaRecognizer), else null.  Learners then answer
  /// a membership query u.e by running e from the DFA's state after u, kept per prefix, instead of
  /// running the whole word (bridge/lstar.h, MembershipOracle::ask_column).
  virtual const automata::Dfa* as_dfa() const { return nullptr; }

  double score(std::span<const Symbol> word) const;
  bool accepts(std::span<const Symbol> word) const { return score(word) > 0.5; }
};

/// Scores / decisions of many words, in order: chunks of `chunk` words evaluated in parallel
/// (TBB), each chunk one call to Recognizer::scores.  Time: the recognizer's, divided by the cores.
std::vector<double> scores_all(const Recognizer& r, std::span<const Word> words, std::size_t chunk = 64);
std::vector<bool> accepts_all(const Recognizer& r, std::span<const Word> words, std::size_t chunk = 64);

/// The hidden state after each whole word (the last column of its trajectory), in parallel chunks.
std::vector<Eigen::VectorXf> final_states(const Recognizer& r, std::span<const Word> words, std::size_t chunk = 64);

/// The exact ground truth of a catalogue language, through Language::contains (DFA, PDA, grammar,
/// counter machine or predicate alike).  Holds a reference: the language must outlive it.
class LanguageRecognizer final : public Recognizer {
 public:
  explicit LanguageRecognizer(const languages::Language& language) : language_(language) {}
  const Alphabet& alphabet() const override { return language_.alphabet(); }
  std::vector<double> scores(std::span<const Word> words) const override;

 private:
  const languages::Language& language_;
};

/// A DFA as a recognizer.  Its hidden state is the one-hot vector of its current state
/// (state_dim = number of states), and its read-out sums the accepting states' coordinates minus
/// 1/2, as a network's head would: the state-space methods can be tested on it exactly.
class DfaRecognizer final : public Recognizer {
 public:
  explicit DfaRecognizer(automata::Dfa dfa) : dfa_(std::move(dfa)) {}
  const Alphabet& alphabet() const override { return dfa_.alphabet(); }
  const automata::Dfa& dfa() const { return dfa_; }
  std::vector<double> scores(std::span<const Word> words) const override;
  std::size_t state_dim() const override { return dfa_.num_states(); }
  std::vector<Trajectory> trajectories(std::span<const Word> words) const override;
  std::optional<Readout> readout() const override;
  const automata::Dfa* as_dfa() const override { return &dfa_; }

 private:
  automata::Dfa dfa_;
};

/// A trained network with a recognition head.  Symbol s of `alphabet` is token `tokens[s]`.
/// Its hidden state is models::hidden_states stacked over layers (L*H: every layer's h_t for a
/// recurrent stack, the residual stream after each block for a transformer or a state-space
/// stack); column 0 is the zero initial state.  The read-out exists for recurrent stacks (the
/// head on the top layer).
class ModelRecognizer final : public Recognizer {
 public:
  /// Throws InvalidArgument when the head is not `recognize`, when `tokens` does not have one
  /// entry per symbol, or when a token is outside the vocabulary.
  ModelRecognizer(models::ModelConfig config, models::ModelParams<float> params, Alphabet alphabet,
                  std::vector<models::Token> tokens);
  /// Symbol i is token i (the alphabet lists the vocabulary in token order).
  ModelRecognizer(models::ModelConfig config, models::ModelParams<float> params, Alphabet alphabet);

  const Alphabet& alphabet() const override { return alphabet_; }
  std::vector<double> scores(std::span<const Word> words) const override;
  std::size_t state_dim() const override;
  std::vector<Trajectory> trajectories(std::span<const Word> words) const override;
  std::optional<Readout> readout() const override;

  /// Decode with every layer's KV cache bounded (a causal transformer only, models/kv_cache.h);
  /// nothing: the full forward.  Throws models::ModelError for a model the bound cannot serve.
  void set_kv_bound(std::optional<models::KvBound> bound);
  const std::optional<models::KvBound>& kv_bound() const { return kv_; }

  const models::ModelConfig& config() const { return config_; }
  const models::ModelParams<float>& params() const { return params_; }
  /// tokens()[s]: the token id of symbol s.
  const std::vector<models::Token>& tokens() const { return tokens_; }
  /// The symbol names in token order (what a checkpoint's "alphabet" lists); a token no symbol
  /// maps to is named "<unused:ID>".
  std::vector<std::string> vocabulary() const;

 private:
  std::vector<models::Sequence> to_tokens(std::span<const Word> words) const;

  models::ModelConfig config_;
  models::ModelParams<float> params_;
  Alphabet alphabet_;
  std::vector<models::Token> tokens_;
  std::optional<models::KvBound> kv_;
};

// ---- per-position heads -------------------------------------------------------------------------

/// What a per-position head says after a prefix: a class id (tag), or a set of symbols as bits
/// (next-set: bit a for symbol a, bit k for "the word may end here"; at most 63 symbols).
using Output = std::uint64_t;
/// Nothing asked here: the empty prefix (no position), a task's kNoTarget.
inline constexpr Output kNoOutput = ~Output{0};

/// The name of an output of `head` (tag or next-set): tag: names[o]; next-set: the set of the
/// names whose bits are set, "{a b <end>}" (names: the symbols then "<end>"); "-" for kNoOutput.
std::string output_name(models::Head head, const std::vector<std::string>& names, Output o);

/// Anything that gives an output after every prefix: a network with a tag or next-set head, or
/// the ground truth of a language or task for that head (TruthTagger).  Position t of a word w
/// is the output after w[0..t]; the empty word has no position.
class Tagger {
 public:
  virtual ~Tagger() = default;
  virtual const Alphabet& alphabet() const = 0;
  /// The head whose outputs these are (tag or next_set).
  virtual models::Head head() const = 0;
  /// What the outputs are called (output_name's `names`).
  virtual const std::vector<std::string>& output_names() const = 0;
  /// The outputs at every position of each word, in order: |w| outputs for w.  Throws
  /// InvalidArgument on a symbol outside the alphabet (the truth of a task: on an input the task
  /// does not lay out so).
  virtual std::vector<std::vector<Output>> tags(std::span<const Word> words) const = 0;
  /// Dimension of the hidden state, 0 when there is none; trajectories as Recognizer's.
  virtual std::size_t state_dim() const { return 0; }
  virtual std::vector<Trajectory> trajectories(std::span<const Word> words) const;
  /// As Recognizer::batch_size, for tags_all.
  virtual std::size_t batch_size() const { return 0; }
  std::string name(Output o) const { return output_name(head(), output_names(), o); }
};

/// tags of many words in fixed parallel chunks (TBB); the result does not depend on the threads.
std::vector<std::vector<Output>> tags_all(const Tagger& t, std::span<const Word> words, std::size_t chunk = 64);
/// The output after each whole word (its last position; kNoOutput for the empty word).
std::vector<Output> final_outputs(const Tagger& t, std::span<const Word> words, std::size_t chunk = 64);

/// The ground truth of a language (tag: whether each prefix is in it, classes "out", "in";
/// next-set: the symbols that may follow each prefix and whether it may end there, kNoOutput once
/// the prefix is dead -- no word extends it, and next-set learns from words of the language) or
/// of a task (tag: its targets, kNoTarget as kNoOutput).  Holds references: they must outlive it.
class TruthTagger final : public Tagger {
 public:
  /// Throws InvalidArgument for a head other than tag and next-set (next-set: a language only).
  TruthTagger(const languages::Language& language, models::Head head);
  explicit TruthTagger(const languages::Task& task);
  const Alphabet& alphabet() const override;
  models::Head head() const override { return head_; }
  const std::vector<std::string>& output_names() const override { return names_; }
  std::vector<std::vector<Output>> tags(std::span<const Word> words) const override;

 private:
  const languages::Language* language_ = nullptr;
  const languages::Task* task_ = nullptr;
  models::Head head_;
  std::vector<std::string> names_;
};

/// A Moore machine as a tagger (tag head): its hidden state is the one-hot vector of its state,
/// as DfaRecognizer's, so extraction can be tested on it exactly.
class MooreTagger final : public Tagger {
 public:
  explicit MooreTagger(automata::MooreMachine machine) : machine_(std::move(machine)) {}
  const Alphabet& alphabet() const override { return machine_.dfa.alphabet(); }
  models::Head head() const override { return models::Head::tag; }
  const std::vector<std::string>& output_names() const override { return machine_.output_names; }
  std::vector<std::vector<Output>> tags(std::span<const Word> words) const override;
  std::size_t state_dim() const override { return machine_.dfa.num_states(); }
  std::vector<Trajectory> trajectories(std::span<const Word> words) const override;
  const automata::MooreMachine& machine() const { return machine_; }

 private:
  automata::MooreMachine machine_;
};

/// A trained network with a tag or next-set head.  Symbol s of `alphabet` is token `tokens[s]`;
/// the hidden state is ModelRecognizer's.
class ModelTagger final : public Tagger {
 public:
  /// Throws InvalidArgument when the head is neither tag nor next-set, when `outputs` does not
  /// have one name per output of the head, or the tokens are not one per symbol in the vocabulary.
  ModelTagger(models::ModelConfig config, models::ModelParams<float> params, Alphabet alphabet,
              std::vector<models::Token> tokens, std::vector<std::string> outputs);
  const Alphabet& alphabet() const override { return alphabet_; }
  models::Head head() const override { return config_.head; }
  const std::vector<std::string>& output_names() const override { return outputs_; }
  std::vector<std::vector<Output>> tags(std::span<const Word> words) const override;
  std::size_t state_dim() const override;
  std::vector<Trajectory> trajectories(std::span<const Word> words) const override;
  /// As ModelRecognizer's.
  void set_kv_bound(std::optional<models::KvBound> bound);

 private:
  models::ModelConfig config_;
  models::ModelParams<float> params_;
  Alphabet alphabet_;
  std::vector<models::Token> tokens_;
  std::vector<std::string> outputs_;
  std::optional<models::KvBound> kv_;
};

/// A trained network with a seq head as a tagger over a sequence task's inputs: the output at the
/// positions where the task asks something (from the first, p) is the network's greedy decoding
/// from the prompt w[0..p] (models::greedy_decode), not teacher-forced, so a word agrees with the
/// task's truth exactly when the decoded output is the right one.  Positions before p, and every
/// position of an input the task refuses, say nothing (kNoOutput).  Outputs are numbered as the
/// task's target alphabet (a decoded token outside it, such as a separator, gets a number after
/// them, named as the token).
/// Holds a reference to the task.  Symbol s of the task's input alphabet is token tokens[s].
class SeqTagger final : public Tagger {
 public:
  SeqTagger(models::ModelConfig config, models::ModelParams<float> params, std::vector<std::string> vocabulary,
            std::vector<models::Token> tokens, const languages::Task& task);
  const Alphabet& alphabet() const override { return task_.input_alphabet(); }
  models::Head head() const override { return models::Head::seq; }
  const std::vector<std::string>& output_names() const override { return names_; }
  std::vector<std::vector<Output>> tags(std::span<const Word> words) const override;
  /// As ModelRecognizer's: greedy decoding against bounded caches.
  void set_kv_bound(std::optional<models::KvBound> bound);

 private:
  models::ModelConfig config_;
  models::ModelParams<float> params_;
  std::vector<models::Token> tokens_;
  std::optional<models::KvBound> kv_;
  std::vector<Output> output_of_token_;  // decoded token -> output number
  std::vector<std::string> names_;
  const languages::Task& task_;
};

/// A checkpoint loaded for the bridge: the model and the alphabet its metadata names.
struct LoadedModel {
  models::ModelConfig config;
  models::ModelParams<float> params;
  Alphabet alphabet;                            // from metadata "alphabet": token id = index
  std::map<std::string, std::string> metadata;  // everything in __metadata__
  std::string path;                             // the file, for messages
  // A bound on a transformer's KV cache: the recognizers and taggers below decode with it.
  std::optional<models::KvBound> kv = std::nullopt;
};

/// Reads a safetensors checkpoint (any head) and its metadata "alphabet" (a JSON list of symbol
/// names, token id = index).  Throws IoError when the file cannot be read, models::CheckpointError
/// naming it when it is not a checkpoint, and InvalidArgument when it has no "alphabet" or one that
/// is malformed or disagrees with the vocabulary.
LoadedModel load_model(const std::filesystem::path& path);

/// The model as a recognizer over its own alphabet.  Throws InvalidArgument naming the file and
/// its head when the head is not recognize.
std::unique_ptr<ModelRecognizer> model_recognizer(const LoadedModel& model);

/// The model as a recognizer over `alphabet` (a language's), symbols mapped to tokens by name.
/// Throws InvalidArgument listing both alphabets when their symbol sets differ, and as above.
std::unique_ptr<ModelRecognizer> model_recognizer(const LoadedModel& model, const Alphabet& alphabet);

/// The token ids of `alphabet`'s symbols in the model (tokens[s] for symbol s), matched by name.
/// Throws InvalidArgument listing both alphabets when their symbol sets differ.
std::vector<models::Token> tokens_by_name(const LoadedModel& model, const Alphabet& alphabet);

/// The model (tag or next-set head) as a tagger over `alphabet` (its own when null), outputs
/// named `outputs` (output_name's names).  Throws InvalidArgument naming the file when the head is
/// another, the alphabets' symbols differ, or `outputs` is not one name per output of the head.
std::unique_ptr<ModelTagger> model_tagger(const LoadedModel& model, const Alphabet* alphabet,
                                          std::vector<std::string> outputs);

/// The model (seq head) as a SeqTagger over `task`'s inputs, symbols mapped to tokens by name.
/// Throws InvalidArgument naming the file when the head is another or the alphabets differ.
std::unique_ptr<SeqTagger> model_seq_tagger(const LoadedModel& model, const languages::Task& task);

/// Throws InvalidArgument "FILE: the model has a HEAD head (...); WHAT needs HEADS" unless its head
/// is one of `heads`: the one line a command prints for a checkpoint of the wrong head.
void require_head(const LoadedModel& model, std::initializer_list<models::Head> heads, const std::string& what);


}  // namespace statelab::bridge
