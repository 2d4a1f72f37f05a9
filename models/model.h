// A sequence model: token embedding -> L recurrent layers (RNN, LSTM or GRU) -> linear head ->
// loss (heads.h); or token embedding -> input projection Linear(E, H) (+ positions) -> L pre-LN
// transformer blocks (transformer.h) or L residual state-space blocks (s4d, mamba, ids4, deltanet, mlstm, slstm; ssm.h) ->
// final LayerNorm -> linear head -> loss.  Parameters and gradients are the same struct; the
// cache holds what backward needs and backward's workspace, so a training loop that reuses one
// cache per chunk allocates only when the batch shape grows.  A training step is five plain calls:
//
//   SequenceBatch batch = make_batch(config, examples);
//   model_forward(config, params, batch, cache);
//   loss = model_loss(config, batch, cache, 1.0f / loss_terms(config, batch));
//   set_zero(config, grads); model_backward(config, params, batch, cache, grads);
//   adamw_step(...)                                               (optim.h)
//
// Tensors are named as the equivalent PyTorch module names them (`embedding.weight`,
// `lstm.weight_ih_l0`, `lstm.bias_hh_l1`, `head.weight`, `head.bias`; for the transformer
// `input_proj.weight`, `positions.weight`, `transformer.layers.0.self_attn.in_proj_weight`, ...,
// `transformer.norm.weight`, as nn.TransformerEncoder names them; for the state-space ones
// `input_proj.weight`, `layers.0.mixer.A_log`, ..., `final_norm.weight`, as the reference modules
// of tools/make_torch_fixtures.py name them), see named_tensors.
#pragma once

#include <cstdint>
#include <functional>
#include <type_traits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/random.h"
#include "models/embedding.h"
#include "models/family.h"
#include "models/heads.h"
#include "models/kv_cache.h"
#include "models/layer_norm.h"
#include "models/linear.h"
#include "models/model_config.h"
#include "models/recurrent.h"
#include "models/ssm.h"
#include "models/tensor.h"
#include "models/transformer.h"

