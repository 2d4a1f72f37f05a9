#include "automata/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

#include "automata/error.h"

namespace statelab::automata {

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

void write_file_atomically(const std::filesystem::path& path, std::string contents) {
  if (path.filename().empty()) throw IoError("cannot write " + quoted(path) + ": it names a directory, not a file");
  std::filesystem::path temporary;
  int fd = -1;
  for (unsigned attempt = 0; fd < 0; ++attempt) {
    temporary = temporary_beside(path, attempt);
    // 0666 is filtered by the umask, as for any new file; O_EXCL never reuses an existing file.
    fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && (errno != EEXIST || attempt >= 100)) fail("cannot create a temporary file beside", path, errno);
  }
  auto abandon = [&](const char* what) {
    const int error = errno;
    if (fd >= 0) ::close(fd);
    ::unlink(temporary.c_str());
    fail(what, path, error);
  };
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
  if (::fsync(fd) != 0) abandon("cannot flush");
  const int closed = ::close(fd);
  fd = -1;
  if (closed != 0) abandon("cannot close");
  if (::rename(temporary.c_str(), path.c_str()) != 0) abandon("cannot replace");
}

}  // namespace statelab::automata
