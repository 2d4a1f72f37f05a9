#include "models/ids4.h"

#include <cassert>
#include <cmath>

namespace statelab::models {

template <typename T>
void ids4_forward(const Ids4Params<T>& p, const SequenceBatch& batch, const Matrix<T>& x, Ids4Cache<T>& c,
                  Matrix<T>& y) {
  const int N = static_cast<int>(p.b_proj.rows()), B = batch.batch_size, cols = batch.columns();
  assert(p.a_proj.rows() == N * N && x.cols() == cols);
  c.m.noalias() = p.a_proj * x;  // (N*N, T*B)
  c.m.colwise() += p.a_bias;
  c.h.noalias() = p.b_proj * x;  // (N, T*B) b_t
  c.h.colwise() += p.b_bias;
  c.scale.setOnes(N, cols);
  for (int t = 0; t < batch.max_length; ++t) {
    for (int b = 0; b < batch.active[t]; ++b) {
      const int j = t * B + b;
      // Column j of m viewed as (N, N) column-major is M_t transposed: M_t's row i is its column i.
      Eigen::Map<Matrix<T>> mt(c.m.col(j).data(), N, N);
      for (int i = 0; i < N; ++i) {
        const T s = std::max(T(1), mt.col(i).cwiseAbs().sum());
        c.scale(i, j) = s;
        mt.col(i) /= s;
      }
      if (t > 0) c.h.col(j).noalias() += mt.transpose() * c.h.col(j - B);  // h_t = A_t h_{t-1} + b_t
    }
  }
  zero_padding(batch, c.h);
  y.noalias() = p.c * c.h;  // y = C h + D x
  y += p.d.asDiagonal() * x;
  zero_padding(batch, y);
}

template <typename T>
void ids4_backward(const Ids4Params<T>& p, const SequenceBatch& batch, const Matrix<T>& x, Ids4Cache<T>& c,
                   const Matrix<T>& d_y, Ids4Grads<T>& grads, Matrix<T>& d_x) {
  const int N = static_cast<int>(p.b_proj.rows()), B = batch.batch_size, cols = batch.columns();
  grads.c.noalias() += d_y * c.h.transpose();
  grads.d += (d_y.array() * x.array()).rowwise().sum().matrix();
  c.d_h.noalias() = p.c.transpose() * d_y;  // (N, T*B) dL/dh_t from y_t
  c.d_m.setZero(static_cast<Eigen::Index>(N) * N, cols);
  c.g.setZero(N, B);
  for (int t = batch.max_length - 1; t >= 0; --t) {
    for (int b = 0; b < batch.active[t]; ++b) {
      const int j = t * B + b;
      auto g = c.g.col(b);
      g += c.d_h.col(j);
      c.d_h.col(j) = g;  // dL/db_t
      if (t == 0) continue;
      const Eigen::Map<const Matrix<T>> at(c.m.col(j).data(), N, N);  // A_t transposed
      Eigen::Map<Matrix<T>> d_at(c.d_m.col(j).data(), N, N);
      d_at.noalias() = c.h.col(j - B) * g.transpose();  // dA_t = g h_{t-1}', stored transposed
      g = at * g;                                       // dL/dh_{t-1} = A_t' g
      // Row i of A_t = M_i / s_i:  dM_i = dA_i / s_i - sign(M_i) (dA_i · M_i) / s_i²  when s_i > 1.
      for (int i = 0; i < N; ++i) {
        const T s = c.scale(i, j);
        if (s <= T(1)) continue;
        auto d_row = d_at.col(i);
        const auto a_row = at.col(i);  // M_i / s
        const T dot = d_row.dot(a_row);  // (dA_i · M_i) / s
        d_row = ((d_row.array() - a_row.array().sign() * dot) / s).matrix();
      }
    }
  }
  zero_padding(batch, c.d_h);
  grads.b_proj.noalias() += c.d_h * x.transpose();
  grads.b_bias += c.d_h.rowwise().sum();
  grads.a_proj.noalias() += c.d_m * x.transpose();
  grads.a_bias += c.d_m.rowwise().sum();
  d_x.noalias() = p.b_proj.transpose() * c.d_h;
  d_x.noalias() += p.a_proj.transpose() * c.d_m;
  d_x += p.d.asDiagonal() * d_y;
  zero_padding(batch, d_x);
}

#define STATELAB_INSTANTIATE(T)                                                                                   \
  template void ids4_forward(const Ids4Params<T>&, const SequenceBatch&, const Matrix<T>&, Ids4Cache<T>&,         \
                             Matrix<T>&);                                                                         \
  template void ids4_backward(const Ids4Params<T>&, const SequenceBatch&, const Matrix<T>&, Ids4Cache<T>&,        \
                              const Matrix<T>&, Ids4Grads<T>&, Matrix<T>&);
STATELAB_INSTANTIATE(float)
STATELAB_INSTANTIATE(double)
#undef STATELAB_INSTANTIATE

}  // namespace statelab::models
