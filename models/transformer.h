// The transformer's pieces: multi-head softmax self-attention over a batch of variable-length
// sequences, and the pre-LN encoder block of torch.nn.TransformerEncoderLayer(norm_first=True,
// dropout=0), with the positional encodings the state-tracking literature compares.
//
// Block (D = d_model, A heads of d_h = D / A, F = ffn size), on the residual stream x (D, T*B):
//   x ← x + W_o Attn(W_in LN1(x) + b_in) + b_o            (W_in (3D, D): rows q, k, v as torch's in_proj_weight)
//   x ← x + W_2 act(W_1 LN2(x) + b_1) + b_2                (act: exact erf GELU, or ReLU)
// Attention, per sequence b and head h, with Q, K, V (d_h, n) the head's rows over the n = len_b
// positions of the sequence (never its padding):
//   S = K' Q / sqrt(d_h) + bias   (n keys, n queries)      P = softmax over the keys of each column
//   O = V P                       (d_h, n)                 (masked keys get probability exactly 0)
// Masks and biases (key i, query j):  causal: i <= j;  a hard window w: j - w < i (and, when not
// causal, i < j + w);  ALiBi: bias -m_h |j - i|.  Backward: dP = V' dO, dS = P ⊙ (dP - colsum(P ⊙ dP)),
// dQ = K dS / sqrt(d_h), dK = Q dS' / sqrt(d_h), dV = dO P'.
//
// Cost per block: O(N D (3D + D + 2F)) for the projections and O(Σ_b len_b^2 D) for attention
// (N = T*B columns), forward and backward; the cache holds O(N (6D + 2F) + A Σ_b len_b^2).
// The attention products are GEMMs on strided views of the (3D, N) projection (Eigen), one per
// sequence and head; no matrix is allocated once the workspace has grown to the batch's sizes
// (Eigen's GEMM may still take its own packing buffers from the heap for large products).
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "base/random.h"
#include "models/family.h"
#include "models/layer_norm.h"
#include "models/linear.h"
#include "models/tensor.h"

