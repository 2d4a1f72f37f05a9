#include "bridge/probe.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>

#include "automata/text.h"
#include "base/error.h"
#include "base/random.h"
#include "base/splitmix.h"
#include "base/file.h"
#include "bridge/check.h"
#include "bridge/checkpoint_meta.h"
#include "bridge/plot.h"
#include "bridge/run.h"

namespace statelab::bridge {

// ---- the optimiser ----------------------------------------------------------------------------

namespace {

// The regularised mean cross-entropy of a multinomial logistic regression and its gradient.
// theta = [vec(W) (C*D, column-major); b (C)].
class Objective {
 public:
  Objective(const Eigen::MatrixXd& x, std::span<const int> y, int classes, double l2)
      : x_(x), y_(y), c_(classes), l2_(l2) {}

  Eigen::Index size() const { return c_ * x_.rows() + c_; }

  double operator()(const Eigen::VectorXd& theta, Eigen::VectorXd& grad) const {
    const Eigen::Index d = x_.rows(), n = x_.cols();
    const Eigen::Map<const Eigen::MatrixXd> w(theta.data(), c_, d);
    const Eigen::Map<const Eigen::VectorXd> b(theta.data() + c_ * d, c_);
    Eigen::MatrixXd p = w * x_;  // (C, N) logits z = W x + b
    p.colwise() += b;
    double loss = 0;
    for (Eigen::Index i = 0; i < n; ++i) {  // p := softmax(z) - onehot(y)
      auto z = p.col(i);
      const double m = z.maxCoeff();
      z = (z.array() - m).exp();
      const double s = z.sum();
      loss += std::log(s) + m - (std::log(z(y_[static_cast<std::size_t>(i)])) + m);
      z /= s;
      z(y_[static_cast<std::size_t>(i)]) -= 1;
    }
    const double inv_n = 1.0 / static_cast<double>(n);
    grad.resize(size());
    Eigen::Map<Eigen::MatrixXd> gw(grad.data(), c_, d);
    gw.noalias() = p * x_.transpose() * inv_n;  // dL/dW = (P - Y) X' / N + λ W
    gw += l2_ * w;
    grad.tail(c_) = p.rowwise().sum() * inv_n;
    return loss * inv_n + 0.5 * l2_ * w.squaredNorm();
  }

