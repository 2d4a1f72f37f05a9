// Token embedding, as torch.nn.Embedding: each token id selects one column of the table.
//
// The table is stored (E, V) column-major, which is byte for byte torch's row-major (V, E)
// `embedding.weight`: the vector of token v is contiguous in both.
#pragma once

#include "models/tensor.h"

namespace statelab::models {

template <typename T>
struct EmbeddingParams {
  Matrix<T> weight;  // (E, V)  column v is the embedding of token v
};
template <typename T>
using EmbeddingGrads = EmbeddingParams<T>;

/// out.col(j) = weight.col(tokens[j]) for every non-padding column j, zero in padding.
/// out: (E, T*B).  Time O(E T B).
template <typename T>
void embedding_forward(const EmbeddingParams<T>& params, const SequenceBatch& batch, Matrix<T>& out);

/// grads.weight.col(tokens[j]) += d_out.col(j), columns in increasing order (a fixed order, so
/// the sum is reproducible).  Accumulates: the caller zeroes grads.  Time O(E T B).
template <typename T>
void embedding_backward(const SequenceBatch& batch, const Matrix<T>& d_out, EmbeddingGrads<T>& grads);

}  // namespace statelab::models
