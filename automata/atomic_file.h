// Whole-file reads and atomic whole-file writes, for the automaton readers and writers.
// An atomic write never leaves a half-written file where a reader could see it: the contents go
// to a fresh temporary file in the target's directory, which is flushed to disk and then renamed
// over the target (rename is atomic within one file system on POSIX).
#pragma once

#include <filesystem>
#include <string>

namespace statelab::automata {

/// The whole contents of the file at `path`.  Time O(size).
/// Throws IoError naming the path and the system's reason when it cannot be opened or read.
std::string read_file(const std::filesystem::path& path);

/// Replaces the file at `path` with `contents`, atomically: readers see either the old file or
/// the whole new one.  The temporary file is created beside the target (same directory, so the
/// rename cannot cross file systems) with the permissions a new file would get (0666 minus the
/// umask), flushed with fsync and renamed; on any failure it is removed and IoError is thrown,
/// so nothing is left behind.  Time O(size).
void write_file_atomically(const std::filesystem::path& path, std::string contents);

}  // namespace statelab::automata
