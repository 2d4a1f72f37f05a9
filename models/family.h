// What a family of architectures provides to the model of model.h, and the dispatch over the
// families.  A family is the stack the architecture's layers run in (architecture.h's Family):
// recurrent layers (recurrent.h), pre-LN transformer blocks (transformer.h), residual
// state-space blocks (ssm.h).  Each family's header specialises FamilyOf with everything
// model_params.cc, model_forward.cc, model_batch.cc and safetensors.cc ask of it, so that none of
// them branches on the family:
//
//   template <> struct FamilyOf<Family::transformer> {
//     static constexpr bool kProjected = true;     // embedding -> input_proj (H, E) -> layers ->
//                                                  // final LayerNorm -> head; false: embedding -> layers -> head
//     static constexpr const char* kFinalNorm = "transformer.norm";  // the final LayerNorm's tensor name
//     template <typename T> static void zero(const ModelConfig&, ModelParams<T>&);   // its members' shapes, zero
//     template <typename T> static void tensors(const ModelConfig&, ModelParams<T>&, ModelTensors<T>&);
//                          // its tensors between input_proj (or the embedding) and the final norm (or the head),
//                          // PyTorch's names and shapes, each with its TensorInit (tensor.h)
//     static void init(const ModelConfig&, ModelParams<float>&, Random&);  // the whole model, from zero_params:
//                          // init_as_declared (model.h) draws each tensor as declared; a family whose
//                          // reference draws otherwise (state-space) does it here
//     template <typename T> static void forward(const ModelConfig&, const ModelParams<T>&, const SequenceBatch&,
//                                               ModelCache<T>&, const KvBound*);
//                          // from cache.projected (kProjected) or cache.embedded: fills cache.outputs (L)
//     template <typename T> static void backward(const ModelConfig&, const ModelParams<T>&, const SequenceBatch&,
//                                                ModelCache<T>&, ModelGrads<T>&);
//                          // from cache.d_top = dL/d outputs[L-1]: accumulates the gradients, leaves
//                          // cache.d_top = dL/d projected (kProjected) or writes cache.d_embedded
//     static int max_length(const ModelConfig&);   // the longest sequence it takes (0: any), for make_batch
//     static bool in_file(const SafetensorsFile&); // whether a checkpoint holds this family's tensors
//     static ModelConfig config_from_file(const CheckpointToInfer&, ModelConfig c);
//                          // the config of such a checkpoint; c has vocab_size and embedding_dim
//   };
//
// A new cell of an existing family needs none of this (its row in kArchitectures and its piece in
// the family's files, docs/hacking.md); a new family is a Family value, its FamilyOf and its
// members in ModelParams / ModelCache.
#pragma once

#include <cassert>
#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "models/architecture.h"
#include "models/layer_norm.h"
#include "models/linear.h"
#include "models/tensor.h"

namespace statelab::models {

struct ModelConfig;  // model_config.h
template <typename T>
struct ModelParams;  // model.h
template <typename T>
struct ModelCache;   // model.h
struct KvBound;      // kv_cache.h
struct SafetensorsFile;    // safetensors.h
struct CheckpointToInfer;  // safetensors.h

/// The family's interface (see above); specialised in the family's header.
template <Family kFamily>
struct FamilyOf;

/// The tensors of a model, as for_each_tensor hands them to its callback: torch's names and
/// shapes, each with how init_as_declared initialises it.
template <typename T>
struct ModelTensors {
  const std::function<void(const NamedTensor<T>&)>& f;
  // A matrix: column_major for a weight (ours (rows, cols) is torch's (rows, cols) row-major);
  // otherwise ours (rows, cols) column-major is torch's (cols, rows) (an embedding table).
  void matrix(std::string name, Matrix<T>& m, bool column_major, TensorInit init) const {
    std::vector<std::int64_t> shape = {m.rows(), m.cols()};
    if (!column_major) std::swap(shape[0], shape[1]);
    f({std::move(name), std::move(shape), m.data(), m.size(), column_major, init});
  }
  void vector(std::string name, Vector<T>& v, TensorInit init) const {
    f({std::move(name), {v.size()}, v.data(), v.size(), false, init});
  }
  // torch.nn.Linear: weight (out, in) and bias (out), both U(±1/sqrt(in)) unless said otherwise.
  void linear(const std::string& name, LinearParams<T>& l) const {
    const auto bound = TensorInit::uniform_bound(1.0f / std::sqrt(static_cast<float>(l.weight.cols())));
    linear(name, l, bound, bound);
  }
  void linear(const std::string& name, LinearParams<T>& l, TensorInit weight, TensorInit bias) const {
    matrix(name + ".weight", l.weight, true, weight);
    vector(name + ".bias", l.bias, bias);
  }
  // torch.nn.LayerNorm: weight 1, bias 0.
  void norm(const std::string& name, LayerNormParams<T>& n) const {
    vector(name + ".weight", n.weight, TensorInit::fill(1.0f));
    vector(name + ".bias", n.bias, TensorInit::fill(0.0f));
  }
};

/// Calls f(std::integral_constant<Family, family>{}) (the one dispatch over the families).
template <typename F>
decltype(auto) with_family(Family family, F&& f) {
  switch (family) {
    case Family::recurrent: return f(std::integral_constant<Family, Family::recurrent>{});
    case Family::transformer: return f(std::integral_constant<Family, Family::transformer>{});
    case Family::state_space: break;
  }
  assert(family == Family::state_space);
  return f(std::integral_constant<Family, Family::state_space>{});
}

}  // namespace statelab::models
