// The output heads and their losses.  A head is a linear layer (linear.h) on the top layer's
// hidden state followed by one of these losses; the losses read their targets from the batch
// (see make_batch in model.h) and write dL/dlogits, already multiplied by `scale` (1 / the number
// of loss terms in the whole mini-batch, so that chunks of a batch add up to torch's mean).
//
//   recognize  one logit at the last position of each sequence; BCE with logits
//              (torch.nn.BCEWithLogitsLoss); a sequence of length 0 reads the initial state 0.
//   tag        num_outputs classes at every position; softmax cross-entropy (torch.nn.CrossEntropyLoss);
//              a target -1 asks nothing at that position (torch's ignore_index) and is skipped.
//   next_set   num_outputs = symbols + 1 independent bits at every position (which symbols may
//              follow, and whether the word may end here); sigmoid + BCE per bit.
//   seq        autoregressive next-token prediction for sequence outputs (copying, lookup):
//              num_outputs = vocab_size logits at every position; a sequence is a prompt followed
//              by its output, teacher-forced, with target -1 on the prompt's positions but its
//              last and the next token at every later one (the output's last token at the end).
//              The loss is tag's (cross-entropy on the target positions); evaluation decodes
//              greedily from the prompt (greedy_decode in model.h) and asks the whole output.
#pragma once

#include <string_view>

#include "models/tensor.h"

namespace statelab::models {

enum class Head { recognize, tag, next_set, seq };

/// "recognize", "tag", "next-set", "seq".
const char* head_name(Head head);

/// The head called `name` (head_name's spelling).  Throws ModelError listing the names.
Head parse_head(std::string_view name);

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
/// zero in padding and where the target is -1 (skipped).  The loss of tag and seq.
/// logits: (C, T*B).  Time O(C T B).
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
