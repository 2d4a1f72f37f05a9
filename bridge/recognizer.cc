#include "bridge/recognizer.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "automata/text.h"
#include "base/error.h"
#include "bridge/checkpoint_meta.h"
#include "languages/registry.h"
#include "models/error.h"
#include "models/safetensors.h"

namespace statelab::bridge {

namespace {

std::string word_list(const std::vector<std::string>& names) { return "[" + automata::join(names) + "]"; }

void check_symbols(const Alphabet& alphabet, std::span<const Word> words, const char* who) {
  for (const Word& w : words)
    for (std::size_t i = 0; i < w.size(); ++i)
      if (w[i] >= alphabet.size())
        throw InvalidArgument(std::string(who) + ": symbol id " + std::to_string(w[i]) + " at position " +
                              std::to_string(i) + " is outside the alphabet of " + std::to_string(alphabet.size()) +
                              " symbols");
}

// Runs f(begin, end) over fixed chunks of [0, n) in parallel.
template <typename F>
void for_chunks(std::size_t n, std::size_t chunk, F&& f) {
  chunk = std::max<std::size_t>(chunk, 1);
  const std::size_t chunks = (n + chunk - 1) / chunk;
  tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t c) { f(c * chunk, std::min(n, (c + 1) * chunk)); });
}

// Words as token sequences: symbol s is token tokens[s].
std::vector<models::Sequence> to_sequences(const Alphabet& alphabet, const std::vector<models::Token>& tokens,
                                           std::span<const Word> words, const char* who) {
  check_symbols(alphabet, words, who);
  std::vector<models::Sequence> out(words.size());
  for (std::size_t i = 0; i < words.size(); ++i) {
    out[i].reserve(words[i].size());
    for (Symbol s : words[i]) out[i].push_back(tokens[s]);
  }
  return out;
}

void check_tokens(const models::ModelConfig& config, std::size_t symbols, const std::vector<models::Token>& tokens,
                  const char* who) {
  if (tokens.size() != symbols)
    throw InvalidArgument(std::string(who) + ": " + std::to_string(tokens.size()) + " token ids for an alphabet of " +
                          std::to_string(symbols) + " symbols");
  for (models::Token t : tokens)
    if (t >= static_cast<models::Token>(config.vocab_size))
      throw InvalidArgument(std::string(who) + ": token id " + std::to_string(t) + " is outside the vocabulary of " +
                            std::to_string(config.vocab_size));
}

std::size_t stacked_dim(const models::ModelConfig& config) {
  return static_cast<std::size_t>(config.num_layers) * static_cast<std::size_t>(config.hidden_size);
}

// models::hidden_states with the zero initial state as column 0.
std::vector<Trajectory> model_trajectories(const models::ModelConfig& config, const models::ModelParams<float>& params,
                                           const std::vector<models::Sequence>& sequences,
                                           const std::optional<models::KvBound>& kv) {
  if (sequences.empty()) return {};
  const auto h = models::hidden_states(config, params, sequences, kv ? &*kv : nullptr);  // (L*H, len) each
  std::vector<Trajectory> out(sequences.size());
  const auto d = static_cast<Eigen::Index>(stacked_dim(config));
  for (std::size_t i = 0; i < sequences.size(); ++i) {
    out[i].resize(d, h[i].cols() + 1);
    out[i].col(0).setZero();
    out[i].rightCols(h[i].cols()) = h[i];
  }
  return out;
}

// A bound the model can serve, checked once (models::validate).
std::optional<models::KvBound> checked(const models::ModelConfig& config, std::optional<models::KvBound> bound) {
  if (bound) models::validate(config, *bound);
  return bound;
}

