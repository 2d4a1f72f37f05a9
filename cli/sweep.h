// `statelab sweep CONFIG -o RESULTS.jsonl`: a grid of runs from a TOML config (bridge/sweep.h),
// carried out N cells at a time with TBB, or across the ranks of `mpirun` (cli/sweep_mpi.h),
// resumable, with a progress line on a terminal and a summary at the end.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/command.h"

namespace statelab::cli {

void add_sweep_command(CLI::App& parent, Commands& commands);

}  // namespace statelab::cli
