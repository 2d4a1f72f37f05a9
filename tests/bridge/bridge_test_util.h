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
