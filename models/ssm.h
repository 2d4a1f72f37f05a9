// The blocks of the state-space architectures: a pre-LayerNorm residual block around one sequence
// mixer, as tools/make_torch_fixtures.py's SsmBlock:
//
//   kGeluOutProj mixers (s4d, ids4)   x <- x + out_proj(GELU(mixer(LayerNorm(x))))   out_proj: Linear(H, H) with bias
//   the others                        x <- x + mixer(LayerNorm(x))   (the mixer ends in its own output projection)
//
// GELU is the exact one (erf), as torch.nn.functional.gelu.  Each mixer is its own file pair with
// its MixerOf (mixer.h), listed in mixers.h; the block holds its parameters and cache in one slot
// each and dispatches over the state-space rows of kArchitectures, so nothing here names a mixer.
// The stack around the blocks (embedding, input projection Linear(E, H), final LayerNorm, head) is
// in model.h.  Tensor names per block l: layers.{l}.norm.{weight,bias},
// layers.{l}.mixer.<the mixer's names>, layers.{l}.out_proj.{weight,bias} (s4d, ids4).
#pragma once

#include "base/random.h"
#include "models/architecture.h"
#include "models/family.h"
#include "models/layer_norm.h"
#include "models/linear.h"
#include "models/mixer.h"
#include "models/mixers.h"
#include "models/tensor.h"

#include <array>
#include <cstddef>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace statelab::models {

/// The state-space cells, in Cell order: the rows of kArchitectures whose family is state_space.
inline constexpr const auto& kSsmCells = kCellsOf<Family::state_space>;
inline constexpr std::size_t kSsmCellCount = kSsmCells.size();

/// Where a block keeps the mixer of `cell`: 1 + its position in kSsmCells (0, the empty slot, for
/// the cells of the other families).
constexpr std::size_t mixer_slot(Cell cell) {
  for (std::size_t i = 0; i < kSsmCellCount; ++i)
    if (kSsmCells[i] == cell) return i + 1;
  return 0;
}

/// The mixer in slot `kSlot` (>= 1).
template <std::size_t kSlot>
using MixerAt = MixerOf<kSsmCells[kSlot - 1]>;

namespace detail {
template <typename T, typename Slots>
struct MixerSlots;
template <typename T, std::size_t... I>
struct MixerSlots<T, std::index_sequence<I...>> {
  using Params = std::variant<std::monostate, typename MixerAt<I + 1>::template Params<T>...>;
  using Cache = std::variant<std::monostate, typename MixerAt<I + 1>::template Cache<T>...>;
};
template <typename T>
using AllMixerSlots = MixerSlots<T, std::make_index_sequence<kSsmCellCount>>;
}  // namespace detail

template <typename T>
struct SsmBlockParams {
  LayerNormParams<T> norm;
  typename detail::AllMixerSlots<T>::Params mixer;  // MixerOf<cell>::Params in slot mixer_slot(cell)
  LinearParams<T> out_proj;                         // kGeluOutProj mixers (s4d, ids4): (H, H)
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
  typename detail::AllMixerSlots<T>::Cache mixer;  // MixerOf<cell>::Cache in slot mixer_slot(cell)
  Matrix<T> d_branch, d_mixed, d_normed, d_x_norm;  // backward workspace
};

/// The parameters of `block`'s mixer, a block of a `kCell` model (throws std::bad_variant_access
/// for a block of another mixer): mixer_params<Cell::s4d>(block).log_dt.
template <Cell kCell, typename T>
auto& mixer_params(SsmBlockParams<T>& block) {
  return std::get<mixer_slot(kCell)>(block.mixer);
}
template <Cell kCell, typename T>
const auto& mixer_params(const SsmBlockParams<T>& block) {
  return std::get<mixer_slot(kCell)>(block.mixer);
}

/// Parameters of the right shapes for the config (a state-space cell), all zero.
template <typename T>
SsmBlockParams<T> zero_ssm_block(const ModelConfig& config);

/// Every tensor of the block in a fixed order (norm, mixer, out_proj), named `prefix` + the
/// reference module's name (e.g. prefix "layers.0." gives "layers.0.mixer.A_log"), appended to out.
template <typename T>
void append_ssm_block_tensors(const ModelConfig& config, const std::string& prefix, SsmBlockParams<T>& params,
                              std::vector<NamedTensor<T>>& out);

/// The reference modules' initialisation (torch_reference.py / mamba_ssm), from `random`:
/// LayerNorm 1 / 0, then the mixer's (its MixerOf::init), then out_proj's Linear weight and bias
/// U(±1/sqrt(H)) where the block has one.
void init_ssm_block(const ModelConfig& config, SsmBlockParams<float>& params, Random& random);

/// out = x + branch(x) (H, T*B), zero in padding.  Time: the mixer's (see its header)
/// plus O(T B H²) for out_proj.
template <typename T>
void ssm_block_forward(const ModelConfig& config, const SsmBlockParams<T>& params, const SequenceBatch& batch,
                       const Matrix<T>& x, SsmBlockCache<T>& cache, Matrix<T>& out);

/// Accumulates dL/dparams into grads and writes d_x = d_out + dL/dx through the branch.
template <typename T>
void ssm_block_backward(const ModelConfig& config, const SsmBlockParams<T>& params, const SequenceBatch& batch,
                        const Matrix<T>& x, SsmBlockCache<T>& cache, const Matrix<T>& d_out,
                        SsmBlockGrads<T>& grads, Matrix<T>& d_x);

/// The state-space family (family.h): embedding -> input_proj -> L blocks -> final LayerNorm
/// ("final_norm") -> head, tensors `layers.{l}.*` as above.  Initialised as the reference
/// modules (torch_reference.py / mamba_ssm), each drawn in our storage order: embedding N(0, 1),
/// input_proj U(±1/sqrt(E)), the blocks (init_ssm_block), final LayerNorm 1 / 0, head
/// U(±1/sqrt(H)).  A checkpoint (recognised by `input_proj.weight`) needs its config in metadata
/// statelab.model: the state size, expansion and switches are not all in the tensors.
template <>
struct FamilyOf<Family::state_space> {
  static constexpr bool kProjected = true;
  static constexpr const char* kFinalNorm = "final_norm";
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
