// What bounds a long computation and how it reports its progress: a memory limit that an
// algorithm checks as its structures grow (throwing LimitExceeded that names the setting which
// raises it), and an optional progress callback.  Libraries never print; the command line draws
// progress on a terminal (cli/progress.h) and tests count the calls.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace statelab {

/// Called with (done, total) as work advances, done nondecreasing and at most total; total is 0
/// when it is not known in advance, and may grow when it is only the best estimate so far.  An empty function is never called.  The callback must be
/// cheap (it may be called once per unit of work) and must not throw.
using ProgressFn = std::function<void(std::uint64_t done, std::uint64_t total)>;

/// Calls `progress(done, total)` if it is set.
inline void report(const ProgressFn& progress, std::uint64_t done, std::uint64_t total) {
  if (progress) progress(done, total);
}

/// The memory a computation may take unless asked otherwise: 4 GiB.
inline constexpr std::size_t kDefaultMemoryLimit = std::size_t{4} << 30;

/// A cap on the bytes one computation holds at once, and the name of the setting that raises it
/// (the CLI passes its option, "--max-memory"), which the LimitExceeded message names.
struct MemoryLimit {
  std::size_t bytes = kDefaultMemoryLimit;
  std::string_view option = "the memory limit";
};

/// Throws LimitExceeded("<what> <length> is past the limit of <limit> (raise <option>)") when `length` is
/// past `limit`: for work that grows faster than linearly in a length, bounded up front.
void check_length(std::size_t length, std::size_t limit, std::string_view what, std::string_view option);

/// "4 GiB", "1.5 MiB", "512 bytes".
std::string bytes_text(std::size_t bytes);

/// Throws LimitExceeded("<what> would take more than <limit> (raise <option>)") when `needed`
/// is past the limit.
void check_memory(const MemoryLimit& limit, std::size_t needed, std::string_view what);

}  // namespace statelab
