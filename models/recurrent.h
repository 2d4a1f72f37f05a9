// Recurrent layers with exactly the equations, gate order and parameter layout of torch.nn.RNN
// (tanh), torch.nn.LSTM and torch.nn.GRU (one layer, one direction, batch of variable-length
// sequences as a packed sequence, initial state zero).  A stack of L layers is L calls, each
// reading the previous one's output.
//
//   RNN   h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)                         G = 1
//   LSTM  (i, f, g, o) = (σ, σ, tanh, σ)(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)       G = 4
//         c_t = f ⊙ c_{t-1} + i ⊙ g,   h_t = o ⊙ tanh(c_t)
//   GRU   r = σ(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)                              G = 3
//         z = σ(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)
//         n = tanh(W_in x_t + b_in + r ⊙ (W_hn h_{t-1} + b_hn))
//         h_t = (1 - z) ⊙ n + z ⊙ h_{t-1}
//
// Cost per layer: forward and backward O(T B G H (I + H)) time; the cache holds O(T B G H).
// Inputs to W_ih are multiplied for all time steps in one GEMM; only W_hh h_{t-1} is per step.
#pragma once

#include <string>
#include <string_view>

#include "base/random.h"
#include "models/architecture.h"
#include "models/family.h"
#include "models/tensor.h"

namespace statelab::models {

/// Gates per hidden unit: 1 (RNN), 4 (LSTM: i, f, g, o), 3 (GRU: r, z, n); each cell's
/// RecurrentCellOf in recurrent.cc says it, with its step forward and backward.
int gate_count(Cell cell);

/// Parameters of one layer, named and laid out as torch's `weight_ih_l{k}`, ... (gate blocks
/// stacked by rows in torch's order).
template <typename T>
struct RecurrentParams {
  Matrix<T> w_ih;  // (G*H, I)
  Matrix<T> w_hh;  // (G*H, H)
  Vector<T> b_ih;  // (G*H)
  Vector<T> b_hh;  // (G*H)
};
template <typename T>
using RecurrentGrads = RecurrentParams<T>;
template <typename T>
using RnnParams = RecurrentParams<T>;
template <typename T>
using LstmParams = RecurrentParams<T>;
template <typename T>
using GruParams = RecurrentParams<T>;

/// What backward needs from forward (and backward's own workspace, so that it allocates
/// nothing once the sizes are known).
template <typename T>
struct RecurrentCache {
  Matrix<T> gates;     // (G*H, T*B) gate activations: RNN h; LSTM i,f,g,o; GRU r,z,n
  Matrix<T> c;         // (H, T*B) LSTM cell state c_t
  Matrix<T> tanh_c;    // (H, T*B) LSTM tanh(c_t)
  Matrix<T> h_gates;   // (G*H, T*B) GRU W_hh h_{t-1} + b_hh (its n block is needed by backward)
  Matrix<T> d_gates;   // (G*H, T*B) backward: d(pre-activation), the input side
  Matrix<T> d_hgates;  // (G*H, T*B) backward, GRU only: d(W_hh h + b_hh)
  Matrix<T> d_h;       // (H, B) backward: dL/dh_t carried back in time
  Matrix<T> d_c;       // (H, B) backward, LSTM: dL/dc_t carried back in time
};

/// out: (H, T*B) hidden state h_t at every position (zero in padding).
/// x: (I, T*B) with zero padding.  Time O(T B G H (I + H)).
template <typename T>
void recurrent_forward(Cell cell, const RecurrentParams<T>& params, const SequenceBatch& batch,
                       const Matrix<T>& x, RecurrentCache<T>& cache, Matrix<T>& out);

/// Given d_out = dL/d out (H, T*B), accumulates dL/dparams into grads and, when d_x is given,
/// writes dL/dx (I, T*B).  x and out are forward's input and output.  Time O(T B G H (I + H)).
template <typename T>
void recurrent_backward(Cell cell, const RecurrentParams<T>& params, const SequenceBatch& batch,
                        const Matrix<T>& x, const Matrix<T>& out, RecurrentCache<T>& cache,
                        const Matrix<T>& d_out, RecurrentGrads<T>& grads, Matrix<T>* d_x);

/// The recurrent family (family.h): embedding -> L layers of the cell -> head; tensors
/// `<cell>.weight_ih_l{l}`, `<cell>.weight_hh_l{l}`, `<cell>.bias_ih_l{l}`, `<cell>.bias_hh_l{l}`
/// as torch's nn.RNN / nn.LSTM / nn.GRU, every one U(±1/sqrt(H)) as torch's; a checkpoint's config
/// comes from its tensors (the cell from `<cell>.weight_ih_l0`, H and L from the shapes and
/// names), the metadata statelab.model, when there, must agree with them.
template <>
struct FamilyOf<Family::recurrent> {
  static constexpr bool kProjected = false;
  static constexpr const char* kFinalNorm = nullptr;
  template <typename T>
  static void zero(const ModelConfig& config, ModelParams<T>& params);
  template <typename T>
  static void tensors(const ModelConfig& config, ModelParams<T>& params, const ModelTensors<T>& out);
  static void init(const ModelConfig& config, ModelParams<float>& params, Random& random);
  template <typename T>
  static void forward(const ModelConfig& config, const ModelParams<T>& params, const SequenceBatch& batch,
                      ModelCache<T>& cache, const KvBound* kv);
  template <typename T>
  static void backward(const ModelConfig& config, const ModelParams<T>& params, const SequenceBatch& batch,
                       ModelCache<T>& cache, ModelParams<T>& grads);  // grads: ModelGrads
  static int max_length(const ModelConfig&) { return 0; }
  static bool in_file(const SafetensorsFile& file);
  static ModelConfig config_from_file(const CheckpointToInfer& file, ModelConfig config);
};

}  // namespace statelab::models
