// A sequence model: token embedding -> L recurrent layers (RNN, LSTM or GRU) -> linear head ->
// loss (heads.h); or, for the state-space architectures (s4d, mamba, ids4; ssm.h): token
// embedding -> input projection Linear(E, H) -> L residual blocks -> final LayerNorm -> head.  Parameters and gradients are the same struct; the cache holds what backward
// needs and backward's workspace, so a training loop that reuses one cache per chunk allocates
// only when the batch shape grows.  A training step is five plain calls:
//
//   SequenceBatch batch = make_batch(config, examples);
//   model_forward(config, params, batch, cache);
//   loss = model_loss(config, batch, cache, 1.0f / loss_terms(config, batch));
//   set_zero(grads); model_backward(config, params, batch, cache, grads);
//   adamw_step(...)                                               (optim.h)
//
// Tensors are named as the equivalent PyTorch module names them (`embedding.weight`,
// `lstm.weight_ih_l0`, `lstm.bias_hh_l1`, `head.weight`, `head.bias`), see named_tensors.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "models/embedding.h"
#include "models/heads.h"
#include "models/linear.h"
#include "models/recurrent.h"
#include "models/ssm.h"
#include "models/tensor.h"

namespace statelab::models {

struct ModelConfig {
  Cell cell = Cell::lstm;
  int vocab_size = 2;      // V: tokens are 0..V-1
  int embedding_dim = 16;  // E
  int hidden_size = 64;    // H
  int num_layers = 1;      // L
  Head head = Head::recognize;
  int num_outputs = 1;  // 1 (recognize), classes (tag), symbols + 1 (next_set)
  // State-space architectures (s4d, mamba, ids4); hidden_size is d_model.  Optional in JSON.
  int state_size = 16;                // N: states per channel (s4d, mamba), state dimension (ids4)
  bool negative_eigenvalues = false;  // s4d, mamba: transitions in (-1, 1) instead of (0, 1)
  int expand = 2;                     // mamba: inner channels = expand * hidden_size
  int conv_width = 4;                 // mamba: causal depthwise convolution width
  bool s4d_convolution = false;       // s4d: compute by the kernel instead of the recurrence
  friend bool operator==(const ModelConfig&, const ModelConfig&) = default;
};

/// Throws ModelError naming the first field out of range (sizes must be >= 1, recognize has
/// exactly one output, tag at least two classes, negative_eigenvalues only for s4d and mamba,
/// s4d_convolution only for s4d).
void validate(const ModelConfig& config);

/// The config as a JSON object ({"cell": "lstm", "vocab_size": 2, ...}) and back; from_json
/// throws ModelError naming a missing or bad field.  The state-space fields are written for the
/// state-space cells only and are optional when read (defaults above), so older files load.
std::string to_json(const ModelConfig& config);
ModelConfig model_config_from_json(std::string_view json);

/// What the blocks of ssm.h need from a state-space config.
SsmOptions ssm_options(const ModelConfig& config);

template <typename T>
struct ModelParams {
  EmbeddingParams<T> embedding;
  std::vector<RecurrentParams<T>> layers;        // (L) rnn, lstm, gru
  LinearParams<T> input_proj;                    // (H, E) s4d, mamba, ids4
  std::vector<SsmBlockParams<T>> ssm_blocks;     // (L) s4d, mamba, ids4
  LayerNormParams<T> final_norm;                 // (H) s4d, mamba, ids4
  LinearParams<T> head;                          // (O, H)
};
template <typename T>
using ModelGrads = ModelParams<T>;

template <typename T>
struct ModelCache {
  Matrix<T> embedded;                      // (E, T*B)
  std::vector<RecurrentCache<T>> layers;   // (L)
  std::vector<Matrix<T>> outputs;          // (L) each (H, T*B): h_t of layer l at every position
                                           // (state-space: the residual stream after block l)
  Matrix<T> projected;                     // (H, T*B) state-space: input_proj(embedded)
  std::vector<SsmBlockCache<T>> ssm_blocks;  // (L)
  LayerNormCache<T> final_norm;
  Matrix<T> top;                           // (H, T*B) state-space: final_norm(outputs[L-1]), the head's input
  Matrix<T> last;                          // (H, B) recognize: top state after the last token
  Matrix<T> logits;                        // (O, B) recognize, (O, T*B) tag / next_set
  Matrix<T> d_logits, d_last, d_top, d_in;  // backward workspace
};

/// Parameters of the right shapes, all zero.  Throws ModelError for an invalid config.
template <typename T>
ModelParams<T> zero_params(const ModelConfig& config);

/// PyTorch-like seeded initialisation: embedding N(0, 1); recurrent weights and biases
/// U(-1/sqrt(H), 1/sqrt(H)); head weight and bias U(-1/sqrt(H), 1/sqrt(H)) (torch.nn.Linear's
/// default); state-space: input_proj U(±1/sqrt(E)), blocks as init_ssm_block (ssm.h), final
/// LayerNorm 1 / 0.  The generator is statelab's own (splitmix64 + Box-Muller), so a seed gives the
/// same parameters on every platform; it does not reproduce torch's random stream.
ModelParams<float> init_params(const ModelConfig& config, std::uint64_t seed);

template <typename T>
void set_zero(ModelParams<T>& params);

/// Every parameter tensor in a fixed order (embedding, layers bottom-up, head; state-space:
/// embedding, input_proj, layers.{l}.* bottom-up, final_norm, head).
template <typename T>
std::vector<NamedTensor<T>> named_tensors(const ModelConfig& config, ModelParams<T>& params);

/// Copies a tensor into torch's row-major order / from it.  `torch_order` has `size` elements.
template <typename T>
void copy_to_torch_order(const NamedTensor<T>& tensor, T* torch_order);
template <typename T>
void copy_from_torch_order(const NamedTensor<T>& tensor, const T* torch_order);

/// Total number of parameters.
std::int64_t parameter_count(const ModelConfig& config);

/// Lays out examples as a batch (see tensor.h), sorted by length (longest first, ties in the
/// given order), with the targets in the batch's order: recognize (B); tag (T*B), -1 in padding;
/// next_set (T*B*K), column-major (K, T*B).  Throws ModelError naming the example and position
/// of a token >= vocab_size or of a target of the wrong size or value.
SequenceBatch make_batch(const ModelConfig& config, std::span<const Example> examples);
SequenceBatch make_batch(const ModelConfig& config, std::span<const Example* const> examples);
/// The same without targets, for inference.
SequenceBatch make_batch(const ModelConfig& config, std::span<const Sequence> sequences);

/// Number of loss terms of the batch: sequences (recognize), positions (tag), positions * K
/// (next_set).  The mean loss of a mini-batch is the sum over its chunks with scale 1 / terms.
std::int64_t loss_terms(const ModelConfig& config, const SequenceBatch& batch);

/// Embedding, layers and head: fills cache.outputs and cache.logits.  Time O(T B L G H (E + H)).
template <typename T>
void model_forward(const ModelConfig& config, const ModelParams<T>& params, const SequenceBatch& batch,
                   ModelCache<T>& cache);

/// The head's loss on cache.logits, times scale; writes cache.d_logits.  After model_forward.
template <typename T>
T model_loss(const ModelConfig& config, const SequenceBatch& batch, ModelCache<T>& cache, T scale);

/// Accumulates dL/dparams into grads (the caller zeroes them).  After model_loss.
template <typename T>
void model_backward(const ModelConfig& config, const ModelParams<T>& params, const SequenceBatch& batch,
                    ModelCache<T>& cache, ModelGrads<T>& grads);

/// The head's logits for each sequence, in the given order: (1, 1) for recognize, (O, len)
/// for tag and next_set.
std::vector<Matrix<float>> model_logits(const ModelConfig& config, const ModelParams<float>& params,
                                        std::span<const Sequence> sequences);

/// recognize only: the acceptance probability σ(logit) of each sequence.
std::vector<float> accept_probability(const ModelConfig& config, const ModelParams<float>& params,
                                      std::span<const Sequence> sequences);

/// The hidden state at every position, for probing and extraction: one matrix (L*H, len) per
/// sequence, rows l*H .. l*H+H-1 holding h_t of layer l (the LSTM's cell state is not included;
/// for the state-space architectures, the residual stream after block l).
std::vector<Matrix<float>> hidden_states(const ModelConfig& config, const ModelParams<float>& params,
                                         std::span<const Sequence> sequences);

}  // namespace statelab::models