 private:
  const Eigen::MatrixXd& x_;
  std::span<const int> y_;
  Eigen::Index c_;
  double l2_;
};

// Standardised features in double: (x - mean) / scale.
Eigen::MatrixXd standardise(const Eigen::MatrixXf& features, const Eigen::VectorXd& mean, const Eigen::VectorXd& scale) {
  Eigen::MatrixXd x = features.cast<double>();
  x.colwise() -= mean;
  x.array().colwise() /= scale.array();
  return x;
}

}  // namespace

LogisticModel fit_logistic(const Eigen::MatrixXf& features, std::span<const int> labels, int classes,
                           const LogisticOptions& options) {
  const Eigen::Index d = features.rows(), n = features.cols();
  if (n == 0) throw InvalidArgument("probe: no position to fit the probe on");
  if (static_cast<std::size_t>(n) != labels.size())
    throw InvalidArgument("probe: " + std::to_string(labels.size()) + " labels for " + std::to_string(n) + " positions");
  if (classes < 1) throw InvalidArgument("probe: a probe needs at least one class");
  for (int y : labels)
    if (y < 0 || y >= classes)
      throw InvalidArgument("probe: label " + std::to_string(y) + " outside 0.." + std::to_string(classes - 1));
  LogisticModel model;
  model.mean = features.cast<double>().rowwise().mean();
  model.scale = Eigen::VectorXd::Ones(d);
  for (Eigen::Index r = 0; r < d; ++r) {
    const double var = (features.row(r).cast<double>().array() - model.mean(r)).square().mean();
    if (var > 1e-16) model.scale(r) = std::sqrt(var);
  }
  const Eigen::MatrixXd x = standardise(features, model.mean, model.scale);
  const Objective f(x, labels, classes, options.l2);

  // L-BFGS (Nocedal and Wright, Algorithm 7.4), backtracking Armijo line search.
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(f.size()), g, g_new, trial;
  double loss = f(theta, g);
  std::deque<Eigen::VectorXd> s_hist, y_hist;
  std::deque<double> rho;
  int it = 0;
  for (; it < options.max_iterations; ++it) {
    if (g.lpNorm<Eigen::Infinity>() <= options.tolerance) break;
    // Two-loop recursion: direction = -H g.
    Eigen::VectorXd q = g;
    std::vector<double> alpha(s_hist.size());
    for (std::size_t j = s_hist.size(); j-- > 0;) {
      alpha[j] = rho[j] * s_hist[j].dot(q);
      q -= alpha[j] * y_hist[j];
    }
    if (!s_hist.empty()) q *= s_hist.back().dot(y_hist.back()) / y_hist.back().squaredNorm();
    for (std::size_t j = 0; j < s_hist.size(); ++j) q += s_hist[j] * (alpha[j] - rho[j] * y_hist[j].dot(q));
    Eigen::VectorXd dir = -q;
    if (s_hist.empty()) dir /= std::max(1.0, g.norm());  // a first step of length at most 1
    double slope = g.dot(dir);
    if (!(slope < 0)) {  // not a descent direction (rounding): start again from steepest descent
      s_hist.clear(), y_hist.clear(), rho.clear();
      dir = -g / std::max(1.0, g.norm());
      slope = g.dot(dir);
    }
    double step = 1, trial_loss = 0;
    bool accepted = false;
    for (int k = 0; k < 60; ++k, step *= 0.5) {
      trial = theta + step * dir;
      trial_loss = f(trial, g_new);
      if (trial_loss <= loss + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
    }
    if (!accepted) {
      if (s_hist.empty()) break;  // no decrease even along steepest descent: as far as doubles go
      s_hist.clear(), y_hist.clear(), rho.clear();
      continue;
    }
    Eigen::VectorXd s = trial - theta, y = g_new - g;
    const double sy = s.dot(y);
    theta.swap(trial);
    g.swap(g_new);
    loss = trial_loss;
    if (sy > 1e-12 * y.squaredNorm()) {
      if (static_cast<int>(s_hist.size()) == std::max(options.history, 1)) {
        s_hist.pop_front(), y_hist.pop_front(), rho.pop_front();
      }
      s_hist.push_back(std::move(s));
      y_hist.push_back(std::move(y));
      rho.push_back(1 / sy);
    }
  }
  model.weight = Eigen::Map<const Eigen::MatrixXd>(theta.data(), classes, d);
  model.bias = theta.tail(classes);
  model.loss = loss;
  model.gradient_norm = g.lpNorm<Eigen::Infinity>();
  model.iterations = it;
  model.converged = model.gradient_norm <= options.tolerance;
  return model;
}

std::vector<int> predict(const LogisticModel& model, const Eigen::MatrixXf& features) {
  Eigen::MatrixXd z = model.weight * standardise(features, model.mean, model.scale);
  z.colwise() += model.bias;
  std::vector<int> out(static_cast<std::size_t>(z.cols()));
  for (Eigen::Index i = 0; i < z.cols(); ++i) {
    Eigen::Index best = 0;
    z.col(i).maxCoeff(&best);
    out[static_cast<std::size_t>(i)] = static_cast<int>(best);
  }
  return out;
}

// ---- the probe --------------------------------------------------------------------------------

ProbeTarget parse_probe_target(std::string_view text) {
  if (text == "state") return ProbeTarget::state;
  if (text == "stack-depth") return ProbeTarget::stack_depth;
  if (text == "counter") return ProbeTarget::counter;
  throw InvalidArgument("--target '" + std::string(text) + "': expected state, stack-depth or counter");
}

std::string_view to_string(ProbeTarget target) {
  switch (target) {
    case ProbeTarget::state: return "state";
    case ProbeTarget::stack_depth: return "stack-depth";
    case ProbeTarget::counter: return "counter";
  }
  return "";
}

std::vector<std::size_t> probe_components(const languages::Language& language, ProbeTarget target) {
  const auto& names = language.state_names();
  if (names.empty())
    throw InvalidArgument("probe: " + language.name() + " has no per-position state (its ground truth is a " +
                          std::string(languages::to_string(language.ground_truth().engine)) +
                          ", not a DFA, PDA or counter machine): there is nothing for a state probe to decode");
  std::vector<std::size_t> out;
  if (target == ProbeTarget::state) {
    for (std::size_t i = 0; i < names.size(); ++i) out.push_back(i);
  } else if (target == ProbeTarget::stack_depth) {
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == "depth") out.push_back(i);
    if (out.empty())
      throw InvalidArgument("probe --target stack-depth: " + language.name() + " has no stack depth (its state is " +
                            automata::join(names) + ")");
  } else {
    if (!language.counter_machine())
      throw InvalidArgument("probe --target counter: " + language.name() + " has no counter machine (its state is " +
                            automata::join(names) + ")");
    for (std::size_t i = 0; i < names.size(); ++i) out.push_back(i);
  }
  return out;
}

namespace {

// Words of every length of the range, `count` per length, alternating uniform positives, uniform
// words and near misses; word i of the set drawn from splitmix64(seed + i) alone.
std::vector<Word> probe_words(const languages::Language& language, languages::LengthRange lengths, std::size_t count,
                              std::uint64_t seed) {
  constexpr WordKind kKinds[] = {WordKind::positive, WordKind::uniform, WordKind::near_miss};
  std::vector<Word> words;
  for (std::size_t n = std::max<std::size_t>(lengths.min, 1); n <= lengths.max; ++n)
    for (std::size_t j = 0; j < count; ++j) {
      const std::size_t i = words.size();
      Word w = draw_word(language, kKinds[i % 3], n, n, splitmix64(seed + i));
      if (w.empty()) w = draw_word(language, WordKind::uniform, n, n, splitmix64(seed + i));
      words.push_back(std::move(w));
    }
  return words;
}

// The hidden states at every position of every word, side by side: (L*H, Σ|w|), word by word.
Eigen::MatrixXf states_of(const models::ModelConfig& config, const models::ModelParams<float>& params,
                          std::span<const models::Token> tokens, const std::vector<Word>& words,
                          const models::KvBound* kv) {
  std::vector<Eigen::Index> offset(words.size() + 1, 0);
  for (std::size_t i = 0; i < words.size(); ++i) offset[i + 1] = offset[i] + static_cast<Eigen::Index>(words[i].size());
  Eigen::MatrixXf out(static_cast<Eigen::Index>(config.num_layers) * config.hidden_size, offset.back());
  constexpr std::size_t kChunk = 64;
  const std::size_t chunks = (words.size() + kChunk - 1) / kChunk;
  tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t c) {
    const std::size_t b = c * kChunk, e = std::min(words.size(), b + kChunk);
    std::vector<models::Sequence> seqs;
    for (std::size_t i = b; i < e; ++i) {
      models::Sequence s;
      for (Symbol a : words[i]) s.push_back(tokens[a]);
      seqs.push_back(std::move(s));
    }
    auto h = models::hidden_states(config, params, seqs, kv);
    for (std::size_t i = b; i < e; ++i) out.middleCols(offset[i], h[i - b].cols()) = h[i - b];
  });
  return out;
}

