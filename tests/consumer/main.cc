// Builds a DFA from a regular expression, minimises it and prints its states; builds a tiny LSTM
// and prints its parameter count; catches every statelab error by the one root.  Against the
// installed headers and libraries only.
#include <cstdio>

#include "automata/minimize.h"
#include "automata/regex.h"
#include "base/error.h"
#include "models/model.h"

int main() {
  try {
    using namespace statelab;
    const automata::Dfa dfa = automata::regex_to_dfa("(0|1)*1(0|1)", automata::Alphabet::from_chars("01"));
    const automata::Dfa minimal = automata::minimize(dfa);
    models::ModelConfig config;
    config.vocab_size = 2;
    config.hidden_size = 4;
    const models::ModelParams<float> params = models::init_params(config, 1);  // Eigen across the boundary
    std::printf("states %zu parameters %lld\n", minimal.num_states(),
                static_cast<long long>(models::parameter_count(config)));
    return minimal.num_states() == 4 ? 0 : 1;
  } catch (const statelab::Error& e) {
    std::fprintf(stderr, "consumer: %s\n", e.what());
    return 2;
  }
}
