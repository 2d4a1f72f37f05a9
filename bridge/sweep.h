// A sweep: a grid of runs (bridge/run.h), read from a TOML config, carried out cell by cell with
// every finished cell appended to a results file of JSON lines, so that a sweep killed at any
// moment resumes where it stopped.  `statelab sweep` (and its MPI driver) is a thin layer over it.
//
// The config: a [grid] table of lists (every combination is a cell), a [fixed] table of scalars
// (set in every cell), and [[zip]] tables whose lists, all of one length, vary together (their
// i-th values form one choice).  Keys are the option names of `statelab train` without dashes
// (run_options()).  Cells are numbered in a fixed order: the zips and the grid keys, in the order
// the file lists them, as the digits of a mixed-radix number whose last key varies fastest.
// [[part]] tables, each with its own [part.grid], [part.fixed] and [[part.zip]], make a config of
// several such grids (languages that need other models or budgets): each part is the top level's
// tables with its own added (an option set in both is refused), and the cells are the first
// part's, then the second's, ...; an option that some parts set and others do not is unset
// (an empty value in the key) in the others.
//
// A cell's seed is its own `seed` option: its result depends on nothing but its options, never on
// the jobs, the shard or the machine count.  Shard I of N holds the cells whose index is I mod N,
// so the shards of one sweep partition its cells and concatenating their results files gives the
// set of lines of one run.
//
// The results file, one JSON object a line, keys in this order:
//   {"cell": {option: text, ...}, "key": "...", "status": "ok"|"failed", "error": "..." (failed),
//    "metrics": {...} (ok: what `statelab train --json` prints), "seconds": S,
//    "checkpoint": "PATH" (when kept), "config": "HASH"}
// "cell" holds the options the config sets (canonical text, spec_options); "key" is those
// options as "name=value" joined by spaces, in run_options() order; "config" is sweep_hash(),
// which tells the file of another config apart.  Lines are appended whole, each by one write()
// followed by fsync, by one writer; a last line without its newline (a writer killed mid-line) is
// cut off when the file is opened again, and its cell runs again.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bridge/run.h"

