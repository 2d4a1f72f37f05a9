// The message for a command line whose command word is unknown or missing: which word, and the
// commands that exist at that place (CLI11 itself says only "A subcommand is required").
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace statelab::cli {

/// Walks the words of the command line down the commands of `app`; at the first word that is no
/// command where one is expected, "unknown command 'WORD' of 'statelab dfa' (expected one of:
/// count, equiv, ...)"; when the line stops where a command is required, "'statelab dfa' needs a
/// command: one of ...".  Empty when the command words are all known.
std::string unknown_command_message(CLI::App& app, int argc, const char* const* argv);

}  // namespace statelab::cli