// One-hot trajectories of a DFA's states.
std::vector<Trajectory> dfa_trajectories(const automata::Dfa& dfa, std::span<const Word> words, const char* who) {
  check_symbols(dfa.alphabet(), words, who);
  std::vector<Trajectory> out;
  out.reserve(words.size());
  const auto n = static_cast<Eigen::Index>(dfa.num_states());
  for (const Word& w : words) {
    Trajectory t = Trajectory::Zero(n, static_cast<Eigen::Index>(w.size()) + 1);
    automata::State q = dfa.initial();
    t(q, 0) = 1;
    for (std::size_t i = 0; i < w.size(); ++i) {
      q = dfa.next(q, w[i]);
      t(q, static_cast<Eigen::Index>(i) + 1) = 1;
    }
    out.push_back(std::move(t));
  }
  return out;
}

const char* head_description(models::Head head) {
  switch (head) {
    case models::Head::recognize: return "one logit per word";
    case models::Head::tag: return "a class per position";
    case models::Head::next_set: return "the set of next symbols per position";
    case models::Head::seq: return "a sequence output";
  }
  return "";
}

}  // namespace

std::vector<Trajectory> Recognizer::trajectories(std::span<const Word>) const {
  throw InvalidArgument("this recognizer exposes no hidden state (hidden-state trajectories need a network)");
}

double Recognizer::score(std::span<const Symbol> word) const {
  const Word w(word.begin(), word.end());
  return scores(std::span<const Word>(&w, 1)).front();
}

std::vector<double> scores_all(const Recognizer& r, std::span<const Word> words, std::size_t chunk) {
  std::vector<double> out(words.size());
  for_chunks(words.size(), r.batch_size() ? r.batch_size() : chunk, [&](std::size_t b, std::size_t e) {
    const auto part = r.scores(words.subspan(b, e - b));
    std::copy(part.begin(), part.end(), out.begin() + static_cast<std::ptrdiff_t>(b));
  });
  return out;
}

std::vector<bool> accepts_all(const Recognizer& r, std::span<const Word> words, std::size_t chunk) {
  const auto s = scores_all(r, words, chunk);
  std::vector<bool> out(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) out[i] = s[i] > 0.5;
  return out;
}

std::vector<Eigen::VectorXf> final_states(const Recognizer& r, std::span<const Word> words, std::size_t chunk) {
  std::vector<Eigen::VectorXf> out(words.size());
  for_chunks(words.size(), r.batch_size() ? r.batch_size() : chunk, [&](std::size_t b, std::size_t e) {
    const auto part = r.trajectories(words.subspan(b, e - b));
    for (std::size_t i = 0; i < part.size(); ++i) out[b + i] = part[i].col(part[i].cols() - 1);
  });
  return out;
}

std::vector<double> LanguageRecognizer::scores(std::span<const Word> words) const {
  std::vector<double> out;
  out.reserve(words.size());
  for (const Word& w : words) out.push_back(language_.contains(w) ? 1.0 : 0.0);
  return out;
}

std::vector<double> DfaRecognizer::scores(std::span<const Word> words) const {
  std::vector<double> out;
  out.reserve(words.size());
  for (const Word& w : words) out.push_back(automata::accepts(dfa_, w) ? 1.0 : 0.0);
  return out;
}

std::vector<Trajectory> DfaRecognizer::trajectories(std::span<const Word> words) const {
  return dfa_trajectories(dfa_, words, "DfaRecognizer");
}

std::optional<Readout> DfaRecognizer::readout() const {
  Readout r{Eigen::VectorXf::Zero(static_cast<Eigen::Index>(dfa_.num_states())), -0.5f};
  for (automata::State q = 0; q < dfa_.num_states(); ++q)
    if (dfa_.is_accepting(q)) r.weight(q) = 1;
  return r;
}

ModelRecognizer::ModelRecognizer(models::ModelConfig config, models::ModelParams<float> params, Alphabet alphabet,
                                 std::vector<models::Token> tokens)
    : config_(config), params_(std::move(params)), alphabet_(std::move(alphabet)), tokens_(std::move(tokens)) {
  if (config_.head != models::Head::recognize)
    throw InvalidArgument("ModelRecognizer: the model's head must be recognize (one logit per word)");
  check_tokens(config_, alphabet_.size(), tokens_, "ModelRecognizer");
}