// Each position's state of each layer layer-normalised: x := (x - mean) / sqrt(mean((x - mean)²) + 1e-5).
void layer_normalise(Eigen::MatrixXf& states, int layers, int width) {
  for (int l = 0; l < layers; ++l) {
    auto block = states.middleRows(static_cast<Eigen::Index>(l) * width, width);
    block.rowwise() -= block.colwise().mean();
    const Eigen::RowVectorXf rms =
        ((block.array().square().colwise().sum() / static_cast<float>(width)) + 1e-5f).sqrt();
    block.array().rowwise() /= rms.array();
  }
}

// The selected state components at every position (after t + 1 symbols) of every word.
std::vector<std::vector<std::int64_t>> states_at_positions(const languages::Language& language,
                                                           const std::vector<std::size_t>& components,
                                                           const std::vector<Word>& words) {
  std::vector<std::vector<std::int64_t>> out;
  for (const Word& w : words) {
    const auto targets = language.targets(w);
    for (std::size_t t = 1; t < targets.size(); ++t) {
      std::vector<std::int64_t> key;
      for (std::size_t c : components) key.push_back(targets[t].state[c]);
      out.push_back(std::move(key));
    }
  }
  return out;
}

std::vector<std::size_t> positions_of(const std::vector<Word>& words) {
  std::vector<std::size_t> out;
  for (const Word& w : words)
    for (std::size_t t = 0; t < w.size(); ++t) out.push_back(t);
  return out;
}

