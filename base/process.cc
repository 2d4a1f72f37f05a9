#include "base/process.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>

namespace statelab {

ChildResult run_child(const std::vector<std::string>& argv, double seconds, const std::function<void()>& tick) {
  ChildResult result;
  if (argv.empty()) return result;
  int o[2], e[2];
  if (::pipe2(o, O_CLOEXEC) != 0) return result;
  if (::pipe2(e, O_CLOEXEC) != 0) {
    ::close(o[0]);
    ::close(o[1]);
    return result;
  }
  std::vector<char*> args;  // built before fork: the child only calls async-signal-safe functions
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    for (int fd : {o[0], o[1], e[0], e[1]}) ::close(fd);
    return result;
  }
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) _exit(127);  // the parent died before prctl
    ::dup2(o[1], STDOUT_FILENO);
    ::dup2(e[1], STDERR_FILENO);
    const int null = ::open("/dev/null", O_RDONLY);
    if (null >= 0) ::dup2(null, STDIN_FILENO);
    ::execvp(args[0], args.data());
    _exit(127);
  }
  ::close(o[1]);
  ::close(e[1]);
  pollfd fds[2] = {{o[0], POLLIN, 0}, {e[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  char chunk[1 << 16];
  while (fds[0].fd >= 0 || fds[1].fd >= 0) {
    if (seconds > 0 && Clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      result.timed_out = true;
      break;
    }
    const int events = ::poll(fds, 2, 100);
    if (tick) tick();
    if (events < 0 && errno != EINTR) break;
    for (int k = 0; k < 2 && events > 0; ++k) {
      if (fds[k].fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = ::read(fds[k].fd, chunk, sizeof chunk);
      if (n > 0) {
        sinks[k]->append(chunk, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        ::close(fds[k].fd);
        fds[k].fd = -1;
      }
    }
  }
  for (const pollfd& p : fds)
    if (p.fd >= 0) ::close(p.fd);
  int raw = 0;
  while (::waitpid(pid, &raw, 0) < 0)
    if (errno != EINTR) return result;
  result.status = !result.timed_out && WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return result;
}

}  // namespace statelab