namespace statelab::bridge {

/// One cell of a sweep.
struct SweepCell {
  std::size_t index = 0;                       // its place in the config's order
  std::map<std::string, std::string> options;  // the options the config sets, canonical text
  std::string key;                             // "name=value ..." in run_options() order
  RunSpec spec;
};

struct SweepConfig {
  std::string file;                 // the name messages use
  std::vector<std::string> names;   // the options the config sets, in run_options() order
  std::vector<SweepCell> cells;
  std::string hash;                 // sweep_hash(cells)
};

/// At most this many cells: a grid is expanded (about a kilobyte a cell) before any cell runs, and
/// its size is the product of its list lengths, checked before expanding.
inline constexpr std::size_t kMaxCells = 100'000;

/// Reads a config: TOML text `text` from file `file`.  Every cell's spec is built with
/// spec_from_options and checked with validate() before anything runs.  Throws ParseError for
/// malformed TOML ("FILE:LINE: ..."), InvalidArgument naming the file, the line and the key for an
/// unknown option, a bad value, a table or key of the wrong kind, lists of unequal length in a
/// zip, an empty list or part, an option set twice (within a part or in a part and the top
/// level), a grid of no cell or more than kMaxCells (the parts together), two cells with equal
/// options (in one part or two), or a cell whose options conflict (naming that cell's key).
/// Time O(cells x options).
SweepConfig parse_sweep_config(std::string_view text, const std::string& file);
/// The same, from the file at `path` (IoError when it cannot be read).
SweepConfig read_sweep_config(const std::filesystem::path& path);

/// A hash of the cells' keys in order (16 hex digits, FNV-1a 64): equal for equal configs.
std::string sweep_hash(const std::vector<SweepCell>& cells);

/// Shard I of N (0 <= I < N).
struct Shard {
  std::size_t index = 0, count = 1;
};
/// "I/N".  Throws InvalidArgument naming --shard for bad text or I >= N.
Shard parse_shard(const std::string& text);
/// The indices of the cells of `shard` (index mod count == shard index), in order.
std::vector<std::size_t> shard_cells(std::size_t cell_count, const Shard& shard);

/// What a results file already holds for a config.
struct ResultsState {
  std::map<std::string, std::string> done;  // key -> status ("ok" or "failed") of finished cells
  std::uintmax_t valid_bytes = 0;           // the length of its whole lines (a half last line is cut off)
  std::size_t lines = 0;
};
/// Reads the results file at `path` (missing: nothing done).  Throws ParseError naming the file
/// and line for a whole line that is not a results line, and InvalidArgument for a line of another
/// config (another "config" hash) unless `force`; with `force` such lines are kept and a cell of
/// this config whose key they hold counts as done.
ResultsState read_results(const std::filesystem::path& path, const SweepConfig& config, bool force);

/// Appends whole lines to a results file, one write() and fsync each; thread-safe.  Opening it
/// cuts off a half last line (truncate to `state.valid_bytes`; regular files only).
class ResultsWriter {
 public:
  ResultsWriter(const std::filesystem::path& path, const ResultsState& state);
  ~ResultsWriter();
  ResultsWriter(const ResultsWriter&) = delete;
  ResultsWriter& operator=(const ResultsWriter&) = delete;
  /// `line` without its newline.  Throws IoError naming the file.
  void append(const std::string& line);

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  std::mutex mutex_;
};

/// How cells are carried out; nothing here changes a cell's result.
struct CellOptions {
  std::filesystem::path checkpoints;  // directory for each cell's checkpoint; empty: none kept
  int threads = 0;                    // threads of the cell's run (0: all); run in its own task_arena
};

/// The checkpoint path of a cell under `dir`: DIR/cell-<16 hex digits of its key's hash>.safetensors.
std::filesystem::path cell_checkpoint(const std::filesystem::path& dir, const SweepCell& cell);

/// Runs one cell and returns its results line (without newline).  A statelab::Error (bad data,
/// divergence, a file that cannot be written) makes a "failed" line; other exceptions propagate.
std::string run_cell(const SweepCell& cell, const std::string& config_hash, const CellOptions& options);

/// The progress of a sweep, after each change.
struct SweepProgress {
  std::size_t total = 0;    // cells of this shard
  std::size_t skipped = 0;  // already in the results file
  std::size_t done = 0, running = 0, failed = 0;  // in this call (done includes failed)
};

struct SweepOptions {
  Shard shard;
  int jobs = 1;     // cells at a time
  int threads = 0;  // threads shared out among the jobs (0: all cores)
  std::filesystem::path checkpoints;
  std::function<void(const SweepProgress&)> on_progress;  // called under a lock, from any thread
};

/// The cells of the shard not yet in the results, in order.
std::vector<std::size_t> cells_to_run(const SweepConfig& config, const ResultsState& state, const Shard& shard);

/// The cells of the shard: total, those already in the results file (skipped), and of all of
/// them, the file's and this call's, how many are ok and how many failed.
struct SweepSummary {
  std::size_t total = 0, skipped = 0, ok = 0, failed = 0;
};

/// What the results file holds for the shard: total, skipped = the cells it holds, ok and failed
/// among them.  A driver adds its own cells' outcomes as they finish (line_failed).
SweepSummary sweep_summary(const SweepConfig& config, const ResultsState& state, const Shard& shard);
/// Whether a line of run_cell is a failed cell's.
bool line_failed(const std::string& line);
/// Creates the checkpoint directory (nothing when `dir` is empty); IoError naming it.
void make_checkpoint_dir(const std::filesystem::path& dir);

/// Runs the cells of the shard not yet in `results` with `jobs` cells at a time (TBB: one
/// task_arena of `jobs` slots; each cell in its own arena of threads/jobs threads) and appends
/// each line as soon as its cell finishes.
SweepSummary run_sweep(const SweepConfig& config, const std::filesystem::path& results, bool force,
                       const SweepOptions& options);

}  // namespace statelab::bridge
