// The mLSTM mixer of xLSTM (Beck, Pöppel, Spanring et al., NeurIPS 2024, section 2.3, equations
// 19-27): a matrix memory C_t (d x d per head) with a covariance update, a normaliser n_t and
// exponential gating stabilised by m_t, computed by its sequential recurrence over the
// time-major (H, T*B) layout of tensor.h.  h heads of width d = H / h.  For a block input u:
//
//   q_t = q_proj u,  k_t = k_proj u / sqrt(d),  v_t = v_proj u     q_proj, k_proj, v_proj (H, H), no bias
//   i~_t = igate u (one per head),  f~_t = fgate u (one per head)  igate, fgate: Linear(H, h) with bias
//   o_t = sigmoid(ogate u)                                         ogate: Linear(H, H) with bias
//   log f_t = log sigmoid(f~_t)                                    (the sigmoid forget gate)
//   m_t = max(log f_t + m_{t-1}, i~_t)  (m_1 = i~_1)               the stabiliser
//   i'_t = exp(i~_t - m_t),  f'_t = exp(log f_t + m_{t-1} - m_t)
//   C_t = f'_t C_{t-1} + i'_t v_t k_tᵀ,  n_t = f'_t n_{t-1} + i'_t k_t     (C_0 = 0, n_0 = 0)
//   h~_t = C_t q_t / max(|n_tᵀ q_t|, exp(-m_t)),  h_t = o_t ⊙ h~_t
//   out = out_proj concat_heads(h)                                 out_proj (H, H), no bias
//
// The stabilised state is exp(-m_t) times the paper's unstabilised one (C_t = Σ_s Π f_r i_s v_s k_sᵀ),
// so h~_t equals the unstabilised C_t q_t / max(|n_tᵀ q_t|, 1) exactly: h does not depend on m,
// and backward treats m as a constant (which gives the exact gradient).  What the paper's layer
// adds around the cell (the up-projection, the convolution before q and k, the learnable skip and
// the head-wise group norm of NX-AI's mLSTM block) is left out: the block is x + mLSTM(LN(x)).
// The recurrence runs per sequence and head as plain loops in a fixed order (results do not depend
// on threads); backward recomputes one (sequence, head)'s states at a time (O(T d²) workspace).
// Time O(T B H (5H + 2d)) forward and backward.
#pragma once

#include "base/random.h"
#include "models/mixer.h"
#include "models/tensor.h"

namespace statelab::models {

template <typename T>
struct MlstmParams {
  Matrix<T> q_proj, k_proj, v_proj;  // (H, H)  {q,k,v}_proj.weight
  Matrix<T> i_weight, f_weight;      // (h, H)  igate.weight, fgate.weight
  Vector<T> i_bias, f_bias;          // (h)     igate.bias, fgate.bias
  Matrix<T> o_weight;                // (H, H)  ogate.weight
  Vector<T> o_bias;                  // (H)     ogate.bias
  Matrix<T> out_proj;                // (H, H)  out_proj.weight
};
template <typename T>
using MlstmGrads = MlstmParams<T>;

struct MlstmOptions {
  int heads = 4;  // h; hidden_size is a multiple of it
};

template <typename T>
struct MlstmCache {
  Matrix<T> q, k, v;       // (H, T*B) k already divided by sqrt(d)
  Matrix<T> i_pre, f_pre;  // (h, T*B) i~, f~
  Matrix<T> o;             // (H, T*B) sigmoid(ogate u)
  Matrix<T> m, den;        // (h, T*B) the stabiliser m_t and the denominator max(|nᵀq|, exp(-m))
  Matrix<T> ht, hg;        // (H, T*B) h~ and o ⊙ h~ (what out_proj reads)
  Matrix<T> states;        // (d*d + d, T+1) backward: one (sequence, head)'s C_t and n_t, recomputed
  Matrix<T> d_hg, d_ht, d_o, d_q, d_k, d_v, d_i, d_f;  // backward workspace
};

/// Parameters of the right shapes, all zero (H = hidden).
template <typename T>
MlstmParams<T> zero_mlstm(const MlstmOptions& options, int hidden);

/// Projections U(±1/sqrt(H)) (nn.Linear's default); igate.bias 0; fgate.bias linspace(3, 6) over
/// the heads (NX-AI's mLSTM initialises its forget bias so: long memory at the start).
void init_mlstm(MlstmParams<float>& params, Random& random);

/// out (H, T*B) (resized), zero in padding.  u: (H, T*B), zero in padding.
template <typename T>
void mlstm_forward(const MlstmOptions& options, const MlstmParams<T>& params, const SequenceBatch& batch,
                   const Matrix<T>& u, MlstmCache<T>& cache, Matrix<T>& out);

/// Accumulates dL/dparams into grads and writes d_u = dL/du (H, T*B).  d_out is zero in padding.
template <typename T>
void mlstm_backward(const MlstmOptions& options, const MlstmParams<T>& params, const SequenceBatch& batch,
                    const Matrix<T>& u, MlstmCache<T>& cache, const Matrix<T>& d_out, MlstmGrads<T>& grads,
                    Matrix<T>& d_u);

/// The block's mixer for mlstm (mixer.h): x + mLSTM(LayerNorm(x)).
template <>
struct MixerOf<Cell::mlstm> {
  template <typename T>
  using Params = MlstmParams<T>;
  template <typename T>
  using Cache = MlstmCache<T>;
  static constexpr bool kGeluOutProj = false;
  static MlstmOptions options(const ModelConfig& o) { return {o.num_heads}; }
  template <typename T>
  static void zero(const ModelConfig& o, Params<T>& p) {
    p = zero_mlstm<T>(options(o), o.hidden_size);
  }
  template <typename T>
  static void tensors(const ModelConfig&, Params<T>& m, MixerTensors<T>& t) {
    t.weight("mixer.q_proj.weight", m.q_proj);
    t.weight("mixer.k_proj.weight", m.k_proj);
    t.weight("mixer.v_proj.weight", m.v_proj);
    t.weight("mixer.igate.weight", m.i_weight);
    t.vector("mixer.igate.bias", m.i_bias);
    t.weight("mixer.fgate.weight", m.f_weight);
    t.vector("mixer.fgate.bias", m.f_bias);
    t.weight("mixer.ogate.weight", m.o_weight);
    t.vector("mixer.ogate.bias", m.o_bias);
    t.weight("mixer.out_proj.weight", m.out_proj);
  }
  static void init(const ModelConfig&, Params<float>& p, Random& random) { init_mlstm(p, random); }
  template <typename T>
  static void forward(const ModelConfig& o, const Params<T>& p, const SequenceBatch& batch, const Matrix<T>& u,
                      Cache<T>& c, Matrix<T>& out) {
    mlstm_forward(options(o), p, batch, u, c, out);
  }
  template <typename T>
  static void backward(const ModelConfig& o, const Params<T>& p, const SequenceBatch& batch, const Matrix<T>& u,
                       Cache<T>& c, const Matrix<T>& d_out, Params<T>& g, Matrix<T>& d_u) {
    mlstm_backward(options(o), p, batch, u, c, d_out, g, d_u);
  }
};

}  // namespace statelab::models
