// Forward, loss and backward of the whole stack (embedding, layers or blocks, final norm, head).
#include "models/model.h"

#include <utility>

namespace statelab::models {

template <typename T>
void model_forward(const ModelConfig& c, const ModelParams<T>& p, const SequenceBatch& batch, ModelCache<T>& cache,
                   const KvBound* kv) {
  if (kv) validate(c, *kv);
  embedding_forward(p.embedding, batch, cache.embedded);  // (E, T*B)
  cache.outputs.resize(c.num_layers);
  // The top activation the head reads: the last layer's output, or the final LayerNorm (kProjected).
  const Matrix<T>* top = nullptr;
  with_family(architecture(c.cell).family, [&](auto family) {
    using F = FamilyOf<decltype(family)::value>;
    if constexpr (F::kProjected) {
      linear_forward(p.input_proj, cache.embedded, cache.projected);  // (H, T*B)  W x + b
      zero_padding(batch, cache.projected);
    }
    F::forward(c, p, batch, cache, kv);
    if constexpr (F::kProjected) {
      layer_norm_forward(p.final_norm, cache.outputs.back(), cache.final_norm, cache.normed);  // (H, T*B)
      zero_padding(batch, cache.normed);
      top = &cache.normed;
    } else {
      top = &cache.outputs.back();
    }
  });
  if (c.head == Head::recognize) {
    gather_last(batch, *top, cache.last);  // (H, B)
    cache.logits.resize(c.num_outputs, batch.batch_size);
    linear_forward(p.head, cache.last, cache.logits);  // (1, B)
  } else {
    cache.logits.resize(c.num_outputs, batch.columns());
    linear_forward(p.head, *top, cache.logits);  // (O, T*B)
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
  with_family(architecture(c.cell).family, [&](auto family) {
    using F = FamilyOf<decltype(family)::value>;
    const Matrix<T>& top = F::kProjected ? cache.normed : cache.outputs.back();
    if (c.head == Head::recognize) {
      linear_backward(p.head, cache.last, cache.d_logits, grads.head, &cache.d_last);  // (H, B)
      cache.d_top.setZero(c.hidden_size, batch.columns());
      scatter_last(batch, cache.d_last, cache.d_top);
    } else {
      linear_backward(p.head, top, cache.d_logits, grads.head, &cache.d_top);  // (H, T*B)
    }
    if constexpr (F::kProjected) {
      layer_norm_backward(p.final_norm, cache.final_norm, cache.d_top, grads.final_norm, cache.d_in);
      std::swap(cache.d_top, cache.d_in);  // d_top = dL/d outputs[L-1]
      F::backward(c, p, batch, cache, grads);  // d_top = dL/d projected
      linear_backward(p.input_proj, cache.embedded, cache.d_top, grads.input_proj, &cache.d_embedded);
    } else {
      F::backward(c, p, batch, cache, grads);  // writes d_embedded
    }
  });
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