struct Split {
  Eigen::MatrixXf train, test;  // one layer's states (H, positions)
};

ProbeCurve score(const LogisticModel& fit, const Split& states, std::span<const int> train_labels,
                 std::span<const int> test_labels, const std::vector<std::size_t>& test_positions,
                 std::size_t longest, double threshold) {
  ProbeCurve curve;
  curve.converged = fit.converged;
  curve.iterations = fit.iterations;
  curve.gradient_norm = fit.gradient_norm;
  const auto train_pred = predict(fit, states.train);
  std::size_t right = 0;
  for (std::size_t i = 0; i < train_pred.size(); ++i) right += train_pred[i] == train_labels[i];
  curve.train_accuracy = static_cast<double>(right) / static_cast<double>(std::max<std::size_t>(train_pred.size(), 1));
  const auto pred = predict(fit, states.test);
  std::vector<std::size_t> ok(longest, 0);
  curve.tested.assign(longest, 0);
  right = 0;
  for (std::size_t i = 0; i < pred.size(); ++i) {
    ++curve.tested[test_positions[i]];
    const bool r = pred[i] == test_labels[i];
    ok[test_positions[i]] += r;
    right += r;
  }
  curve.test_accuracy = static_cast<double>(right) / static_cast<double>(std::max<std::size_t>(pred.size(), 1));
  curve.accuracy.assign(longest, 0);
  for (std::size_t t = 0; t < longest; ++t) {
    if (curve.tested[t] == 0) continue;
    curve.accuracy[t] = static_cast<double>(ok[t]) / static_cast<double>(curve.tested[t]);
    if (!curve.retention_end && curve.accuracy[t] < threshold) curve.retention_end = t;
  }
  return curve;
}

void check_range(languages::LengthRange r, const char* what) {
  if (r.max < 1 || r.max < r.min)
    throw InvalidArgument(std::string("probe: the ") + what + " " + std::to_string(r.min) + ".." +
                          std::to_string(r.max) + " hold no non-empty word (a probe reads positions)");
}

}  // namespace

ProbeResult probe(const models::ModelConfig& config, const models::ModelParams<float>& params,
                  std::span<const models::Token> tokens, const languages::Language& language,
                  const ProbeOptions& options) {
  (void)probe_components(language, options.target);  // a language without that state: refused first
  if (tokens.size() != language.alphabet().size())
    throw InvalidArgument("probe: " + std::to_string(tokens.size()) + " tokens for the " +
                          std::to_string(language.alphabet().size()) + " symbols of " + language.name());
  ProbeStates states;
  states.layers = config.num_layers;
  states.width = config.hidden_size;
  states.layer_norm = models::has_final_norm(config.cell);
  const models::KvBound* kv = options.kv ? &*options.kv : nullptr;
  if (kv) models::validate(config, *kv);
  states.states = [&](const std::vector<Word>& words) { return states_of(config, params, tokens, words, kv); };
  // The control network: the same config, weights from the seed, built only when asked.
  std::optional<models::ModelParams<float>> random_params;
  states.random_init = [&](const std::vector<Word>& words) {
    if (!random_params) random_params = models::init_params(config, options.seed);
    return states_of(config, *random_params, tokens, words, kv);
  };
  return probe(states, language, options);
}

