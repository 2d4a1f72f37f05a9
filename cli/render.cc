#include "cli/render.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "automata/atomic_file.h"
#include "automata/dot_io.h"
#include "automata/error.h"
#include "cli/progress.h"

namespace statelab::cli {

namespace {

// Runs `dot -Tsvg in -o out` without a shell; returns its exit status (127 when not found).
int run_dot(const std::string& in, const std::string& out) {
  const pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    execlp("dot", "dot", "-Tsvg", in.c_str(), "-o", out.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  // Graphviz can take long on a large automaton: show that it runs (on a terminal).
  TaskProgress progress("drawing with Graphviz");
  int status = 0;
  for (;;) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done < 0) return -1;
    if (done == pid) break;
    progress.update(0, 0);
    usleep(50'000);
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

void render(const automata::Dfa& dfa, const std::string& path) {
  const std::string ext = std::filesystem::path(path).extension().string();
  const std::string dot = automata::write_dot(dfa);
  if (ext == ".dot" || ext == ".gv") {
    automata::write_file_atomically(path, dot);
    return;
  }
  if (ext != ".svg") throw InvalidArgument("render: unknown output extension '" + ext + "' of " + path + " (expected .dot, .gv or .svg)");
  const std::string dot_file = path + ".tmp.dot", svg_file = path + ".tmp.svg";
  automata::write_file_atomically(dot_file, dot);
  const int status = run_dot(dot_file, svg_file);
  std::filesystem::remove(dot_file);
  if (status != 0) {
    std::error_code ignored;
    std::filesystem::remove(svg_file, ignored);
    if (status == 127) throw IoError("render: Graphviz's 'dot' program is not installed (apt-get install graphviz), needed for " + path);
    throw IoError("render: 'dot -Tsvg' failed with status " + std::to_string(status) + " while writing " + path);
  }
  std::filesystem::rename(svg_file, path);
}

}  // namespace statelab::cli
