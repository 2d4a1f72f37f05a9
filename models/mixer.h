// What a state-space mixer provides to the block of ssm.h, and the small pieces the mixers share.
//
// Each mixer's header specialises MixerOf for its Cell (or Cells) with everything the block needs
// from it, in one struct:
//
//   template <> struct MixerOf<Cell::s4d> {
//     template <typename T> using Params = S4dParams<T>;   // its parameters (and gradients)
//     template <typename T> using Cache = S4dCache<T>;     // what its backward needs, its workspace
//     static constexpr bool kGeluOutProj = true;           // block x + out_proj(GELU(mixer(LN(x))));
//                                                          // false: x + mixer(LN(x))
//     template <typename T> static void zero(const ModelConfig&, Params<T>&);          // shapes, all zero
//     template <typename T> static void tensors(const ModelConfig&, Params<T>&, MixerTensors<T>&);
//                                                          // every tensor, PyTorch's names and shapes
//     static void init(const ModelConfig&, Params<float>&, Random&);                   // the reference's init
//     template <typename T> static void forward(const ModelConfig&, const Params<T>&, const SequenceBatch&,
//                                               const Matrix<T>& u, Cache<T>&, Matrix<T>& out);
//     template <typename T> static void backward(const ModelConfig&, const Params<T>&, const SequenceBatch&,
//                                                const Matrix<T>& u, Cache<T>&, const Matrix<T>& d_out,
//                                                Params<T>& grads, Matrix<T>& d_u);  // accumulates grads
//   };
//
// mixers.h includes every mixer's header; ssm.h builds the block's parameter and cache slots and
// its one dispatch from the state-space rows of kArchitectures (architecture.h), so a row whose
// MixerOf is missing does not compile.  docs/hacking.md has the checklist.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "base/random.h"
#include "models/architecture.h"
#include "models/model_config.h"
#include "models/tensor.h"

namespace statelab::models {

/// The mixer of a state-space cell; specialised in the mixer's header (see above).
template <Cell kCell>
struct MixerOf;

/// The tensors of a block, named `prefix` + the reference module's name ("layers.0." + "mixer.A_log"),
/// appended to `out`.
template <typename T>
struct MixerTensors {
  const std::string& prefix;
  std::vector<NamedTensor<T>>& out;
  // A weight matrix: ours (rows, cols) column-major, torch's shape given (rows first).
  void matrix(const char* name, Matrix<T>& m, std::vector<std::int64_t> shape) {
    out.push_back({prefix + name, std::move(shape), m.data(), m.size(), true});
  }
  void weight(const char* name, Matrix<T>& m) { matrix(name, m, {m.rows(), m.cols()}); }
  void conv(const char* name, Matrix<T>& m) { matrix(name, m, {m.rows(), 1, m.cols()}); }  // torch (C, 1, W)
  void flat(const char* name, Vector<T>& v, std::vector<std::int64_t> shape) {
    out.push_back({prefix + name, std::move(shape), v.data(), v.size(), false});
  }
  void vector(const char* name, Vector<T>& v) { flat(name, v, {v.size()}); }
};

/// dt = exp(U(log 1e-3, log 1e-1)), the time steps of S4D and Mamba.
inline float init_log_uniform_dt(Random& random) {
  return std::exp(random.uniform(static_cast<float>(std::log(1e-3)), static_cast<float>(std::log(1e-1))));
}

/// Every element of m from U(±bound), in storage order.
template <typename M>
void init_uniform(M& m, double bound, Random& random) {
  for (Eigen::Index k = 0; k < m.size(); ++k)
    m.data()[k] = random.uniform(static_cast<float>(-bound), static_cast<float>(bound));
}

}  // namespace statelab::models