ProbeStates trajectory_states(std::function<std::vector<Trajectory>(std::span<const Word>)> trajectories,
                              std::size_t state_dim, std::size_t batch) {
  ProbeStates out;
  out.width = static_cast<int>(state_dim);
  batch = std::max<std::size_t>(batch, 1);
  out.states = [trajectories = std::move(trajectories), state_dim, batch](const std::vector<Word>& words) {
    std::vector<Eigen::Index> offset(words.size() + 1, 0);
    for (std::size_t i = 0; i < words.size(); ++i) offset[i + 1] = offset[i] + static_cast<Eigen::Index>(words[i].size());
    Eigen::MatrixXf m(static_cast<Eigen::Index>(state_dim), offset.back());
    const std::size_t chunks = (words.size() + batch - 1) / batch;
    tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t c) {
      const std::size_t b = c * batch, e = std::min(words.size(), b + batch);
      const auto t = trajectories(std::span<const Word>(words).subspan(b, e - b));
      for (std::size_t i = b; i < e; ++i) {
        const Trajectory& x = t.at(i - b);
        const auto n = static_cast<Eigen::Index>(words[i].size());
        if (x.rows() != static_cast<Eigen::Index>(state_dim) || x.cols() != n + 1)
          throw InvalidArgument("probe: the states of a word of " + std::to_string(n) + " symbols have shape (" +
                                std::to_string(x.rows()) + ", " + std::to_string(x.cols()) + "), expected (" +
                                std::to_string(state_dim) + ", " + std::to_string(n + 1) + ")");
        m.middleCols(offset[i], n) = x.rightCols(n);
      }
    });
    return m;
  };
  return out;
}