namespace {
std::vector<models::Token> identity_tokens(std::size_t n) {
  std::vector<models::Token> t(n);
  for (std::size_t i = 0; i < n; ++i) t[i] = static_cast<models::Token>(i);
  return t;
}
}  // namespace

ModelRecognizer::ModelRecognizer(models::ModelConfig config, models::ModelParams<float> params, Alphabet alphabet)
    : ModelRecognizer(config, std::move(params), alphabet, identity_tokens(alphabet.size())) {}

std::vector<models::Sequence> ModelRecognizer::to_tokens(std::span<const Word> words) const {
  return to_sequences(alphabet_, tokens_, words, "ModelRecognizer");
}

std::vector<double> ModelRecognizer::scores(std::span<const Word> words) const {
  if (words.empty()) return {};
  const auto p = models::accept_probability(config_, params_, to_tokens(words), kv_ ? &*kv_ : nullptr);
  return {p.begin(), p.end()};
}

std::size_t ModelRecognizer::state_dim() const { return stacked_dim(config_); }

std::vector<Trajectory> ModelRecognizer::trajectories(std::span<const Word> words) const {
  return model_trajectories(config_, params_, to_tokens(words), kv_);
}

void ModelRecognizer::set_kv_bound(std::optional<models::KvBound> bound) { kv_ = checked(config_, bound); }
void ModelTagger::set_kv_bound(std::optional<models::KvBound> bound) { kv_ = checked(config_, bound); }
void SeqTagger::set_kv_bound(std::optional<models::KvBound> bound) { kv_ = checked(config_, bound); }

std::optional<Readout> ModelRecognizer::readout() const {
  // Without a final norm: logit = head.weight (1, H) . h_top + head.bias, h_top the last layer's
  // rows. A transformer's or state-space stack's states are the residual stream before the final
  // LayerNorm: not affine. With an end marker the logit is read one step after the word's last state.
  if (models::has_final_norm(config_.cell) || config_.end_marker) return std::nullopt;
  const auto d = static_cast<Eigen::Index>(state_dim());
  const auto H = static_cast<Eigen::Index>(config_.hidden_size);
  Readout r;
  r.weight = Eigen::VectorXf::Zero(d);
  r.weight.tail(H) = params_.head.weight.row(0).transpose();
  r.bias = params_.head.bias(0);
  return r;
}

std::vector<std::string> ModelRecognizer::vocabulary() const {
  std::vector<std::string> names(static_cast<std::size_t>(config_.vocab_size));
  for (std::size_t t = 0; t < names.size(); ++t) names[t] = "<unused:" + std::to_string(t) + ">";
  for (Symbol s = 0; s < tokens_.size(); ++s) names[tokens_[s]] = alphabet_.name(s);
  return names;
}

LoadedModel load_model(const std::filesystem::path& path) {
  const std::string file = path.string();
  const models::Checkpoint ckpt = models::load_checkpoint(path);
  const std::optional<std::vector<std::string>> names = read_alphabet(ckpt.metadata, file, ckpt.config.vocab_size);
  if (!names) throw InvalidArgument(file + ": no metadata \"alphabet\" (a JSON list of symbol names, token id = index)");
  LoadedModel out{ckpt.config, std::move(ckpt.params), Alphabet(*names), std::move(ckpt.metadata), file};
  return out;
}

std::unique_ptr<ModelRecognizer> model_recognizer(const LoadedModel& model) {
  require_head(model, {models::Head::recognize}, "this command");
  auto r = std::make_unique<ModelRecognizer>(model.config, model.params, model.alphabet);
  r->set_kv_bound(model.kv);
  return r;
}

std::vector<models::Token> tokens_by_name(const LoadedModel& model, const Alphabet& alphabet) {
  auto a = alphabet.names(), b = model.alphabet.names();
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  if (a != b)
    throw InvalidArgument("the checkpoint's alphabet " + word_list(model.alphabet.names()) +
                          " does not match the language's alphabet " + word_list(alphabet.names()));
  std::vector<models::Token> tokens;
  for (const auto& name : alphabet.names()) tokens.push_back(model.alphabet.id(name));
  return tokens;
}

