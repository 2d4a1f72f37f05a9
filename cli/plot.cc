#include "cli/plot.h"

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "bridge/plot.h"
#include "bridge/results.h"
#include "cli/options.h"

namespace statelab::cli {

namespace {

struct PlotCommandOptions {
  std::string results, output, kind = "curve", size;
  std::vector<std::string> where, vlines, hlines;
  bridge::PlotOptions plot;
};

void run(PlotCommandOptions& o) {
  bridge::PlotOptions& p = o.plot;
  p.kind = bridge::parse_plot_kind(o.kind);
  if (!o.size.empty()) std::tie(p.width, p.height) = bridge::parse_plot_size(o.size);
  for (const std::string& w : o.where) p.where.push_back(bridge::parse_where(w));
  for (const std::string& v : o.vlines) p.vlines.push_back(bridge::parse_reference_line(v, "--vline"));
  for (const std::string& h : o.hlines) p.hlines.push_back(bridge::parse_reference_line(h, "--hline"));
  p.source = o.results;
  bridge::plot_format(o.output);  // a bad extension is refused before the results are read
  bridge::plot(bridge::read_result_rows(o.results), p, o.output);
  summary_stream(o.output) << "wrote " << o.output << "\n";
}

}  // namespace

void add_plot_command(CLI::App& parent, Commands& commands) {
  auto o = std::make_shared<PlotCommandOptions>();
  CLI::App* v = parent.add_subcommand("plot", "a figure of a sweep's results (RESULTS.jsonl) drawn by gnuplot");
  v->add_option("results", o->results, "the results of statelab sweep (JSON lines)")->required();
  v->add_option("-o,--output", o->output, "the figure: .png or .svg")->required();
  v->add_option("--kind", o->kind,
                "curve (accuracy by test length, one line per --by), heatmap (accuracy over length bins x --y, "
                "one panel per --by), hist (a histogram of --x per --by) or history (validation accuracy or loss against the "
                "training step, one line per --by: the learning curves); default curve");
  v->add_option("--x", o->plot.x,
                "curve: a numeric field for the x axis instead of the test length; hist: the field (default "
                "test_accuracy); history: step");
  v->add_option("--y", o->plot.y, "heatmap: the option of the rows (default hidden); curve with --x: the field (default test_accuracy); "
                "history: accuracy (default) or loss");
  v->add_option("--by", o->plot.by, "the field that makes the lines, panels or bars (default model)");
  v->add_option("--where", o->where, "keep the cells whose field equals the value (key=value; repeatable)")
      ->allow_extra_args(false);  // one value each time, so that --where k=v RESULTS reads RESULTS
  v->add_option("--bins", o->plot.bins, "heatmap: test-length bins (default 8); hist: bins (default 10)")
      ->check(CLI::Range(1, 1000));
  v->add_option("--vline", o->vlines, "curve, hist, history: a dashed vertical line at X, labelled (X or X:LABEL; repeatable)")
      ->allow_extra_args(false);
  v->add_option("--hline", o->hlines, "curve, hist, history: a dashed horizontal line at Y, labelled (Y or Y:LABEL; repeatable)")
      ->allow_extra_args(false);
  v->add_flag("--pool-languages", o->plot.pool_languages,
              "no panel per language: the languages drawn together (a family whose name carries its size, "
              "such as index-lookup:max=N, whose lengths then make the length axis)");
  v->add_option("--size", o->size, "WIDTHxHEIGHT in pixels (default: from the number of panels)");
  commands.push_back({v, [o] {
    run(*o);
    return 0;
  }});
}

}  // namespace statelab::cli
