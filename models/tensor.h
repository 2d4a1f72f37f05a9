// The Eigen types the layers use, and the layout of a batch of variable-length sequences.
//
// Layout.  A batch of B sequences of lengths len_0 >= len_1 >= ... >= len_{B-1} (sorted, longest
// first, as torch.nn.utils.rnn.pack_padded_sequence requires) is stored time-major: an activation
// of width C over the batch is a column-major matrix (C, T*B) with T = len_0 and column t*B + b
// holding sequence b at position t.  At time t only the first active[t] sequences are still
// running, so every layer works on the block `middleCols(t*B, active[t])` and never touches
// padding.  Padding columns of every activation and gradient are zero.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace statelab::models {

template <typename T>
using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;  // column-major
template <typename T>
using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;

/// A token is a dense id 0..vocab_size-1; a sequence is a word over those ids.
using Token = std::uint32_t;
using Sequence = std::vector<Token>;

/// One training or evaluation example: the tokens and the target, whose meaning depends on the
/// head (see heads.h): recognition: one value 0 or 1; tagging: one class id per position;
/// next-set: num_outputs values 0 or 1 per position, position-major (len * num_outputs values).
struct Example {
  Sequence tokens;
  std::vector<std::int32_t> target;
};

/// A batch laid out time-major (see above).  Built by make_batch; the layers only read it.
struct SequenceBatch {
  int batch_size = 0;                // B
  int max_length = 0;                // T = lengths[0]
  std::vector<int> lengths;          // (B) non-increasing
  std::vector<int> active;           // (T) active[t] = #{b : lengths[b] > t}, non-increasing
  std::vector<int> order;            // (B) column b holds the caller's sequence order[b]
  std::vector<std::int32_t> tokens;  // (T*B) token at column t*B+b, -1 in padding
  std::vector<std::int32_t> targets;  // head-dependent, see make_batch
  int columns() const { return max_length * batch_size; }
};

/// How a tensor is initialised, said where the tensor is declared (FamilyOf::tensors, family.h):
/// each element drawn in torch's element order from N(0, 1) or U(±value), or set to value.
/// `none`: the family initialises it itself (the state-space blocks, MixerOf::init).
struct TensorInit {
  enum Kind { none, normal, uniform, constant } kind = none;
  float value = 0;  // uniform: the bound; constant: the value
  static TensorInit standard_normal() { return {normal, 0}; }
  static TensorInit uniform_bound(float bound) { return {uniform, bound}; }
  static TensorInit fill(float v) { return {constant, v}; }
};

/// One parameter tensor, named and shaped as PyTorch names and shapes it.
template <typename T>
struct NamedTensor {
  std::string name;                 // e.g. "lstm.weight_ih_l0"
  std::vector<std::int64_t> shape;  // torch's shape, e.g. {4H, I}
  T* data = nullptr;                // our storage
  std::int64_t size = 0;            // number of elements
  bool column_major = false;  // our storage is torch's (rows, size / rows) in column-major order
                              // (a weight matrix); false when it is already torch's row-major order
  TensorInit init = {};       // how init_params initialises it (see TensorInit)
};

/// Sets the padding columns of m (C, T*B) to zero: at time t, columns t*B + active[t] .. t*B + B - 1.
/// Time O(C * padding columns).
template <typename Derived>
void zero_padding(const SequenceBatch& batch, Eigen::MatrixBase<Derived>& m) {
  const int B = batch.batch_size;
  for (int t = 0; t < batch.max_length; ++t)
    if (batch.active[t] < B) m.middleCols(t * B + batch.active[t], B - batch.active[t]).setZero();
}

}  // namespace statelab::models
