// Training progress on stderr: on a terminal one line redrawn in place (at most ten times a
// second) with the step, loss, accuracy of the last batch, steps/s and the time left; otherwise
// (a log file, a pipe) a plain line every `log_every` steps and at the last.
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>

namespace statelab::cli {

class Progress {
 public:
  /// total: the step count to reach; first: the step training starts from.  `interactive` draws
  /// in place (pass isatty(stderr)); `quiet` prints nothing.
  Progress(std::ostream& out, std::int64_t first, std::int64_t total, int log_every, bool interactive, bool quiet);

  /// Whether update() would print at this step: callers compute the accuracy only then.
  bool wants(std::int64_t step) const;
  void update(std::int64_t step, double loss, double accuracy);
  /// Ends the in-place line (a newline) if one is drawn.
  void finish();

 private:
  using Clock = std::chrono::steady_clock;
  std::ostream& out_;
  std::int64_t first_, total_;
  int log_every_;
  bool interactive_, quiet_, drawn_ = false;
  Clock::time_point start_, last_draw_;
};

}  // namespace statelab::cli