std::unique_ptr<ModelRecognizer> model_recognizer(const LoadedModel& model, const Alphabet& alphabet) {
  require_head(model, {models::Head::recognize}, "this command");
  auto r = std::make_unique<ModelRecognizer>(model.config, model.params, alphabet, tokens_by_name(model, alphabet));
  r->set_kv_bound(model.kv);
  return r;
}

std::unique_ptr<ModelTagger> model_tagger(const LoadedModel& model, const Alphabet* alphabet,
                                          std::vector<std::string> outputs) {
  require_head(model, {models::Head::tag, models::Head::next_set}, "this command");
  const Alphabet& a = alphabet ? *alphabet : model.alphabet;
  auto tokens = tokens_by_name(model, a);
  if (static_cast<int>(outputs.size()) != model.config.num_outputs)
    throw InvalidArgument(model.path + ": the model's " + models::head_name(model.config.head) + " head has " +
                          std::to_string(model.config.num_outputs) + " outputs, but " +
                          std::to_string(outputs.size()) + " are named (" + automata::join(outputs) + ")");
  auto t = std::make_unique<ModelTagger>(model.config, model.params, a, std::move(tokens), std::move(outputs));
  t->set_kv_bound(model.kv);
  return t;
}

void require_head(const LoadedModel& model, std::initializer_list<models::Head> heads, const std::string& what) {
  std::string names;
  std::size_t i = 0;
  for (models::Head h : heads) {
    if (h == model.config.head) return;
    names += std::string(i == 0 ? "" : i + 1 == heads.size() ? " or " : ", ") + models::head_name(h);
    ++i;
  }
  throw InvalidArgument(model.path + ": the model has a " + models::head_name(model.config.head) + " head (" +
                        head_description(model.config.head) + "); " + what + " needs a " + names + " head");
}

// ---- taggers ------------------------------------------------------------------------------------

std::string output_name(models::Head head, const std::vector<std::string>& names, Output o) {
  if (o == kNoOutput) return "-";
  if (head != models::Head::next_set) {
    if (o < names.size()) return names[o];
    std::string unnamed = "#";  // by append: GCC 12 warns falsely (-Wrestrict) on "#" + std::string
    return unnamed += std::to_string(o);
  }
  std::string out = "{";
  for (std::size_t b = 0; b < names.size() && b < 64; ++b)
    if ((o >> b) & 1) out += (out.size() > 1 ? " " : "") + names[b];
  return out + "}";
}

std::vector<Trajectory> Tagger::trajectories(std::span<const Word>) const {
  throw InvalidArgument("trajectories: this tagger exposes no hidden state");
}

std::vector<std::vector<Output>> tags_all(const Tagger& t, std::span<const Word> words, std::size_t chunk) {
  std::vector<std::vector<Output>> out(words.size());
  for_chunks(words.size(), t.batch_size() ? t.batch_size() : chunk, [&](std::size_t b, std::size_t e) {
    auto part = t.tags(words.subspan(b, e - b));
    std::move(part.begin(), part.end(), out.begin() + static_cast<std::ptrdiff_t>(b));
  });
  return out;
}

std::vector<Output> final_outputs(const Tagger& t, std::span<const Word> words, std::size_t chunk) {
  const auto all = tags_all(t, words, chunk);
  std::vector<Output> out;
  out.reserve(all.size());
  for (const auto& tags : all) out.push_back(tags.empty() ? kNoOutput : tags.back());
  return out;
}

TruthTagger::TruthTagger(const languages::Language& language, models::Head head) : language_(&language), head_(head) {
  if (head == models::Head::tag) {
    names_ = {"out", "in"};
  } else if (head == models::Head::next_set) {
    if (language.alphabet().size() > 63)
      throw InvalidArgument("next-set: " + language.name() + " has more than 63 symbols");
    names_ = language.alphabet().names();
    names_.emplace_back("<end>");
  } else {
    throw InvalidArgument(std::string("TruthTagger: a ") + models::head_name(head) + " head has no per-position truth");
  }
}

