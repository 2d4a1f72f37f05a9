// Figures of a sweep's results (bridge/results.h), drawn by gnuplot (a run-time dependency only:
// Debian's gnuplot-nox, terminals pngcairo and svg).  plot_script() writes the whole gnuplot
// script, data inline, so a figure is reproducible from its script alone; plot() runs gnuplot on
// it as a child process and writes the image whole (statelab::write_file).
//
// The kinds:
// - curve: accuracy against test length, one line per --by value (default model), the mean over
//   the runs of each point (the seeds) with the min-max band, the training lengths shaded; one
//   panel per language when the selection holds several.  With --x FIELD (a numeric option such
//   as hidden), --y FIELD (default test_accuracy) against it instead.
// - heatmap: accuracy over (test length bin x --y option, default hidden), as Bhattamishra et al.
//   2024 (Figure 2); one panel per --by value (default model) and language; colours fixed to [0, 1].
// - hist: a histogram of the numeric field --x (default test_accuracy) per --by value; one panel
//   per language when the selection holds several.
// - history: the learning curves, validation accuracy (--y accuracy, the default) or loss (--y
//   loss) against the training step, one line per --by value, the mean and min-max over the runs
//   evaluated at each step; one panel per language.  From the metrics' validation_history.
// With pool_languages (--pool-languages) no kind makes a panel per language: the runs of every
// language are drawn together, for a family whose name carries its size (index-lookup:max=N
// trained and tested at length N: the heatmap's length axis is then N, as in that figure).
// Curves and histograms may carry reference lines (--vline X[:LABEL], --hline Y[:LABEL]), drawn
// dashed across every panel, such as a bound the results are compared with; the x axis of a curve
// by length or of a histogram is widened to show a vertical line beyond the data.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "bridge/results.h"

namespace statelab::bridge {

enum class PlotKind { curve, heatmap, hist, history };

/// "curve", "heatmap", "hist", "history" -> PlotKind.  Throws InvalidArgument naming --kind.
PlotKind parse_plot_kind(std::string_view text);

/// A reference line at x = value (vertical) or y = value (horizontal), with an optional label.
struct ReferenceLine {
  double value = 0;
  std::string label;
};

/// "X" or "X:LABEL" -> ReferenceLine.  Throws InvalidArgument naming `option` (--vline, --hline)
/// when X is not a finite number.
ReferenceLine parse_reference_line(std::string_view text, std::string_view option);

struct PlotOptions {
  PlotKind kind = PlotKind::curve;
  std::string x, y, by;      // empty: the kind's default (see the header's comment)
  std::vector<Where> where;  // applied before anything else
  int width = 0, height = 0; // pixels; 0: from the number of panels
  int bins = 0;              // length bins (heatmap, default 8) or histogram bins (default 10)
  std::string source;        // named in the title (the results file)
  std::vector<ReferenceLine> vlines, hlines;  // curve, hist and history (a heatmap's axes are bins)
  bool pool_languages = false;  // no panel per language: the languages' runs drawn together (for a
                                // family whose name carries its size, as index-lookup:max=N)
};

/// The largest width or height, and the most panels, a figure may have.
inline constexpr int kMaxPlotSide = 10000;
inline constexpr int kMaxPanels = 36;

/// "WxH" -> {W, H}.  Throws InvalidArgument naming --size for anything but two whole numbers in
/// 16..kMaxPlotSide.
std::pair<int, int> parse_plot_size(std::string_view text);

/// "png" or "svg" from the extension of `path`.  Throws InvalidArgument otherwise.
std::string plot_format(const std::filesystem::path& path);

/// The gnuplot script that draws `rows` (those of status ok that pass options.where) in `format`
/// ("png" or "svg") on standard output.  Time O(rows x lengths).  Throws InvalidArgument for an
/// unknown field, an empty selection, a field that is not numeric, more than kMaxPanels panels.
std::string plot_script(const std::vector<ResultRow>& rows, const PlotOptions& options, std::string_view format);

/// Runs `gnuplot` (found on PATH) on `script` and returns what it printed on standard output.  The
/// script goes through a temporary file, removed when done, on failure and on SIGINT/SIGTERM
/// (statelab::RemoveOnSignal); gnuplot dies with the process.  Throws IoError when gnuplot is not
/// installed, fails (its first error line quoted), or prints nothing.
std::string run_gnuplot(const std::string& script);

/// plot_script then run_gnuplot, the image written whole to `path` (.png or .svg).
void plot(const std::vector<ResultRow>& rows, const PlotOptions& options, const std::filesystem::path& path);

}  // namespace statelab::bridge
