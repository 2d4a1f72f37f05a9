// The `statelab` command: `statelab <noun> <verb> [options]`.
// Every error, from the command line or from the libraries, ends as one line on stderr and
// exit code 2; exit code 1 is reserved for a negative answer (e.g. "not equivalent").
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>
#include <new>

#include "base/error.h"
#include "base/file.h"
#include "cli/check.h"
#include "cli/classify.h"
#include "cli/command.h"
#include "cli/dfa/count.h"
#include "cli/dfa/equiv.h"
#include "cli/dfa/from_regex.h"
#include "cli/dfa/info.h"
#include "cli/dfa/learn.h"
#include "cli/dfa/member.h"
#include "cli/dfa/minimize.h"
#include "cli/dfa/ops.h"
#include "cli/dfa/random.h"
#include "cli/dfa/render.h"
#include "cli/dfa/sample.h"
#include "cli/extract.h"
#include "cli/lang/count.h"
#include "cli/lang/export.h"
#include "cli/lang/list.h"
#include "cli/lang/member.h"
#include "cli/lang/sample.h"
#include "cli/lang/show.h"
#include "cli/lang/targets.h"
#include "cli/plot.h"
#include "cli/probe.h"
#include "cli/report.h"
#include "cli/eval.h"
#include "cli/score.h"
#include "cli/sensitivity.h"
#include "cli/sweep.h"
#include "cli/track.h"
#include "cli/train.h"
#include "cli/unknown.h"

int main(int argc, char** argv) {
  using namespace statelab::cli;
  // An interrupted write or rendering leaves no temporary file behind.
  statelab::remove_temporaries_on_signals();
  CLI::App app{"statelab: formal languages and the neural networks that learn them"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "statelab 0.1.0");
  Commands commands;

  CLI::App* dfa = app.add_subcommand("dfa", "finite automata: build, minimise, compare, count, sample, render");
  dfa->require_subcommand(1);
  add_dfa_from_regex_command(*dfa, commands);
  add_dfa_info_command(*dfa, commands);
  add_dfa_minimize_command(*dfa, commands);
  add_dfa_equiv_command(*dfa, commands);
  add_dfa_ops_command(*dfa, commands);
  add_dfa_member_command(*dfa, commands);
  add_dfa_count_command(*dfa, commands);
  add_dfa_sample_command(*dfa, commands);
  add_dfa_render_command(*dfa, commands);
  add_dfa_random_command(*dfa, commands);
  add_dfa_learn_command(*dfa, commands);

  CLI::App* lang = app.add_subcommand("lang", "the language catalogue: list, show, member, count, sample, targets, export");
  lang->require_subcommand(1);
  add_lang_list_command(*lang, commands);
  add_lang_show_command(*lang, commands);
  add_lang_member_command(*lang, commands);
  add_lang_count_command(*lang, commands);
  add_lang_sample_command(*lang, commands);
  add_lang_targets_command(*lang, commands);
  add_lang_export_command(*lang, commands);

  add_train_command(app, commands);
  add_sweep_command(app, commands);
  add_eval_command(app, commands);
  add_score_command(app, commands);
  add_classify_command(app, commands);
  add_check_command(app, commands);
  add_extract_command(app, commands);
  add_probe_command(app, commands);
  add_sensitivity_command(app, commands);
  add_track_command(app, commands);
  add_plot_command(app, commands);
  add_report_command(app, commands);
  // A named option that takes several values takes one per occurrence (--where a=1 --where b=2),
  // so that it never swallows the positional argument after it.
  for (const Command& command : commands)
    for (CLI::Option* option : command.app->get_options())
      if (!option->get_positional() && option->get_items_expected_max() > 1) option->allow_extra_args(false);
  try {
    app.parse(argc, argv);
    for (const Command& command : commands)
      if (command.app->parsed()) return command.run();
    return 0;
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // A word that names no command reads better than CLI11's "A subcommand is required".
    const std::string unknown = unknown_command_message(app, argc, argv);
    std::cerr << "statelab: " << (unknown.empty() ? e.what() : unknown) << " (see --help)\n";
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
}