TruthTagger::TruthTagger(const languages::Task& task)
    : task_(&task), head_(models::Head::tag), names_(task.target_alphabet().names()) {}

const Alphabet& TruthTagger::alphabet() const { return task_ ? task_->input_alphabet() : language_->alphabet(); }

std::vector<std::vector<Output>> TruthTagger::tags(std::span<const Word> words) const {
  check_symbols(alphabet(), words, "TruthTagger");
  std::vector<std::vector<Output>> out(words.size());
  for (std::size_t i = 0; i < words.size(); ++i) {
    const Word& w = words[i];
    if (w.empty()) continue;
    if (task_) {
      for (Symbol y : task_->targets(w)) out[i].push_back(y == languages::kNoTarget ? kNoOutput : y);
      continue;
    }
    const auto targets = language_->targets(w);  // |w| + 1: the empty prefix first
    for (std::size_t t = 1; t < targets.size(); ++t) {
      if (head_ == models::Head::tag) {
        out[i].push_back(targets[t].end ? 1 : 0);
        continue;
      }
      // A dead prefix (no word of the language extends it) asks nothing: next-set learns from the
      // language's words, whose prefixes are all live.
      Output bits = 0;
      for (std::size_t a = 0; a < targets[t].next.size(); ++a)
        if (targets[t].next[a]) bits |= Output{1} << a;
      if (targets[t].end) bits |= Output{1} << targets[t].next.size();
      out[i].push_back(bits == 0 ? kNoOutput : bits);
    }
  }
  return out;
}

std::vector<std::vector<Output>> MooreTagger::tags(std::span<const Word> words) const {
  check_symbols(alphabet(), words, "MooreTagger");
  std::vector<std::vector<Output>> out(words.size());
  for (std::size_t i = 0; i < words.size(); ++i) {
    automata::State q = machine_.dfa.initial();
    for (Symbol s : words[i]) {
      q = machine_.dfa.next(q, s);
      out[i].push_back(machine_.outputs[q]);
    }
  }
  return out;
}

std::vector<Trajectory> MooreTagger::trajectories(std::span<const Word> words) const {
  return dfa_trajectories(machine_.dfa, words, "MooreTagger");
}

ModelTagger::ModelTagger(models::ModelConfig config, models::ModelParams<float> params, Alphabet alphabet,
                         std::vector<models::Token> tokens, std::vector<std::string> outputs)
    : config_(config), params_(std::move(params)), alphabet_(std::move(alphabet)), tokens_(std::move(tokens)),
      outputs_(std::move(outputs)) {
  if (config_.head != models::Head::tag && config_.head != models::Head::next_set)
    throw InvalidArgument("ModelTagger: the model's head must be tag or next-set (an output per position)");
  if (static_cast<int>(outputs_.size()) != config_.num_outputs)
    throw InvalidArgument("ModelTagger: " + std::to_string(outputs_.size()) + " output names for " +
                          std::to_string(config_.num_outputs) + " outputs");
  if (config_.head == models::Head::next_set && outputs_.size() > 64)
    throw InvalidArgument("ModelTagger: a next-set head of more than 64 outputs");
  check_tokens(config_, alphabet_.size(), tokens_, "ModelTagger");
}