ProbeResult probe(const ProbeStates& states, const languages::Language& language, const ProbeOptions& options) {
  const std::vector<std::size_t> components = probe_components(language, options.target);
  check_range(options.train_lengths, "training lengths");
  check_range(options.test_lengths, "test lengths");
  check_length(options.test_lengths.max, options.length_limit, "probe: the longest test length", "--length-limit");
  check_length(options.train_lengths.max, options.length_limit, "probe: the longest training length", "--length-limit");
  if (options.train_words == 0 || options.test_words == 0)
    throw InvalidArgument("probe: words per length must be at least 1");
  if (states.width < 1 || states.layers < 1 || !states.states)
    throw InvalidArgument("probe: the network has no hidden state to probe");
  const int layers = states.layers, hidden = states.width;
  if (options.layer && (*options.layer < 0 || *options.layer >= layers))
    throw InvalidArgument("--layer " + std::to_string(*options.layer) + ": the model has " + std::to_string(layers) +
                          " layer" + (layers == 1 ? "" : "s") + " (0.." + std::to_string(layers - 1) + ")");
  // Up front: the positions at most (near misses add up to 3 symbols), their states in memory.
  auto most_positions = [](languages::LengthRange r, std::size_t count) {
    std::uint64_t p = 0;
    for (std::size_t n = std::max<std::size_t>(r.min, 1); n <= r.max; ++n) p += count * (n + 3);
    return p;
  };
  const std::uint64_t most = most_positions(options.train_lengths, options.train_words) +
                             most_positions(options.test_lengths, options.test_words);
  check_memory(options.memory,
               most * static_cast<std::uint64_t>(layers) * static_cast<std::uint64_t>(hidden) * (2 * sizeof(float)) +
                   most * (2 * sizeof(double) * static_cast<std::uint64_t>(hidden) + 64),
               "probe: the hidden states of " + std::to_string(most) + " positions");

  const std::vector<Word> train_words = probe_words(language, options.train_lengths, options.train_words, options.seed);
  const std::vector<Word> test_words =
      probe_words(language, options.test_lengths, options.test_words, splitmix64(options.seed ^ 0x7465737477ULL));
  const auto train_keys = states_at_positions(language, components, train_words);
  const auto test_keys = states_at_positions(language, components, test_words);
  std::map<std::vector<std::int64_t>, int> class_of;
  std::vector<int> train_labels, test_labels;
  for (const auto& k : train_keys) train_labels.push_back(class_of.try_emplace(k, static_cast<int>(class_of.size())).first->second);
  ProbeResult result;
  result.language = language.name();
  result.target = std::string(to_string(options.target));
  for (std::size_t c : components) result.components.push_back(language.state_names()[c]);
  result.classes = class_of.size();
  result.threshold = options.threshold;
  for (const auto& k : test_keys) {
    const auto it = class_of.find(k);
    test_labels.push_back(it == class_of.end() ? -1 : it->second);
    result.unseen_test_positions += it == class_of.end();
  }
  result.train_positions = train_labels.size();
  result.test_positions = test_labels.size();
  const std::uint64_t work = static_cast<std::uint64_t>(train_labels.size()) * static_cast<std::uint64_t>(hidden) *
                             static_cast<std::uint64_t>(result.classes);
  if (work > options.max_work)
    throw LimitExceeded("probe: a fit would take " + std::to_string(train_labels.size()) + " positions x " +
                        std::to_string(hidden) + " features x " + std::to_string(result.classes) + " states = " +
                        std::to_string(work) + ", past the limit of " + std::to_string(options.max_work) + " (raise " +
                        std::string(options.work_option) + ", or give fewer training lengths or words)");

  const std::vector<int> chosen = [&] {
    std::vector<int> l;
    if (options.layer) return std::vector<int>{*options.layer};
    for (int i = 0; i < layers; ++i) l.push_back(i);
    return l;
  }();
  const std::uint64_t steps = 2 + 3 * chosen.size();
  std::uint64_t done = 0;
  report(options.progress, done, steps);
  result.random_init_seed = options.seed;
  const bool norm = result.layer_norm = options.layer_norm.value_or(states.layer_norm);
  auto states_for = [&](const auto& fn, const std::vector<Word>& words) {
    Eigen::MatrixXf m = fn(words);
    std::size_t positions = 0;
    for (const Word& w : words) positions += w.size();
    if (m.rows() != static_cast<Eigen::Index>(layers) * hidden || m.cols() != static_cast<Eigen::Index>(positions))
      throw InvalidArgument("probe: the network gave states (" + std::to_string(m.rows()) + ", " +
                            std::to_string(m.cols()) + ") for " + std::to_string(positions) + " positions, expected (" +
                            std::to_string(layers * hidden) + ", " + std::to_string(positions) + ")");
    if (norm) layer_normalise(m, layers, hidden);
    return m;
  };
  const Eigen::MatrixXf train_states = states_for(states.states, train_words);
  const Eigen::MatrixXf test_states = states_for(states.states, test_words);
  report(options.progress, ++done, steps);
  const bool control = static_cast<bool>(states.random_init);
  const Eigen::MatrixXf random_train = control ? states_for(states.random_init, train_words) : Eigen::MatrixXf();
  const Eigen::MatrixXf random_test = control ? states_for(states.random_init, test_words) : Eigen::MatrixXf();
  report(options.progress, ++done, steps);

  const std::vector<std::size_t> test_positions = positions_of(test_words);
  const std::size_t longest = options.test_lengths.max;
  // Chance: the most frequent training state.
  std::vector<std::size_t> freq(result.classes, 0);
  for (int y : train_labels) ++freq[static_cast<std::size_t>(y)];
  const int majority = static_cast<int>(std::max_element(freq.begin(), freq.end()) - freq.begin());
  {
    std::vector<std::size_t> ok(longest, 0), n(longest, 0);
    for (std::size_t i = 0; i < test_labels.size(); ++i) {
      ++n[test_positions[i]];
      ok[test_positions[i]] += test_labels[i] == majority;
    }
    for (std::size_t t = 0; t < longest; ++t)
      result.majority.push_back(n[t] ? static_cast<double>(ok[t]) / static_cast<double>(n[t]) : 0);
  }
  // Shuffled labels: the training labels and the test labels each permuted (Fisher-Yates from
  // the seed), so that no label says anything about its position's state.
  auto shuffle = [](std::vector<int> labels, std::uint64_t seed) {
    auto rng = make_rng(seed);
    for (std::size_t i = labels.size(); i > 1; --i) std::swap(labels[i - 1], labels[uniform_below(rng, i)]);
    return labels;
  };
  const std::vector<int> shuffled = shuffle(train_labels, splitmix64(options.seed ^ 0x73687566ULL));
  const std::vector<int> shuffled_test = shuffle(test_labels, splitmix64(options.seed ^ 0x74657374ULL));
  const int classes = static_cast<int>(result.classes);
  for (int l : chosen) {
    const Eigen::Index r0 = static_cast<Eigen::Index>(l) * hidden;
    const Split model{train_states.middleRows(r0, hidden), test_states.middleRows(r0, hidden)};
    LayerProbe lp;
    lp.layer = l;
    lp.model = score(fit_logistic(model.train, train_labels, classes, options.optimiser), model, train_labels, test_labels,
                     test_positions, longest, options.threshold);
    report(options.progress, ++done, steps);
    if (control) {
      const Split random{random_train.middleRows(r0, hidden), random_test.middleRows(r0, hidden)};
      lp.random_init = score(fit_logistic(random.train, train_labels, classes, options.optimiser), random,
                             train_labels, test_labels, test_positions, longest, options.threshold);
    }
    report(options.progress, ++done, steps);
    lp.shuffled = score(fit_logistic(model.train, shuffled, classes, options.optimiser), model, shuffled, shuffled_test,
                        test_positions, longest, options.threshold);
    report(options.progress, ++done, steps);
    result.layers.push_back(std::move(lp));
  }
  return result;
}

