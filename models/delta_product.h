// The delta-rule mixers in one file pair: DeltaNet (Schlag, Irie, Schmidhuber 2021; Yang et al.
// 2024: one step, no gate, flash-linear-attention's `DeltaNet`), DeltaProduct (Siems et al. 2025:
// n_h Householder steps per token) and Gated DeltaNet (Yang, Kautz and Hatamizadeh, ICLR 2025: a
// per-head decay and an output gate), named as flash-linear-attention's `DeltaNet`,
// `GatedDeltaNet` and `GatedDeltaProduct` layers and computed by their naive recurrence over the
// time-major (H, T*B) layout of tensor.h.  h heads of width d = H / h,
// W = conv width, n = n_h Householder steps per token (1 for deltanet and gated-deltanet):
//
//   q~ = q_proj u, k~ = k_proj u, v~ = v_proj u      q_proj (H, H); k_proj, v_proj (nH, H); no bias
//   q, k, v = SiLU(causal depthwise conv1d(.))       q_conv1d (H, 1, W), k_conv1d, v_conv1d (nH, 1, W), no bias
//   per head and step   k <- k / sqrt(|k|² + 1e-6),  q likewise
//   beta = sigmoid(b_proj u)                         b_proj (n h, H), no bias; negative_eigenvalues: beta <- 2 beta
//   rows of k, v: step j, head g, i at j H + g d + i; of beta: j h + g (fla's '(n h d)' and '(n h)')
//   gated: alpha = exp(-exp(A_log) softplus(a_proj u + dt_bias))   a_proj (h, H) no bias, A_log (h), dt_bias (h)
//   S_0 = 0 (d x d per head); per token: S <- alpha S (gated), then for j = 1..n:
//          S <- S - beta_j (S k_j - v_j) k_jᵀ   = S (I - beta_j k_j k_jᵀ) + beta_j v_j k_jᵀ
//   o_t = S q_t / sqrt(d)   (after the token's last step)
//   o <- RMSNorm over each head's d values        o_norm.weight (d), eps 1e-5, shared by the heads
//   gated: o <- o ⊙ SiLU(g_proj u)                g_proj (H, H), no bias (fla's FusedRMSNormGated)
//   out = o_proj concat(o)                        o_proj (H, H), no bias
//
// fla's layers default to value heads twice as wide as key heads (expand_v = 2); here keys and
// values have the same width d.  The recurrence runs per sequence and head as plain loops in a
// fixed order (results do not depend on threads); backward recomputes one (sequence, head)'s
// states, O(T (n + 1) d²) workspace.  Time O(T B H ((3n + 3) H + n W + n d)) forward and backward.
#pragma once

#include "base/random.h"
#include "models/mixer.h"
#include "models/tensor.h"

