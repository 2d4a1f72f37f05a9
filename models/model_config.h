// The configuration of a model: its architecture (the Cell, architecture.h) and the fields its
// layers read.  model.h has its validation, its JSON and the model itself; this header stands
// alone so that the layers' headers (the state-space mixers, mixer.h) can read the config.
#pragma once

#include "models/architecture.h"
#include "models/heads.h"
#include "models/transformer.h"

namespace statelab::models {

struct ModelConfig {
  Cell cell = Cell::lstm;
  int vocab_size = 2;      // V: tokens are 0..V-1
  int embedding_dim = 16;  // E
  int hidden_size = 64;    // H (d_model D of the transformer)
  int num_layers = 1;      // L
  Head head = Head::recognize;
  int num_outputs = 1;  // 1 (recognize), classes (tag), symbols + 1 (next_set), vocab_size (seq)
  bool end_marker = false;  // recognize: the model reads one more token after the word, the end marker
                            // (token vocab_size, its own embedding column), and decides there
  // Transformer only (the other architectures ignore them; optional in JSON):
  int num_heads = 4;                            // A; hidden_size must be a multiple of A (also deltanet's, mlstm's, slstm's heads)
  Positional positional = Positional::learned;  // see transformer.h
  bool causal = true;                           // false: every position attends to the whole sequence
  bool strict_mask = false;  // causal: a position attends to earlier positions only, not to itself (Li and
                             // Cotterell's strict future masking); position 0 attends to nothing: output 0
  int ffn_size = 0;                             // F; 0 means 4 * hidden_size
  Activation ffn_activation = Activation::gelu;
  int max_length = 512;        // learned positions: the longest sequence the table covers
  int hard_alibi_heads = 0;    // hard-alibi: heads 0..k-1 are windowed; 0 means half the heads, rounded up
  int hard_alibi_window = 4;   // hard-alibi: a windowed head sees the last w positions (itself included);
                               // 0: head h sees the last h + 1 (Jelassi et al.'s staggered windows)
  // State-space architectures (s4d, mamba, ids4); hidden_size is d_model.  Optional in JSON.
  int state_size = 16;                // N: states per channel (s4d, mamba), state dimension (ids4)
  bool negative_eigenvalues = false;  // s4d, mamba, deltanet: transitions in (-1, 1) instead of (0, 1)
  int expand = 2;                     // mamba: inner channels = expand * hidden_size
  int conv_width = 4;                 // mamba, deltanet: causal depthwise convolution width
  bool s4d_convolution = false;       // s4d: compute by the kernel instead of the recurrence
  int householder = 2;                // deltaproduct: Householder steps per token, 1..kMaxHouseholder
  friend bool operator==(const ModelConfig&, const ModelConfig&) = default;
};

/// The most Householder steps per token a deltaproduct may take (its cost grows with them).
inline constexpr int kMaxHouseholder = 16;

}  // namespace statelab::models
