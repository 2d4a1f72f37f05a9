#include "bridge/cluster.h"

#include <tbb/parallel_for.h>

#include <atomic>
#include <chrono>
#include <limits>

#include "automata/minimize.h"
#include "base/error.h"
#include "base/random.h"

namespace statelab::bridge {

using automata::Dfa;
using automata::State;

ClusterResult cluster_extract(const Recognizer& network, const ClusterOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  if (network.state_dim() == 0)
    throw InvalidArgument("extract --method cluster: the recognizer exposes no hidden state (clustering needs a network)");
  if (options.clusters == 0) throw InvalidArgument("extract --method cluster: --clusters must be at least 1");
  if (options.words == 0) throw InvalidArgument("extract --method cluster: the number of sampled words must be at least 1");
  const std::size_t k = network.alphabet().size();
  if (options.clusters > kMaxClusterVoteBytes / sizeof(std::size_t) / std::max<std::size_t>(k, 1) / options.clusters)
    throw LimitExceeded("extract --method cluster: --clusters " + std::to_string(options.clusters) + " over " +
                        std::to_string(k) + " symbols needs more than " + std::to_string(kMaxClusterVoteBytes >> 20) +
                        " MiB of transition votes (clusters x symbols x clusters); use fewer clusters");
  const std::uint64_t steps = options.words + std::max<std::size_t>(options.iterations, 1);
  std::atomic<std::uint64_t> run{0};
  auto rng = make_rng(options.seed);
  std::vector<Word> words(options.words);
  for (Word& w : words) {
    w.resize(uniform_below(rng, options.max_length + 1));
    for (Symbol& s : w) s = static_cast<Symbol>(uniform_below(rng, k));
  }
  // Points: every column of every trajectory, with the decision on its prefix.
  std::vector<Trajectory> traj(words.size());
  tbb::parallel_for(std::size_t{0}, (words.size() + 63) / 64, [&](std::size_t c) {
    const std::size_t b = c * 64, e = std::min(words.size(), b + 64);
    auto part = network.trajectories(std::span<const Word>(words).subspan(b, e - b));
    for (std::size_t i = b; i < e; ++i) traj[i] = std::move(part[i - b]);
    statelab::report(options.progress, run += e - b, steps);
  });
  const auto d = static_cast<Eigen::Index>(network.state_dim());
  std::size_t total = 0;
  for (const auto& t : traj) total += static_cast<std::size_t>(t.cols());
  Eigen::MatrixXf points(d, static_cast<Eigen::Index>(total));
  std::vector<bool> accept(total);
  std::vector<std::size_t> first(words.size());  // column of each word's initial state
  const auto readout = network.readout();
  std::vector<Word> prefixes;
  for (std::size_t i = 0, col = 0; i < words.size(); ++i) {
    first[i] = col;
    for (Eigen::Index t = 0; t < traj[i].cols(); ++t, ++col) {
      points.col(static_cast<Eigen::Index>(col)) = traj[i].col(t);
      if (readout) {
        accept[col] = readout->weight.dot(traj[i].col(t)) + readout->bias > 0;
      } else {
        prefixes.emplace_back(words[i].begin(), words[i].begin() + t);
      }
    }
  }
  if (!readout) {
    const auto a = accepts_all(network, prefixes);
    for (std::size_t i = 0; i < a.size(); ++i) accept[i] = a[i];
  }
  // k-means++ seeding.
  const std::size_t n = total;
  std::vector<Eigen::Index> centre_ids{static_cast<Eigen::Index>(uniform_below(rng, n))};
  std::vector<float> dist(n, std::numeric_limits<float>::infinity());
  while (centre_ids.size() < options.clusters) {
    const auto c = points.col(centre_ids.back());
    double sum = 0;
    for (std::size_t p = 0; p < n; ++p) {
      dist[p] = std::min(dist[p], (points.col(static_cast<Eigen::Index>(p)) - c).squaredNorm());
      sum += dist[p];
    }
    if (sum <= 0) break;  // every point is already a centre
    double pick = uniform_unit(rng) * sum;
    std::size_t chosen = n - 1;
    for (std::size_t p = 0; p < n; ++p) {
      pick -= dist[p];
      if (pick < 0 && dist[p] > 0) {
        chosen = p;
        break;
      }
    }
    centre_ids.push_back(static_cast<Eigen::Index>(chosen));
  }
  const std::size_t kc = centre_ids.size();
  Eigen::MatrixXf centres(d, static_cast<Eigen::Index>(kc));
  for (std::size_t c = 0; c < kc; ++c) centres.col(static_cast<Eigen::Index>(c)) = points.col(centre_ids[c]);
  std::vector<std::uint32_t> assign(n, 0);
  ClusterResult result;
  for (std::size_t it = 0; it < std::max<std::size_t>(options.iterations, 1); ++it) {
    std::atomic<bool> changed = it == 0;
    tbb::parallel_for(std::size_t{0}, n, [&](std::size_t p) {
      Eigen::Index best = 0;
      (centres.colwise() - points.col(static_cast<Eigen::Index>(p))).colwise().squaredNorm().minCoeff(&best);
      if (assign[p] != static_cast<std::uint32_t>(best)) {
        assign[p] = static_cast<std::uint32_t>(best);
        changed.store(true, std::memory_order_relaxed);
      }
    });
    result.iterations = it + 1;
    statelab::report(options.progress, options.words + it + 1, steps);
    if (!changed) break;
    Eigen::MatrixXf sums = Eigen::MatrixXf::Zero(d, static_cast<Eigen::Index>(kc));
    std::vector<std::size_t> counts(kc);
    for (std::size_t p = 0; p < n; ++p) {
      sums.col(assign[p]) += points.col(static_cast<Eigen::Index>(p));
      ++counts[assign[p]];
    }
    for (std::size_t c = 0; c < kc; ++c)
      if (counts[c]) centres.col(static_cast<Eigen::Index>(c)) = sums.col(static_cast<Eigen::Index>(c)) / counts[c];
  }
  // The automaton: majority votes over the observed transitions and decisions.
  std::vector<std::size_t> votes(kc * k * kc), acc(kc), seen(kc);
  for (std::size_t i = 0; i < words.size(); ++i)
    for (std::size_t t = 0; t < words[i].size(); ++t)
      ++votes[(assign[first[i] + t] * k + words[i][t]) * kc + assign[first[i] + t + 1]];
  for (std::size_t p = 0; p < n; ++p) {
    ++seen[assign[p]];
    acc[assign[p]] += accept[p];
  }
  Dfa dfa(network.alphabet(), kc);
  for (std::size_t c = 0; c < kc; ++c) {
    dfa.set_accepting(static_cast<State>(c), 2 * acc[c] > seen[c]);
    for (std::size_t a = 0; a < k; ++a) {
      const auto* v = &votes[(c * k + a) * kc];
      const auto best = std::max_element(v, v + kc) - v;
      if (v[best] == 0) {
        ++result.unseen_transitions;
        dfa.set_next(static_cast<State>(c), static_cast<Symbol>(a), static_cast<State>(c));
      } else {
        dfa.set_next(static_cast<State>(c), static_cast<Symbol>(a), static_cast<State>(best));
      }
    }
  }
  dfa.set_initial(assign[first[0]]);
  result.dfa = automata::minimize(dfa);
  result.clusters = kc;
  result.points = n;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace statelab::bridge
