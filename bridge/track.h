// `statelab track`: does a trained network track the state of a language, and where does it stop?
// One report on a checkpoint: what the algebra predicts for its architecture on the language
// (bridge/expressivity.h, classify's table); its accuracy by length from the training lengths out
// to a maximum length (by default 8x the longest training length, read from the checkpoint); the
// first length below a threshold (99%); the minimal counterexample of check (bridge/check.h, every
// position for tag and next-set heads); and the linear probe's state-retention curve
// (bridge/probe.h).  The network tracks the state to N when no length up to N is below the
// threshold.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "automata/limits.h"
#include "bridge/expressivity.h"
#include "bridge/probe.h"
#include "bridge/recognizer.h"
#include "languages/dataset.h"
#include "models/train.h"

namespace statelab::bridge {

struct TrackOptions {
  std::optional<std::size_t> max_length;                 // nothing: 8x the longest training length
  std::optional<languages::LengthRange> train_lengths;   // nothing: the checkpoint's recorded ones
  std::size_t count = 100;         // examples per length for the accuracy by length
  double threshold = 0.99;         // a length below this accuracy is where tracking fails
  std::size_t tests = 1000;        // check's random words
  std::uint64_t seed = 0;
  std::size_t length_limit = 1000;  // the longest max_length (refused beyond, up front)
  std::size_t probe_train_words = 16, probe_test_words = 4;  // words per length of the probe
  MemoryLimit memory;
  ProgressFn progress;  // (phases done, 4): prediction, accuracy, check, probe
};

struct TrackResult {
  std::string checkpoint, language, architecture, head;
  std::optional<Prediction> prediction;  // classify's row for the architecture, when there is one
  std::string prediction_note;           // why there is none
  languages::LengthRange train_lengths;
  std::size_t max_length = 0;
  std::vector<models::LengthAccuracy> by_length;  // from the shortest training length to max_length
  double threshold = 0;
  std::optional<std::size_t> first_below;         // the first length below the threshold
  bool tracks = false;                            // no length up to max_length is below it
  // check: the minimal counterexample (tag, next-set: at its first wrong position).
  bool checked = false;
  std::string check_note;  // why there was no check
  /// check's random words reach this length (its long words 4x it): max_length, or less where a
  /// transformer's learned positions could not take the long words.
  std::size_t check_max_length = 0;
  bool agree = true;
  std::size_t tested = 0;
  std::optional<Word> counterexample;
  std::string counterexample_text;  // the word as the language's alphabet writes it
  std::optional<std::size_t> counterexample_position;  // tag, next-set
  std::string model_says, truth_says;
  // probe: the retention curve of every layer.
  std::optional<ProbeResult> probe;
  std::string probe_note;  // why there was no probe
};

/// The report on `model` for the language or task `lang` (bridge/run.h's load_source for its
/// head).  Bounds checked up front: max_length <= length_limit (check's long words reach 4x it,
/// and exact sampling is quadratic in the length), the probe's bounds; on a language, a
/// transformer with learned positions caps the default max_length at what they cover, refuses a
/// longer one, and its check draws words a quarter as long.  Throws InvalidArgument
/// when the training lengths are neither given nor recorded, for a checkpoint that does not fit
/// the language, and as the parts do; a language without a regular ground truth, a task, or one
/// without a per-position state only leaves the corresponding part out, with a note.
TrackResult track(const LoadedModel& model, const std::string& lang, const TrackOptions& options = {});

std::string to_json(const TrackResult& result);

}  // namespace statelab::bridge
