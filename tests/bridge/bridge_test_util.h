// Fixtures the bridge tests share: tiny networks with fixed seeds (no training), a DFA as a
// catalogue language, and the message of what a call throws.
#pragma once

#include <exception>
#include <functional>
#include <memory>
#include <string>

#include "automata/dfa.h"
#include "bridge/recognizer.h"
#include "languages/entries.h"
#include "models/model.h"

namespace statelab::bridge::testing {

/// An untrained LSTM (embedding 4, hidden 6) over {0, 1} from a fixed seed: a fixed, arbitrary
/// recognizer whose answers nobody chose.
inline ModelRecognizer tiny_lstm(std::uint64_t seed = 7, models::Cell cell = models::Cell::lstm) {
  models::ModelConfig c;
  c.cell = cell;
  c.vocab_size = 2;
  c.embedding_dim = 4;
  c.hidden_size = 6;
  return ModelRecognizer(c, models::init_params(c, seed), Alphabet::from_chars("01"));
}

/// A DFA compiled into a saturated Elman RNN (tanh, recognize head) whose hidden state is a ±1
/// one-hot code of (state, last symbol): unit q*k + a is +1 exactly when the DFA is in state q
/// having just read a (all zero before the first symbol, the initial state).  Every state's
/// indicator s_q(h) is affine in h (valid on the zero vector too), and unit (q', a) computes
/// tanh(gain * ([x = a] + Σ_{δ(q,a) = q'} s_q(h) - 3/2)): large weights saturate tanh, so the
/// network is the DFA at every length.  Needs states x symbols >= 3.
inline ModelRecognizer saturated_rnn(const automata::Dfa& dfa, float gain = 20) {
  const int q_count = static_cast<int>(dfa.num_states()), k = static_cast<int>(dfa.alphabet().size());
  const int n = q_count * k;
  models::ModelConfig c;
  c.cell = models::Cell::rnn;
  c.vocab_size = k;
  c.embedding_dim = k;
  c.hidden_size = n;
  auto p = models::zero_params<float>(c);
  p.embedding.weight = Eigen::MatrixXf::Identity(k, k);
  const int q0 = static_cast<int>(dfa.initial());
  // s_q(h) = coef(q) . h + [q = q0]
  auto coef = [&](int q) {
    Eigen::VectorXf v = Eigen::VectorXf::Constant(n, (static_cast<float>(q == q0) - 0.5f * static_cast<float>(k)) /
                                                         static_cast<float>(n - 2));
    for (int b = 0; b < k; ++b) v(q * k + b) += 0.5f;
    return v;
  };
  auto& layer = p.layers[0];
  for (int q = 0; q < q_count; ++q)
    for (int a = 0; a < k; ++a) {
      const int target = static_cast<int>(dfa.next(static_cast<automata::State>(q), static_cast<automata::Symbol>(a)));
      const int unit = target * k + a;
      layer.w_hh.row(unit) += gain * coef(q).transpose();
      layer.b_hh(unit) += gain * static_cast<float>(q == q0);
    }
  for (int q = 0; q < q_count; ++q)
    for (int a = 0; a < k; ++a) {
      layer.w_ih(q * k + a, a) = gain;
      layer.b_ih(q * k + a) = -1.5f * gain;
    }
  for (int q = 0; q < q_count; ++q)
    if (dfa.is_accepting(static_cast<automata::State>(q))) {
      p.head.weight.row(0) += gain * coef(q).transpose();
      p.head.bias(0) += gain * static_cast<float>(q == q0);
    }
  p.head.bias(0) -= 0.5f * gain;
  return ModelRecognizer(c, std::move(p), dfa.alphabet());
}

inline std::unique_ptr<languages::Language> dfa_language(const automata::Dfa& dfa) {
  return languages::make_dfa_language("test-dfa", dfa, "a test DFA");
}

/// The message of the exception `f` throws, or "no error".
inline std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace statelab::bridge::testing
