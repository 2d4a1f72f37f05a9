#include "models/transformer.h"

#include <unsupported/Eigen/SpecialFunctions>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <string>
#include <utility>

#include "models/error.h"
#include "models/kv_cache.h"
#include "models/model.h"
#include "models/safetensors.h"

namespace statelab::models {

const char* positional_name(Positional positional) {
  switch (positional) {
    case Positional::none: return "none";
    case Positional::learned: return "learned";
    case Positional::sinusoidal: return "sinusoidal";
    case Positional::alibi: return "alibi";
    case Positional::hard_alibi: return "hard-alibi";
  }
  return "?";
}

const char* activation_name(Activation activation) {
  switch (activation) {
    case Activation::gelu: return "gelu";
    case Activation::relu: return "relu";
  }
  return "?";
}

Positional parse_positional(std::string_view name) {
  for (Positional p : kPositionals)
    if (name == positional_name(p)) return p;
  throw ModelError("positional encoding '" + std::string(name) +
                   "' is unknown (expected none, learned, sinusoidal, alibi or hard-alibi)");
}

Activation parse_activation(std::string_view name) {
  for (Activation a : kActivations)
    if (name == activation_name(a)) return a;
  throw ModelError("activation '" + std::string(name) + "' is unknown (expected gelu or relu)");
}

std::vector<double> alibi_slopes(int num_heads) {
  auto power_of_two = [](int n) {  // get_slopes_power_of_2 of the reference code
    std::vector<double> out;
    const double start = std::pow(2.0, -std::pow(2.0, -(std::log2(static_cast<double>(n)) - 3)));
    for (int i = 0; i < n; ++i) out.push_back(start * std::pow(start, i));
    return out;
  };
  if (num_heads <= 0) return {};
  int p = 1;
  while (p * 2 <= num_heads) p *= 2;
  std::vector<double> out = power_of_two(p);
  if (p == num_heads) return out;
  const std::vector<double> finer = power_of_two(2 * p);
  for (int i = 0; static_cast<int>(out.size()) < num_heads; i += 2) out.push_back(finer[i]);
  return out;
}

AttentionSpec attention_spec(int num_heads, bool causal, Positional positional, int window_heads, int window) {
  AttentionSpec spec;
  spec.num_heads = num_heads;
  spec.causal = causal;
  spec.slopes.assign(num_heads, 0.0);
  spec.windows.assign(num_heads, 0);
  if (positional == Positional::alibi) spec.slopes = alibi_slopes(num_heads);
  if (positional == Positional::hard_alibi)
    for (int h = 0; h < std::min(window_heads, num_heads); ++h) spec.windows[h] = window > 0 ? window : h + 1;
  return spec;
}

namespace {

template <typename T>
using Strided = Eigen::Map<Matrix<T>, 0, Eigen::OuterStride<>>;
template <typename T>
using ConstStrided = Eigen::Map<const Matrix<T>, 0, Eigen::OuterStride<>>;

// The keys query j of a sequence of length n may read under head h: [lo, hi] (empty when hi < lo:
// query 0 under strict masking).
struct KeyRange {
  int lo, hi;
};
KeyRange key_range(const AttentionSpec& spec, int h, int j, int n) {
  KeyRange r{0, spec.causal ? (spec.strict ? j - 1 : j) : n - 1};
  const int w = spec.windows[h];
  if (w > 0) {
    r.lo = std::max(0, j - w + 1);
    if (!spec.causal) r.hi = std::min(n - 1, j + w - 1);
  }
  return r;
}

// exact GELU: x Φ(x) = x (1 + erf(x / sqrt 2)) / 2, and its derivative Φ(x) + x φ(x).
template <typename T>
constexpr T kSqrtHalf = T(0.70710678118654752440);
template <typename T>
constexpr T kInvSqrt2Pi = T(0.39894228040143267794);

}  // namespace

template <typename T>
void attention_forward(const AttentionSpec& spec, const SequenceBatch& batch, const Matrix<T>& qkv,
                       AttentionCache<T>& cache, Matrix<T>& context) {
  const int A = spec.num_heads, B = batch.batch_size;
  const Eigen::Index D3 = qkv.rows(), D = D3 / 3, dh = D / A;
  assert(D3 == 3 * D && D == dh * A && qkv.cols() == batch.columns());
  const T scale = T(1) / std::sqrt(static_cast<T>(dh));
  context.resize(D, qkv.cols());
  zero_padding(batch, context);
  cache.offsets.resize(B);
  std::ptrdiff_t total = 0;
  for (int b = 0; b < B; ++b) {
    cache.offsets[b] = total;
    total += static_cast<std::ptrdiff_t>(A) * batch.lengths[b] * batch.lengths[b];
  }
  if (cache.probs.size() < total) cache.probs.resize(total);
  if (cache.ramp.size() < batch.max_length)
    cache.ramp = Vector<T>::LinSpaced(batch.max_length, 0, T(batch.max_length - 1));

  for (int b = 0; b < B; ++b) {
    const int n = batch.lengths[b];
    if (n == 0) continue;
    for (int h = 0; h < A; ++h) {
      const ConstStrided<T> q(qkv.data() + b * D3 + h * dh, dh, n, Eigen::OuterStride<>(B * D3));
      const ConstStrided<T> k(q.data() + D, dh, n, Eigen::OuterStride<>(B * D3));
      const ConstStrided<T> v(q.data() + 2 * D, dh, n, Eigen::OuterStride<>(B * D3));
      Eigen::Map<Matrix<T>> p(cache.probs.data() + cache.offsets[b] + static_cast<std::ptrdiff_t>(h) * n * n, n, n);
      p.noalias() = scale * (k.transpose() * q);  // S = K'Q / sqrt(d_h)  (keys, queries)
      const T slope = static_cast<T>(spec.slopes[h]);
      if (!spec.causal && spec.windows[h] == 0 && slope == T(0)) {  // every key (vectorised exp per column)
        for (int j = 0; j < n; ++j) {
          auto s = p.col(j);
          s = (s.array() - s.maxCoeff()).exp().matrix();
          s /= s.sum();
        }
      } else {
        for (int j = 0; j < n; ++j) {
          const KeyRange r = key_range(spec, h, j, n);
          if (r.hi < r.lo) {  // no key: the head's output is 0 (and so are its gradients)
            p.col(j).setZero();
            continue;
          }
          auto s = p.col(j).segment(r.lo, r.hi - r.lo + 1);
          if (slope != T(0)) s.array() -= slope * (cache.ramp.segment(r.lo, r.hi - r.lo + 1).array() - T(j)).abs();
          const T m = s.maxCoeff();
          s = (s.array() - m).exp().matrix();
          s /= s.sum();
          p.col(j).head(r.lo).setZero();
          p.col(j).tail(n - 1 - r.hi).setZero();
        }
      }
      Strided<T> o(context.data() + b * D + h * dh, dh, n, Eigen::OuterStride<>(B * D));
      o.noalias() = v * p;  // O = V P
    }
  }
}

template <typename T>
void attention_backward(const AttentionSpec& spec, const SequenceBatch& batch, const Matrix<T>& qkv,
                        AttentionCache<T>& cache, const Matrix<T>& d_context, Matrix<T>& d_qkv) {
  const int A = spec.num_heads, B = batch.batch_size;
  const Eigen::Index D3 = qkv.rows(), D = D3 / 3, dh = D / A;
  const T scale = T(1) / std::sqrt(static_cast<T>(dh));
  d_qkv.resize(D3, qkv.cols());
  zero_padding(batch, d_qkv);
  const int Tmax = batch.max_length;
  if (cache.d_probs.rows() < Tmax) cache.d_probs.resize(Tmax, Tmax);
  for (int b = 0; b < B; ++b) {
    const int n = batch.lengths[b];
    if (n == 0) continue;
    for (int h = 0; h < A; ++h) {
      const Eigen::OuterStride<> stride(B * D3);
      const ConstStrided<T> q(qkv.data() + b * D3 + h * dh, dh, n, stride);
      const ConstStrided<T> k(q.data() + D, dh, n, stride);
      const ConstStrided<T> v(q.data() + 2 * D, dh, n, stride);
      Strided<T> dq(d_qkv.data() + b * D3 + h * dh, dh, n, stride);
      Strided<T> dk(dq.data() + D, dh, n, stride);
      Strided<T> dv(dq.data() + 2 * D, dh, n, stride);
      const ConstStrided<T> d_o(d_context.data() + b * D + h * dh, dh, n, Eigen::OuterStride<>(B * D));
      const Eigen::Map<const Matrix<T>> p(
          cache.probs.data() + cache.offsets[b] + static_cast<std::ptrdiff_t>(h) * n * n, n, n);
      auto ds = cache.d_probs.topLeftCorner(n, n);
      dv.noalias() = d_o * p.transpose();     // dV = dO P'
      ds.noalias() = v.transpose() * d_o;     // dP = V' dO
      for (int j = 0; j < n; ++j) {           // dS = P ⊙ (dP - Σ_i P dP), per query column
        auto d = ds.col(j);
        const auto pj = p.col(j);
        d = (pj.array() * (d.array() - pj.dot(d))).matrix();
      }
      dq.noalias() = scale * (k * ds);              // dQ = K dS / sqrt(d_h)
      dk.noalias() = scale * (q * ds.transpose());  // dK = Q dS' / sqrt(d_h)
    }
  }
}

template <typename T>
void transformer_block_qkv(const TransformerBlockParams<T>& p, const Matrix<T>& x, TransformerBlockCache<T>& cache) {
  layer_norm_forward(p.norm1, x, cache.norm1, cache.ln1);  // (D, N)
  linear_forward(p.in_proj, cache.ln1, cache.qkv);        // (3D, N)
}

template <typename T>
void transformer_block_finish(Activation activation, const TransformerBlockParams<T>& p, const SequenceBatch& batch,
                              const Matrix<T>& x, TransformerBlockCache<T>& cache, Matrix<T>& out) {
  linear_forward(p.out_proj, cache.context, cache.mid);  // W_o O + b_o
  cache.mid += x;                                        // mid = x + attention
  zero_padding(batch, cache.mid);
  layer_norm_forward(p.norm2, cache.mid, cache.norm2, cache.ln2);
  linear_forward(p.linear1, cache.ln2, cache.pre);  // (F, N)
  cache.act.resize(cache.pre.rows(), cache.pre.cols());
  if (activation == Activation::relu) {
    cache.act.array() = cache.pre.array().max(T(0));
  } else {
    cache.act.array() = cache.pre.array() * (T(1) + (cache.pre.array() * kSqrtHalf<T>).erf()) * T(0.5);
  }
  linear_forward(p.linear2, cache.act, out);  // W_2 act + b_2
  out += cache.mid;
  zero_padding(batch, out);
}

template <typename T>
void transformer_block_forward(const AttentionSpec& spec, Activation activation, const TransformerBlockParams<T>& p,
                               const SequenceBatch& batch, const Matrix<T>& x, TransformerBlockCache<T>& cache,
                               Matrix<T>& out, const KvBound* kv) {
  transformer_block_qkv(p, x, cache);
  if (kv) kv_attention_forward(spec, *kv, batch, cache.qkv, cache.context);
  else attention_forward(spec, batch, cache.qkv, cache.attention, cache.context);
  transformer_block_finish(activation, p, batch, x, cache, out);
}

template <typename T>
void transformer_block_backward(const AttentionSpec& spec, Activation activation,
                                const TransformerBlockParams<T>& p, const SequenceBatch& batch,
                                TransformerBlockCache<T>& cache, const Matrix<T>& d_out,
                                TransformerBlockGrads<T>& grads, Matrix<T>& d_x) {
  // Feed-forward sublayer: out = mid + W_2 act(W_1 LN2(mid) + b_1) + b_2.
  linear_backward(p.linear2, cache.act, d_out, grads.linear2, &cache.d_act);  // (F, N)
  if (activation == Activation::relu) {
    cache.d_act.array() *= (cache.pre.array() > T(0)).template cast<T>();
  } else {  // d pre = d act (Φ(x) + x φ(x))
    cache.d_act.array() *= (T(1) + (cache.pre.array() * kSqrtHalf<T>).erf()) * T(0.5) +
                           cache.pre.array() * kInvSqrt2Pi<T> * (cache.pre.array().square() * T(-0.5)).exp();
  }
  linear_backward(p.linear1, cache.ln2, cache.d_act, grads.linear1, &cache.d_ln);  // (D, N)
  layer_norm_backward(p.norm2, cache.norm2, cache.d_ln, grads.norm2, cache.d_norm);
  cache.d_mid.noalias() = d_out + cache.d_norm;  // dL/dmid
  // Attention sublayer: mid = x + W_o Attn(W_in LN1(x) + b_in) + b_o.
  linear_backward(p.out_proj, cache.context, cache.d_mid, grads.out_proj, &cache.d_context);  // zero in padding
  attention_backward(spec, batch, cache.qkv, cache.attention, cache.d_context, cache.d_qkv);
  linear_backward(p.in_proj, cache.ln1, cache.d_qkv, grads.in_proj, &cache.d_ln);
  layer_norm_backward(p.norm1, cache.norm1, cache.d_ln, grads.norm1, cache.d_norm);
  d_x.noalias() = cache.d_mid + cache.d_norm;
}

template <typename T>
void sinusoidal_positions(int d_model, int length, Matrix<T>& table) {
  table.resize(d_model, length);
  for (int i = 0; i < d_model; ++i) {
    const double frequency = std::pow(10000.0, -static_cast<double>(i - i % 2) / d_model);  // 1 / 10000^(2k/D)
    for (int t = 0; t < length; ++t)
      table(i, t) = static_cast<T>(i % 2 == 0 ? std::sin(t * frequency) : std::cos(t * frequency));
  }
}

template <typename T>
void FamilyOf<Family::transformer>::zero(const ModelConfig& c, ModelParams<T>& p) {
  const int D = c.hidden_size, F = effective_ffn_size(c);
  auto linear = [](LinearParams<T>& l, int out, int in) {
    l.weight.setZero(out, in);
    l.bias.setZero(out);
  };
  auto norm = [](LayerNormParams<T>& n, int size) {
    n.weight.setZero(size);
    n.bias.setZero(size);
  };
  if (c.positional == Positional::learned) p.positions.weight.setZero(D, c.max_length);
  p.blocks.resize(c.num_layers);
  for (auto& block : p.blocks) {
    linear(block.in_proj, 3 * D, D);
    linear(block.out_proj, D, D);
    linear(block.linear1, F, D);
    linear(block.linear2, D, F);
    norm(block.norm1, D);
    norm(block.norm2, D);
  }
}

template <typename T>
void FamilyOf<Family::transformer>::tensors(const ModelConfig& c, ModelParams<T>& p, const ModelTensors<T>& t) {
  if (c.positional == Positional::learned)  // torch (max_length, D), nn.Embedding's N(0, 1)
    t.matrix("positions.weight", p.positions.weight, false, TensorInit::standard_normal());
  const auto zero = TensorInit::fill(0.0f);
  for (std::size_t l = 0; l < p.blocks.size(); ++l) {  // nn.TransformerEncoderLayer's state_dict order
    const std::string k = "transformer.layers." + std::to_string(l) + ".";
    auto& block = p.blocks[l];
    // nn.MultiheadAttention: in_proj_weight (3D, D) Xavier-uniform, in_proj_bias and out_proj.bias 0
    const auto& w = block.in_proj.weight;
    const auto xavier = TensorInit::uniform_bound(std::sqrt(6.0f / static_cast<float>(w.rows() + w.cols())));
    t.matrix(k + "self_attn.in_proj_weight", block.in_proj.weight, true, xavier);
    t.vector(k + "self_attn.in_proj_bias", block.in_proj.bias, zero);
    const auto out_bound = TensorInit::uniform_bound(1.0f / std::sqrt(static_cast<float>(block.out_proj.weight.cols())));
    t.linear(k + "self_attn.out_proj", block.out_proj, out_bound, zero);
    t.linear(k + "linear1", block.linear1);
    t.linear(k + "linear2", block.linear2);
    t.norm(k + "norm1", block.norm1);
    t.norm(k + "norm2", block.norm2);
  }
}

void FamilyOf<Family::transformer>::init(const ModelConfig& c, ModelParams<float>& p, Random& random) {
  init_as_declared(c, p, random);
}

// Given cache.projected = input_proj(embedded), zero in padding: + positions -> blocks (cache.outputs).
template <typename T>
void FamilyOf<Family::transformer>::forward(const ModelConfig& c, const ModelParams<T>& p, const SequenceBatch& batch,
                                            ModelCache<T>& cache, const KvBound* kv) {
  const int L = c.num_layers, B = batch.batch_size, D = c.hidden_size;
  if (cache.spec.slopes.empty() || !(cache.spec_config == c)) {  // allocates only when the config changes
    cache.spec = attention_spec(c);
    cache.spec_config = c;
  }
  const AttentionSpec& spec = cache.spec;
  cache.blocks.resize(L);
  if (c.positional == Positional::learned || c.positional == Positional::sinusoidal) {
    if (c.positional == Positional::sinusoidal &&
        (cache.sinusoid.rows() != D || cache.sinusoid.cols() < batch.max_length))
      sinusoidal_positions(D, batch.max_length, cache.sinusoid);
    const Matrix<T>& table = c.positional == Positional::learned ? p.positions.weight : cache.sinusoid;
    for (int t = 0; t < batch.max_length; ++t)
      cache.projected.middleCols(t * B, batch.active[t]).colwise() += table.col(t);  // + position t
  }
  for (int l = 0; l < L; ++l)
    transformer_block_forward(spec, c.ffn_activation, p.blocks[l], batch,
                              l == 0 ? cache.projected : cache.outputs[l - 1], cache.blocks[l],
                              cache.outputs[l], kv);  // (D, T*B)
}

// Given cache.d_top = dL/d outputs[L-1], accumulates the gradients of the blocks and positions and
// leaves cache.d_top = dL/d projected.
template <typename T>
void FamilyOf<Family::transformer>::backward(const ModelConfig& c, const ModelParams<T>& p, const SequenceBatch& batch,
                                             ModelCache<T>& cache, ModelParams<T>& grads) {
  const int B = batch.batch_size;
  const AttentionSpec& spec = cache.spec;  // set by forward
  for (int l = c.num_layers - 1; l >= 0; --l) {
    transformer_block_backward(spec, c.ffn_activation, p.blocks[l], batch, cache.blocks[l], cache.d_top,
                               grads.blocks[l], cache.d_in);
    std::swap(cache.d_top, cache.d_in);  // d_top = dL/d(input of block l)
  }
  if (c.positional == Positional::learned)
    for (int t = 0; t < batch.max_length; ++t)
      grads.positions.weight.col(t) += cache.d_top.middleCols(t * B, batch.active[t]).rowwise().sum();
}

int FamilyOf<Family::transformer>::max_length(const ModelConfig& c) {
  return c.positional == Positional::learned ? c.max_length : 0;
}

bool FamilyOf<Family::transformer>::in_file(const SafetensorsFile& file) {
  return file.tensors.count("transformer.layers.0.self_attn.in_proj_weight") != 0;
}

ModelConfig FamilyOf<Family::transformer>::config_from_file(const CheckpointToInfer& file, ModelConfig) {
  // The heads, positional encoding, causality and activation are not in the tensors: the config
  // must come with the file; infer_config then checks the tensors against it.
  return file.stated_for(Family::transformer,
                         "a transformer checkpoint needs its config in metadata statelab.model (the number of heads, "
                         "positional encoding, causality and activation are not in the tensors)",
                         " but the tensors are a transformer's");
}

#define STATELAB_INSTANTIATE(T)                                                                                      \
  template void FamilyOf<Family::transformer>::zero(const ModelConfig&, ModelParams<T>&);                           \
  template void FamilyOf<Family::transformer>::tensors(const ModelConfig&, ModelParams<T>&,                         \
                                                       const ModelTensors<T>&);                                     \
  template void FamilyOf<Family::transformer>::forward(const ModelConfig&, const ModelParams<T>&,                   \
                                                       const SequenceBatch&, ModelCache<T>&, const KvBound*);       \
  template void FamilyOf<Family::transformer>::backward(const ModelConfig&, const ModelParams<T>&,                  \
                                                        const SequenceBatch&, ModelCache<T>&, ModelParams<T>&);     \
  template void attention_forward(const AttentionSpec&, const SequenceBatch&, const Matrix<T>&, AttentionCache<T>&, \
                                  Matrix<T>&);                                                                      \
  template void attention_backward(const AttentionSpec&, const SequenceBatch&, const Matrix<T>&, AttentionCache<T>&, \
                                   const Matrix<T>&, Matrix<T>&);                                                   \
  template void transformer_block_qkv(const TransformerBlockParams<T>&, const Matrix<T>&, TransformerBlockCache<T>&); \
  template void transformer_block_finish(Activation, const TransformerBlockParams<T>&, const SequenceBatch&,         \
                                         const Matrix<T>&, TransformerBlockCache<T>&, Matrix<T>&);                  \
  template void transformer_block_forward(const AttentionSpec&, Activation, const TransformerBlockParams<T>&,       \
                                          const SequenceBatch&, const Matrix<T>&, TransformerBlockCache<T>&,        \
                                          Matrix<T>&, const KvBound*);                                                            \
  template void transformer_block_backward(const AttentionSpec&, Activation, const TransformerBlockParams<T>&,      \
                                           const SequenceBatch&, TransformerBlockCache<T>&, const Matrix<T>&,       \
                                           TransformerBlockGrads<T>&, Matrix<T>&);                                  \
  template void sinusoidal_positions(int, int, Matrix<T>&);
STATELAB_INSTANTIATE(float)
STATELAB_INSTANTIATE(double)
#undef STATELAB_INSTANTIATE

}  // namespace statelab::models
