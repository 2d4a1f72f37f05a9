// The output heads and their losses.  A head is a linear layer (linear.h) on the top layer's
// hidden state followed by one of these losses; the losses read their targets from the batch
// (see make_batch in model.h) and write dL/dlogits, already multiplied by `scale` (1 / the number
// of loss terms in the whole mini-batch, so that chunks of a batch add up to torch's mean).
//
//   recognize  one logit at the last position of each sequence; BCE with logits
//              (torch.nn.BCEWithLogitsLoss); a sequence of length 0 reads the initial state 0.
//   tag        num_outputs classes at every position; softmax cross-entropy (torch.nn.CrossEntropyLoss).
//   next_set   num_outputs = symbols + 1 independent bits at every position (which symbols may
//              follow, and whether the word may end here); sigmoid + BCE per bit.
#pragma once

#include "models/tensor.h"

namespace statelab::models {

enum class Head { recognize, tag, next_set };

/// "recognize", "tag", "next-set".
const char* head_name(Head head);

/// last.col(b) = y at the last position of sequence b (zero when it is empty).
/// y: (H, T*B), last: (H, B).  Time O(H B).
template <typename T>
void gather_last(const SequenceBatch& batch, const Matrix<T>& y, Matrix<T>& last);

/// d_y += d_last scattered back to the last positions.  Time O(H B).
template <typename T>
void scatter_last(const SequenceBatch& batch, const Matrix<T>& d_last, Matrix<T>& d_y);

/// scale * sum_b BCEWithLogits(logits(0, b), targets[b]); d_logits = scale (σ(logit) - y).
/// logits: (1, B).  Time O(B).
template <typename T>
T recognize_loss(const SequenceBatch& batch, const Matrix<T>& logits, T scale, Matrix<T>& d_logits);

/// scale * sum over positions of -log softmax(logits)[target]; d_logits = scale (softmax - onehot),
/// zero in padding.  logits: (C, T*B).  Time O(C T B).
template <typename T>
T tag_loss(const SequenceBatch& batch, const Matrix<T>& logits, T scale, Matrix<T>& d_logits);

/// scale * sum over positions and bits of BCEWithLogits; d_logits = scale (σ - y), zero in
/// padding.  logits: (K, T*B).  Time O(K T B).
template <typename T>
T next_set_loss(const SequenceBatch& batch, const Matrix<T>& logits, T scale, Matrix<T>& d_logits);

/// BCE with logits for one term, computed stably: max(x, 0) - x y + log(1 + e^-|x|).
template <typename T>
T bce_with_logits(T logit, T target);

}  // namespace statelab::models
