// The sLSTM mixer of xLSTM (Beck, Pöppel, Spanring et al., NeurIPS 2024, section 2.2, equations
// 8-17): scalar memory cells with exponential gating, a normaliser state n_t and the stabiliser
// m_t, and memory mixing through head-wise (block-diagonal) recurrent matrices: h heads of
// width d = H / h, each gate's recurrent matrix R_g (H, H) made of h blocks (d, d).  For a block
// input u (the gates in NX-AI's order i, f, z, o; rows g*H .. g*H+H-1 of the stacked tensors):
//
//   x~_t = in_proj u_t + R h_{t-1}                 in_proj: Linear(H, 4H) with bias (i~, f~, z~, o~)
//                                                  recurrent_kernel (4H, d): row g*H + head*d + a,
//                                                  column b is R_g[head](a, b), h_0 = 0
//   log f_t = log sigmoid(f~_t)                    (the sigmoid forget gate, per cell)
//   m_t = max(log f_t + m_{t-1}, i~_t)  (m_1 = i~_1),  i'_t = exp(i~_t - m_t),  f'_t = exp(log f_t + m_{t-1} - m_t)
//   c_t = f'_t c_{t-1} + i'_t tanh(z~_t),  n_t = f'_t n_{t-1} + i'_t      (c_0 = n_0 = 0)
//   h_t = sigmoid(o~_t) ⊙ c_t / n_t
//   out = out_proj h                               out_proj (H, H), no bias
//
// The stabiliser scales c_t and n_t alike, so h_t equals the paper's unstabilised c_t / n_t and
// backward treats m as a constant (the exact gradient).  n_t >= 1 for t >= 1 (i'_t = 1 or
// f'_t = 1 at every step, and n_1 = 1), so the division is safe.  Left out of NX-AI's sLSTM
// block: the convolution before the i and f gates, the head-wise group norm and the gated MLP;
// the block is x + sLSTM(LN(x)).  The recurrence runs over time with every sequence still
// running in one column block, in a fixed order (results do not depend on threads).
// Time O(T B H (5H + 4d)) forward and backward; the cache holds (8H, T*B).
#pragma once

#include "base/random.h"
#include "models/mixer.h"
#include "models/tensor.h"

namespace statelab::models {

template <typename T>
struct SlstmParams {
  Matrix<T> in_weight;  // (4H, H)  in_proj.weight
  Vector<T> in_bias;    // (4H)     in_proj.bias
  Matrix<T> recurrent;  // (4H, d)  recurrent_kernel
  Matrix<T> out_proj;   // (H, H)   out_proj.weight
};
template <typename T>
using SlstmGrads = SlstmParams<T>;

struct SlstmOptions {
  int heads = 4;  // h; hidden_size is a multiple of it
};

template <typename T>
struct SlstmCache {
  Matrix<T> pre;         // (4H, T*B) i~, f~, z~, o~ (input and recurrent parts)
  Matrix<T> c, n, m, h;  // (H, T*B) the states and the cell output h_t
  Matrix<T> d_h, d_pre;  // backward workspace
  Matrix<T> d_h_next, d_c_next, d_n_next;  // (H, B) what step t+1 hands back to step t
};

/// Parameters of the right shapes, all zero (H = hidden).
template <typename T>
SlstmParams<T> zero_slstm(const SlstmOptions& options, int hidden);

/// in_proj U(±1/sqrt(H)) (nn.Linear's default) but the forget gate's bias, linspace(3, 6) over
/// the heads (each head's cells alike: long memory at the start, as NX-AI initialises it);
/// recurrent_kernel U(±1/sqrt(d)); out_proj U(±1/sqrt(H)).
void init_slstm(SlstmParams<float>& params, int heads, Random& random);

/// out (H, T*B) (resized), zero in padding.  u: (H, T*B), zero in padding.
template <typename T>
void slstm_forward(const SlstmOptions& options, const SlstmParams<T>& params, const SequenceBatch& batch,
                   const Matrix<T>& u, SlstmCache<T>& cache, Matrix<T>& out);

/// Accumulates dL/dparams into grads and writes d_u = dL/du (H, T*B).  d_out is zero in padding.
template <typename T>
void slstm_backward(const SlstmOptions& options, const SlstmParams<T>& params, const SequenceBatch& batch,
                    const Matrix<T>& u, SlstmCache<T>& cache, const Matrix<T>& d_out, SlstmGrads<T>& grads,
                    Matrix<T>& d_u);

/// The block's mixer for slstm (mixer.h): x + sLSTM(LayerNorm(x)).
template <>
struct MixerOf<Cell::slstm> {
  template <typename T>
  using Params = SlstmParams<T>;
  template <typename T>
  using Cache = SlstmCache<T>;
  static constexpr bool kGeluOutProj = false;
  static SlstmOptions options(const ModelConfig& o) { return {o.num_heads}; }
  template <typename T>
  static void zero(const ModelConfig& o, Params<T>& p) {
    p = zero_slstm<T>(options(o), o.hidden_size);
  }
  template <typename T>
  static void tensors(const ModelConfig&, Params<T>& m, MixerTensors<T>& t) {
    t.weight("mixer.in_proj.weight", m.in_weight);
    t.vector("mixer.in_proj.bias", m.in_bias);
    t.weight("mixer.recurrent_kernel", m.recurrent);
    t.weight("mixer.out_proj.weight", m.out_proj);
  }
  static void init(const ModelConfig& o, Params<float>& p, Random& random) { init_slstm(p, o.num_heads, random); }
  template <typename T>
  static void forward(const ModelConfig& o, const Params<T>& p, const SequenceBatch& batch, const Matrix<T>& u,
                      Cache<T>& c, Matrix<T>& out) {
    slstm_forward(options(o), p, batch, u, c, out);
  }
  template <typename T>
  static void backward(const ModelConfig& o, const Params<T>& p, const SequenceBatch& batch, const Matrix<T>& u,
                       Cache<T>& c, const Matrix<T>& d_out, Params<T>& g, Matrix<T>& d_u) {
    slstm_backward(options(o), p, batch, u, c, d_out, g, d_u);
  }
};

}  // namespace statelab::models
