// Linear state probes: does a network's hidden state hold the truth's state, linearly?  A probe
// is a multinomial logistic regression with L2 (fit_logistic, L-BFGS on Eigen, run until the
// gradient's largest entry is below a stated tolerance) from the hidden state after each prefix to
// the truth's state there (Language::targets: the minimal DFA's state -- a word problem's group
// element --, a PDA's stack depth, a counter machine's counters), fitted on the positions of words
// of the training lengths and scored by position out to the test lengths, one probe per layer.
// The state-retention curve is that accuracy by position; retention ends at the first position
// where it falls below a threshold.
//
// Controls (Hewitt and Liang 2019), fitted and scored the same way beside each layer's probe: the
// same probe on a randomly initialised network of the same architecture (same config, weights from
// a seed); the same probe on the trained network with shuffled labels (the training labels
// permuted, scored against the test labels permuted likewise: its test accuracy is chance, its
// training accuracy what the probe can memorise); and the majority class, chance's accuracy by
// position.  A high probe accuracy means something only when the controls are well below it.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "automata/limits.h"
#include "bridge/recognizer.h"
#include "languages/dataset.h"
#include "languages/language.h"
#include "models/model.h"

namespace statelab::bridge {

// ---- the optimiser ----------------------------------------------------------------------------

struct LogisticOptions {
  double l2 = 1e-3;          // λ: the loss is mean cross-entropy + λ/2 |W|² (the biases are free)
  double tolerance = 1e-5;   // converged when every entry of the gradient is at most this
  int max_iterations = 1000; // L-BFGS iterations at most (each one or a few evaluations)
  int history = 10;          // L-BFGS memory m
};

/// A fitted probe.  Features are standardised first (mean and scale of the training features; a
/// constant feature keeps scale 1), so the logits are weight * ((x - mean) / scale) + bias.
struct LogisticModel {
  Eigen::MatrixXd weight;  // (C, D)
  Eigen::VectorXd bias;    // (C)
  Eigen::VectorXd mean, scale;  // (D)
  double loss = 0;           // the regularised loss at the end
  double gradient_norm = 0;  // the largest entry of its gradient
  int iterations = 0;
  bool converged = false;    // gradient_norm <= tolerance
};

/// Fits a multinomial logistic regression from the columns of `features` (D, N) to `labels`
/// (N, each in 0..classes-1) by L-BFGS (two-loop recursion, backtracking Armijo line search) on
/// the mean cross-entropy plus λ/2 |W|²: a strictly convex problem in W, so the minimiser is
/// unique.  Stops when the gradient's largest entry is at most options.tolerance, or after
/// max_iterations (converged false).  Time O(iterations N D C).  Throws InvalidArgument when N is
/// 0, labels do not match N, a label is out of range or classes < 1.
LogisticModel fit_logistic(const Eigen::MatrixXf& features, std::span<const int> labels, int classes,
                           const LogisticOptions& options = {});

/// The class of largest logit for each column of `features` (D, N).  Time O(N D C).
std::vector<int> predict(const LogisticModel& model, const Eigen::MatrixXf& features);

// ---- the probe --------------------------------------------------------------------------------

/// What the probe decodes: the whole state of Language::targets (state_names: a DFA's state, a
/// PDA's depth, a counter machine's counters), the stack depth alone (the component "depth"), or
/// the counters alone (a language with a counter machine).
enum class ProbeTarget { state, stack_depth, counter };

/// "state", "stack-depth", "counter".  Throws InvalidArgument naming --target.
ProbeTarget parse_probe_target(std::string_view text);
std::string_view to_string(ProbeTarget target);

/// The largest positions x features x classes a fit may take unless ProbeOptions says otherwise
/// (each L-BFGS iteration costs a few times that in multiply-adds).
inline constexpr std::uint64_t kDefaultProbeWork = std::uint64_t{1} << 28;

struct ProbeOptions {
  std::optional<int> layer;  // 0-based; nothing: every layer, each probed on its own
  /// Each position's state of a layer layer-normalised (centred, divided by its RMS; no gain or
  /// bias) before the probe reads it: what the head of a transformer or state-space stack reads
  /// (its final LayerNorm), whose residual stream may grow by orders of magnitude along the word.
  /// Nothing: on for those families, off for recurrent stacks (bounded states, read as they are).
  std::optional<bool> layer_norm;
  ProbeTarget target = ProbeTarget::state;
  languages::LengthRange train_lengths{1, 20}, test_lengths{1, 40};
  std::size_t train_words = 32;  // words per training length
  std::size_t test_words = 16;   // words per test length
  double threshold = 0.99;       // retention ends at the first position below this accuracy
  std::uint64_t seed = 0;        // the words, the random-init network and the shuffle
  LogisticOptions optimiser;
  std::size_t length_limit = 1000;  // the longest training or test length (refused beyond, up front)
  std::uint64_t max_work = kDefaultProbeWork;
  std::string_view work_option = "the probe's work limit";  // named in LimitExceeded
  MemoryLimit memory;  // the hidden states kept (trained and random-init network)
  std::optional<models::KvBound> kv;  // a bounded transformer KV cache for both networks (models/kv_cache.h)
  ProgressFn progress;  // (steps done, steps): the words run, then each fit
};

/// One probe's accuracy by position (position t: the state after t + 1 symbols, as check numbers
/// positions).
struct ProbeCurve {
  std::vector<double> accuracy;     // by position 0..longest test length - 1
  std::vector<std::size_t> tested;  // positions scored there
  std::optional<std::size_t> retention_end;  // the first position below the threshold
  double train_accuracy = 0;        // on the positions it was fitted on
  double test_accuracy = 0;         // over every test position
  bool converged = false;
  int iterations = 0;
  double gradient_norm = 0;
};

struct LayerProbe {
  int layer = 0;
  ProbeCurve model, shuffled;
  std::optional<ProbeCurve> random_init;  // nothing when the states have no random-init network
};

struct ProbeResult {
  std::string language;
  std::string target;                     // to_string(ProbeTarget)
  std::vector<std::string> components;    // the state components decoded (Language::state_names)
  std::size_t classes = 0;                // distinct states among the training positions
  std::size_t train_positions = 0, test_positions = 0;
  std::size_t unseen_test_positions = 0;  // test positions whose state no training position had
  std::vector<double> majority;           // chance: the most frequent training state, by position
  double threshold = 0;
  std::uint64_t random_init_seed = 0;
  bool layer_norm = false;                // the states were layer-normalised (ProbeOptions)
  std::vector<LayerProbe> layers;
};

/// The state components `target` selects of `language`, by index into state_names.  Throws
/// InvalidArgument with one line naming the language when it has no per-position state at all (a
/// predicate or a grammar: Language::targets gives no state) or none of that kind.
std::vector<std::size_t> probe_components(const languages::Language& language, ProbeTarget target);

/// Probes the network (config, params; symbol s of the language is token tokens[s]) against
/// `language`: training words of each training length (options.train_words per length) and test
/// words of each test length (test_words per length), alternating uniform positives, uniform words
/// and near misses (check.h's draw_word, seeds from options.seed), their hidden states
/// (models::hidden_states), then per layer three fits (network, random-init network, shuffled
/// labels) scored by position.  Deterministic for a seed whatever the number of threads.  Bounds
/// checked before any network runs: positions x hidden size x classes <= options.max_work, the
/// hidden states within options.memory.  Throws InvalidArgument (no state, a layer out of range,
/// an empty length range), LimitExceeded.
ProbeResult probe(const models::ModelConfig& config, const models::ModelParams<float>& params,
                  std::span<const models::Token> tokens, const languages::Language& language,
                  const ProbeOptions& options = {});

/// The same for a checkpoint, its symbols mapped to the language's by name.
ProbeResult probe(const LoadedModel& model, const languages::Language& language, const ProbeOptions& options = {});

/// The hidden states a probe reads, from any network: for words, a matrix (layers x width,
/// sum of |w|) holding, word after word, the state after t + 1 symbols of each position t (layer
/// l in rows l*width .. (l+1)*width - 1).  random_init, when set, gives the states of the
/// random-init control the same way.  layer_norm: ProbeOptions::layer_norm's default.
struct ProbeStates {
  int layers = 1;
  int width = 0;
  std::function<Eigen::MatrixXf(const std::vector<Word>&)> states, random_init;
  bool layer_norm = false;
};

/// The states of a network given by its trajectories (Recognizer::trajectories: (state_dim,
/// |w| + 1), column 0 the initial state), asked `batch` words at a time from TBB threads: one
/// layer of width state_dim, no random-init control.  Keeps `trajectories`.
ProbeStates trajectory_states(std::function<std::vector<Trajectory>(std::span<const Word>)> trajectories,
                              std::size_t state_dim, std::size_t batch = 64);

/// The probe on any network's states: as above (the same words, fits, controls and bounds),
/// without the random-init control when `states` has none.  Throws InvalidArgument for states
/// of width 0 and as above.
ProbeResult probe(const ProbeStates& states, const languages::Language& language, const ProbeOptions& options = {});

/// The training lengths recorded in a statelab checkpoint's metadata ("statelab.training"), or
/// nothing (a PyTorch checkpoint, or one without them).  Throws InvalidArgument naming the file
/// when the recorded options are malformed.
std::optional<languages::LengthRange> recorded_training_lengths(const LoadedModel& model);

/// The result as JSON (every field above; curves as arrays by position).
std::string to_json(const ProbeResult& result);

/// The gnuplot script of the retention curves (accuracy by position of the network, random-init
/// and shuffled-label probes, chance dotted; one panel per layer), drawing `format` ("png" or
/// "svg") on standard output, data inline.
std::string probe_plot_script(const ProbeResult& result, std::string_view format);

/// probe_plot_script drawn by gnuplot (bridge/plot.h's run_gnuplot) and written whole to `path`
/// (.png or .svg).  Throws InvalidArgument for another extension, IoError as run_gnuplot.
void plot_probe(const ProbeResult& result, const std::filesystem::path& path);

}  // namespace statelab::bridge
