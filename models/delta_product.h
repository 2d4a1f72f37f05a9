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

}  // namespace statelab::models
