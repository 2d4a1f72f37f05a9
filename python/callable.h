// A Python callable as a statelab model: a Recognizer (scores per word) or a Tagger (a class or a
// set of next symbols per position), so that bridge::check, bridge::check_tags and bridge::extract
// run on any Python model -- a torch.nn.Module behind a few lines of wrapper.
//
// The callable takes one batch of words at a time (batch_size of them): either a list of lists of
// symbol ids (input "lists"), or a padded int64 array (B, T) and the lengths (B) (input "padded";
// T >= 1 even when every word is empty).
// It returns, for a recognizer, one score per word (B,) in [0, 1] (logits with logits=True); for a
// tag head, a class id per position (B, T); for a next-set head, (B, T, k + 1) numbers, > 1/2 for
// each symbol that may come next and, last, for "the word may end here".  Position t is the
// output after the first t + 1 symbols.  An optional hidden_states callable, called the same way,
// returns (B, T + 1, d) (column 0 the initial state) or (B, T, d) (the initial state is then 0).
//
// The bridge calls these from its TBB threads with the GIL released; each call takes the GIL,
// builds the batch, calls Python and checks the result's shape before it lets the GIL go.  A
// Python exception passes through the C++ code unchanged (pybind11's error_already_set) and is
// raised again when the bridge call returns; a result of the wrong shape throws InvalidArgument.
#pragma once

#include <string>

#include "bridge/recognizer.h"
#include "python/common.h"

namespace statelab::python {

struct CallableOptions {
  py::object model;          // the callable
  py::object hidden_states;  // a callable, or None
  std::string input = "lists";
  bool logits = false;
  std::int64_t pad = 0;
  std::size_t batch_size = 256;
};

/// The batch as the callable takes it: (list,) or (ids, lengths).  GIL held.
py::tuple batch_arguments(const CallableOptions& o, std::span<const Word> words);
/// The hidden states of the batch through o.hidden_states.  GIL not held.
std::vector<bridge::Trajectory> callable_trajectories(const CallableOptions& o, std::span<const Word> words,
                                                      std::size_t state_dim);
/// The state dimension o.hidden_states returns (0 without one): asked once, of the word "0".
std::size_t callable_state_dim(const CallableOptions& o);

class CallableRecognizer final : public bridge::Recognizer {
 public:
  CallableRecognizer(Alphabet alphabet, CallableOptions options);
  ~CallableRecognizer() override;
  const Alphabet& alphabet() const override { return alphabet_; }
  std::vector<double> scores(std::span<const Word> words) const override;
  std::size_t state_dim() const override { return state_dim_; }
  std::vector<bridge::Trajectory> trajectories(std::span<const Word> words) const override;
  std::size_t batch_size() const override { return options_.batch_size; }

 private:
  Alphabet alphabet_;
  CallableOptions options_;
  std::size_t state_dim_ = 0;
};

class CallableTagger final : public bridge::Tagger {
 public:
  CallableTagger(Alphabet alphabet, models::Head head, std::vector<std::string> outputs, CallableOptions options);
  ~CallableTagger() override;
  const Alphabet& alphabet() const override { return alphabet_; }
  models::Head head() const override { return head_; }
  const std::vector<std::string>& output_names() const override { return outputs_; }
  std::vector<std::vector<bridge::Output>> tags(std::span<const Word> words) const override;
  std::size_t state_dim() const override { return state_dim_; }
  std::vector<bridge::Trajectory> trajectories(std::span<const Word> words) const override;
  std::size_t batch_size() const override { return options_.batch_size; }

 private:
  Alphabet alphabet_;
  models::Head head_;
  std::vector<std::string> outputs_;
  CallableOptions options_;
  std::size_t state_dim_ = 0;
};

}  // namespace statelab::python
