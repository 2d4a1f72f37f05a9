// The blocks of the state-space architectures s4d, mamba and ids4: a pre-LayerNorm residual
// block around one sequence mixer, as in bench/reference/torch_reference.py:
//
//   s4d, ids4   x <- x + out_proj(GELU(mixer(LayerNorm(x))))     out_proj: Linear(H, H) with bias
//   mamba       x <- x + Mamba(LayerNorm(x))                     (the mixer ends in its own out_proj)
//   deltanet    x <- x + DeltaNet(LayerNorm(x))                  (likewise, o_proj; delta_product.h with one step, no gate)
//   mlstm       x <- x + mLSTM(LayerNorm(x))                     (likewise, out_proj; mlstm.h)
//   slstm       x <- x + sLSTM(LayerNorm(x))                     (likewise, out_proj; slstm.h)
//   gated-deltanet, deltaproduct   x <- x + mixer(LayerNorm(x))  (likewise, o_proj; delta_product.h)
//   cdssm       x <- x + Cdssm(LayerNorm(x))                     (likewise, out_proj; cdssm.h)
//
// GELU is the exact one (erf), as torch.nn.functional.gelu.  The mixers are in s4d.h, mamba.h and
// ids4.h; the stack around the blocks (embedding, input projection Linear(E, H), final LayerNorm,
// head) is in model.h.  Tensor names per block l: layers.{l}.norm.{weight,bias},
// layers.{l}.mixer.<the mixer's names>, layers.{l}.out_proj.{weight,bias} (s4d, ids4).
#pragma once

#include "base/random.h"
#include "models/cdssm.h"
#include "models/delta_product.h"
#include "models/ids4.h"
#include "models/layer_norm.h"
#include "models/linear.h"
#include "models/mamba.h"
#include "models/mlstm.h"
#include "models/slstm.h"
#include "models/recurrent.h"
#include "models/s4d.h"
#include "models/tensor.h"

#include <string>
#include <vector>

namespace statelab::models {

/// What a block needs from the model config (see ModelConfig in model.h).
struct SsmOptions {
  Cell cell = Cell::s4d;  // s4d, mamba or ids4
  int hidden_size = 64;   // H = d_model
  int state_size = 16;    // N
  int expand = 2;         // mamba: E = expand * H
  int conv_width = 4;     // mamba: W
  bool negative_eigenvalues = false;  // s4d, mamba
  bool s4d_convolution = false;       // s4d: compute by the kernel instead of the recurrence
  int num_heads = 4;                  // deltanet, mlstm, slstm, gated-deltanet, deltaproduct: h heads of width H / h
  int householder = 2;                // deltaproduct: Householder steps per token
};

/// mamba's dt_rank: ceil(H / 16), as mamba_ssm's "auto".
constexpr int mamba_dt_rank(int hidden_size) { return (hidden_size + 15) / 16; }

template <typename T>
struct SsmBlockParams {
  LayerNormParams<T> norm;
  S4dParams<T> s4d;          // s4d only (empty otherwise)
  MambaParams<T> mamba;      // mamba only
  Ids4Params<T> ids4;        // ids4 only
  MlstmParams<T> mlstm;        // mlstm only
  SlstmParams<T> slstm;        // slstm only
  DeltaProductParams<T> delta_product;  // deltanet, gated-deltanet and deltaproduct only
  CdssmParams<T> cdssm;                 // cdssm only
  LinearParams<T> out_proj;  // s4d and ids4: (H, H)
};
template <typename T>
using SsmBlockGrads = SsmBlockParams<T>;

template <typename T>
struct SsmBlockCache {
  LayerNormCache<T> norm;
  Matrix<T> normed;     // (H, T*B) LayerNorm(x)
  Matrix<T> mixed;      // (H, T*B) mixer output (s4d, ids4: before GELU)
  Matrix<T> activated;  // (H, T*B) s4d, ids4: GELU(mixed)
  Matrix<T> branch;     // (H, T*B) what the block adds to x
  S4dCache<T> s4d;
  MambaCache<T> mamba;
  Ids4Cache<T> ids4;
  MlstmCache<T> mlstm;
  SlstmCache<T> slstm;
  DeltaProductCache<T> delta_product;
  CdssmCache<T> cdssm;
  Matrix<T> d_branch, d_mixed, d_normed, d_x_norm;  // backward workspace
};

/// Parameters of the right shapes for the options, all zero.
template <typename T>
SsmBlockParams<T> zero_ssm_block(const SsmOptions& options);

/// Every tensor of the block in a fixed order (norm, mixer, out_proj), named `prefix` + the
/// reference module's name (e.g. prefix "layers.0." gives "layers.0.mixer.A_log"), appended to out.
template <typename T>
void append_ssm_block_tensors(const SsmOptions& options, const std::string& prefix, SsmBlockParams<T>& params,
                              std::vector<NamedTensor<T>>& out);

/// The reference modules' initialisation (torch_reference.py / mamba_ssm), from `random`:
/// LayerNorm 1 / 0; Linear weights and biases U(±1/sqrt(fan_in)); s4d: log_dt U(log 1e-3,
/// log 1e-1), log_a_real log 0.5, a_imag π n, B = 1, C ~ N(0, 1/2) per part, D = 1; mamba:
/// conv U(±1/sqrt(W)), dt_proj.weight U(±R^-1/2), dt_proj.bias = softplus⁻¹(dt) with
/// dt = exp(U(log 1e-3, log 1e-1)) >= 1e-4, A_log = log(1..N), D = 1; ids4: A_proj.bias = the
/// identity, A_proj.weight U(±0.1/sqrt(H)), B_proj U(±1/sqrt(H)), C U(±1/sqrt(N)), D = 1.
void init_ssm_block(const SsmOptions& options, SsmBlockParams<float>& params, Random& random);

/// out = x + branch(x) (H, T*B), zero in padding.  Time: the mixer's (see s4d.h, mamba.h, ids4.h)
/// plus O(T B H²) for out_proj.
template <typename T>
void ssm_block_forward(const SsmOptions& options, const SsmBlockParams<T>& params, const SequenceBatch& batch,
                       const Matrix<T>& x, SsmBlockCache<T>& cache, Matrix<T>& out);

/// Accumulates dL/dparams into grads and writes d_x = d_out + dL/dx through the branch.
template <typename T>
void ssm_block_backward(const SsmOptions& options, const SsmBlockParams<T>& params, const SequenceBatch& batch,
                        const Matrix<T>& x, SsmBlockCache<T>& cache, const Matrix<T>& d_out,
                        SsmBlockGrads<T>& grads, Matrix<T>& d_x);

}  // namespace statelab::models
