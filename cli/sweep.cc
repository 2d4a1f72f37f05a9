#include "cli/sweep.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "base/error.h"
#include "base/file.h"
#include "bridge/sweep.h"
#include "cli/options.h"
#include "cli/progress.h"
#include "cli/sweep_mpi.h"

namespace statelab::cli {

namespace {

struct SweepOpts {
  std::string config, output, shard = "0/1", checkpoints;
  int jobs = 1, threads = 0;
  bool dry_run = false, force = false, json = false;
};

// "sweep: 3/24 done (1 failed), 2 running, ETA 1m20s" redrawn in place on a terminal, at most ten
// times a second; nothing otherwise.
class SweepLine {
 public:
  explicit SweepLine(bool interactive) : interactive_(interactive), start_(Clock::now()) {}
  void update(const bridge::SweepProgress& p) {
    if (!interactive_) return;
    const auto now = Clock::now();
    const std::size_t finished = p.skipped + p.done;
    if (drawn_ && finished < p.total && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const std::size_t left = p.total - finished;
    std::string eta = p.done > 0 ? duration_text(elapsed / static_cast<double>(p.done) * static_cast<double>(left)) : "?";
    std::fprintf(stderr, "\r\033[Ksweep: %zu/%zu done (%zu failed), %zu running, ETA %s", finished, p.total, p.failed,
                 p.running, eta.c_str());
    std::fflush(stderr);
    drawn_ = true;
  }
  void finish() {
    if (drawn_) std::fprintf(stderr, "\r\033[K");
    drawn_ = false;
  }

 private:
  using Clock = std::chrono::steady_clock;
  bool interactive_, drawn_ = false;
  Clock::time_point start_, last_;
};

int dry_run(const bridge::SweepConfig& config, const SweepOpts& o, const bridge::Shard& shard) {
  const bridge::ResultsState state = bridge::read_results(o.output, config, o.force);
  nlohmann::ordered_json cells = nlohmann::ordered_json::array();
  std::size_t total = 0, done = 0;
  for (const std::size_t i : bridge::shard_cells(config.cells.size(), shard)) {
    const bridge::SweepCell& cell = config.cells[i];
    const auto it = state.done.find(cell.key);
    const std::string status = it == state.done.end() ? "to run" : "done " + it->second;
    ++total;
    if (it != state.done.end()) ++done;
    if (o.json) cells.push_back({{"index", i}, {"key", cell.key}, {"status", status}});
    else std::cout << i << "  " << cell.key << "  [" << status << "]\n";
  }
  if (o.json) {
    std::cout << nlohmann::ordered_json{{"cells", total}, {"done", done}, {"to_run", total - done}, {"list", cells}}.dump()
              << "\n";
  } else {
    std::cout << total << " cells";
    if (shard.count > 1) std::cout << " in shard " << shard.index << "/" << shard.count << " of " << config.cells.size();
    std::cout << ": " << done << " done, " << total - done << " to run\n";
  }
  return 0;
}

int run_sweep_command(const SweepOpts& o) {
  const int ranks = mpi_launch_size();
  const bool worker = ranks > 1 && mpi_launch_rank() != 0;
  try {
    if (is_standard_output(o.output))
      throw InvalidArgument("-o " + o.output + ": the results must go to a file (it is appended to, and read back to resume)");
    const bridge::SweepConfig config = bridge::read_sweep_config(o.config);
    const bridge::Shard shard = bridge::parse_shard(o.shard);
    if (o.dry_run) return worker ? 0 : dry_run(config, o, shard);
    bridge::SweepOptions options;
    options.shard = shard;
    options.jobs = o.jobs;
    options.threads = o.threads;
    options.checkpoints = o.checkpoints;
    SweepLine line(!worker && ::isatty(STDERR_FILENO) != 0);
    options.on_progress = [&](const bridge::SweepProgress& p) { line.update(p); };
    bridge::SweepSummary summary;
    try {
      if (ranks > 1) {
        if (o.jobs != 1) throw InvalidArgument("--jobs " + std::to_string(o.jobs) + ": under mpirun each rank runs one cell at a time (leave --jobs out)");
        if (!run_sweep_mpi(config, o.output, o.force, options, summary)) return 0;
      } else {
        summary = bridge::run_sweep(config, o.output, o.force, options);
      }
    } catch (...) {
      line.finish();
      throw;
    }
    line.finish();
    if (o.json) {
      std::cout << nlohmann::ordered_json{{"cells", summary.total}, {"skipped", summary.skipped}, {"ok", summary.ok},
                                          {"failed", summary.failed}, {"results", o.output}}
                       .dump()
                << "\n";
    } else {
      std::cout << summary.total << " cells: " << summary.ok << " ok, " << summary.failed << " failed";
      if (summary.skipped > 0) std::cout << " (" << summary.skipped << " already in " << o.output << ")";
      std::cout << "; results in " << o.output << "\n";
    }
    return summary.failed > 0 ? 1 : 0;
  } catch (const Error&) {
    if (worker) return 2;  // rank 0 says it
    throw;
  }
}

}  // namespace

void add_sweep_command(CLI::App& parent, Commands& commands) {
  auto o = std::make_shared<SweepOpts>();
  CLI::App* c = parent.add_subcommand(
      "sweep",
      "train a grid of runs from a TOML config ([grid] lists, [fixed] values, [[zip]] groups of `statelab train` "
      "options), N cells at a time, or across the ranks of `mpirun -n N statelab sweep ...`; one JSON line per "
      "finished cell is appended to RESULTS, and running the same command again skips the finished cells. "
      "Exit 0 when every cell is ok, 1 when some failed (recorded in RESULTS), 2 on bad input");
  c->add_option("config", o->config, "the sweep config (TOML)")->required()->type_name("CONFIG.toml");
  c->add_option("-o,--output", o->output, "the results file (JSON lines), appended to and resumed from")
      ->required()
      ->type_name("RESULTS.jsonl");
  c->add_option("--jobs", o->jobs, "cells run at a time; the threads are shared out among them")
      ->check(kAtLeastOne)
      ->capture_default_str();
  c->add_option("--threads", o->threads, "threads in all (0: all cores); results do not depend on it")
      ->check(kNonNegative)
      ->capture_default_str();
  c->add_option("--shard", o->shard, "run only shard I (0-based) of N: the cells whose index is I mod N")
      ->type_name("I/N")
      ->capture_default_str();
  c->add_option("--checkpoints", o->checkpoints, "keep each cell's checkpoint in DIR (cell-HASH.safetensors)")
      ->type_name("DIR");
  c->add_flag("--dry-run", o->dry_run, "list the cells (and which are already in RESULTS) and run none");
  c->add_flag("--force", o->force, "add to a RESULTS file written by another config");
  c->add_flag("--json", o->json, "print the summary (or the --dry-run list) as JSON");
  commands.push_back({c, [o] { return run_sweep_command(*o); }});
}

}  // namespace statelab::cli