ProbeResult probe(const LoadedModel& model, const languages::Language& language, const ProbeOptions& options) {
  (void)probe_components(language, options.target);  // a language without that state: refused first
  const std::vector<models::Token> tokens = tokens_by_name(model, language.alphabet());
  if (model.kv && !options.kv) {
    ProbeOptions bounded = options;
    bounded.kv = model.kv;
    return probe(model.config, model.params, tokens, language, bounded);
  }
  return probe(model.config, model.params, tokens, language, options);
}

std::optional<languages::LengthRange> recorded_training_lengths(const LoadedModel& model) {
  const auto it = model.metadata.find(std::string(kTrainingKey));
  if (it == model.metadata.end()) return std::nullopt;
  RunSpec spec;
  try {
    spec = spec_from_json(it->second);
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(model.path + ": its recorded training options are malformed: " + e.what());
  }
  return languages::parse_length_range(spec.train_lengths, model.path + ": the recorded train-lengths");
}

void plot_probe(const ProbeResult& result, const std::filesystem::path& path) {
  const std::string format = plot_format(path);
  write_file(path, run_gnuplot(probe_plot_script(result, format)));
}

namespace {

nlohmann::ordered_json curve_json(const ProbeCurve& c) {
  nlohmann::ordered_json j{{"train_accuracy", c.train_accuracy},
                           {"test_accuracy", c.test_accuracy},
                           {"retention_end", c.retention_end ? nlohmann::ordered_json(*c.retention_end) : nullptr},
                           {"converged", c.converged},
                           {"iterations", c.iterations},
                           {"gradient_norm", c.gradient_norm},
                           {"accuracy_by_position", c.accuracy},
                           {"tested_by_position", c.tested}};
  return j;
}

}  // namespace

