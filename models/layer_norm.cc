#include "models/layer_norm.h"

#include <cmath>

namespace statelab::models {

template <typename T>
void layer_norm_forward(const LayerNormParams<T>& p, const SequenceBatch& batch, const Matrix<T>& x,
                        LayerNormCache<T>& cache, Matrix<T>& y) {
  const int C = static_cast<int>(x.rows()), B = batch.batch_size;
  const T eps = T(1e-5);
  cache.x_hat.resize(C, x.cols());
  cache.rstd.setZero(x.cols());
  y.resize(C, x.cols());
  for (int t = 0; t < batch.max_length; ++t) {
    for (int j = t * B; j < t * B + batch.active[t]; ++j) {
      const T mean = x.col(j).mean();
      auto xh = cache.x_hat.col(j);
      xh = x.col(j).array() - mean;
      const T rstd = T(1) / std::sqrt(xh.squaredNorm() / T(C) + eps);
      xh *= rstd;
      cache.rstd(j) = rstd;
      y.col(j) = (xh.array() * p.weight.array() + p.bias.array()).matrix();  // y = x̂ w + b
    }
  }
  zero_padding(batch, cache.x_hat);
  zero_padding(batch, y);
}

template <typename T>
void layer_norm_backward(const LayerNormParams<T>& p, const SequenceBatch& batch, const LayerNormCache<T>& cache,
                         const Matrix<T>& d_y, LayerNormGrads<T>& grads, Matrix<T>& d_x) {
  const int C = static_cast<int>(d_y.rows()), B = batch.batch_size;
  d_x.resize(C, d_y.cols());
  for (int t = 0; t < batch.max_length; ++t) {
    for (int j = t * B; j < t * B + batch.active[t]; ++j) {
      const auto xh = cache.x_hat.col(j).array();
      const auto dy = d_y.col(j).array();
      grads.weight.array() += dy * xh;
      grads.bias.array() += dy;
      auto dx = d_x.col(j).array();
      dx = dy * p.weight.array();  // dx̂
      const T mean_dxh = dx.mean(), mean_dxh_xh = (dx * xh).mean();
      dx = cache.rstd(j) * (dx - mean_dxh - xh * mean_dxh_xh);
    }
  }
  zero_padding(batch, d_x);
}

#define STATELAB_INSTANTIATE(T)                                                                                   \
  template void layer_norm_forward(const LayerNormParams<T>&, const SequenceBatch&, const Matrix<T>&,             \
                                   LayerNormCache<T>&, Matrix<T>&);                                               \
  template void layer_norm_backward(const LayerNormParams<T>&, const SequenceBatch&, const LayerNormCache<T>&,    \
                                    const Matrix<T>&, LayerNormGrads<T>&, Matrix<T>&);
STATELAB_INSTANTIATE(float)
STATELAB_INSTANTIATE(double)
#undef STATELAB_INSTANTIATE

}  // namespace statelab::models
