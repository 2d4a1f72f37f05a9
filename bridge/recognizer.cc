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
  for_chunks(words.size(), chunk, [&](std::size_t b, std::size_t e) {
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
  for_chunks(words.size(), chunk, [&](std::size_t b, std::size_t e) {
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
  check_symbols(dfa_.alphabet(), words, "DfaRecognizer");
  std::vector<Trajectory> out;
  out.reserve(words.size());
  const auto n = static_cast<Eigen::Index>(dfa_.num_states());
  for (const Word& w : words) {
    Trajectory t = Trajectory::Zero(n, static_cast<Eigen::Index>(w.size()) + 1);
    automata::State q = dfa_.initial();
    t(q, 0) = 1;
    for (std::size_t i = 0; i < w.size(); ++i) {
      q = dfa_.next(q, w[i]);
      t(q, static_cast<Eigen::Index>(i) + 1) = 1;
    }
    out.push_back(std::move(t));
  }
  return out;
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
  if (tokens_.size() != alphabet_.size())
    throw InvalidArgument("ModelRecognizer: " + std::to_string(tokens_.size()) + " token ids for an alphabet of " +
                          std::to_string(alphabet_.size()) + " symbols");
  for (models::Token t : tokens_)
    if (t >= static_cast<models::Token>(config_.vocab_size))
      throw InvalidArgument("ModelRecognizer: token id " + std::to_string(t) + " is outside the vocabulary of " +
                            std::to_string(config_.vocab_size));
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
  check_symbols(alphabet_, words, "ModelRecognizer");
  std::vector<models::Sequence> out(words.size());
  for (std::size_t i = 0; i < words.size(); ++i) {
    out[i].reserve(words[i].size());
    for (Symbol s : words[i]) out[i].push_back(tokens_[s]);
  }
  return out;
}

std::vector<double> ModelRecognizer::scores(std::span<const Word> words) const {
  if (words.empty()) return {};
  const auto p = models::accept_probability(config_, params_, to_tokens(words));
  return {p.begin(), p.end()};
}

std::size_t ModelRecognizer::state_dim() const {
  return static_cast<std::size_t>(config_.num_layers) * static_cast<std::size_t>(config_.hidden_size);
}

std::vector<Trajectory> ModelRecognizer::trajectories(std::span<const Word> words) const {
  if (words.empty()) return {};
  const auto h = models::hidden_states(config_, params_, to_tokens(words));  // (L*H, len) each
  std::vector<Trajectory> out(words.size());
  const auto d = static_cast<Eigen::Index>(state_dim());
  for (std::size_t i = 0; i < words.size(); ++i) {
    out[i].resize(d, h[i].cols() + 1);
    out[i].col(0).setZero();
    out[i].rightCols(h[i].cols()) = h[i];
  }
  return out;
}

std::optional<Readout> ModelRecognizer::readout() const {
  // Recurrent stacks: logit = head.weight (1, H) . h_top + head.bias, h_top the last layer's rows.
  // A transformer's or state-space stack's states are the residual stream before the final
  // LayerNorm: not affine.
  if (!models::is_recurrent(config_.cell)) return std::nullopt;
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
  if (ckpt.config.head != models::Head::recognize)
    throw InvalidArgument(file + ": the model's head is not recognize; check and extract need one logit per word");
  const std::optional<std::vector<std::string>> names = read_alphabet(ckpt.metadata, file, ckpt.config.vocab_size);
  if (!names) throw InvalidArgument(file + ": no metadata \"alphabet\" (a JSON list of symbol names, token id = index)");
  LoadedModel out{ckpt.config, std::move(ckpt.params), Alphabet(*names), std::move(ckpt.metadata)};
  return out;
}

std::unique_ptr<ModelRecognizer> model_recognizer(const LoadedModel& model) {
  return std::make_unique<ModelRecognizer>(model.config, model.params, model.alphabet);
}

std::unique_ptr<ModelRecognizer> model_recognizer(const LoadedModel& model, const Alphabet& alphabet) {
  auto a = alphabet.names(), b = model.alphabet.names();
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  if (a != b)
    throw InvalidArgument("the checkpoint's alphabet " + word_list(model.alphabet.names()) +
                          " does not match the language's alphabet " + word_list(alphabet.names()));
  std::vector<models::Token> tokens;
  for (const auto& name : alphabet.names()) tokens.push_back(model.alphabet.id(name));
  return std::make_unique<ModelRecognizer>(model.config, model.params, alphabet, std::move(tokens));
}

}  // namespace statelab::bridge
