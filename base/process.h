// Running another program as a child, without a shell: its standard output and standard error
// captured whole (both read as they come, so neither pipe fills and blocks it), its standard
// input /dev/null, and it never outlives us (SIGKILL when the parent dies, an interrupt included)
// nor runs past a time limit.  Used to draw with Graphviz and gnuplot.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace statelab {

struct ChildResult {
  int status = -1;         // the exit status; 127 when the program was not found; -1 when it could
                           // not be run, died of a signal or was killed at the time limit
  bool timed_out = false;  // killed at the time limit
  std::string out, err;    // what it printed on standard output and standard error
};

/// Runs argv[0] (looked up on PATH) with the arguments argv[1..] and waits for it; kills it with
/// SIGKILL once it has run `seconds` (0: no limit).  `tick`, when set, is called about ten times
/// a second while the child runs (to draw progress).  Never throws for the child's failures: they
/// are in the result.
ChildResult run_child(const std::vector<std::string>& argv, double seconds = 0,
                      const std::function<void()>& tick = {});

}  // namespace statelab
