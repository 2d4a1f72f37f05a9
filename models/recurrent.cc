#include "models/recurrent.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <utility>
#include <string>

#include "models/activation.h"
#include "models/error.h"
#include "models/model.h"
#include "models/safetensors.h"

namespace statelab::models {

// Each recurrent cell in one place: its gates per hidden unit (G), what its cache holds beyond the
// gates, and its step at time t forward and backward, on the block of the n sequences still
// running (the equations are in recurrent.h).  recurrent_forward / recurrent_backward dispatch
// over the recurrent rows of kArchitectures, so a row without its RecurrentCellOf does not compile.
//
//   kGates        G: the rows of W_ih, W_hh are G blocks of H, in torch's gate order
//   kCellState    the cell carries c_t (cache.c, cache.tanh_c, cache.d_c): LSTM
//   kHiddenGates  W_hh h_{t-1} + b_hh is kept apart from the input side (cache.h_gates,
//                 cache.d_hgates) because a gate multiplies it: GRU; otherwise b_hh joins the input side
//   forward(p, cache, at, g, h, h_prev)   g: (G*H, n) the input side W_ih x_t + b_ih (+ b_hh),
//                 replaced by the gate activations; writes h_t into h; h_prev is h_{t-1} (at.t > 0)
//   backward(p, cache, out, at, dh, g, dg)   dh: dL/dh_t, replaced by dL/dh_{t-1} (at.t > 0);
//                 g: the gates; writes dg = dL/d(pre-activation) (and cache.d_hgates)
template <Cell kCell>
struct RecurrentCellOf;

namespace {

struct StepAt {
  int t, n, B, H;
};

}  // namespace

template <>
struct RecurrentCellOf<Cell::rnn> {  // h = tanh(W_ih x + b_ih + W_hh h + b_hh)
  static constexpr int kGates = 1;
  static constexpr bool kCellState = false, kHiddenGates = false;
  template <typename T>
  static void forward(const RecurrentParams<T>& p, RecurrentCache<T>&, const StepAt& at, auto g, auto h,
                      auto h_prev) {
    if (at.t > 0) g.noalias() += p.w_hh * h_prev;  // g = W_ih x + b_ih + W_hh h + b_hh
    g = g.array().tanh();
    h = g;
  }
  template <typename T>
  static void backward(const RecurrentParams<T>& p, RecurrentCache<T>&, const Matrix<T>&, const StepAt& at, auto dh,
                       auto g, auto dg) {
    dg = (dh.array() * (T(1) - g.array().square())).matrix();  // d pre = dh (1 - h^2)
    if (at.t > 0) dh.noalias() = p.w_hh.transpose() * dg;
  }
};

template <>
struct RecurrentCellOf<Cell::lstm> {  // gates i, f, g, o
  static constexpr int kGates = 4;
  static constexpr bool kCellState = true, kHiddenGates = false;
  template <typename T>
  static void forward(const RecurrentParams<T>& p, RecurrentCache<T>& cache, const StepAt& at, auto g, auto h,
                      auto h_prev) {
    const int t = at.t, n = at.n, B = at.B, H = at.H;
    if (t > 0) g.noalias() += p.w_hh * h_prev;
    g.topRows(2 * H) = sigmoid(g.topRows(2 * H).array());          // i, f
    g.middleRows(2 * H, H) = g.middleRows(2 * H, H).array().tanh();  // g
    g.bottomRows(H) = sigmoid(g.bottomRows(H).array());             // o
    auto c = cache.c.middleCols(t * B, n);
    if (t > 0) {  // c = f c_prev + i g
      c = g.middleRows(H, H).cwiseProduct(cache.c.middleCols((t - 1) * B, n)) +
          g.topRows(H).cwiseProduct(g.middleRows(2 * H, H));
    } else {
      c = g.topRows(H).cwiseProduct(g.middleRows(2 * H, H));
    }
    auto tanh_c = cache.tanh_c.middleCols(t * B, n);
    tanh_c = c.array().tanh();
    h = g.bottomRows(H).cwiseProduct(tanh_c);  // h = o tanh(c)
  }
  template <typename T>
  static void backward(const RecurrentParams<T>& p, RecurrentCache<T>& cache, const Matrix<T>&, const StepAt& at,
                       auto dh, auto g, auto dg) {
    const int t = at.t, n = at.n, B = at.B, H = at.H;
    const auto i = g.topRows(H).array(), f = g.middleRows(H, H).array();
    const auto gg = g.middleRows(2 * H, H).array(), o = g.bottomRows(H).array();
    const auto tanh_c = cache.tanh_c.middleCols(t * B, n).array();
    auto dc = cache.d_c.leftCols(n).array();  // dL/dc_t
    dc += dh.array() * o * (T(1) - tanh_c.square());
    dg.bottomRows(H) = (dh.array() * tanh_c * o * (T(1) - o)).matrix();  // do
    dg.topRows(H) = (dc * gg * i * (T(1) - i)).matrix();                 // di
    if (t > 0) {
      dg.middleRows(H, H) = (dc * cache.c.middleCols((t - 1) * B, n).array() * f * (T(1) - f)).matrix();  // df
    }
    dg.middleRows(2 * H, H) = (dc * i * (T(1) - gg.square())).matrix();  // dg
    dc *= f;  // dL/dc_{t-1}
    if (t > 0) dh.noalias() = p.w_hh.transpose() * dg;
  }
};

template <>
struct RecurrentCellOf<Cell::gru> {  // gates r, z, n
  static constexpr int kGates = 3;
  static constexpr bool kCellState = false, kHiddenGates = true;
  template <typename T>
  static void forward(const RecurrentParams<T>& p, RecurrentCache<T>& cache, const StepAt& at, auto g, auto h,
                      auto h_prev) {
    const int t = at.t, n = at.n, B = at.B, H = at.H;
    auto hg = cache.h_gates.middleCols(t * B, n);  // (3H, n)  W_hh h_prev + b_hh
    if (t > 0) {
      hg.noalias() = p.w_hh * h_prev;
      hg.colwise() += p.b_hh;
    } else {
      hg.colwise() = p.b_hh;
    }
    g.topRows(2 * H) = sigmoid(g.topRows(2 * H).array() + hg.topRows(2 * H).array());  // r, z
    g.bottomRows(H) =  // n = tanh(W_in x + b_in + r (W_hn h + b_hn))
        (g.bottomRows(H).array() + g.topRows(H).array() * hg.bottomRows(H).array()).tanh();
    if (t > 0) {  // h = (1 - z) n + z h_prev
      h = ((T(1) - g.middleRows(H, H).array()) * g.bottomRows(H).array() +
           g.middleRows(H, H).array() * h_prev.array()).matrix();
    } else {
      h = ((T(1) - g.middleRows(H, H).array()) * g.bottomRows(H).array()).matrix();
    }
  }
  template <typename T>
  static void backward(const RecurrentParams<T>& p, RecurrentCache<T>& cache, const Matrix<T>& out, const StepAt& at,
                       auto dh, auto g, auto dg) {
    const int t = at.t, n = at.n, B = at.B, H = at.H;
    const auto r = g.topRows(H).array(), z = g.middleRows(H, H).array(), nn = g.bottomRows(H).array();
    const auto hn = cache.h_gates.middleCols(t * B, n).bottomRows(H).array();  // W_hn h + b_hn
    auto dhg = cache.d_hgates.middleCols(t * B, n);  // (3H, n)
    dg.bottomRows(H) = (dh.array() * (T(1) - z) * (T(1) - nn.square())).matrix();  // dn (pre-tanh)
    if (t > 0) {
      const auto h_prev = out.middleCols((t - 1) * B, n).array();
      dg.middleRows(H, H) = (dh.array() * (h_prev - nn) * z * (T(1) - z)).matrix();  // dz
    } else {
      dg.middleRows(H, H) = (-dh.array() * nn * z * (T(1) - z)).matrix();
    }
    dg.topRows(H) = (dg.bottomRows(H).array() * hn * r * (T(1) - r)).matrix();  // dr
    dhg.topRows(2 * H) = dg.topRows(2 * H);
    dhg.bottomRows(H) = (dg.bottomRows(H).array() * r).matrix();
    if (t > 0) {
      dh.array() *= z;
      dh.noalias() += p.w_hh.transpose() * dhg;  // dL/dh_{t-1}
    }
  }
};

int gate_count(Cell cell) {
  int gates = 0;
  with_cell_of<Family::recurrent>(cell, [&](auto c) { gates = RecurrentCellOf<decltype(c)::value>::kGates; });
  return gates;
}

template <typename T>
void recurrent_forward(Cell cell, const RecurrentParams<T>& p, const SequenceBatch& batch, const Matrix<T>& x,
                       RecurrentCache<T>& cache, Matrix<T>& out) {
  const int H = static_cast<int>(p.w_hh.cols());
  const int B = batch.batch_size;
  const int N = batch.columns();
  assert(is_recurrent(cell) && x.cols() == N && x.rows() == p.w_ih.cols() && p.w_ih.rows() == gate_count(cell) * H);
  out.setZero(H, N);  // (H, T*B), zero in padding
  with_cell_of<Family::recurrent>(cell, [&](auto c) {
    using C = RecurrentCellOf<decltype(c)::value>;
    // The input side for all time steps at once: one GEMM.
    cache.gates.noalias() = p.w_ih * x;  // (G*H, T*B)  W_ih x + b_ih (+ b_hh unless kHiddenGates)
    if constexpr (C::kHiddenGates) {
      cache.gates.colwise() += p.b_ih;
      cache.h_gates.resize(p.w_hh.rows(), N);
    } else {
      cache.gates.colwise() += p.b_ih + p.b_hh;
    }
    if constexpr (C::kCellState) {
      cache.c.resize(H, N);
      cache.tanh_c.resize(H, N);
    }
    for (int t = 0; t < batch.max_length; ++t) {
      const int n = batch.active[t];
      C::forward(p, cache, StepAt{t, n, B, H}, cache.gates.middleCols(t * B, n),  // (G*H, n)
                 out.middleCols(t * B, n),                                          // (H, n)
                 std::as_const(out).middleCols(std::max(t - 1, 0) * B, n));        // (H, n), used only when t > 0
    }
  });
}

template <typename T>
void recurrent_backward(Cell cell, const RecurrentParams<T>& p, const SequenceBatch& batch, const Matrix<T>& x,
                        const Matrix<T>& out, RecurrentCache<T>& cache, const Matrix<T>& d_out,
                        RecurrentGrads<T>& grads, Matrix<T>* d_x) {
  const int H = static_cast<int>(p.w_hh.cols());
  const int B = batch.batch_size;
  const int N = batch.columns();
  assert(is_recurrent(cell) && d_out.rows() == H && d_out.cols() == N);
  bool hidden_gates = false;
  with_cell_of<Family::recurrent>(cell, [&](auto c) {
    using C = RecurrentCellOf<decltype(c)::value>;
    hidden_gates = C::kHiddenGates;
    cache.d_gates.setZero(p.w_ih.rows(), N);  // padding stays zero
    if constexpr (C::kHiddenGates) cache.d_hgates.setZero(p.w_hh.rows(), N);
    cache.d_h.setZero(H, B);
    if constexpr (C::kCellState) cache.d_c.setZero(H, B);
    for (int t = batch.max_length - 1; t >= 0; --t) {
      const int n = batch.active[t];
      auto dh = cache.d_h.leftCols(n);  // (H, n)  dL/dh_t
      dh += d_out.middleCols(t * B, n);
      C::backward(p, cache, out, StepAt{t, n, B, H}, dh, std::as_const(cache.gates).middleCols(t * B, n),
                  cache.d_gates.middleCols(t * B, n));  // (G*H, n)
    }
  });

  // Parameter gradients over all time steps at once.  Block t of d_gates meets block t-1 of out
  // (h_{t-1}); h_{-1} = 0 contributes nothing to W_hh.
  const Matrix<T>& d_h_side = hidden_gates ? cache.d_hgates : cache.d_gates;
  grads.w_ih.noalias() += cache.d_gates * x.transpose();  // dW_ih += dg x'
  grads.b_ih += cache.d_gates.rowwise().sum();
  if (N > B) grads.w_hh.noalias() += d_h_side.rightCols(N - B) * out.leftCols(N - B).transpose();  // dW_hh += dg h'
  grads.b_hh += d_h_side.rowwise().sum();
  if (d_x) d_x->noalias() = p.w_ih.transpose() * cache.d_gates;  // dx = W_ih' dg
}

template <typename T>
void FamilyOf<Family::recurrent>::zero(const ModelConfig& c, ModelParams<T>& p) {
  const int H = c.hidden_size, GH = gate_count(c.cell) * c.hidden_size;
  p.layers.resize(c.num_layers);
  for (int l = 0; l < c.num_layers; ++l) {
    auto& layer = p.layers[l];
    layer.w_ih.setZero(GH, l == 0 ? c.embedding_dim : H);
    layer.w_hh.setZero(GH, H);
    layer.b_ih.setZero(GH);
    layer.b_hh.setZero(GH);
  }
}

template <typename T>
void FamilyOf<Family::recurrent>::tensors(const ModelConfig& c, ModelParams<T>& p, const ModelTensors<T>& t) {
  const std::string cell = cell_name(c.cell);
  const auto init = TensorInit::uniform_bound(1.0f / std::sqrt(static_cast<float>(c.hidden_size)));  // torch's
  for (std::size_t l = 0; l < p.layers.size(); ++l) {
    const std::string k = std::to_string(l);
    t.matrix(cell + ".weight_ih_l" + k, p.layers[l].w_ih, true, init);
    t.matrix(cell + ".weight_hh_l" + k, p.layers[l].w_hh, true, init);
    t.vector(cell + ".bias_ih_l" + k, p.layers[l].b_ih, init);
    t.vector(cell + ".bias_hh_l" + k, p.layers[l].b_hh, init);
  }
}

void FamilyOf<Family::recurrent>::init(const ModelConfig& c, ModelParams<float>& p, Random& random) {
  init_as_declared(c, p, random);
}

template <typename T>
void FamilyOf<Family::recurrent>::forward(const ModelConfig& c, const ModelParams<T>& p, const SequenceBatch& batch,
                                          ModelCache<T>& cache, const KvBound*) {
  const int L = c.num_layers;
  cache.layers.resize(L);
  for (int l = 0; l < L; ++l) {
    recurrent_forward(c.cell, p.layers[l], batch, l == 0 ? cache.embedded : cache.outputs[l - 1], cache.layers[l],
                      cache.outputs[l]);  // (H, T*B)
  }
}

template <typename T>
void FamilyOf<Family::recurrent>::backward(const ModelConfig& c, const ModelParams<T>& p, const SequenceBatch& batch,
                                           ModelCache<T>& cache, ModelParams<T>& grads) {
  for (int l = c.num_layers - 1; l >= 0; --l) {
    recurrent_backward(c.cell, p.layers[l], batch, l == 0 ? cache.embedded : cache.outputs[l - 1], cache.outputs[l],
                       cache.layers[l], cache.d_top, grads.layers[l], l == 0 ? &cache.d_embedded : &cache.d_in);
    if (l > 0) std::swap(cache.d_top, cache.d_in);  // d_top = dL/d(input of layer l)
  }
}

bool FamilyOf<Family::recurrent>::in_file(const SafetensorsFile&) { return true; }  // asked last (safetensors.cc)

ModelConfig FamilyOf<Family::recurrent>::config_from_file(const CheckpointToInfer& file, ModelConfig c) {
  int cells_found = 0;
  std::string tensor_names, cell_names;  // of the table's recurrent rows, for the messages
  for (const Architecture& a : kArchitectures) {
    if (a.family != Family::recurrent) continue;
    const std::string first = std::string(a.name) + ".weight_ih_l0";
    tensor_names += (tensor_names.empty() ? "" : ", ") + first;
    cell_names += (cell_names.empty() ? "" : ", ") + std::string(a.name);
    if (file.has(first)) {
      c.cell = a.cell;
      ++cells_found;
    }
  }
  if (cells_found != 1)
    file.fail(cells_found == 0 ? "no recurrent module: expected one of " + tensor_names
                               : "more than one recurrent module (" + cell_names + "): expected exactly one");
  const std::string cell = cell_name(c.cell);
  const std::int64_t G = gate_count(c.cell);
  const auto& hh0 = file.shape(cell + ".weight_hh_l0");
  if (hh0.size() != 2 || hh0[0] != G * hh0[1])
    file.fail(cell + ".weight_hh_l0 has shape " + shape_string(hh0) + ", expected (" + std::to_string(G) + "H, H)");
  c.hidden_size = static_cast<int>(hh0[1]);
  c.num_layers = 0;
  while (file.has(cell + ".weight_ih_l" + std::to_string(c.num_layers))) ++c.num_layers;

  const auto& head = file.shape("head.weight");
  if (head.size() != 2 || head[1] != c.hidden_size)
    file.fail("head.weight has shape " + shape_string(head) + ", expected (O, " + std::to_string(c.hidden_size) + ")");
  c.num_outputs = static_cast<int>(head[0]);
  if (file.has_stated()) {
    const ModelConfig stated = file.stated();
    c.head = stated.head;
    c.end_marker = stated.end_marker;  // then the embedding's last column is the marker's, not a token's
    c.vocab_size -= positions_after_word(stated);
    if (!(stated == c))
      file.fail("metadata statelab.model says " + to_json(stated) + " but the tensors give " + to_json(c));
  } else if (c.num_outputs == 1) {
    c.head = Head::recognize;
  } else {
    file.fail("head.weight has " + std::to_string(c.num_outputs) +
              " outputs; without metadata statelab.model only a one-logit recognize head can be inferred");
  }
  return c;
}

#define STATELAB_INSTANTIATE(T)                                                                                   \
  template void FamilyOf<Family::recurrent>::zero(const ModelConfig&, ModelParams<T>&);                           \
  template void FamilyOf<Family::recurrent>::tensors(const ModelConfig&, ModelParams<T>&, const ModelTensors<T>&); \
  template void FamilyOf<Family::recurrent>::forward(const ModelConfig&, const ModelParams<T>&,                   \
                                                     const SequenceBatch&, ModelCache<T>&, const KvBound*);       \
  template void FamilyOf<Family::recurrent>::backward(const ModelConfig&, const ModelParams<T>&,                  \
                                                      const SequenceBatch&, ModelCache<T>&, ModelParams<T>&);     \
  template void recurrent_forward(Cell, const RecurrentParams<T>&, const SequenceBatch&, const Matrix<T>&,        \
                                  RecurrentCache<T>&, Matrix<T>&);                                                \
  template void recurrent_backward(Cell, const RecurrentParams<T>&, const SequenceBatch&, const Matrix<T>&,       \
                                   const Matrix<T>&, RecurrentCache<T>&, const Matrix<T>&, RecurrentGrads<T>&,    \
                                   Matrix<T>*);
STATELAB_INSTANTIATE(float)
STATELAB_INSTANTIATE(double)
#undef STATELAB_INSTANTIATE

}  // namespace statelab::models