std::string to_json(const ProbeResult& r) {
  nlohmann::ordered_json layers = nlohmann::ordered_json::array();
  for (const auto& l : r.layers)
    layers.push_back({{"layer", l.layer},
                      {"model", curve_json(l.model)},
                      {"random_init", l.random_init ? curve_json(*l.random_init) : nlohmann::ordered_json(nullptr)},
                      {"shuffled_labels", curve_json(l.shuffled)}});
  nlohmann::ordered_json j{{"language", r.language},
                           {"target", r.target},
                           {"components", r.components},
                           {"classes", r.classes},
                           {"train_positions", r.train_positions},
                           {"test_positions", r.test_positions},
                           {"unseen_test_positions", r.unseen_test_positions},
                           {"threshold", r.threshold},
                           {"random_init_seed", r.random_init_seed},
                           {"layer_norm", r.layer_norm},
                           {"majority_by_position", r.majority},
                           {"layers", layers}};
  return j.dump();
}

std::string probe_plot_script(const ProbeResult& r, std::string_view format) {
  const std::size_t panels = std::max<std::size_t>(r.layers.size(), 1);
  const int width = 960, height = 360 * static_cast<int>(panels);
  std::string s = format == "svg" ? "set terminal svg size " : "set terminal pngcairo size ";
  s += std::to_string(width) + "," + std::to_string(height) + " font 'sans,10'\nset output\n";
  s += "set multiplot layout " + std::to_string(panels) + ",1\n";
  s += "set yrange [0:1.05]\nset key outside right top vertical Left reverse\nset grid\nset xlabel 'position (state after position + 1 symbols)'\n"
       "set ylabel 'probe accuracy'\n";
  auto series = [&](const std::vector<double>& y, const std::vector<std::size_t>* tested) {
    std::string d;
    for (std::size_t t = 0; t < y.size(); ++t)
      if (!tested || (*tested)[t] > 0) d += std::to_string(t) + " " + std::to_string(y[t]) + "\n";
    return d + "e\n";
  };
  const std::size_t last = std::max<std::size_t>(r.majority.size(), 2) - 1;
  s += "set xrange [0:" + std::to_string(last) + "]\n";
  if (last <= 20) s += "set xtics 1\n";  // positions are whole: gnuplot would tick 0.5 steps on a short range
  for (const auto& l : r.layers) {
    s += "set title \"" + r.language + ": linear probe of the " + r.target + " (" + std::to_string(r.classes) +
         " classes), layer " + std::to_string(l.layer) + "\"\n";
    s += "set arrow from graph 0, first " + std::to_string(r.threshold) + " to graph 1, first " +
         std::to_string(r.threshold) + " nohead dt 3 lc rgb 'gray'\n";
    s += std::string("plot '-' with lines lw 2 lc rgb '#1f77b4' title 'trained network', ") +
         (l.random_init ? "'-' with lines lw 2 lc rgb '#ff7f0e' title 'random-init network', " : "") +
         "'-' with lines lw 2 lc rgb '#2ca02c' title 'shuffled labels', "
         "'-' with lines dt 2 lc rgb 'black' title 'majority state (chance)'\n";
    s += series(l.model.accuracy, &l.model.tested) +
         (l.random_init ? series(l.random_init->accuracy, &l.random_init->tested) : std::string()) +
         series(l.shuffled.accuracy, &l.shuffled.tested) + series(r.majority, &l.model.tested);
    s += "unset arrow\n";
  }
  return s + "unset multiplot\n";
}

}  // namespace statelab::bridge
