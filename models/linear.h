// Affine layer, as torch.nn.Linear: y = W x + b on every column of x.
//
// W is stored (O, I) as torch's `weight` is (O, I); only its memory order differs (ours is
// column-major), which the safetensors reader and writer handle.
#pragma once

#include "models/tensor.h"

namespace statelab::models {

template <typename T>
struct LinearParams {
  Matrix<T> weight;  // (O, I)
  Vector<T> bias;    // (O)
};
template <typename T>
using LinearGrads = LinearParams<T>;

/// y = W x + b.  x: (I, N), y: (O, N) (resized).  Time O(O I N).
template <typename T>
void linear_forward(const LinearParams<T>& params, const Matrix<T>& x, Matrix<T>& y);

/// dW += dy x',  db += sum_n dy,  dx = W' dy (when d_x is given).  Accumulates into grads.
/// Time O(O I N).
template <typename T>
void linear_backward(const LinearParams<T>& params, const Matrix<T>& x, const Matrix<T>& d_y, LinearGrads<T>& grads,
                     Matrix<T>* d_x);

}  // namespace statelab::models
