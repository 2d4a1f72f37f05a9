// The stabilised exponential gating of xLSTM (Beck et al., NeurIPS 2024, equations 15-17), shared
// by the sLSTM and mLSTM mixers: an input gate exp(i~), a sigmoid forget gate in log space, and
// the stabiliser m_t = max(log f_t + m_{t-1}, i~_t) with m_1 = i~_1 (the states start at zero,
// so m_0 = -inf), which scales the states by exp(-m_t) and leaves every output unchanged.
#pragma once

#include <algorithm>
#include <cmath>

namespace statelab::models {

/// sigmoid(x) = 1 / (1 + e^-x) of one value (the output gates).
template <typename T>
T gate_sigmoid(T x) {
  return T(1) / (T(1) + std::exp(-x));
}

/// log sigmoid(x), without overflow for either sign.
template <typename T>
T log_sigmoid(T x) {
  return x < 0 ? x - std::log1p(std::exp(x)) : -std::log1p(std::exp(-x));
}

/// One step of the gates: the stabiliser m_t and the stabilised gates i'_t = exp(i~ - m_t),
/// f'_t = exp(log sigmoid(f~) + m_{t-1} - m_t) (0 at the first step, whose previous state is 0).
template <typename T>
struct ExpGate {
  T m, i, f;
};
template <typename T>
ExpGate<T> exp_gate(T i_pre, T f_pre, T m_prev, bool first) {
  if (first) return {i_pre, T(1), T(0)};
  const T lf = log_sigmoid(f_pre);
  const T m = std::max(lf + m_prev, i_pre);
  return {m, std::exp(i_pre - m), std::exp(lf + m_prev - m)};
}

/// d log sigmoid(x) / dx = sigmoid(-x).
template <typename T>
T log_sigmoid_grad(T x) {
  return T(1) / (T(1) + std::exp(x));
}

/// The forget-gate bias at initialisation: linspace(3, 6) over `n` (3 when n = 1).
inline float forget_bias(int k, int n) { return n == 1 ? 3.0f : 3.0f + 3.0f * static_cast<float>(k) / static_cast<float>(n - 1); }

}  // namespace statelab::models
