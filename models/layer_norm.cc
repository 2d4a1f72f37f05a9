#include "models/layer_norm.h"

#include <cmath>

namespace statelab::models {

// Column by column: a column (C values) stays in L1 while it is read once and written twice.
template <typename T>
void layer_norm_forward(const LayerNormParams<T>& p, const Matrix<T>& x, LayerNormCache<T>& cache, Matrix<T>& y) {
  const Eigen::Index C = x.rows(), N = x.cols();
  const T inv_c = T(1) / static_cast<T>(C);
  cache.x_hat.resize(C, N);
  cache.rstd.resize(1, N);
  y.resize(C, N);
  for (Eigen::Index j = 0; j < N; ++j) {
    auto x_hat = cache.x_hat.col(j);
    x_hat = x.col(j).array() - x.col(j).sum() * inv_c;                      // x - mean
    const T rstd = T(1) / std::sqrt(x_hat.squaredNorm() * inv_c + static_cast<T>(kLayerNormEps));  // 1/sqrt(var + eps)
    cache.rstd(0, j) = rstd;
    x_hat *= rstd;                                                          // x̂
    y.col(j) = x_hat.cwiseProduct(p.weight) + p.bias;                       // γ x̂ + β
  }
}

template <typename T>
void layer_norm_backward(const LayerNormParams<T>& p, LayerNormCache<T>& cache, const Matrix<T>& d_y,
                         LayerNormGrads<T>& grads, Matrix<T>& d_x) {
  const Eigen::Index C = d_y.rows(), N = d_y.cols();
  const T inv_c = T(1) / static_cast<T>(C);
  d_x.resize(C, N);
  cache.g.resize(C, 1);
  auto g = cache.g.col(0);
  for (Eigen::Index j = 0; j < N; ++j) {
    const auto dy = d_y.col(j);
    const auto x_hat = cache.x_hat.col(j);
    grads.weight.noalias() += dy.cwiseProduct(x_hat);  // dγ += dy x̂
    grads.bias += dy;                                  // dβ += dy
    g = dy.cwiseProduct(p.weight);                     // g = γ dy
    const T mean_g = g.sum() * inv_c, mean_gx = g.dot(x_hat) * inv_c;
    d_x.col(j) = ((g.array() - mean_g) - x_hat.array() * mean_gx) * cache.rstd(0, j);  // (g - mean g - x̂ mean(g x̂)) rstd
  }
}

#define STATELAB_INSTANTIATE(T)                                                                         \
  template void layer_norm_forward(const LayerNormParams<T>&, const Matrix<T>&, LayerNormCache<T>&, Matrix<T>&); \
  template void layer_norm_backward(const LayerNormParams<T>&, LayerNormCache<T>&, const Matrix<T>&,    \
                                    LayerNormGrads<T>&, Matrix<T>&);
STATELAB_INSTANTIATE(float)
STATELAB_INSTANTIATE(double)
#undef STATELAB_INSTANTIATE

}  // namespace statelab::models
