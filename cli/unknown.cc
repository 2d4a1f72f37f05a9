#include "cli/unknown.h"

#include <string_view>
#include <vector>

namespace statelab::cli {

namespace {

std::string names_of(const std::vector<CLI::App*>& apps) {
  std::string out;
  for (const CLI::App* a : apps) out += (out.empty() ? "" : ", ") + a->get_name();
  return out;
}

}  // namespace

std::string unknown_command_message(CLI::App& app, int argc, const char* const* argv) {
  CLI::App* current = &app;
  std::string path = "statelab";
  for (int i = 1; i < argc; ++i) {
    const std::string_view word = argv[i];
    if (word.starts_with('-')) continue;  // an option of the command reached so far
    const std::vector<CLI::App*> subcommands = current->get_subcommands([](CLI::App*) { return true; });
    if (subcommands.empty()) return "";  // a command with arguments of its own
    CLI::App* next = nullptr;
    for (CLI::App* s : subcommands)
      if (s->get_name() == word) next = s;
    if (!next)
      return "unknown command '" + std::string(word) + "'" + (current == &app ? "" : " of '" + path + "'") +
             " (expected one of: " + names_of(subcommands) + ")";
    current = next;
    path += " " + std::string(word);
  }
  const std::vector<CLI::App*> subcommands = current->get_subcommands([](CLI::App*) { return true; });
  if (subcommands.empty()) return "";
  return "'" + path + "' needs a command: one of " + names_of(subcommands);
}

}  // namespace statelab::cli
