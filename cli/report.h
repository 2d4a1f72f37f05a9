// `statelab report RESULTS.jsonl -o report.md [--figures DIR]`: predictions beside measurements for
// each language x architecture of a sweep (bridge/report.h).
#pragma once

#include "cli/command.h"

namespace statelab::cli {

/// Registers `report` on `app`; errors propagate as statelab::Error.
void add_report_command(CLI::App& parent, Commands& commands);

}  // namespace statelab::cli
