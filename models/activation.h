// Elementwise activations on Eigen arrays shared by the layers.
#pragma once

#include <Eigen/Core>

#include <cmath>
#include <concepts>

namespace statelab::models {

/// σ(x) = 1 / (1 + e^-x), elementwise.
template <typename Derived>
auto sigmoid(const Eigen::ArrayBase<Derived>& x) {
  using T = typename Derived::Scalar;
  return (T(1) + (-x).exp()).inverse();
}

/// The same on one number, and the others the delta rules and cdssm use (in a namespace of their
/// own, so that the files with scalar helpers of their own keep them unambiguous).
namespace scalar {
template <std::floating_point T>
T sigmoid(T x) {
  return T(1) / (T(1) + std::exp(-x));
}
/// SiLU(x) = x σ(x) and its derivative σ(x) (1 + x (1 - σ(x))).
template <std::floating_point T>
T silu(T x) {
  return x * sigmoid(x);
}
template <std::floating_point T>
T silu_grad(T x) {
  const T s = sigmoid(x);
  return s * (T(1) + x * (T(1) - s));
}
/// torch.nn.functional.softplus (beta 1, threshold 20: x above 20 passes through) and its derivative.
template <std::floating_point T>
T softplus(T x) {
  return x > T(20) ? x : std::log1p(std::exp(x));
}
template <std::floating_point T>
T softplus_grad(T x) {
  return x > T(20) ? T(1) : sigmoid(x);
}
}  // namespace scalar

}  // namespace statelab::models
