// Optimisation: AdamW with PyTorch's semantics (torch.optim.AdamW), gradient clipping by global
// norm (torch.nn.utils.clip_grad_norm_), and the learning-rate schedule (linear warm-up, then
// constant or cosine decay).
#pragma once

#include <cstdint>

#include "models/model.h"

namespace statelab::models {

struct AdamWConfig {
  float beta1 = 0.9f;
  float beta2 = 0.999f;
  float eps = 1e-8f;
  float weight_decay = 0.01f;  // torch.optim.AdamW's default; 0 gives torch.optim.Adam
};

struct AdamWState {
  std::int64_t step = 0;    // steps taken
  ModelParams<float> m, v;  // first and second moments, shaped like the parameters
};

AdamWState make_adamw_state(const ModelConfig& config);

/// One AdamW step at learning rate lr, exactly as torch.optim.AdamW (single-tensor path):
///   p *= 1 - lr wd;  m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
///   p -= (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps).
/// Time O(parameters).
void adamw_step(const ModelConfig& config, const AdamWConfig& adamw, float lr, ModelParams<float>& params,
                ModelGrads<float>& grads, AdamWState& state);

/// sqrt(sum of squares) of all gradients (accumulated in double, in named_tensors order).
double global_norm(const ModelConfig& config, ModelGrads<float>& grads);

/// As torch.nn.utils.clip_grad_norm_: multiplies every gradient by min(1, max_norm / (norm +
/// 1e-6)) and returns the norm before clipping.  Time O(parameters).
double clip_grad_norm(const ModelConfig& config, ModelGrads<float>& grads, double max_norm);

enum class Schedule { constant, cosine };

struct LrSchedule {
  float lr = 1e-3f;       // peak learning rate
  int warmup_steps = 0;   // linear ramp lr (s + 1) / warmup over steps s < warmup
  Schedule kind = Schedule::constant;
  int total_steps = 1;    // cosine: decays from lr at the end of warm-up to min_lr at total_steps
  float min_lr = 0.0f;
};

/// The learning rate of step s (0-based).
float learning_rate(const LrSchedule& schedule, std::int64_t step);

}  // namespace statelab::models
