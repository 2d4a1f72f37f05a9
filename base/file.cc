#include "base/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <optional>
#include <random>
#include <sstream>

#include "base/error.h"

namespace statelab {

namespace {

std::string quoted(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path, int error) {
  throw IoError(what + " " + quoted(path) + ": " + std::strerror(error));
}

// A name no other writer in this or another process is likely to pick; O_EXCL settles the rest.
std::filesystem::path temporary_beside(const std::filesystem::path& path, unsigned attempt) {
  static std::atomic<unsigned long> counter{0};
  thread_local std::mt19937_64 random{std::random_device{}()};
  std::ostringstream name;
  name << '.' << path.filename().string() << ".tmp." << ::getpid() << '.' << counter++ << '.' << attempt << '.'
       << std::hex << (random() & 0xffffff);
  return path.parent_path() / name.str();
}

// The table of temporary files to unlink on a signal.  A slot is free (0), being filled (1) or
// holds a path (2); the handler reads only slots in state 2, so it never sees half a path.
constexpr std::size_t kMaxPath = 4096;
struct Slot {
  std::atomic<int> state{0};
  char path[kMaxPath];
};
Slot temporaries[RemoveOnSignal::kMaxTemporaries];
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler needs lock-free atomics");

extern "C" void remove_temporaries_and_die(int signal) {
  for (auto& slot : temporaries)
    if (slot.state.load(std::memory_order_acquire) == 2) ::unlink(slot.path);
  // The default action, now: the process ends as the signal would have ended it.
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  ::sigemptyset(&default_action.sa_mask);
  ::sigaction(signal, &default_action, nullptr);
  ::raise(signal);
}

void write_all(int fd, std::string_view contents, const std::function<void(const char*)>& abandon) {
  const char* data = contents.data();
  std::size_t left = contents.size();
  while (left > 0) {
    const ssize_t written = ::write(fd, data, left);
    if (written < 0) {
      if (errno == EINTR) continue;
      abandon("cannot write");
    }
    data += written;
    left -= static_cast<std::size_t>(written);
  }
}

// Follows `path` through symbolic links (relative targets resolve against the link's directory)
// to the first component that is not a link, existing or not.
std::filesystem::path final_target(std::filesystem::path path) {
  for (int level = 0;; ++level) {
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0 || !S_ISLNK(info.st_mode)) return path;
    if (level >= 40) fail("cannot write", path, ELOOP);
    std::error_code ec;
    std::filesystem::path target = std::filesystem::read_symlink(path, ec);
    if (ec) fail("cannot follow the link", path, ec.value());
    path = target.is_absolute() ? target : path.parent_path() / target;
  }
}

void write_standard_output(std::string_view contents) {
  std::cout.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  std::cout.flush();
  if (!std::cout) throw IoError("cannot write to standard output");
}

void write_through(const std::filesystem::path& path, std::string_view contents) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) fail("cannot open", path, errno);
  write_all(fd, contents, [&](const char* what) {
    const int error = errno;
    ::close(fd);
    fail(what, path, error);
  });
  if (::close(fd) != 0) fail("cannot close", path, errno);
}

void replace_atomically(const std::filesystem::path& path, std::string_view contents) {
  std::filesystem::path temporary;
  int fd = -1;
  std::optional<RemoveOnSignal> registered;
  for (unsigned attempt = 0; fd < 0; ++attempt) {
    temporary = temporary_beside(path, attempt);
    registered.reset();
    registered.emplace(temporary);  // before the file exists, so no moment leaves it unregistered
    // 0666 is filtered by the umask, as for any new file; O_EXCL never reuses an existing file.
    fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && (errno != EEXIST || attempt >= 100)) {
      const int error = errno;
      registered.reset();
      fail("cannot create a temporary file beside", path, error);
    }
  }
  auto abandon = [&](const char* what) {
    const int error = errno;
    if (fd >= 0) ::close(fd);
    ::unlink(temporary.c_str());
    fail(what, path, error);
  };
  write_all(fd, contents, abandon);
  if (::fsync(fd) != 0) abandon("cannot flush");
  const int closed = ::close(fd);
  fd = -1;
  if (closed != 0) abandon("cannot close");
  if (::rename(temporary.c_str(), path.c_str()) != 0) abandon("cannot replace");
}

}  // namespace

std::string read_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw IoError("cannot read " + quoted(path) + ": it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("cannot open", path, errno);
  // One read into a buffer of the file's size: a stringstream would grow by doubling and copy
  // a large file several times.  Files whose size cannot be known (pipes) are read in chunks.
  std::string contents;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && std::filesystem::is_regular_file(path, ec)) {
    contents.resize(static_cast<std::size_t>(size));
    in.read(contents.data(), static_cast<std::streamsize>(contents.size()));
    contents.resize(static_cast<std::size_t>(in.gcount()));
  }
  char chunk[1 << 16];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) contents.append(chunk, static_cast<std::size_t>(in.gcount()));
  if (in.bad()) fail("cannot read", path, errno);
  return contents;
}

bool is_standard_output(const std::filesystem::path& path) {
  return path == "-" || path == "/dev/stdout" || path == "/dev/fd/1" || path == "/proc/self/fd/1";
}

void write_file(const std::filesystem::path& path, std::string_view contents) {
  if (is_standard_output(path)) return write_standard_output(contents);
  if (path.filename().empty()) throw IoError("cannot write " + quoted(path) + ": it names a directory, not a file");
  const std::filesystem::path target = final_target(path);
  struct stat info {};
  if (::stat(target.c_str(), &info) == 0) {
    if (S_ISDIR(info.st_mode)) throw IoError("cannot write " + quoted(path) + ": it is a directory");
    if (!S_ISREG(info.st_mode)) return write_through(target, contents);
  } else if (errno != ENOENT) {
    fail("cannot write", path, errno);
  }
  replace_atomically(target, contents);
}


RemoveOnSignal::RemoveOnSignal(const std::filesystem::path& path) : slot_(-1) {
  const std::string& text = path.native();
  if (text.size() >= kMaxPath) return;
  for (int i = 0; i < kMaxTemporaries; ++i) {
    int expected = 0;
    if (!temporaries[i].state.compare_exchange_strong(expected, 1, std::memory_order_acquire)) continue;
    std::memcpy(temporaries[i].path, text.c_str(), text.size() + 1);
    temporaries[i].state.store(2, std::memory_order_release);
    slot_ = i;
    return;
  }
}

RemoveOnSignal::~RemoveOnSignal() {
  if (slot_ >= 0) temporaries[slot_].state.store(0, std::memory_order_release);
}

void remove_temporaries_on_signals() {
  for (const int signal : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction current {};
    if (::sigaction(signal, nullptr, &current) != 0 || current.sa_handler != SIG_DFL) continue;
    struct sigaction action {};
    action.sa_handler = remove_temporaries_and_die;
    ::sigemptyset(&action.sa_mask);
    ::sigaction(signal, &action, nullptr);
  }
}

}  // namespace statelab
