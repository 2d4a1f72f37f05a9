#include "cli/sweep_mpi.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "base/error.h"

#ifdef STATELAB_MPI
#include <mpi.h>
#include <tbb/info.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>
#endif

namespace statelab::cli {

namespace {

int env_int(const char* a, const char* b, int fallback) {
  for (const char* name : {a, b})
    if (const char* v = std::getenv(name); v && *v) return std::atoi(v);
  return fallback;
}

}  // namespace

int mpi_launch_size() { return env_int("OMPI_COMM_WORLD_SIZE", "PMI_SIZE", 1); }
int mpi_launch_rank() { return env_int("OMPI_COMM_WORLD_RANK", "PMI_RANK", 0); }

#ifndef STATELAB_MPI

bool run_sweep_mpi(const bridge::SweepConfig&, const std::filesystem::path&, bool, const bridge::SweepOptions&,
                   bridge::SweepSummary&) {
  throw InvalidArgument("sweep: started by mpirun, but this statelab was built without MPI (configure with "
                        "STATELAB_MPI=ON and Debian's libopenmpi-dev), or run it without mpirun");
}

#else

namespace {

constexpr int kWork = 1, kResult = 2;
constexpr std::int64_t kStop = -1;

// MPI_Init on construction, MPI_Finalize on destruction (also when an exception leaves).
struct MpiSession {
  MpiSession() { MPI_Init(nullptr, nullptr); }
  ~MpiSession() { MPI_Finalize(); }
  int rank() const {
    int r = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &r);
    return r;
  }
  int size() const {
    int s = 0;
    MPI_Comm_size(MPI_COMM_WORLD, &s);
    return s;
  }
};

void send_work(int rank, std::int64_t cell) { MPI_Send(&cell, 1, MPI_INT64_T, rank, kWork, MPI_COMM_WORLD); }

// Waits for a message with `tag` from `source` without spinning a core (OpenMPI's blocking
// receive polls): probes, then sleeps a millisecond.
MPI_Status wait_for(int source, int tag) {
  MPI_Status status;
  for (int flag = 0;;) {
    MPI_Iprobe(source, tag, MPI_COMM_WORLD, &flag, &status);
    if (flag) return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

void worker(const bridge::SweepConfig& config, const bridge::SweepOptions& options) {
  // The threads of this machine shared out among the ranks on it.
  const int local = std::max(1, env_int("OMPI_COMM_WORLD_LOCAL_SIZE", "MPI_LOCALNRANKS", 1));
  bridge::CellOptions cell_options;
  cell_options.checkpoints = options.checkpoints;
  cell_options.threads = std::max(1, (options.threads > 0 ? options.threads : tbb::info::default_concurrency()) / local);
  for (;;) {
    wait_for(0, kWork);
    std::int64_t cell = kStop;
    MPI_Recv(&cell, 1, MPI_INT64_T, 0, kWork, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (cell < 0 || static_cast<std::size_t>(cell) >= config.cells.size()) return;
    const std::string line = bridge::run_cell(config.cells[static_cast<std::size_t>(cell)], config.hash, cell_options);
    MPI_Send(line.data(), static_cast<int>(line.size()), MPI_CHAR, 0, kResult, MPI_COMM_WORLD);
  }
}

}  // namespace

bool run_sweep_mpi(const bridge::SweepConfig& config, const std::filesystem::path& results, bool force,
                   const bridge::SweepOptions& options, bridge::SweepSummary& summary) {
  MpiSession mpi;
  const int size = mpi.size();
  if (mpi.rank() != 0) {
    try {
      worker(config, options);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "statelab sweep: rank %d: %s\n", mpi.rank(), e.what());
      MPI_Abort(MPI_COMM_WORLD, 2);
    }
    return false;
  }
  // Rank 0: plans, hands out, writes.  Any error before the first cell stops every worker.
  std::vector<std::size_t> todo;
  std::unique_ptr<bridge::ResultsWriter> writer;
  bridge::SweepProgress progress;
  try {
    const bridge::ResultsState state = bridge::read_results(results, config, force);
    todo = bridge::cells_to_run(config, state, options.shard);
    summary = bridge::sweep_summary(config, state, options.shard);
    bridge::make_checkpoint_dir(options.checkpoints);
    if (!todo.empty()) writer = std::make_unique<bridge::ResultsWriter>(results, state);
  } catch (...) {
    for (int r = 1; r < size; ++r) send_work(r, kStop);
    throw;
  }
  progress.total = summary.total;
  progress.skipped = summary.skipped;
  auto report = [&] {
    if (options.on_progress) options.on_progress(progress);
  };
  std::size_t next = 0;
  for (int r = 1; r < size; ++r) {
    if (next < todo.size()) {
      send_work(r, static_cast<std::int64_t>(todo[next++]));
      ++progress.running;
    } else {
      send_work(r, kStop);
    }
  }
  report();
  try {
    while (progress.running > 0) {
      MPI_Status status = wait_for(MPI_ANY_SOURCE, kResult);
      int length = 0;
      MPI_Get_count(&status, MPI_CHAR, &length);
      std::string line(static_cast<std::size_t>(length), '\0');
      MPI_Recv(line.data(), length, MPI_CHAR, status.MPI_SOURCE, kResult, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      writer->append(line);
      const bool failed = bridge::line_failed(line);
      --progress.running;
      ++progress.done;
      if (failed) ++progress.failed;
      ++(failed ? summary.failed : summary.ok);
      if (next < todo.size()) {
        send_work(status.MPI_SOURCE, static_cast<std::int64_t>(todo[next++]));
        ++progress.running;
      } else {
        send_work(status.MPI_SOURCE, kStop);
      }
      report();
    }
  } catch (const std::exception& e) {
    // The workers are busy with cells whose lines nobody would write: end them all.
    std::fprintf(stderr, "statelab sweep: %s\n", e.what());
    MPI_Abort(MPI_COMM_WORLD, 2);
  }
  return true;
}

#endif

}  // namespace statelab::cli
