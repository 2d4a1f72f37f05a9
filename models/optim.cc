#include "models/optim.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace statelab::models {

AdamWState make_adamw_state(const ModelConfig& config) {
  return AdamWState{0, zero_params<float>(config), zero_params<float>(config)};
}

void adamw_step(const ModelConfig& config, const AdamWConfig& a, float lr, ModelParams<float>& params,
                ModelGrads<float>& grads, AdamWState& state) {
  ++state.step;
  // Bias corrections in double, as torch computes them in Python floats.
  const double bias_correction1 = 1.0 - std::pow(static_cast<double>(a.beta1), static_cast<double>(state.step));
  const double bias_correction2 = 1.0 - std::pow(static_cast<double>(a.beta2), static_cast<double>(state.step));
  const auto step_size = static_cast<float>(lr / bias_correction1);
  const auto bias_correction2_sqrt = static_cast<float>(std::sqrt(bias_correction2));
  const float decay = 1.0f - lr * a.weight_decay;
  auto p = named_tensors(config, params);
  auto g = named_tensors(config, grads);
  auto m = named_tensors(config, state.m);
  auto v = named_tensors(config, state.v);
  for (std::size_t i = 0; i < p.size(); ++i) {
    Eigen::Map<Eigen::ArrayXf> pi(p[i].data, p[i].size), gi(g[i].data, g[i].size);
    Eigen::Map<Eigen::ArrayXf> mi(m[i].data, m[i].size), vi(v[i].data, v[i].size);
    pi *= decay;                                             // p = p (1 - lr wd)
    mi = mi * a.beta1 + gi * (1.0f - a.beta1);               // m = b1 m + (1 - b1) g
    vi = vi * a.beta2 + gi.square() * (1.0f - a.beta2);      // v = b2 v + (1 - b2) g^2
    pi -= step_size * mi / (vi.sqrt() / bias_correction2_sqrt + a.eps);
  }
}

double global_norm(const ModelConfig& config, ModelGrads<float>& grads) {
  double sum = 0;
  for (const auto& t : named_tensors(config, grads))
    for (std::int64_t k = 0; k < t.size; ++k) sum += static_cast<double>(t.data[k]) * t.data[k];
  return std::sqrt(sum);
}

double clip_grad_norm(const ModelConfig& config, ModelGrads<float>& grads, double max_norm) {
  const double norm = global_norm(config, grads);
  const auto coef = static_cast<float>(std::min(1.0, max_norm / (norm + 1e-6)));
  if (coef < 1.0f)
    for (const auto& t : named_tensors(config, grads)) Eigen::Map<Eigen::ArrayXf>(t.data, t.size) *= coef;
  return norm;
}

float learning_rate(const LrSchedule& s, std::int64_t step) {
  if (step < s.warmup_steps) return s.lr * static_cast<float>(step + 1) / static_cast<float>(s.warmup_steps);
  if (s.kind == Schedule::constant) return s.lr;
  const double span = std::max<std::int64_t>(1, s.total_steps - s.warmup_steps);
  const double progress = std::min(1.0, static_cast<double>(step - s.warmup_steps) / span);
  return static_cast<float>(s.min_lr + 0.5 * (s.lr - s.min_lr) * (1.0 + std::cos(std::numbers::pi * progress)));
}

}  // namespace statelab::models
