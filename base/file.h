// Whole-file reads and whole-file writes for every statelab reader and writer, and the removal of
// temporary files when the process is interrupted.
//
// write_file never leaves a half-written file where a reader could see it, and never replaces what
// is not a file: a regular file (or a new path) gets its contents in a fresh temporary file in the
// same directory, flushed to disk and renamed over it (rename is atomic within one file system on
// POSIX); a symbolic link is followed and its final target replaced, the link kept; a device, a
// FIFO or a socket is opened and written through; "-" is standard output.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace statelab {

/// The whole contents of the file at `path`.  Time O(size).
/// Throws IoError naming the path and the system's reason when it cannot be opened or read.
std::string read_file(const std::filesystem::path& path);

/// True for the paths write_file takes for standard output: "-", /dev/stdout, /dev/fd/1 and
/// /proc/self/fd/1 (a program then prints its summary elsewhere, e.g. on stderr).
bool is_standard_output(const std::filesystem::path& path);

/// Writes `contents` to `path`:
/// - "-", /dev/stdout, /dev/fd/1, /proc/self/fd/1: to standard output (std::cout, flushed);
/// - a regular file or a path that does not exist: replaced atomically, so readers see either the
///   old file or the whole new one.  The temporary file is created beside the target with the
///   permissions a new file would get (0666 minus the umask), registered with RemoveOnSignal,
///   flushed with fsync and renamed; on any failure it is removed and IoError is thrown;
/// - a symbolic link: followed (through every level, dangling or not) and its final target
///   written as above; the link itself stays a link;
/// - anything else that exists (a character device such as /dev/null, a FIFO, a socket): opened
///   for writing and written through, never renamed over.
/// Throws IoError naming the path and the reason.  Time O(size).
void write_file(const std::filesystem::path& path, std::string_view contents);

/// While it lives, `path` is in a fixed table of temporary files that the handlers installed by
/// remove_temporaries_on_signals() unlink before the process dies of SIGINT, SIGTERM or SIGHUP.
/// It does not remove the file itself: its owner does (or renames it) before destroying it.
/// At most kMaxTemporaries paths of fewer than 4096 bytes are registered at once; beyond that a
/// path is simply not registered (an interrupt may then leave it behind).  Thread-safe.
class RemoveOnSignal {
 public:
  static constexpr int kMaxTemporaries = 64;

  explicit RemoveOnSignal(const std::filesystem::path& path);
  ~RemoveOnSignal();
  RemoveOnSignal(const RemoveOnSignal&) = delete;
  RemoveOnSignal& operator=(const RemoveOnSignal&) = delete;

 private:
  int slot_;
};

/// Installs handlers for SIGINT, SIGTERM and SIGHUP (where their disposition is the default) that
/// unlink every path registered by a live RemoveOnSignal and then let the signal kill the process
/// as it would have (so its exit status is the conventional 128 + signal).  The handlers use only
/// async-signal-safe calls.  For programs (the CLI); a library never installs it on its own.
void remove_temporaries_on_signals();

}  // namespace statelab
