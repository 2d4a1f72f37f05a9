#include "models/linear.h"

namespace statelab::models {

template <typename T>
void linear_forward(const LinearParams<T>& params, const Matrix<T>& x, Matrix<T>& y) {
  y.resize(params.weight.rows(), x.cols());
  y.colwise() = params.bias;        // y = b, then
  y.noalias() += params.weight * x;  // y += Wx  (one pass fewer than y = Wx; y += b)
}

template <typename T>
void linear_backward(const LinearParams<T>& params, const Matrix<T>& x, const Matrix<T>& d_y, LinearGrads<T>& grads,
                     Matrix<T>* d_x) {
  grads.weight.noalias() += d_y * x.transpose();  // dW += dy x'
  grads.bias += d_y.rowwise().sum();              // db += sum_n dy
  if (d_x) d_x->noalias() = params.weight.transpose() * d_y;  // dx = W' dy
}

#define STATELAB_INSTANTIATE(T)                                                   \
  template void linear_forward(const LinearParams<T>&, const Matrix<T>&, Matrix<T>&); \
  template void linear_backward(const LinearParams<T>&, const Matrix<T>&, const Matrix<T>&, LinearGrads<T>&, Matrix<T>*);
STATELAB_INSTANTIATE(float)
STATELAB_INSTANTIATE(double)
#undef STATELAB_INSTANTIATE

}  // namespace statelab::models
