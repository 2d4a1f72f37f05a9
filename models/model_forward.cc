// Forward, loss and backward of the whole stack (embedding, layers or blocks, final norm, head).
#include "models/model.h"

#include <utility>

namespace statelab::models {

namespace {

// The top activation the head reads: the last recurrent layer's h_t, or the final LayerNorm
// (transformer, state-space).
template <typename T>
const Matrix<T>& top_of(const ModelConfig& c, const ModelCache<T>& cache) {
  return is_recurrent(c.cell) ? cache.outputs.back() : cache.normed;
}

// Given cache.projected = input_proj(embedded), zero in padding: + positions -> blocks (cache.outputs).
template <typename T>
void transformer_forward(const ModelConfig& c, const ModelParams<T>& p, const SequenceBatch& batch,
                         ModelCache<T>& cache, const KvBound* kv) {
  const int L = c.num_layers, B = batch.batch_size, D = c.hidden_size;
  if (cache.spec.slopes.empty() || !(cache.spec_config == c)) {  // allocates only when the config changes
    cache.spec = attention_spec(c);
    cache.spec_config = c;
  }
  const AttentionSpec& spec = cache.spec;
  cache.blocks.resize(L);
  if (c.positional == Positional::learned || c.positional == Positional::sinusoidal) {
    if (c.positional == Positional::sinusoidal &&
        (cache.sinusoid.rows() != D || cache.sinusoid.cols() < batch.max_length))
      sinusoidal_positions(D, batch.max_length, cache.sinusoid);
    const Matrix<T>& table = c.positional == Positional::learned ? p.positions.weight : cache.sinusoid;
    for (int t = 0; t < batch.max_length; ++t)
      cache.projected.middleCols(t * B, batch.active[t]).colwise() += table.col(t);  // + position t
  }
  for (int l = 0; l < L; ++l)
    transformer_block_forward(spec, c.ffn_activation, p.blocks[l], batch,
                              l == 0 ? cache.projected : cache.outputs[l - 1], cache.blocks[l],
                              cache.outputs[l], kv);  // (D, T*B)
}

// Given cache.d_top = dL/d outputs[L-1], accumulates the gradients of the blocks and positions and
// leaves cache.d_top = dL/d projected.
template <typename T>
void transformer_backward(const ModelConfig& c, const ModelParams<T>& p, const SequenceBatch& batch,
                          ModelCache<T>& cache, ModelGrads<T>& grads) {
  const int B = batch.batch_size;
  const AttentionSpec& spec = cache.spec;  // set by transformer_forward
  for (int l = c.num_layers - 1; l >= 0; --l) {
    transformer_block_backward(spec, c.ffn_activation, p.blocks[l], batch, cache.blocks[l], cache.d_top,
                               grads.blocks[l], cache.d_in);
    std::swap(cache.d_top, cache.d_in);  // d_top = dL/d(input of block l)
  }
  if (c.positional == Positional::learned)
    for (int t = 0; t < batch.max_length; ++t)
      grads.positions.weight.col(t) += cache.d_top.middleCols(t * B, batch.active[t]).rowwise().sum();
}

// Given cache.projected = input_proj(embedded), zero in padding: the state-space blocks (cache.outputs).
template <typename T>
void ssm_forward(const ModelConfig& c, const ModelParams<T>& p, const SequenceBatch& batch, ModelCache<T>& cache) {
  const int L = c.num_layers;
  cache.ssm_blocks.resize(L);
  for (int l = 0; l < L; ++l) {
    ssm_block_forward(c, p.ssm_blocks[l], batch, l == 0 ? cache.projected : cache.outputs[l - 1],
                      cache.ssm_blocks[l], cache.outputs[l]);  // (H, T*B) the residual stream
  }
}

// Given cache.d_top = dL/d outputs[L-1], accumulates the blocks' gradients and leaves
// cache.d_top = dL/d projected.
template <typename T>
void ssm_backward(const ModelConfig& c, const ModelParams<T>& p, const SequenceBatch& batch, ModelCache<T>& cache,
                  ModelGrads<T>& grads) {
  for (int l = c.num_layers - 1; l >= 0; --l) {
    ssm_block_backward(c, p.ssm_blocks[l], batch, l == 0 ? cache.projected : cache.outputs[l - 1],
                       cache.ssm_blocks[l], cache.d_top, grads.ssm_blocks[l], cache.d_in);
    std::swap(cache.d_top, cache.d_in);  // d_top = dL/d(input of block l)
  }
}

}  // namespace

template <typename T>
void model_forward(const ModelConfig& c, const ModelParams<T>& p, const SequenceBatch& batch, ModelCache<T>& cache,
                   const KvBound* kv) {
  if (kv) validate(c, *kv);
  const int L = c.num_layers;
  embedding_forward(p.embedding, batch, cache.embedded);  // (E, T*B)
  cache.outputs.resize(L);
  if (is_recurrent(c.cell)) {
    cache.layers.resize(L);
    for (int l = 0; l < L; ++l) {
      recurrent_forward(c.cell, p.layers[l], batch, l == 0 ? cache.embedded : cache.outputs[l - 1], cache.layers[l],
                        cache.outputs[l]);  // (H, T*B)
    }
  } else {
    linear_forward(p.input_proj, cache.embedded, cache.projected);  // (H, T*B)  W x + b
    zero_padding(batch, cache.projected);
    if (c.cell == Cell::transformer) transformer_forward(c, p, batch, cache, kv);
    else ssm_forward(c, p, batch, cache);
    layer_norm_forward(p.final_norm, cache.outputs.back(), cache.final_norm, cache.normed);  // (H, T*B)
    zero_padding(batch, cache.normed);
  }
  const Matrix<T>& top = top_of(c, cache);
  if (c.head == Head::recognize) {
    gather_last(batch, top, cache.last);  // (H, B)
    cache.logits.resize(c.num_outputs, batch.batch_size);
    linear_forward(p.head, cache.last, cache.logits);  // (1, B)
  } else {
    cache.logits.resize(c.num_outputs, batch.columns());
    linear_forward(p.head, top, cache.logits);  // (O, T*B)
  }
}

template <typename T>
T model_loss(const ModelConfig& c, const SequenceBatch& batch, ModelCache<T>& cache, T scale) {
  switch (c.head) {
    case Head::recognize: return recognize_loss(batch, cache.logits, scale, cache.d_logits);
    case Head::tag:
    case Head::seq: return tag_loss(batch, cache.logits, scale, cache.d_logits);
    case Head::next_set: return next_set_loss(batch, cache.logits, scale, cache.d_logits);
  }
  return T(0);
}

template <typename T>
void model_backward(const ModelConfig& c, const ModelParams<T>& p, const SequenceBatch& batch, ModelCache<T>& cache,
                    ModelGrads<T>& grads) {
  const int L = c.num_layers;
  const Matrix<T>& top = top_of(c, cache);
  if (c.head == Head::recognize) {
    linear_backward(p.head, cache.last, cache.d_logits, grads.head, &cache.d_last);  // (H, B)
    cache.d_top.setZero(c.hidden_size, batch.columns());
    scatter_last(batch, cache.d_last, cache.d_top);
  } else {
    linear_backward(p.head, top, cache.d_logits, grads.head, &cache.d_top);  // (H, T*B)
  }
  if (!is_recurrent(c.cell)) {
    layer_norm_backward(p.final_norm, cache.final_norm, cache.d_top, grads.final_norm, cache.d_in);
    std::swap(cache.d_top, cache.d_in);  // d_top = dL/d outputs[L-1]
    if (c.cell == Cell::transformer) transformer_backward(c, p, batch, cache, grads);
    else ssm_backward(c, p, batch, cache, grads);
    linear_backward(p.input_proj, cache.embedded, cache.d_top, grads.input_proj, &cache.d_embedded);
  }
  for (int l = is_recurrent(c.cell) ? L - 1 : -1; l >= 0; --l) {
    recurrent_backward(c.cell, p.layers[l], batch, l == 0 ? cache.embedded : cache.outputs[l - 1], cache.outputs[l],
                       cache.layers[l], cache.d_top, grads.layers[l], l == 0 ? &cache.d_embedded : &cache.d_in);
    if (l > 0) std::swap(cache.d_top, cache.d_in);  // d_top = dL/d(input of layer l)
  }
  embedding_backward(batch, cache.d_embedded, grads.embedding);
}
#define STATELAB_INSTANTIATE(T) \
  template void model_forward(const ModelConfig&, const ModelParams<T>&, const SequenceBatch&, ModelCache<T>&, \
                              const KvBound*);                                                               \
  template T model_loss(const ModelConfig&, const SequenceBatch&, ModelCache<T>&, T); \
  template void model_backward(const ModelConfig&, const ModelParams<T>&, const SequenceBatch&, ModelCache<T>&, ModelGrads<T>&);
STATELAB_INSTANTIATE(float)
STATELAB_INSTANTIATE(double)
#undef STATELAB_INSTANTIATE

}  // namespace statelab::models
