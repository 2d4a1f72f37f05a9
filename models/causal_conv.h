// The causal depthwise convolution of the short convolutions (deltanet, gated-deltanet,
// deltaproduct): y_t = Σ_k w_k x_{t-W+1+k} per channel within each sequence, over the
// time-major (C, T*B) layout of tensor.h, never reading padding; and its transpose.
#pragma once

#include "models/tensor.h"

namespace statelab::models {

/// y (C, T*B) = causal depthwise convolution of x with w (C, W) within each sequence, zero in padding.
template <typename T>
void causal_conv(const Matrix<T>& w, const SequenceBatch& batch, const Matrix<T>& x, Matrix<T>& y) {
  const int B = batch.batch_size, W = static_cast<int>(w.cols());
  y.setZero(x.rows(), x.cols());
  for (int t = 0; t < batch.max_length; ++t)
    for (int k = 0; k < W; ++k) {
      const int s = t - W + 1 + k;  // the input position tap k reads
      if (s < 0) continue;
      const int n = batch.active[t];  // sequences still running at t (they all ran at s < t)
      y.middleCols(t * B, n).array() += x.middleCols(s * B, n).array().colwise() * w.col(k).array();
    }
}

/// The transpose: dw += Σ dy_t ⊙ x_s, dx_s += w_k ⊙ dy_t.  dx (resized) is overwritten.
template <typename T>
void causal_conv_backward(const Matrix<T>& w, const SequenceBatch& batch, const Matrix<T>& x, const Matrix<T>& dy,
                          Matrix<T>& dw, Matrix<T>& dx) {
  const int B = batch.batch_size, W = static_cast<int>(w.cols());
  dx.setZero(x.rows(), x.cols());
  for (int t = 0; t < batch.max_length; ++t)
    for (int k = 0; k < W; ++k) {
      const int s = t - W + 1 + k;
      if (s < 0) continue;
      const int n = batch.active[t];
      dw.col(k) += (dy.middleCols(t * B, n).array() * x.middleCols(s * B, n).array()).rowwise().sum().matrix();
      dx.middleCols(s * B, n).array() += dy.middleCols(t * B, n).array().colwise() * w.col(k).array();
    }
}

}  // namespace statelab::models
