// Extraction by clustering hidden states (Omlin and Giles, 1996): run the network on sampled
// words, cluster every hidden state it visits with k-means, read a DFA off the clusters
// (transitions and acceptance by majority vote), then minimise it.  Unlike L* it asks no
// equivalence query: what it returns is only as good as the sample and the clustering.
#pragma once

#include <cstdint>

#include "automata/dfa.h"
#include "automata/limits.h"
#include "bridge/recognizer.h"

namespace statelab::bridge {

struct ClusterOptions {
  std::size_t clusters = 16;    // k of k-means (fewer when fewer distinct states are seen)
  std::size_t words = 1000;     // sampled words, uniform, lengths uniform in 0..max_length
  std::size_t max_length = 20;
  std::size_t iterations = 100;  // Lloyd iterations at most
  std::uint64_t seed = 0;
  ProgressFn progress;           // (words run + Lloyd iterations done, words + iterations)
};

/// The transition votes a clustering holds (clusters x symbols x clusters counters) are bounded by
/// this many bytes, checked before any work.
inline constexpr std::size_t kMaxClusterVoteBytes = std::size_t{1} << 30;

struct ClusterResult {
  automata::Dfa dfa;              // minimised, canonical numbering
  std::size_t clusters = 0;       // clusters actually used
  std::size_t points = 0;         // hidden states clustered (every prefix of every word)
  std::size_t unseen_transitions = 0;  // (cluster, symbol) pairs never observed: self-loops
  std::size_t iterations = 0;     // Lloyd iterations run
  double seconds = 0;
};

/// The method above.  Words are drawn from make_rng(seed); k-means++ seeding from the same seed;
/// assignment runs in parallel (each point independently), means are summed in point order, so
/// the result depends on the seed only.  A state's acceptance is the network's decision on the
/// prefix that reached it (its affine read-out when it has one, else its score of the prefix);
/// a cluster accepts when most of its states do (ties reject).  A (cluster, symbol) pair never
/// observed loops on the cluster.  The initial state is the cluster of the initial hidden state.
/// Time O(P k d I) for P points of dimension d, k clusters and I iterations, plus the network's runs.
/// Throws InvalidArgument when the recognizer exposes no hidden state or clusters = 0.
ClusterResult cluster_extract(const Recognizer& network, const ClusterOptions& options = {});

}  // namespace statelab::bridge
