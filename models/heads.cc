#include "models/heads.h"

#include <cmath>
#include <string>

#include "models/error.h"

namespace statelab::models {

const char* head_name(Head head) {
  switch (head) {
    case Head::recognize: return "recognize";
    case Head::tag: return "tag";
    case Head::next_set: return "next-set";
    case Head::seq: return "seq";
  }
  return "?";
}

Head parse_head(std::string_view name) {
  for (Head h : {Head::recognize, Head::tag, Head::next_set, Head::seq})
    if (name == head_name(h)) return h;
  throw ModelError("unknown head '" + std::string(name) + "' (expected recognize, tag, next-set or seq)");
}

template <typename T>
T bce_with_logits(T logit, T target) {
  return std::max(logit, T(0)) - logit * target + std::log1p(std::exp(-std::abs(logit)));
}

template <typename T>
static T sigmoid(T x) {
  return T(1) / (T(1) + std::exp(-x));
}

template <typename T>
void gather_last(const SequenceBatch& batch, const Matrix<T>& y, Matrix<T>& last) {
  const int B = batch.batch_size;
  last.resize(y.rows(), B);
  for (int b = 0; b < B; ++b) {
    const int len = batch.lengths[b];
    if (len == 0) last.col(b).setZero();
    else last.col(b) = y.col((len - 1) * B + b);
  }
}

template <typename T>
void scatter_last(const SequenceBatch& batch, const Matrix<T>& d_last, Matrix<T>& d_y) {
  const int B = batch.batch_size;
  for (int b = 0; b < B; ++b) {
    const int len = batch.lengths[b];
    if (len > 0) d_y.col((len - 1) * B + b) += d_last.col(b);
  }
}

template <typename T>
T recognize_loss(const SequenceBatch& batch, const Matrix<T>& logits, T scale, Matrix<T>& d_logits) {
  d_logits.resize(1, batch.batch_size);
  T loss = 0;
  for (int b = 0; b < batch.batch_size; ++b) {
    const T x = logits(0, b), y = static_cast<T>(batch.targets[b]);
    loss += bce_with_logits(x, y);
    d_logits(0, b) = scale * (sigmoid(x) - y);
  }
  return scale * loss;
}

template <typename T>
T tag_loss(const SequenceBatch& batch, const Matrix<T>& logits, T scale, Matrix<T>& d_logits) {
  d_logits.setZero(logits.rows(), logits.cols());
  T loss = 0;
  const int B = batch.batch_size;
  for (int t = 0; t < batch.max_length; ++t) {
    for (int b = 0; b < batch.active[t]; ++b) {
      const int j = t * B + b;
      const int target = batch.targets[j];
      if (target < 0) continue;  // nothing asked here: d_logits stays zero
      const auto z = logits.col(j);
      const T m = z.maxCoeff();
      auto d = d_logits.col(j);
      d = (z.array() - m).exp().matrix();
      const T sum = d.sum();
      loss += std::log(sum) + m - z(target);  // logsumexp(z) - z_target
      d *= scale / sum;                       // scale softmax(z)
      d(target) -= scale;
    }
  }
  return scale * loss;
}

template <typename T>
T next_set_loss(const SequenceBatch& batch, const Matrix<T>& logits, T scale, Matrix<T>& d_logits) {
  d_logits.setZero(logits.rows(), logits.cols());
  T loss = 0;
  const int B = batch.batch_size;
  const int K = static_cast<int>(logits.rows());
  for (int t = 0; t < batch.max_length; ++t) {
    for (int b = 0; b < batch.active[t]; ++b) {
      const int j = t * B + b;
      for (int k = 0; k < K; ++k) {
        const T x = logits(k, j), y = static_cast<T>(batch.targets[static_cast<std::size_t>(j) * K + k]);
        loss += bce_with_logits(x, y);
        d_logits(k, j) = scale * (sigmoid(x) - y);
      }
    }
  }
  return scale * loss;
}

#define STATELAB_INSTANTIATE(T)                                                                  \
  template T bce_with_logits(T, T);                                                              \
  template void gather_last(const SequenceBatch&, const Matrix<T>&, Matrix<T>&);                 \
  template void scatter_last(const SequenceBatch&, const Matrix<T>&, Matrix<T>&);                \
  template T recognize_loss(const SequenceBatch&, const Matrix<T>&, T, Matrix<T>&);              \
  template T tag_loss(const SequenceBatch&, const Matrix<T>&, T, Matrix<T>&);                    \
  template T next_set_loss(const SequenceBatch&, const Matrix<T>&, T, Matrix<T>&);
STATELAB_INSTANTIATE(float)
STATELAB_INSTANTIATE(double)
#undef STATELAB_INSTANTIATE

}  // namespace statelab::models
