// Layer normalisation, as torch.nn.LayerNorm(C) (eps 1e-5, elementwise affine): every column is
// normalised over its C rows, then scaled and shifted per row.
//
//   mean = (1/C) Σ_c x_c,   var = (1/C) Σ_c (x_c - mean)^2   (biased, as torch)
//   x̂ = (x - mean) / sqrt(var + eps),   y = γ ⊙ x̂ + β
//
// Backward (per column, with g = γ ⊙ dy):  dx = (g - mean(g) - x̂ mean(g ⊙ x̂)) / sqrt(var + eps),
// dγ += Σ_columns dy ⊙ x̂,  dβ += Σ_columns dy.  A column of zeros (padding) gives y = β; callers
// that keep padding zero clear those columns themselves (zero_padding in tensor.h); a zero dy
// column gives a zero dx column.  Cost: forward and backward O(C N) time; the cache holds x̂
// (C, N) and 1/sqrt(var + eps) (1, N).
#pragma once

#include "models/tensor.h"

namespace statelab::models {

template <typename T>
struct LayerNormParams {
  Vector<T> weight;  // (C) γ, torch's `weight`
  Vector<T> bias;    // (C) β, torch's `bias`
};
template <typename T>
using LayerNormGrads = LayerNormParams<T>;

template <typename T>
struct LayerNormCache {
  Matrix<T> x_hat;  // (C, N) normalised input
  Matrix<T> rstd;   // (1, N) 1 / sqrt(var + eps)
  Matrix<T> g;      // (C, 1) backward workspace: γ ⊙ dy of one column
};

inline constexpr double kLayerNormEps = 1e-5;

/// y = LayerNorm(x) column by column.  x, y: (C, N) (y resized; may not alias x).  Time O(C N).
template <typename T>
void layer_norm_forward(const LayerNormParams<T>& params, const Matrix<T>& x, LayerNormCache<T>& cache, Matrix<T>& y);

/// Accumulates dγ, dβ into grads and writes d_x = dL/dx (C, N) (resized; may not alias d_y).
/// Time O(C N).
template <typename T>
void layer_norm_backward(const LayerNormParams<T>& params, LayerNormCache<T>& cache, const Matrix<T>& d_y,
                         LayerNormGrads<T>& grads, Matrix<T>& d_x);

}  // namespace statelab::models
