#include "models/recurrent.h"

#include <cassert>
#include <optional>
#include <string>

#include "models/activation.h"
#include "models/error.h"

namespace statelab::models {

template <typename T>
void recurrent_forward(Cell cell, const RecurrentParams<T>& p, const SequenceBatch& batch, const Matrix<T>& x,
                       RecurrentCache<T>& cache, Matrix<T>& out) {
  const int H = static_cast<int>(p.w_hh.cols());
  const int B = batch.batch_size;
  const int N = batch.columns();
  assert(is_recurrent(cell) && x.cols() == N && x.rows() == p.w_ih.cols() && p.w_ih.rows() == gate_count(cell) * H);
  out.setZero(H, N);  // (H, T*B), zero in padding

  // The input side for all time steps at once: one GEMM.
  cache.gates.noalias() = p.w_ih * x;  // (G*H, T*B)  W_ih x + b_ih (+ b_hh outside the GRU)
  if (cell == Cell::gru) {
    cache.gates.colwise() += p.b_ih;
    cache.h_gates.resize(p.w_hh.rows(), N);
  } else {
    cache.gates.colwise() += p.b_ih + p.b_hh;
  }
  if (cell == Cell::lstm) {
    cache.c.resize(H, N);
    cache.tanh_c.resize(H, N);
  }

  for (int t = 0; t < batch.max_length; ++t) {
    const int n = batch.active[t];
    auto g = cache.gates.middleCols(t * B, n);  // (G*H, n)
    auto h = out.middleCols(t * B, n);          // (H, n)
    const auto h_prev = out.middleCols(std::max(t - 1, 0) * B, n);  // (H, n), used only when t > 0
    switch (cell) {
      case Cell::rnn: {
        if (t > 0) g.noalias() += p.w_hh * h_prev;  // g = W_ih x + b_ih + W_hh h + b_hh
        g = g.array().tanh();
        h = g;
        break;
      }
      case Cell::lstm: {
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
        break;
      }
      case Cell::gru: {
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
        break;
      }
      default: break;  // not a recurrent cell (asserted above)
    }
  }
}

template <typename T>
void recurrent_backward(Cell cell, const RecurrentParams<T>& p, const SequenceBatch& batch, const Matrix<T>& x,
                        const Matrix<T>& out, RecurrentCache<T>& cache, const Matrix<T>& d_out,
                        RecurrentGrads<T>& grads, Matrix<T>* d_x) {
  const int H = static_cast<int>(p.w_hh.cols());
  const int B = batch.batch_size;
  const int N = batch.columns();
  assert(is_recurrent(cell) && d_out.rows() == H && d_out.cols() == N);
  cache.d_gates.setZero(p.w_ih.rows(), N);  // padding stays zero
  if (cell == Cell::gru) cache.d_hgates.setZero(p.w_hh.rows(), N);
  cache.d_h.setZero(H, B);
  if (cell == Cell::lstm) cache.d_c.setZero(H, B);

  for (int t = batch.max_length - 1; t >= 0; --t) {
    const int n = batch.active[t];
    auto dh = cache.d_h.leftCols(n);  // (H, n)  dL/dh_t
    dh += d_out.middleCols(t * B, n);
    const auto g = cache.gates.middleCols(t * B, n);
    auto dg = cache.d_gates.middleCols(t * B, n);  // (G*H, n)
    switch (cell) {
      case Cell::rnn: {
        dg = (dh.array() * (T(1) - g.array().square())).matrix();  // d pre = dh (1 - h^2)
        if (t > 0) dh.noalias() = p.w_hh.transpose() * dg;
        break;
      }
      case Cell::lstm: {
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
        break;
      }
      case Cell::gru: {
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
        break;
      }
      default: break;  // not a recurrent cell (asserted above)
    }
  }

  // Parameter gradients over all time steps at once.  Block t of d_gates meets block t-1 of out
  // (h_{t-1}); h_{-1} = 0 contributes nothing to W_hh.
  const Matrix<T>& d_h_side = cell == Cell::gru ? cache.d_hgates : cache.d_gates;
  grads.w_ih.noalias() += cache.d_gates * x.transpose();  // dW_ih += dg x'
  grads.b_ih += cache.d_gates.rowwise().sum();
  if (N > B) grads.w_hh.noalias() += d_h_side.rightCols(N - B) * out.leftCols(N - B).transpose();  // dW_hh += dg h'
  grads.b_hh += d_h_side.rowwise().sum();
  if (d_x) d_x->noalias() = p.w_ih.transpose() * cache.d_gates;  // dx = W_ih' dg
}

#define STATELAB_INSTANTIATE(T)                                                                                   \
  template void recurrent_forward(Cell, const RecurrentParams<T>&, const SequenceBatch&, const Matrix<T>&,        \
                                  RecurrentCache<T>&, Matrix<T>&);                                                \
  template void recurrent_backward(Cell, const RecurrentParams<T>&, const SequenceBatch&, const Matrix<T>&,       \
                                   const Matrix<T>&, RecurrentCache<T>&, const Matrix<T>&, RecurrentGrads<T>&,    \
                                   Matrix<T>*);
STATELAB_INSTANTIATE(float)
STATELAB_INSTANTIATE(double)
#undef STATELAB_INSTANTIATE

}  // namespace statelab::models
