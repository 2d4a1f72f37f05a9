#include "models/embedding.h"

namespace statelab::models {

template <typename T>
void embedding_forward(const EmbeddingParams<T>& params, const SequenceBatch& batch, Matrix<T>& out) {
  out.resize(params.weight.rows(), batch.columns());  // (E, T*B)
  for (int j = 0; j < batch.columns(); ++j) {
    const std::int32_t token = batch.tokens[j];
    if (token < 0) out.col(j).setZero();
    else out.col(j) = params.weight.col(token);
  }
}

template <typename T>
void embedding_backward(const SequenceBatch& batch, const Matrix<T>& d_out, EmbeddingGrads<T>& grads) {
  for (int j = 0; j < batch.columns(); ++j) {
    const std::int32_t token = batch.tokens[j];
    if (token >= 0) grads.weight.col(token) += d_out.col(j);
  }
}

template void embedding_forward(const EmbeddingParams<float>&, const SequenceBatch&, Matrix<float>&);
template void embedding_forward(const EmbeddingParams<double>&, const SequenceBatch&, Matrix<double>&);
template void embedding_backward(const SequenceBatch&, const Matrix<float>&, EmbeddingGrads<float>&);
template void embedding_backward(const SequenceBatch&, const Matrix<double>&, EmbeddingGrads<double>&);

}  // namespace statelab::models