std::vector<std::vector<Output>> ModelTagger::tags(std::span<const Word> words) const {
  std::vector<std::vector<Output>> out(words.size());
  std::vector<Word> nonempty;
  std::vector<std::size_t> where;
  for (std::size_t i = 0; i < words.size(); ++i)
    if (!words[i].empty()) {
      nonempty.push_back(words[i]);
      where.push_back(i);
    }
  if (nonempty.empty()) return out;
  const auto logits = models::model_logits(config_, params_, to_sequences(alphabet_, tokens_, nonempty, "ModelTagger"),
                                           kv_ ? &*kv_ : nullptr);
  for (std::size_t j = 0; j < nonempty.size(); ++j) {
    const auto& z = logits[j];  // (O, len)
    auto& tags = out[where[j]];
    for (Eigen::Index t = 0; t < z.cols(); ++t) {
      if (config_.head == models::Head::tag) {
        Eigen::Index best = 0;
        z.col(t).maxCoeff(&best);
        tags.push_back(static_cast<Output>(best));
      } else {
        // Output b < k is token b's symbol (the tokens may list the symbols in another order), k the end.
        Output bits = 0;
        const auto k = static_cast<Eigen::Index>(tokens_.size());
        for (Eigen::Index s = 0; s < k; ++s)
          if (z(static_cast<Eigen::Index>(tokens_[static_cast<std::size_t>(s)]), t) > 0) bits |= Output{1} << s;
        if (z.rows() > k && z(k, t) > 0) bits |= Output{1} << k;
        tags.push_back(bits);
      }
    }
  }
  return out;
}

std::size_t ModelTagger::state_dim() const { return stacked_dim(config_); }

std::vector<Trajectory> ModelTagger::trajectories(std::span<const Word> words) const {
  return model_trajectories(config_, params_, to_sequences(alphabet_, tokens_, words, "ModelTagger"), kv_);
}

SeqTagger::SeqTagger(models::ModelConfig config, models::ModelParams<float> params, std::vector<std::string> vocabulary,
                     std::vector<models::Token> tokens, const languages::Task& task)
    : config_(config), params_(std::move(params)), tokens_(std::move(tokens)), names_(task.target_alphabet().names()),
      task_(task) {
  if (config_.head != models::Head::seq) throw InvalidArgument("SeqTagger: the model's head must be seq");
  check_tokens(config_, task_.input_alphabet().size(), tokens_, "SeqTagger");
  const Alphabet& target = task_.target_alphabet();
  for (const std::string& name : vocabulary) {
    if (const auto id = target.find(name)) {
      output_of_token_.push_back(*id);
    } else {
      output_of_token_.push_back(names_.size());
      names_.push_back(name);
    }
  }
}

std::vector<std::vector<Output>> SeqTagger::tags(std::span<const Word> words) const {
  check_symbols(alphabet(), words, "SeqTagger");
  std::vector<std::vector<Output>> out(words.size());
  std::vector<models::Sequence> prompts;
  std::vector<int> steps;
  std::vector<std::size_t> where, starts;
  for (std::size_t i = 0; i < words.size(); ++i) {
    out[i].assign(words[i].size(), kNoOutput);
    Word targets;
    try {
      targets = task_.targets(words[i]);
    } catch (const InvalidArgument&) {
      continue;  // a layout the task refuses: nothing asked
    }
    std::size_t p = 0;
    while (p < targets.size() && targets[p] == languages::kNoTarget) ++p;
    if (p == targets.size()) continue;
    models::Sequence prompt;
    for (std::size_t j = 0; j <= p; ++j) prompt.push_back(tokens_[words[i][j]]);
    prompts.push_back(std::move(prompt));
    steps.push_back(static_cast<int>(words[i].size() - p));
    where.push_back(i);
    starts.push_back(p);
  }
  if (prompts.empty()) return out;
  const auto decoded = models::greedy_decode(config_, params_, prompts, steps, kv_ ? &*kv_ : nullptr);
  for (std::size_t k = 0; k < where.size(); ++k)
    for (std::size_t j = 0; j < decoded[k].size(); ++j)
      out[where[k]][starts[k] + j] = output_of_token_[static_cast<std::size_t>(decoded[k][j])];
  return out;
}

std::unique_ptr<SeqTagger> model_seq_tagger(const LoadedModel& model, const languages::Task& task) {
  require_head(model, {models::Head::seq}, "this command");
  auto tokens = tokens_by_name(model, task.input_alphabet());
  auto t = std::make_unique<SeqTagger>(model.config, model.params, model.alphabet.names(), std::move(tokens), task);
  t->set_kv_bound(model.kv);
  return t;
}

}  // namespace statelab::bridge
