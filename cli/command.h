// The shape of every `statelab` command: a CLI11 (sub)command and the function that carries it out.
#pragma once
#include <CLI/CLI.hpp>
#include <functional>
#include <vector>

namespace statelab::cli {

/// One command of `statelab`: its CLI11 (sub)command and what runs it once the command line is
/// parsed.  `run` returns the exit code: 0 done or yes, 1 a negative answer; errors throw.
struct Command {
  CLI::App* app;
  std::function<int()> run;
};

/// Every command registers itself here; main runs the one that was parsed.
using Commands = std::vector<Command>;

}  // namespace statelab::cli
