// The `statelab` command: `statelab <noun> <verb> [options]`.
// Every error, from the command line or from the libraries, ends as one line on stderr and
// exit code 2; exit code 1 is reserved for a negative answer (e.g. "not equivalent").
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>
#include <new>

#include "base/error.h"
#include "base/file.h"
#include "cli/bridge_command.h"
#include "cli/classify_command.h"
#include "cli/dfa_command.h"
#include "cli/lang_command.h"
#include "cli/model_command.h"

int main(int argc, char** argv) {
  // An interrupted write or rendering leaves no temporary file behind.
  statelab::remove_temporaries_on_signals();
  CLI::App app{"statelab: formal languages and the neural networks that learn them"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "statelab 0.1.0");
  int exit_code = 0;
  statelab::cli::add_dfa_command(app, exit_code);
  statelab::cli::add_lang_command(app);
  statelab::cli::add_model_commands(app);
  statelab::cli::add_classify_command(app);
  statelab::cli::add_check_command(app, exit_code);
  statelab::cli::add_extract_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "statelab: " << e.what() << " (see --help)\n";
    return 2;
  } catch (const statelab::Error& e) {
    std::cerr << "statelab: " << e.what() << "\n";
    return 2;
  } catch (const std::bad_alloc&) {
    std::cerr << "statelab: out of memory (lower --max-states, the model sizes or the input size)\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "statelab: internal error: " << e.what() << "\n";
    return 2;
  }
  return exit_code;
}