namespace statelab::models {

/// How positions enter the transformer (see docs/models.md):
///   none        NoPE: no positional information beyond the causal mask;
///   learned     a trained table Embedding(max_length, D) added to the input projection;
///   sinusoidal  the fixed table of Vaswani et al. 2017: PE(t, 2i) = sin(t / 10000^(2i/D)),
///               PE(t, 2i+1) = cos(t / 10000^(2i/D)), added to the input projection;
///   alibi       Press et al. 2022: head h adds -m_h |j - i| to its scores, m_h from alibi_slopes;
///   hard_alibi  Jelassi et al. 2024: the first k heads see only the last w keys (a hard window,
///               k = hard_alibi_heads, w = hard_alibi_window, or h + 1 for head h when w is 0,
///               their staggered windows); the other heads are NoPE.
enum class Positional { none, learned, sinusoidal, alibi, hard_alibi };
/// Every encoding, in the order --pos lists them.
inline constexpr Positional kPositionals[] = {Positional::none, Positional::learned, Positional::sinusoidal,
                                              Positional::alibi, Positional::hard_alibi};

/// "none", "learned", "sinusoidal", "alibi", "hard-alibi".
const char* positional_name(Positional positional);
/// The encoding positional_name calls `name`; throws ModelError listing the names.
Positional parse_positional(std::string_view name);

/// The feed-forward nonlinearity: exact GELU x Φ(x) (torch's "gelu") or ReLU.
enum class Activation { gelu, relu };
/// Every activation, in the order --ffn-activation lists them.
inline constexpr Activation kActivations[] = {Activation::gelu, Activation::relu};

/// "gelu", "relu".
const char* activation_name(Activation activation);
/// The activation activation_name calls `name`; throws ModelError listing the names.
Activation parse_activation(std::string_view name);

/// The ALiBi slopes of Press et al. for A heads, as their reference get_slopes: for A a power
/// of two, m_h = 2^(-8 (h+1) / A); otherwise the slopes of the largest power of two p < A,
/// followed by every other slope of 2p heads until there are A.
std::vector<double> alibi_slopes(int num_heads);

/// What each head of an attention layer sees.
struct AttentionSpec {
  int num_heads = 1;
  bool causal = true;
  std::vector<double> slopes;  // (A) ALiBi slope of each head, 0 for none
  std::vector<int> windows;    // (A) hard window of each head (keys within the last w), 0 for none
  bool strict = false;         // causal: a query attends to earlier keys only (query 0 to none: output 0)
};

/// The spec for a positional encoding: slopes for alibi, windows for the first
/// `window_heads` heads under hard_alibi (`window` each, or h + 1 for head h when it is 0),
/// nothing otherwise.
AttentionSpec attention_spec(int num_heads, bool causal, Positional positional, int window_heads, int window);

struct KvBound;  // kv_cache.h

template <typename T>
struct TransformerBlockParams {
  LinearParams<T> in_proj;    // (3D, D), (3D)  self_attn.in_proj_weight / in_proj_bias (rows q, k, v)
  LinearParams<T> out_proj;   // (D, D), (D)    self_attn.out_proj
  LinearParams<T> linear1;    // (F, D), (F)
  LinearParams<T> linear2;    // (D, F), (D)
  LayerNormParams<T> norm1;   // (D)  before attention
  LayerNormParams<T> norm2;   // (D)  before the feed-forward
};
template <typename T>
using TransformerBlockGrads = TransformerBlockParams<T>;

template <typename T>
struct AttentionCache {
  std::vector<std::ptrdiff_t> offsets;  // (B) where sequence b's A probability matrices start
  Vector<T> probs;                      // Σ_b A len_b^2: P of (b, h), column-major (keys, queries)
  Matrix<T> d_probs;                    // (T, T) backward workspace
  Vector<T> ramp;                       // (T) 0, 1, ..., T-1 (ALiBi distances)
};

template <typename T>
struct TransformerBlockCache {
  LayerNormCache<T> norm1, norm2;
  AttentionCache<T> attention;
  Matrix<T> ln1;      // (D, N) LN1(x)
  Matrix<T> qkv;      // (3D, N) W_in LN1(x) + b_in
  Matrix<T> context;  // (D, N) attention output before out_proj (zero in padding)
  Matrix<T> mid;      // (D, N) x after the attention sublayer (zero in padding)
  Matrix<T> ln2;      // (D, N) LN2(mid)
  Matrix<T> pre;      // (F, N) W_1 LN2(mid) + b_1
  Matrix<T> act;      // (F, N) act(pre)
  Matrix<T> d_act, d_ln, d_qkv, d_context, d_mid, d_norm;  // backward workspace
};

/// context (D, N) = the attention output of every head at every non-padding column (zero in
/// padding), from qkv (3D, N).  Time O(Σ_b len_b^2 D).
template <typename T>
void attention_forward(const AttentionSpec& spec, const SequenceBatch& batch, const Matrix<T>& qkv,
                       AttentionCache<T>& cache, Matrix<T>& context);

/// d_qkv (3D, N) = dL/dqkv given d_context = dL/dcontext (zero in padding).  After forward on
/// the same qkv.  Time O(Σ_b len_b^2 D).
template <typename T>
void attention_backward(const AttentionSpec& spec, const SequenceBatch& batch, const Matrix<T>& qkv,
                        AttentionCache<T>& cache, const Matrix<T>& d_context, Matrix<T>& d_qkv);

/// The block's first half: cache.ln1 = LN1(x), cache.qkv = W_in cache.ln1 + b_in (3D, N).
template <typename T>
void transformer_block_qkv(const TransformerBlockParams<T>& params, const Matrix<T>& x, TransformerBlockCache<T>& cache);

/// The block's second half, given cache.context (the attention output, zero in padding): out (D, N)
/// = mid + W_2 act(W_1 LN2(mid) + b_1) + b_2, mid = x + W_o context + b_o; zero in padding.
template <typename T>
void transformer_block_finish(Activation activation, const TransformerBlockParams<T>& params,
                              const SequenceBatch& batch, const Matrix<T>& x, TransformerBlockCache<T>& cache,
                              Matrix<T>& out);

/// out (D, N) = the block applied to x (D, N, zero in padding); out is zero in padding.  With a
/// KV bound (kv_cache.h), attention is decoded token by token against a bounded cache
/// (kv_attention_forward) and the cache cannot serve backward.  The two halves above around
/// attention_forward or kv_attention_forward.
template <typename T>
void transformer_block_forward(const AttentionSpec& spec, Activation activation,
                               const TransformerBlockParams<T>& params, const SequenceBatch& batch, const Matrix<T>& x,
                               TransformerBlockCache<T>& cache, Matrix<T>& out, const KvBound* kv = nullptr);

/// Accumulates dL/dparams into grads and writes d_x = dL/dx (D, N) (may not alias d_out).
template <typename T>
void transformer_block_backward(const AttentionSpec& spec, Activation activation,
                                const TransformerBlockParams<T>& params, const SequenceBatch& batch,
                                TransformerBlockCache<T>& cache, const Matrix<T>& d_out,
                                TransformerBlockGrads<T>& grads, Matrix<T>& d_x);

/// The sinusoidal table (D, length) of Vaswani et al.: column t is PE(t).  Computed in double.
template <typename T>
void sinusoidal_positions(int d_model, int length, Matrix<T>& table);

/// The transformer family (family.h): embedding -> input_proj -> (+ positions) -> L blocks ->
/// final LayerNorm ("transformer.norm") -> head, tensors as nn.TransformerEncoder names them
/// (`positions.weight`, `transformer.layers.{l}.self_attn.in_proj_weight`, ...), initialised as
/// torch's modules: Linear U(±1/sqrt(fan_in)), in_proj_weight Xavier-uniform U(±sqrt(6 / 4D)),
/// in_proj_bias and out_proj.bias 0, LayerNorm 1 / 0, learned positions N(0, 1).  A checkpoint
/// (recognised by `transformer.layers.0.self_attn.in_proj_weight`) needs its config in metadata
/// statelab.model: the heads, positions, causality and activation are not in the tensors.
template <>
struct FamilyOf<Family::transformer> {
  static constexpr bool kProjected = true;
  static constexpr const char* kFinalNorm = "transformer.norm";
  template <typename T>
  static void zero(const ModelConfig& config, ModelParams<T>& params);
  template <typename T>
  static void tensors(const ModelConfig& config, ModelParams<T>& params, const ModelTensors<T>& out);
  static void init(const ModelConfig& config, ModelParams<float>& params, Random& random);
  template <typename T>
  static void forward(const ModelConfig& config, const ModelParams<T>& params, const SequenceBatch& batch,
                      ModelCache<T>& cache, const KvBound* kv);
  template <typename T>
  static void backward(const ModelConfig& config, const ModelParams<T>& params, const SequenceBatch& batch,
                       ModelCache<T>& cache, ModelParams<T>& grads);  // grads: ModelGrads
  /// Learned positions: max_length; otherwise 0 (any length).
  static int max_length(const ModelConfig& config);
  static bool in_file(const SafetensorsFile& file);
  static ModelConfig config_from_file(const CheckpointToInfer& file, ModelConfig config);
};

}  // namespace statelab::models
