// Layer normalisation over the channels of every column, as torch.nn.LayerNorm(C) (biased
// variance, eps = 1e-5, elementwise weight and bias):
//
//   y = (x - mean(x)) / sqrt(var(x) + eps) ⊙ weight + bias        per column of x (C, T*B)
//
// Only the batch's non-padding columns are normalised; padding columns of y stay zero.
#pragma once

#include "models/tensor.h"

namespace statelab::models {

template <typename T>
struct LayerNormParams {
  Vector<T> weight;  // (C)  torch `weight`, initialised to 1
  Vector<T> bias;    // (C)  torch `bias`, initialised to 0
};
template <typename T>
using LayerNormGrads = LayerNormParams<T>;

template <typename T>
struct LayerNormCache {
  Matrix<T> x_hat;  // (C, T*B) (x - mean) / sqrt(var + eps), zero in padding
  Vector<T> rstd;   // (T*B) 1 / sqrt(var + eps)
};

/// y (C, T*B) (resized).  Time O(C T B).
template <typename T>
void layer_norm_forward(const LayerNormParams<T>& params, const SequenceBatch& batch, const Matrix<T>& x,
                        LayerNormCache<T>& cache, Matrix<T>& y);

/// Accumulates dL/dweight, dL/dbias into grads and writes d_x = dL/dx (C, T*B), zero in padding:
///   dx = rstd (dx̂ - mean(dx̂) - x̂ mean(dx̂ ⊙ x̂)),  dx̂ = dy ⊙ weight.   Time O(C T B).
template <typename T>
void layer_norm_backward(const LayerNormParams<T>& params, const SequenceBatch& batch, const LayerNormCache<T>& cache,
                         const Matrix<T>& d_y, LayerNormGrads<T>& grads, Matrix<T>& d_x);

}  // namespace statelab::models