namespace statelab::models {

/// F: ffn_size, or 4 * hidden_size when it is 0.
int effective_ffn_size(const ModelConfig& config);

/// The positions the model reads after a word: 1 with an end marker (ModelConfig::end_marker),
/// else 0.  A batch's sequences are the words followed by them.
inline int positions_after_word(const ModelConfig& config) { return config.end_marker ? 1 : 0; }

/// What the attention heads of the transformer see (positional encoding, causality, windows).
AttentionSpec attention_spec(const ModelConfig& config);

/// Throws ModelError naming the first field out of range (sizes must be >= 1, recognize has
/// exactly one output, tag at least two classes, seq one per token; each optional field the
/// architecture reads within its range, kOptionalFields in model_config.cc: ffn_size >= 0,
/// max_length, window, state_size, expand, conv_width >= 1, householder 1..kMaxHouseholder;
/// hidden_size a multiple of num_heads, 0 <= hard_alibi_heads <= num_heads; negative_eigenvalues
/// and s4d_convolution only for the architectures that read them).
void validate(const ModelConfig& config);

/// reads_field (architecture.h) says which architecture reads which field.
/// The architectures that read `field` (as reads_field), in Cell order.
std::vector<Cell> cells_reading(std::string_view field);

/// The config as a JSON object ({"cell": "lstm", "vocab_size": 2, ...}) and back; from_json
/// throws ModelError naming a missing or bad field.  The transformer fields (num_heads,
/// positional, causal, ffn_size, ffn_activation, max_length, hard_alibi_heads,
/// hard_alibi_window) are written for a transformer only, the state-space fields (state_size,
/// negative_eigenvalues; expand, conv_width for mamba; s4d_convolution for s4d) for the
/// state-space cells only, and all are optional when read (defaults above), so older files load.
std::string to_json(const ModelConfig& config);
ModelConfig model_config_from_json(std::string_view json);

/// An option of `statelab train` that sets a ModelConfig field (bridge/run.h holds a run's
/// options): the rows of kOptionalFields (model_config.cc) that name one, so that a new field users
/// set is its member and its row.  reads_field(cell, field) says which architectures take it.
struct ConfigOption {
  enum class Value { whole, name, flag };  // an int field's number, a named enum's name, a bool field's flag
  std::string_view name;   // --NAME without the dashes, the run spec's key
  std::string_view help;   // --help's text
  std::string_view field;  // the field it sets, by its JSON name
  Value value = Value::whole;
  int min = 0;                     // whole: the least number it takes
  std::vector<std::string> names;  // name: the names it takes, in the enum's order
  bool inverted = false;           // flag: given, it sets the field to false (--bidirectional: causal)
  bool written_when_set = false;   // flag: in JSON (the config's and the run spec's) only when true
};

/// The options, in their canonical order (the run spec's, bridge/run.h).
const std::vector<ConfigOption>& config_options();

/// Sets the option's field from the option's canonical text: a whole number, one of `names`,
/// "true" or "false" (bridge/run.cc has checked it against the option).  Throws ModelError for
/// another text.
void set_option_field(ModelConfig& config, const ConfigOption& option, std::string_view text);

/// One member per architecture family; the members of the other families stay empty.  The
/// transformer and the state-space architectures share input_proj and final_norm.
template <typename T>
struct ModelParams {
  EmbeddingParams<T> embedding;
  std::vector<RecurrentParams<T>> layers;         // (L) recurrent cells
  LinearParams<T> input_proj;                     // transformer, state-space: (H, E)
  EmbeddingParams<T> positions;                   // transformer, learned positions: (H, max_length)
  std::vector<TransformerBlockParams<T>> blocks;  // transformer: (L)
  std::vector<SsmBlockParams<T>> ssm_blocks;      // state-space: (L)
  LayerNormParams<T> final_norm;                  // transformer, state-space: (H)
  LinearParams<T> head;                           // (O, H)
};
template <typename T>
using ModelGrads = ModelParams<T>;

template <typename T>
struct ModelCache {
  Matrix<T> embedded;                      // (E, T*B)
  std::vector<RecurrentCache<T>> layers;   // (L)
  std::vector<Matrix<T>> outputs;          // (L) each (H, T*B): h_t of layer l at every position
                                           // (transformer, state-space: the residual stream after block l)
  Matrix<T> projected;                     // transformer, state-space (H, T*B): input projection (+ positions)
  std::vector<TransformerBlockCache<T>> blocks;  // transformer (L)
  std::vector<SsmBlockCache<T>> ssm_blocks;      // state-space (L)
  LayerNormCache<T> final_norm;            // transformer, state-space
  Matrix<T> normed;                        // transformer, state-space (H, T*B): final LayerNorm, what the head reads
  Matrix<T> sinusoid;                      // transformer, sinusoidal positions: the table (H, T)
  AttentionSpec spec;                      // transformer: attention_spec of the config below
  ModelConfig spec_config;                 // the config spec was computed for
  Matrix<T> last;                          // (H, B) recognize: top state after the last token
  Matrix<T> logits;                        // (O, B) recognize, (O, T*B) tag / next_set
  Matrix<T> d_logits, d_last, d_top, d_in;  // backward workspace ((H, T*B) each but d_logits, d_last)
  Matrix<T> d_embedded;                     // backward: dL/d embedded (E, T*B), its own buffer so
                                            // that no buffer changes shape from step to step
};

/// Parameters of the right shapes, all zero.  Throws ModelError for an invalid config.
template <typename T>
ModelParams<T> zero_params(const ModelConfig& config);

/// Initialises every tensor of for_each_tensor as its declaration says (its TensorInit, drawn in
/// torch's element order, in for_each_tensor's order) from `random`: what the recurrent and
/// transformer families' FamilyOf::init do.
void init_as_declared(const ModelConfig& config, ModelParams<float>& params, Random& random);

/// PyTorch-like seeded initialisation: embedding N(0, 1); recurrent weights and biases
/// U(-1/sqrt(H), 1/sqrt(H)); head weight and bias U(-1/sqrt(H), 1/sqrt(H)) (torch.nn.Linear's
/// default).  Transformer as torch's modules: Linear weights and biases U(±1/sqrt(fan_in)),
/// in_proj_weight Xavier-uniform U(±sqrt(6 / 4D)), in_proj_bias and out_proj.bias 0, LayerNorm
/// 1 and 0, learned positions N(0, 1).  State-space: input_proj U(±1/sqrt(E)), blocks as
/// init_ssm_block (ssm.h), final LayerNorm 1 / 0.  The generator is statelab's own (splitmix64 +
/// Box-Muller), so a seed gives the same parameters on every platform; it does not reproduce
/// torch's random stream.
ModelParams<float> init_params(const ModelConfig& config, std::uint64_t seed);

/// Calls f with every parameter tensor of the config in a fixed order (embedding, layers
/// bottom-up, head; for the transformer: embedding, input_proj, positions, blocks bottom-up in
/// torch's state_dict order, final norm ("transformer.norm"), head; state-space: embedding,
/// input_proj, layers.{l}.* bottom-up, final_norm, head).  The one enumeration of the
/// parameters: zeroing, the optimiser, gradient clipping and checkpoints all go through it.
template <typename T>
void for_each_tensor(const ModelConfig& config, ModelParams<T>& params,
                     const std::type_identity_t<std::function<void(const NamedTensor<T>&)>>& f);

/// for_each_tensor's tensors as a list.
template <typename T>
std::vector<NamedTensor<T>> named_tensors(const ModelConfig& config, ModelParams<T>& params);

/// Sets every tensor of for_each_tensor to zero (the gradients before a backward pass).
template <typename T>
void set_zero(const ModelConfig& config, ModelParams<T>& params);

/// Copies a tensor into torch's row-major order / from it.  `torch_order` has `size` elements.
template <typename T>
void copy_to_torch_order(const NamedTensor<T>& tensor, T* torch_order);
template <typename T>
void copy_from_torch_order(const NamedTensor<T>& tensor, const T* torch_order);

/// Total number of parameters.
std::int64_t parameter_count(const ModelConfig& config);

/// Lays out examples as a batch (see tensor.h), sorted by length (longest first, ties in the
/// given order), with the targets in the batch's order: recognize (B); tag and seq (T*B), -1 in
/// padding; next_set (T*B*K), column-major (K, T*B).  With an end marker each sequence is the
/// word followed by the marker token (vocab_size), and its length counts it.  Throws ModelError naming the example and
/// position of a token >= vocab_size or of a target of the wrong size or value (for seq: an
/// output that is not teacher-forced, see heads.h), and a sequence longer than max_length for a
/// transformer with learned positions.
SequenceBatch make_batch(const ModelConfig& config, std::span<const Example> examples);
SequenceBatch make_batch(const ModelConfig& config, std::span<const Example* const> examples);
/// The same without targets, for inference.
SequenceBatch make_batch(const ModelConfig& config, std::span<const Sequence> sequences);

/// The longest sequence the model takes, end marker included (a transformer with learned
/// positions: its max_length); 0 when any length goes.
int longest_sequence(const ModelConfig& config);
/// The longest word it reads: longest_sequence less the end marker; 0 when any length goes.
std::size_t longest_word(const ModelConfig& config);

/// What make_batch checks of each sequence: throws ModelError when sequence `index` (the caller's
/// numbering), of `length` positions, runs past a transformer's learned positions, or when one of
/// its `tokens` is >= vocab_size.
void check_sequence(const ModelConfig& config, std::size_t index, std::span<const Token> tokens, int length);

/// Number of loss terms of the batch: sequences (recognize), positions with a target (tag, seq),
/// positions * K (next_set).  The mean loss of a mini-batch is the sum over its chunks with
/// scale 1 / terms.
std::int64_t loss_terms(const ModelConfig& config, const SequenceBatch& batch);

/// seq: the position where the example's output starts (its first target that is not -1); the
/// prompt is tokens[0..p], the output targets[p..len-1].  target.size() when there is none.
std::size_t output_start(const Example& example);

/// Embedding, layers and head: fills cache.outputs and cache.logits.  Time O(T B L G H (E + H))
/// (recurrent), O(T B L D (4D + 2F) + L D Σ_b len_b^2) (transformer).  With a KV bound (causal
/// transformer only, see validate below), every block's attention is decoded token by token
/// against its own cache (kv_cache.h): O(L D Σ_b len_b (K + 1)) for attention; such a cache
/// cannot serve model_backward.
template <typename T>
void model_forward(const ModelConfig& config, const ModelParams<T>& params, const SequenceBatch& batch,
                   ModelCache<T>& cache, const KvBound* kv = nullptr);

/// Throws ModelError unless `bound` can bound the model: a causal transformer, and a well-formed
/// bound (kv_cache.h).
void validate(const ModelConfig& config, const KvBound& bound);

/// The head's loss on cache.logits, times scale; writes cache.d_logits.  After model_forward.
template <typename T>
T model_loss(const ModelConfig& config, const SequenceBatch& batch, ModelCache<T>& cache, T scale);

/// Accumulates dL/dparams into grads (the caller zeroes them).  After model_loss.
template <typename T>
void model_backward(const ModelConfig& config, const ModelParams<T>& params, const SequenceBatch& batch,
                    ModelCache<T>& cache, ModelGrads<T>& grads);

/// The head's logits for each sequence, in the given order: (1, 1) for recognize, (O, len)
/// for tag and next_set.
/// Every inference function below takes an optional KV bound (model_forward): then each position's
/// output comes from the bounded cache.
std::vector<Matrix<float>> model_logits(const ModelConfig& config, const ModelParams<float>& params,
                                        std::span<const Sequence> sequences, const KvBound* kv = nullptr);

/// recognize only: the acceptance probability σ(logit) of each sequence.
std::vector<float> accept_probability(const ModelConfig& config, const ModelParams<float>& params,
                                      std::span<const Sequence> sequences, const KvBound* kv = nullptr);

/// seq only: steps[i] tokens generated greedily after prompts[i]: token j is the argmax of the
/// logits at the last position of prompt + tokens 0..j-1.  A causal transformer decodes one token
/// at a time, each layer keeping the q, k, v of the positions before (and under a KV bound its
/// cache's entries, carried from step to step): O(L D (4D + 2F + len)) per token, O(L D (4D + 2F
/// + K)) bounded.  Every other model runs one forward pass over the prefix per generated token,
/// over the sequences still generating (a recurrent pass is linear in the prefix).  The two ways
/// agree but for rounding in attention's sums.  Throws ModelError for another head, an empty prompt or a token outside the
/// vocabulary.
std::vector<Sequence> greedy_decode(const ModelConfig& config, const ModelParams<float>& params,
                                    std::span<const Sequence> prompts, std::span<const int> steps,
                                    const KvBound* kv = nullptr);

/// The hidden state at every position of the word, for probing and extraction (not at an end
/// marker after it): one matrix (L*H, len) per sequence, rows l*H .. l*H+H-1 holding h_t of layer l (the LSTM's cell state is not included;
/// for the transformer and the state-space architectures, the residual stream after block l,
/// before the final LayerNorm).
std::vector<Matrix<float>> hidden_states(const ModelConfig& config, const ModelParams<float>& params,
                                         std::span<const Sequence> sequences, const KvBound* kv = nullptr);

}  // namespace statelab::models
