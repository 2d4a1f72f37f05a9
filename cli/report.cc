#include "cli/report.h"

#include <memory>
#include <optional>
#include <string>

#include "bridge/report.h"
#include "bridge/results.h"
#include "cli/options.h"

namespace statelab::cli {

namespace {

struct ReportCommandOptions {
  std::string results, output, figures;
  bridge::ReportOptions report;
};

void run(ReportCommandOptions& o) {
  o.report.source = o.results;
  const std::optional<std::filesystem::path> figures =
      o.figures.empty() ? std::nullopt : std::optional<std::filesystem::path>(o.figures);
  bridge::write_report(bridge::read_result_rows(o.results), o.report, o.output, figures);
  summary_stream(o.output) << "wrote " << o.output << (figures ? " and its figures in " + o.figures : "") << "\n";
}

}  // namespace

void add_report_command(CLI::App& parent, Commands& commands) {
  auto o = std::make_shared<ReportCommandOptions>();
  CLI::App* v = parent.add_subcommand(
      "report", "a sweep's results beside what classify predicts, for each language x architecture (Markdown)");
  v->add_option("results", o->results, "the results of statelab sweep (JSON lines)")->required();
  v->add_option("-o,--output", o->output, "the report (.md; - for standard output)")->required();
  v->add_option("--figures", o->figures, "draw the figures into this folder (gnuplot) and link them");
  v->add_option("--bins", o->report.bins, "the longest lengths are the last of this many bins of the test lengths (default 8)")
      ->check(CLI::Range(1, 1000));
  v->add_option("--learned", o->report.learned, "the accuracy at which a seed counts as having learned (default 0.99)")
      ->check(CLI::Range(0.0, 1.0));
  commands.push_back({v, [o] {
    run(*o);
    return 0;
  }});
}

}  // namespace statelab::cli
