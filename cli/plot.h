// `statelab plot RESULTS.jsonl -o fig.png|fig.svg`: a figure of a sweep's results (bridge/plot.h):
// curves of accuracy by test length, heatmaps over length bins and an option, histograms.
#pragma once

#include "cli/command.h"

namespace statelab::cli {

/// Registers `plot` on `app`; errors propagate as statelab::Error.
void add_plot_command(CLI::App& parent, Commands& commands);

}  // namespace statelab::cli
