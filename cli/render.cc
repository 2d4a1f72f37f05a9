#include "cli/render.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cassert>
#include <cerrno>
#include <csignal>
#include <filesystem>

#include "automata/dot_io.h"
#include "base/error.h"
#include "base/file.h"
#include "cli/progress.h"

namespace statelab::cli {

namespace {

// Runs `dot -Tsvg in` without a shell and returns what it printed; `status` gets its exit status
// (127 when not found, -1 when it could not be run or died of a signal).  Graphviz gets SIGKILL
// if statelab dies first (an interrupt), so it never outlives the command.
std::string run_dot(const std::string& in, int& status) {
  int out[2];
  status = -1;
  if (::pipe2(out, O_CLOEXEC) != 0) return "";
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(out[0]);
    ::close(out[1]);
    return "";
  }
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) _exit(127);  // the parent died before prctl
    ::dup2(out[1], STDOUT_FILENO);
    execlp("dot", "dot", "-Tsvg", in.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  ::close(out[1]);
  std::string svg;
  char chunk[1 << 16];
  // Graphviz can take long on a large automaton: show that it runs (on a terminal).
  TaskProgress progress("drawing with Graphviz");
  for (;;) {
    pollfd ready{out[0], POLLIN, 0};
    const int events = ::poll(&ready, 1, 100);
    progress.update(0, 0);
    if (events < 0 && errno != EINTR) break;
    if (events <= 0) continue;
    const ssize_t n = ::read(out[0], chunk, sizeof chunk);
    if (n > 0) svg.append(chunk, static_cast<std::size_t>(n));
    else if (n == 0 || errno != EINTR) break;
  }
  progress.finish();
  ::close(out[0]);
  int raw = 0;
  while (::waitpid(pid, &raw, 0) < 0)
    if (errno != EINTR) return svg;
  status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return svg;
}

// A fresh name in the temporary directory ($TMPDIR or /tmp) for Graphviz's input.
std::filesystem::path temporary_dot() {
  static std::atomic<unsigned long> counter{0};
  return std::filesystem::temp_directory_path() /
         ("statelab-render." + std::to_string(::getpid()) + "." + std::to_string(counter++) + ".tmp.dot");
}

// The DOT text `dot` of an automaton of `states` states drawn as render() says.
std::string render_dot(std::string dot, std::size_t states, std::string_view format, std::size_t max_states,
                       const std::string& option) {
  assert(format == ".dot" || format == ".svg");
  if (format == ".dot") return dot;
  if (states > max_states)
    throw LimitExceeded(std::to_string(states) + " states is more than " + std::to_string(max_states) +
                        " to draw as SVG (Graphviz may take minutes); raise " + option +
                        " to draw it anyway, or write .dot");
  const std::filesystem::path dot_file = temporary_dot();
  const RemoveOnSignal registered(dot_file);
  int status = -1;
  std::string svg;
  try {
    write_file(dot_file, dot);
    svg = run_dot(dot_file.string(), status);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(dot_file, ignored);
    throw;
  }
  std::error_code ignored;
  std::filesystem::remove(dot_file, ignored);
  if (status == 127) throw IoError("drawing SVG needs Graphviz's 'dot' program, which is not installed (apt-get install graphviz)");
  if (status != 0) throw IoError("Graphviz's 'dot -Tsvg' failed with status " + std::to_string(status));
  return svg;
}

}  // namespace

std::string render(const automata::Dfa& dfa, std::string_view format, std::size_t max_states,
                   const std::string& option) {
  return render_dot(automata::write_dot(dfa), dfa.num_states(), format, max_states, option);
}

std::string render(const automata::MooreMachine& machine, std::string_view format, std::size_t max_states,
                   const std::string& option) {
  return render_dot(automata::format_moore(machine, automata::Format::dot), machine.dfa.num_states(), format,
                    max_states, option);
}

}  // namespace statelab::cli
