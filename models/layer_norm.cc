#include "models/layer_norm.h"

namespace statelab::models {

template <typename T>
void layer_norm_forward(const LayerNormParams<T>& p, const Matrix<T>& x, LayerNormCache<T>& cache, Matrix<T>& y) {
  const Eigen::Index C = x.rows(), N = x.cols();
  const T inv_c = T(1) / static_cast<T>(C);
  cache.row.noalias() = x.colwise().sum() * inv_c;                     // mean  (1, N)
  cache.x_hat.noalias() = x - cache.row.replicate(C, 1);                // x - mean
  cache.rstd.noalias() = cache.x_hat.colwise().squaredNorm() * inv_c;  // var
  cache.rstd = (cache.rstd.array() + static_cast<T>(kLayerNormEps)).rsqrt().matrix();
  cache.x_hat.array() *= cache.rstd.replicate(C, 1).array();            // x̂
  y.resize(C, N);
  y.array() = (cache.x_hat.array().colwise() * p.weight.array()).colwise() + p.bias.array();  // γ x̂ + β
}

template <typename T>
void layer_norm_backward(const LayerNormParams<T>& p, LayerNormCache<T>& cache, const Matrix<T>& d_y,
                         LayerNormGrads<T>& grads, Matrix<T>& d_x) {
  const Eigen::Index C = d_y.rows(), N = d_y.cols();
  const T inv_c = T(1) / static_cast<T>(C);
  grads.weight.noalias() += (d_y.array() * cache.x_hat.array()).matrix().rowwise().sum();  // dγ += Σ dy x̂
  grads.bias.noalias() += d_y.rowwise().sum();                                             // dβ += Σ dy
  cache.g.resize(C, N);
  cache.g.array() = d_y.array().colwise() * p.weight.array();  // g = γ dy
  d_x.resize(C, N);
  cache.row.noalias() = (cache.g.array() * cache.x_hat.array()).matrix().colwise().sum() * inv_c;  // mean(g x̂)
  d_x.array() = cache.g.array() - cache.x_hat.array() * cache.row.replicate(C, 1).array();
  cache.row.noalias() = cache.g.colwise().sum() * inv_c;  // mean(g)
  d_x.array() = (d_x.array() - cache.row.replicate(C, 1).array()) * cache.rstd.replicate(C, 1).array();
}

#define STATELAB_INSTANTIATE(T)                                                                         \
  template void layer_norm_forward(const LayerNormParams<T>&, const Matrix<T>&, LayerNormCache<T>&, Matrix<T>&); \
  template void layer_norm_backward(const LayerNormParams<T>&, LayerNormCache<T>&, const Matrix<T>&,    \
                                    LayerNormGrads<T>&, Matrix<T>&);
STATELAB_INSTANTIATE(float)
STATELAB_INSTANTIATE(double)
#undef STATELAB_INSTANTIATE

}  // namespace statelab::models
