// Elementwise activations on Eigen arrays shared by the layers.
#pragma once

#include <Eigen/Core>

namespace statelab::models {

/// σ(x) = 1 / (1 + e^-x), elementwise.
template <typename Derived>
auto sigmoid(const Eigen::ArrayBase<Derived>& x) {
  using T = typename Derived::Scalar;
  return (T(1) + (-x).exp()).inverse();
}

}  // namespace statelab::models
