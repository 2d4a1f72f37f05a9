// The report of a sweep (`statelab report`): for each language x architecture (and each value of
// the other options the sweep varied, seeds aside), what the algebra predicts
// (bridge/expressivity.h, as `statelab classify` prints it) beside what was measured: the mean and
// the max over the seeds of the accuracy on the longest test lengths (the last of the length bins
// of bridge/results.h), the rows where the two disagree marked; the failed cells; the figures.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bridge/results.h"

namespace statelab::bridge {

struct ReportOptions {
  int bins = 8;             // the longest lengths are the last of this many equal bins of the test lengths
  double learned = 0.99;    // a seed has learned the language when its accuracy there is at least this
  std::string source;       // the results file, named in the heading
  /// Figures to link: (caption, path relative to the report).
  std::vector<std::pair<std::string, std::string>> figures;
};

/// One row of the report's table.
struct ReportRow {
  std::string lang, architecture;
  std::vector<std::pair<std::string, std::string>> options;  // the other varied options of the row
  std::string predicted;  // yes, no, open, or n/a (not a regular catalogue language)
  std::string reason;     // the prediction's reason, or why there is none
  std::pair<int, int> lengths{0, 0};  // the bin measured
  Summary measured;                   // over the seeds that ran and have accuracies in the bin
  std::size_t failed = 0;             // failed cells of the row
  bool disagrees = false;  // predicted yes and no seed learned, or predicted no and one did
};

/// The rows, in the order languages and then architectures first appear in `rows`.  The
/// prediction of each language is computed once (its minimal DFA's transition monoid, bounded by
/// automata::kDefaultMaxMonoid).  Time O(rows x lengths) plus the monoids.
std::vector<ReportRow> report_rows(const std::vector<ResultRow>& rows, const ReportOptions& options);

/// The report as Markdown.  Throws InvalidArgument when `rows` is empty.
std::string report_markdown(const std::vector<ResultRow>& rows, const ReportOptions& options);

/// `statelab report`: with `figures`, first draws into that folder (created if needed) the curves
/// of accuracy by test length by model (curves.png) and, when the sweep varied the hidden size,
/// the heatmap over length bins and hidden sizes (heatmap.png), through bridge/plot.h; then writes
/// the report to `path` (statelab::write_file), the figures linked relative to it.
void write_report(const std::vector<ResultRow>& rows, ReportOptions options, const std::filesystem::path& path,
                  const std::optional<std::filesystem::path>& figures);

}  // namespace statelab::bridge
