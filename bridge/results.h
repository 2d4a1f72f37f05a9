// The results of a sweep (RESULTS.jsonl, written by `statelab sweep`) read back for figures and
// reports: one row per cell, its options, its status, its metrics (what `statelab train --json`
// prints) and its accuracy by test length; selection (--where key=value), grouping (--by key) and
// the summary of a value over the seeds of a group (mean, min, max).
//
// The file holds one JSON object per line: {"cell": {option: text, ...}, "key": ..., "status":
// "ok" | "failed", "error": ..., "metrics": {...}, "seconds": ..., "checkpoint": ...}.  Lines
// without "cell" (a header, the sweep's configuration) are skipped, and so is a last line cut
// short (a sweep killed while writing it); any other line that is not such an object is an error
// naming the file and line.
//
// A row's fields, by name: its cell's options (lang, model, hidden, seed, ...: the long options of
// `statelab train` without dashes), then the options of the spec its metrics hold (so `model` is
// known even when the sweep fixed it), then "status", then the numbers of its metrics
// (test_accuracy, validation_accuracy, steps, best_step, final_loss, parameters, ...) and the
// line's own "seconds".  A run with a validation set also has its learning curve (the metrics'
// validation_history: every evaluation's step, accuracy and loss).
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/train.h"

namespace statelab::bridge {

/// The accuracy of one test length (task size) of a run, as models/ measures it.
using models::LengthAccuracy;
/// One evaluation on the validation set during training: step, accuracy, mean loss.
using models::Evaluation;

/// One cell of a sweep.
struct ResultRow {
  std::size_t line = 0;                       // 1-based line of the file
  std::map<std::string, std::string> cell;    // the cell's options as canonical text
  std::string key, status, error;             // status: "ok" or "failed"
  std::map<std::string, std::string> spec;    // the metrics' spec, option -> canonical text
  std::map<std::string, double> numbers;      // the metrics' numbers, and "seconds"
  std::vector<LengthAccuracy> by_length;      // ascending length
  std::vector<Evaluation> history;            // the metrics' validation_history, ascending step
  bool ok() const { return status == "ok"; }
};

/// Every row of `text` (the contents of a RESULTS.jsonl), in file order.  `name` names the file in
/// errors.  Time O(size).  Throws ParseError naming the file and line for a line that is neither
/// a cell's JSON object, a line without "cell", nor the cut-short last line.
std::vector<ResultRow> parse_result_rows(std::string_view text, const std::string& name);

/// parse_result_rows of the file at `path` (IoError when it cannot be read).
std::vector<ResultRow> read_result_rows(const std::filesystem::path& path);

/// The text of a row's field (see the header's comment for the order of lookup); numbers are
/// printed shortest ("0.5", "12").  A name "a+b" joins fields: "A, b=B" (figures whose lines differ
/// in two options, such as model+negative-eigenvalues).  nullopt when the row has no such field.
std::optional<std::string> field_text(const ResultRow& row, std::string_view name);

/// The value of a numeric field; nullopt when the row lacks it or it is not a number.
std::optional<double> field_number(const ResultRow& row, std::string_view name);

/// Throws InvalidArgument naming `option` and listing the fields the rows have when no row of
/// `rows` has the field `name`.
void require_field(const std::vector<ResultRow>& rows, std::string_view name, std::string_view option);

/// A condition key=value of --where: the row's field equals the value (as text, or as numbers
/// when both are numbers: hidden=8 matches "8" and "8.0").
struct Where {
  std::string key, value;
};

/// "key=value" -> Where.  Throws InvalidArgument naming --where when there is no '=' or no key.
Where parse_where(std::string_view text);

/// The rows for which every condition holds (in file order).  Throws InvalidArgument when a
/// condition names a field no row has.
std::vector<ResultRow> select(const std::vector<ResultRow>& rows, const std::vector<Where>& where);

/// The rows of `rows` with status ok.
std::vector<ResultRow> ok_rows(const std::vector<ResultRow>& rows);

/// The rows grouped by the text of field `key` (rows without it are left out): values in numeric
/// order when they are all numbers, else in the order they first appear.  Time O(n log n).
using Groups = std::vector<std::pair<std::string, std::vector<const ResultRow*>>>;
Groups group_by(const std::vector<ResultRow>& rows, std::string_view key);
Groups group_by(const std::vector<const ResultRow*>& rows, std::string_view key);

/// The cell options (other than `except`) that take more than one value among `rows`: what a
/// summary over the rows mixes.
std::vector<std::string> varying_options(const std::vector<const ResultRow*>& rows,
                                         const std::vector<std::string>& except = {});

/// Mean, min and max of values (count 0: all zero).
struct Summary {
  std::size_t count = 0;
  double mean = 0, min = 0, max = 0;
};
Summary summarize(const std::vector<double>& values);

/// A run's accuracy over the test lengths in [lo, hi], weighted by examples; nullopt when it has
/// none there.
std::optional<double> accuracy_between(const ResultRow& row, int lo, int hi);

/// The distinct test lengths the rows have, in min(bins, their number) ascending groups whose sizes
/// differ by at most one, each as the range of its shortest and longest length (contiguous ranges
/// of equal width when the lengths are).  Empty when no row has any.
std::vector<std::pair<int, int>> length_bins(const std::vector<const ResultRow*>& rows, int bins);

/// "a..b" of a row's spec option (train-lengths, test-lengths) as a range; nullopt when absent
/// or not a range.
std::optional<std::pair<int, int>> spec_range(const ResultRow& row, std::string_view option);

/// The architecture name of bridge/expressivity.h for a row (expressivity_architecture of the
/// config its model, pos, negative-eigenvalues and bidirectional options give): mamba-negative,
/// transformer-nope, ...; an unknown model keeps its own name.
std::string architecture_of(const ResultRow& row);

}  // namespace statelab::bridge
