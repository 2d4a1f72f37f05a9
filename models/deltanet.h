// The DeltaNet mixer (Schlag, Irie, Schmidhuber 2021; Yang et al. 2024), named as
// flash-linear-attention's `DeltaNet` layer, with the delta rule computed by its naive
// recurrence, over the time-major (H, T*B) layout of tensor.h.  h heads of width d = H / h,
// W = conv width (4):
//
//   q~, k~, v~ = q_proj u, k_proj u, v_proj u         q_proj, k_proj, v_proj (H, H), no bias
//   q, k, v    = SiLU(causal depthwise conv1d(.))     q_conv1d, k_conv1d, v_conv1d (H, 1, W), no bias,
//                                                     c'_t = Σ_k w_k c_{t-W+1+k} (as mamba's conv1d)
//   per head   q <- q / sqrt(|q|² + 1e-6),  k <- k / sqrt(|k|² + 1e-6)
//   beta       = sigmoid(b_proj u)                    b_proj (h, H), no bias; negative_eigenvalues:
//                                                     beta <- 2 beta (Grazzi et al. 2025: the
//                                                     transition I - beta k kᵀ has eigenvalues in [-1, 1])
//   S_0 = 0 (d x d per head),  S_t = S_{t-1} - beta_t (S_{t-1} k_t - v_t) k_tᵀ,  o_t = S_t q_t / sqrt(d)
//   o          <- RMSNorm over each head's d values   o_norm.weight (d), eps 1e-5, shared by the heads
//   out        = o_proj concat(o)                     o_proj (H, H), no bias
//
// The convolution is causal within each sequence and never reads padding.  The recurrence runs
// per sequence and head as plain loops, in a fixed order, so results do not depend on threads;
// backward recomputes one (sequence, head)'s states at a time (O(T d²) workspace).
// Time O(T B H (4H + W + d)) forward and backward.
#pragma once

#include "base/random.h"
#include "models/tensor.h"

namespace statelab::models {

template <typename T>
struct DeltaNetParams {
  Matrix<T> q_proj, k_proj, v_proj;  // (H, H)  {q,k,v}_proj.weight
  Matrix<T> b_proj;                  // (h, H)  b_proj.weight
  Matrix<T> q_conv, k_conv, v_conv;  // (H, W)  {q,k,v}_conv1d.weight, torch shape (H, 1, W)
  Vector<T> o_norm;                  // (d)     o_norm.weight
  Matrix<T> o_proj;                  // (H, H)  o_proj.weight
};
template <typename T>
using DeltaNetGrads = DeltaNetParams<T>;

struct DeltaNetOptions {
  int heads = 4;                      // h; hidden_size is a multiple of it
  bool negative_eigenvalues = false;  // beta <- 2 beta
};

template <typename T>
struct DeltaNetCache {
  Matrix<T> pre[3];    // (H, T*B) q~, k~, v~
  Matrix<T> conv[3];   // (H, T*B) the convolutions, before SiLU
  Matrix<T> act[3];    // (H, T*B) q, k, v after SiLU (q, k before normalisation)
  Matrix<T> qn, kn;    // (H, T*B) q, k normalised per head
  Matrix<T> norms;     // (2h, T*B) sqrt(|q|² + 1e-6) rows 0..h-1, sqrt(|k|² + 1e-6) rows h..2h-1
  Matrix<T> b_pre;     // (h, T*B) b_proj u
  Matrix<T> beta;      // (h, T*B)
  Matrix<T> o;         // (H, T*B) S_t q_t / sqrt(d)
  Matrix<T> rms;       // (h, T*B) 1 / sqrt(mean(o²) + 1e-5) per head
  Matrix<T> normed;    // (H, T*B) RMSNorm(o), what o_proj reads
  Matrix<T> states;    // (d*d, T+1) backward: one (sequence, head)'s states, recomputed
  Matrix<T> d_normed, d_o, d_qn, d_kn, d_beta, d_act[3], d_pre[3];  // backward workspace
};

/// Parameters of the right shapes, all zero (H = hidden, W = conv width).
template <typename T>
DeltaNetParams<T> zero_deltanet(const DeltaNetOptions& options, int hidden, int conv_width);

/// torch's defaults for fla's modules: every projection U(±1/sqrt(H)) (nn.Linear), every
/// convolution U(±1/sqrt(W)) (nn.Conv1d, fan_in = W), o_norm.weight 1.
void init_deltanet(DeltaNetParams<float>& params, Random& random);

/// out (H, T*B) (resized), zero in padding.  u: (H, T*B), zero in padding.
template <typename T>
void deltanet_forward(const DeltaNetOptions& options, const DeltaNetParams<T>& params, const SequenceBatch& batch,
                      const Matrix<T>& u, DeltaNetCache<T>& cache, Matrix<T>& out);

/// Accumulates dL/dparams into grads and writes d_u = dL/du (H, T*B).  d_out is zero in padding.
template <typename T>
void deltanet_backward(const DeltaNetOptions& options, const DeltaNetParams<T>& params, const SequenceBatch& batch,
                       const Matrix<T>& u, DeltaNetCache<T>& cache, const Matrix<T>& d_out, DeltaNetGrads<T>& grads,
                       Matrix<T>& d_u);

}  // namespace statelab::models
