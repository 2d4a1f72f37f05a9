// The MPI driver of `statelab sweep`, the only file of statelab that knows MPI (built when CMake
// finds MPI and STATELAB_MPI is on).  Under `mpirun -n N`, rank 0 reads the results file, hands
// the cells out one at a time to ranks 1..N-1 as they become free, and is the only writer of the
// results file; the other ranks run the cells they are given and send back each cell's line.
// A plain run (no mpirun) never calls MPI_Init.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>

#include "bridge/sweep.h"

namespace statelab::cli {

/// The number of processes mpirun started this one among (OMPI_COMM_WORLD_SIZE, PMI_SIZE), or 1.
int mpi_launch_size();
/// This process's rank among them (OMPI_COMM_WORLD_RANK, PMI_RANK), or 0.
int mpi_launch_rank();

/// Runs the sweep across the MPI ranks (at least 2).  On rank 0 returns true and fills `summary`;
/// on the other ranks returns false once rank 0 has no cell left.  Throws InvalidArgument when
/// statelab was built without MPI.
bool run_sweep_mpi(const bridge::SweepConfig& config, const std::filesystem::path& results, bool force,
                   const bridge::SweepOptions& options, bridge::SweepSummary& summary);

}  // namespace statelab::cli
