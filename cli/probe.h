// `statelab probe`: linear state probes of a checkpoint's hidden states (bridge/probe.h).
#pragma once
#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "automata/limits.h"

#include "cli/command.h"

namespace statelab::cli {

void add_probe_command(CLI::App& parent, Commands& commands);

/// The options `statelab probe` and `statelab track` share: a checkpoint read against a language,
/// the lengths it was trained on, the accuracy threshold, the seed, the limits, --json.
struct ProbeCommonOptions {
  std::string ckpt, lang, train_lengths;
  std::uint64_t seed = 0;
  double threshold = 0.99;
  std::size_t length_limit = 1000, max_memory = kDefaultMemoryLimit;
  bool json = false;
};

/// What each command says of the shared options in --help.
struct ProbeOptionsHelp {
  std::string_view lang, train_lengths, threshold, seed, length_limit;
};

/// Registers --ckpt (required), --lang (required), --train-lengths, --threshold, --seed,
/// --length-limit, --max-memory and --json on `command`.
void add_probe_options(CLI::App* command, ProbeCommonOptions& options, const ProbeOptionsHelp& help);

}  // namespace statelab::cli
