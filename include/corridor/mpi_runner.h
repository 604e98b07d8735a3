#pragma once
/// \file An ensemble across MPI ranks, for users who outgrow one machine.
///
///   mpirun -np R ./build/corridor ensemble FILE...
///
/// Every rank loads the same files and computes its contiguous share of every case's draws
/// (draw_range(), ensemble.h) on its own threads; rank 0 then receives the other ranks' values
/// in rank order, assembles them by draw index, and alone writes the results. A draw is a
/// function of (seed, case, k) only, so the files are byte-identical to a run on one machine
/// with any number of threads.
///
/// Built with MPI (CMake option CORRIDOR_MPI, OpenMPI from Debian's libopenmpi-dev) this talks
/// MPI when the process was started by mpirun (OpenMPI's OMPI_COMM_WORLD_SIZE, or PMI's
/// PMI_SIZE / PMIX_RANK in the environment); otherwise, and always in a build without the
/// option, it is a single rank and never initialises MPI. MPI lives in sim/studies only
/// (mpi_runner.cpp).
#include <cstdint>

#include "corridor/ensemble.h"

namespace corridor {

class MpiSession {
 public:
  /// MPI_Init when built with MPI and started by mpirun; a single rank otherwise.
  MpiSession(int* argc, char*** argv);
  ~MpiSession();  ///< MPI_Finalize
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool root() const { return rank_ == 0; }
  /// True when the build has MPI (CORRIDOR_MPI).
  static bool built_with_mpi();

  /// The largest of every rank's `code`, on every rank: the ranks agree on how the run ended
  /// (0 done, 2 input error, 3 internal error) before any of them waits for the others' data.
  int agree(int code) const;

  /// Rank 0's `r` (holding its own share of every case) receives every other rank's share and
  /// then holds all draws; the other ranks send theirs. A collective: every rank calls it with
  /// the cases in the same order.
  void gather(EnsembleResult& r) const;

 private:
  int rank_ = 0, size_ = 1;
  bool active_ = false;
};

}  // namespace corridor