namespace statelab::models {

template <typename T>
struct DeltaProductParams {
  Matrix<T> q_proj, k_proj, v_proj;  // (H, H), (nH, H), (nH, H)   {q,k,v}_proj.weight
  Matrix<T> b_proj;                  // (n h, H)  b_proj.weight
  Matrix<T> q_conv, k_conv, v_conv;  // (H, W), (nH, W), (nH, W)  {q,k,v}_conv1d.weight, torch (C, 1, W)
  Matrix<T> a_proj;                  // (h, H)  gated: a_proj.weight
  Vector<T> a_log, dt_bias;          // (h)     gated: A_log, dt_bias
  Matrix<T> g_proj;                  // (H, H)  gated: g_proj.weight
  Vector<T> o_norm;                  // (d)     o_norm.weight
  Matrix<T> o_proj;                  // (H, H)  o_proj.weight
};
template <typename T>
using DeltaProductGrads = DeltaProductParams<T>;

struct DeltaProductOptions {
  int heads = 4;                      // h; hidden_size is a multiple of it
  int householder = 1;                // n: Householder steps per token
  bool gated = false;                 // the decay alpha and the output gate (gated-deltanet)
  bool negative_eigenvalues = false;  // beta <- 2 beta
};

template <typename T>
struct DeltaProductCache {
  Matrix<T> pre[3], conv[3], act[3];  // q~ k~ v~, their convolutions, SiLU of those: (H | nH, T*B)
  Matrix<T> qn, kn;                   // normalised q (H, T*B), k (nH, T*B)
  Matrix<T> norms;                    // ((n + 1) h, T*B): |q| rows 0..h-1, then |k| of step j rows (j+1) h + g
  Matrix<T> b_pre, beta;              // (n h, T*B)
  Matrix<T> a_pre, alpha;             // (h, T*B) gated: a_proj u + dt_bias, alpha
  Matrix<T> gate_pre;                 // (H, T*B) gated: g_proj u
  Matrix<T> o, rms, normed, mixed;    // (H, T*B) S q / sqrt(d); (h, T*B); RMSNorm(o) w; what o_proj reads
  Matrix<T> states;                   // backward: one (sequence, head)'s states, recomputed
  Matrix<T> d_mixed, d_o, d_qn, d_kn, d_beta, d_alpha, d_gate, d_act[3], d_pre[3];  // backward workspace
};

/// Parameters of the right shapes, all zero (H = hidden, W = conv width); the gate's tensors are
/// empty unless options.gated.
template <typename T>
DeltaProductParams<T> zero_delta_product(const DeltaProductOptions& options, int hidden, int conv_width);

/// torch's defaults for fla's modules: projections U(±1/sqrt(H)) (nn.Linear), convolutions
/// U(±1/sqrt(W)), o_norm.weight 1; gated: A = U(0, 16), A_log = log A, dt_bias = softplus⁻¹(dt)
/// with dt = exp(U(log 1e-3, log 1e-1)) >= 1e-4 (fla's GatedDeltaNet).
void init_delta_product(const DeltaProductOptions& options, DeltaProductParams<float>& params, Random& random);

/// out (H, T*B) (resized), zero in padding.  u: (H, T*B), zero in padding.
template <typename T>
void delta_product_forward(const DeltaProductOptions& options, const DeltaProductParams<T>& params,
                           const SequenceBatch& batch, const Matrix<T>& u, DeltaProductCache<T>& cache, Matrix<T>& out);

/// Accumulates dL/dparams into grads and writes d_u = dL/du (H, T*B).  d_out is zero in padding.
template <typename T>
void delta_product_backward(const DeltaProductOptions& options, const DeltaProductParams<T>& params,
                            const SequenceBatch& batch, const Matrix<T>& u, DeltaProductCache<T>& cache,
                            const Matrix<T>& d_out, DeltaProductGrads<T>& grads, Matrix<T>& d_u);

/// The block's mixer for the delta rules (mixer.h), one struct for three Cells: deltanet (fla's
/// DeltaNet: one Householder step, no gate), gated-deltanet (fla's GatedDeltaNet: one step, the
/// decay and the output gate) and deltaproduct (fla's GatedDeltaProduct without its gates:
/// --householder steps).  x + mixer(LayerNorm(x)).
template <Cell kCell>
struct DeltaProductMixer {
  template <typename T>
  using Params = DeltaProductParams<T>;
  template <typename T>
  using Cache = DeltaProductCache<T>;
  static constexpr bool kGeluOutProj = false;
  static constexpr bool kGated = kCell == Cell::gated_deltanet;
  static DeltaProductOptions options(const ModelConfig& o) {
    return {o.num_heads, kCell == Cell::deltaproduct ? o.householder : 1, kGated, o.negative_eigenvalues};
  }
  template <typename T>
  static void zero(const ModelConfig& o, Params<T>& p) {
    p = zero_delta_product<T>(options(o), o.hidden_size, o.conv_width);
  }
  template <typename T>
  static void tensors(const ModelConfig&, Params<T>& m, MixerTensors<T>& t) {
    t.weight("mixer.q_proj.weight", m.q_proj);
    t.weight("mixer.k_proj.weight", m.k_proj);
    t.weight("mixer.v_proj.weight", m.v_proj);
    if (kGated) t.weight("mixer.a_proj.weight", m.a_proj);
    t.weight("mixer.b_proj.weight", m.b_proj);
    if (kGated) {
      t.vector("mixer.A_log", m.a_log);
      t.vector("mixer.dt_bias", m.dt_bias);
    }
    t.conv("mixer.q_conv1d.weight", m.q_conv);
    t.conv("mixer.k_conv1d.weight", m.k_conv);
    t.conv("mixer.v_conv1d.weight", m.v_conv);
    if (kGated) t.weight("mixer.g_proj.weight", m.g_proj);
    t.vector("mixer.o_norm.weight", m.o_norm);
    t.weight("mixer.o_proj.weight", m.o_proj);
  }
  static void init(const ModelConfig& o, Params<float>& p, Random& random) { init_delta_product(options(o), p, random); }
  template <typename T>
  static void forward(const ModelConfig& o, const Params<T>& p, const SequenceBatch& batch, const Matrix<T>& u,
                      Cache<T>& c, Matrix<T>& out) {
    delta_product_forward(options(o), p, batch, u, c, out);
  }
  template <typename T>
  static void backward(const ModelConfig& o, const Params<T>& p, const SequenceBatch& batch, const Matrix<T>& u,
                       Cache<T>& c, const Matrix<T>& d_out, Params<T>& g, Matrix<T>& d_u) {
    delta_product_backward(options(o), p, batch, u, c, d_out, g, d_u);
  }
};
template <>
struct MixerOf<Cell::deltanet> : DeltaProductMixer<Cell::deltanet> {};
template <>
struct MixerOf<Cell::gated_deltanet> : DeltaProductMixer<Cell::gated_deltanet> {};
template <>
struct MixerOf<Cell::deltaproduct> : DeltaProductMixer<Cell::deltaproduct> {};

}  // namespace statelab::models
