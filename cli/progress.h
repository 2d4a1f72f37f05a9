// Training progress on stderr: on a terminal one line redrawn in place (at most ten times a
// second) with the step, loss, accuracy of the last batch, steps/s and the time left; otherwise
// (a log file, a pipe) a plain line every `log_every` steps and at the last.  TaskProgress: the
// progress of any other long computation, in place on a terminal, a line every 10 s elsewhere.
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <mutex>
#include <string>

#include "automata/limits.h"

namespace statelab::cli {

/// "42s", "3m05s", "1h02m".
std::string duration_text(double seconds);

class Progress {
 public:
  /// total: the step count to reach; first: the step training starts from.  `interactive` draws
  /// in place (pass isatty(stderr)); `quiet` prints nothing.
  Progress(std::ostream& out, std::int64_t first, std::int64_t total, int log_every, bool interactive, bool quiet);

  /// Whether update() would print at this step: callers compute the accuracy only then.
  bool wants(std::int64_t step) const;
  void update(std::int64_t step, double loss, double accuracy);
  /// Restarts the clock of the rate and the time left at step `first` (train calls it after the
  /// first step, so that drawing the data and the first step's set-up are not counted).
  void restart(std::int64_t first);
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

/// The progress of one long computation (a library's ProgressFn) on stderr.  On a terminal, once
/// the computation has run for a second: one line redrawn in place, at most ten times a second,
/// "label: 42% (4200/10000), 3s, ETA 4s" (or "label: 4200, 5s" when the total is unknown), erased
/// when it finishes.  Elsewhere (a log file under nohup or a batch system), once it has run for
/// kLogInterval seconds: the same line as a plain line every kLogInterval seconds, and "label:
/// done, 1m05s" at the end; a computation shorter than that prints nothing, so pipes and tests stay
/// clean.  Safe to call from several threads (a call that finds another drawing skips).
inline constexpr double kTerminalDelay = 1.0;
inline constexpr double kLogInterval = 10.0;

class TaskProgress {
 public:
  explicit TaskProgress(std::string label);
  /// For tests: draw on `out`, in place when `interactive`, after `delay` seconds (and, not
  /// interactive, every `delay` seconds after that).
  TaskProgress(std::ostream& out, std::string label, bool interactive, double delay = kTerminalDelay);
  ~TaskProgress();
  TaskProgress(const TaskProgress&) = delete;
  TaskProgress& operator=(const TaskProgress&) = delete;

  /// The callback to hand to a library; valid while this object lives.
  ProgressFn callback();
  void update(std::uint64_t done, std::uint64_t total);
  /// Erases the line if one is drawn.
  void finish();

 private:
  using Clock = std::chrono::steady_clock;
  std::ostream& out_;
  std::string label_;
  bool interactive_, drawn_ = false;
  double delay_, interval_;
  Clock::time_point start_, last_draw_;
  std::mutex mutex_;
};

}  // namespace statelab::cli
