#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>
#include <exception>
#include <iostream>
#include <ostream>
#include <string>

namespace statelab::cli {

std::string duration_text(double seconds) {
  const auto s = static_cast<long long>(seconds + 0.5);
  char buffer[32];
  if (s < 60) std::snprintf(buffer, sizeof buffer, "%llds", s);
  else if (s < 3600) std::snprintf(buffer, sizeof buffer, "%lldm%02llds", s / 60, s % 60);
  else std::snprintf(buffer, sizeof buffer, "%lldh%02lldm", s / 3600, s / 60 % 60);
  return buffer;
}

Progress::Progress(std::ostream& out, std::int64_t first, std::int64_t total, int log_every, bool interactive, bool quiet)
    : out_(out),
      first_(first),
      total_(total),
      log_every_(log_every < 1 ? 1 : log_every),
      interactive_(interactive),
      quiet_(quiet),
      start_(Clock::now()),
      last_draw_(start_) {}

bool Progress::wants(std::int64_t step) const {
  if (quiet_) return false;
  if (step == total_) return true;
  if (interactive_) return Clock::now() - last_draw_ >= std::chrono::milliseconds(100);
  return step % log_every_ == 0;
}

void Progress::update(std::int64_t step, double loss, double accuracy) {
  if (!wants(step)) return;
  const auto now = Clock::now();
  last_draw_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(step - first_) / elapsed : 0.0;
  const double left = rate > 0 ? static_cast<double>(total_ - step) / rate : 0.0;
  char line[256];
  std::snprintf(line, sizeof line, "step %lld/%lld  loss %.4f  acc %.3f  %.1f steps/s  %s %s",
                static_cast<long long>(step), static_cast<long long>(total_), loss, accuracy, rate,
                step == total_ ? "took" : "ETA", duration_text(step == total_ ? elapsed : left).c_str());
  if (interactive_) {
    const int width = 40;
    const int filled = total_ > 0 ? static_cast<int>(width * step / total_) : width;
    out_ << "\r\033[K[" << std::string(filled, '#') << std::string(width - filled, '.') << "] " << line << std::flush;
    drawn_ = true;
  } else {
    out_ << line << "\n" << std::flush;
  }
}

void Progress::restart(std::int64_t first) {
  first_ = first;
  start_ = last_draw_ = Clock::now();
}

void Progress::finish() {
  if (drawn_) out_ << "\n" << std::flush;
  drawn_ = false;
}

TaskProgress::TaskProgress(std::string label)
    : TaskProgress(std::cerr, std::move(label), isatty(STDERR_FILENO) == 1,
                   isatty(STDERR_FILENO) == 1 ? kTerminalDelay : kLogInterval) {}

TaskProgress::TaskProgress(std::ostream& out, std::string label, bool interactive, double delay)
    : out_(out),
      label_(std::move(label)),
      interactive_(interactive),
      delay_(delay),
      interval_(interactive ? 0.1 : delay),
      start_(Clock::now()),
      last_draw_(start_) {}

TaskProgress::~TaskProgress() {
  // Unwinding from an error: erase the in-place line, but say nothing is done (the error's one line follows).
  if (std::uncaught_exceptions() > 0 && !interactive_) drawn_ = false;
  finish();
}

ProgressFn TaskProgress::callback() {
  return [this](std::uint64_t done, std::uint64_t total) { update(done, total); };
}

void TaskProgress::update(std::uint64_t done, std::uint64_t total) {
  const std::unique_lock lock(mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return;
  const auto now = Clock::now();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  if (elapsed < delay_ || (drawn_ && std::chrono::duration<double>(now - last_draw_).count() < interval_)) return;
  last_draw_ = now;
  char line[256];
  if (total > 0) {
    const double fraction = static_cast<double>(done) / static_cast<double>(total);
    const double left = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0.0;
    std::snprintf(line, sizeof line, "%s: %.0f%% (%llu/%llu), %s, ETA %s", label_.c_str(), 100 * fraction,
                  static_cast<unsigned long long>(done), static_cast<unsigned long long>(total),
                  duration_text(elapsed).c_str(), fraction > 0 ? duration_text(left).c_str() : "?");
  } else if (done == 0) {
    std::snprintf(line, sizeof line, "%s: %s", label_.c_str(), duration_text(elapsed).c_str());
  } else {
    std::snprintf(line, sizeof line, "%s: %llu, %s", label_.c_str(), static_cast<unsigned long long>(done),
                  duration_text(elapsed).c_str());
  }
  if (interactive_) out_ << "\r\033[K" << line << std::flush;
  else out_ << line << "\n" << std::flush;
  drawn_ = true;
}

void TaskProgress::finish() {
  const std::lock_guard lock(mutex_);
  if (drawn_ && interactive_) out_ << "\r\033[K" << std::flush;
  if (drawn_ && !interactive_)
    out_ << label_ << ": done, " << duration_text(std::chrono::duration<double>(Clock::now() - start_).count())
         << "\n" << std::flush;
  drawn_ = false;
}

}  // namespace statelab::cli
