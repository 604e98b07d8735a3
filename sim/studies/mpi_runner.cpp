// The only user of MPI (mpi_runner.h), compiled with it when CMake's CORRIDOR_MPI is on.
#include "corridor/mpi_runner.h"

#include <cstdlib>
#include <stdexcept>
#include <vector>

#ifdef CORRIDOR_MPI
#include <mpi.h>
#endif

namespace corridor {
namespace {

#ifdef CORRIDOR_MPI
/// Started by a launcher that set up an MPI world for us.
bool launched_by_mpirun() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"}) {
    if (std::getenv(name) != nullptr) return true;
  }
  return false;
}

// Messages carry at most this many elements each (MPI counts are int).
constexpr std::size_t kChunk = std::size_t{1} << 26;

void check(int rc, const char* what) {
  if (rc != MPI_SUCCESS) throw std::runtime_error(std::string("MPI: ") + what + " failed");
}

template <typename T>
MPI_Datatype type_of();
template <>
MPI_Datatype type_of<std::int64_t>() {
  return MPI_INT64_T;
}
template <>
MPI_Datatype type_of<double>() {
  return MPI_DOUBLE;
}
template <>
MPI_Datatype type_of<std::uint64_t>() {
  return MPI_UINT64_T;
}

template <typename T>
void send(const std::vector<T>& v, int to) {
  const std::uint64_t n = v.size();
  check(MPI_Send(&n, 1, MPI_UINT64_T, to, 0, MPI_COMM_WORLD), "send");
  for (std::size_t at = 0; at < v.size(); at += kChunk) {
    const int count = static_cast<int>(std::min(kChunk, v.size() - at));
    check(MPI_Send(v.data() + at, count, type_of<T>(), to, 1, MPI_COMM_WORLD), "send");
  }
}

template <typename T>
std::vector<T> receive(int from) {
  std::uint64_t n = 0;
  check(MPI_Recv(&n, 1, MPI_UINT64_T, from, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE), "receive");
  std::vector<T> v(n);
  for (std::size_t at = 0; at < v.size(); at += kChunk) {
    const int count = static_cast<int>(std::min(kChunk, v.size() - at));
    check(MPI_Recv(v.data() + at, count, type_of<T>(), from, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
          "receive");
  }
  return v;
}
#endif

}  // namespace

bool MpiSession::built_with_mpi() {
#ifdef CORRIDOR_MPI
  return true;
#else
  return false;
#endif
}

MpiSession::MpiSession(int* argc, char*** argv) {
#ifdef CORRIDOR_MPI
  if (!launched_by_mpirun()) return;
  int provided = 0;
  check(MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
  active_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
#else
  (void)argc;
  (void)argv;
#endif
}

MpiSession::~MpiSession() {
#ifdef CORRIDOR_MPI
  if (active_) MPI_Finalize();
#else
  (void)active_;  // always false without MPI (clang's -Wunused-private-field)
#endif
}

int MpiSession::agree(int code) const {
#ifdef CORRIDOR_MPI
  if (!active_) return code;
  int all = code;
  check(MPI_Allreduce(&code, &all, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD), "MPI_Allreduce");
  return all;
#else
  return code;
#endif
}

void MpiSession::gather(EnsembleResult& r) const {
  if (size_ == 1) return;
#ifdef CORRIDOR_MPI
  for (CaseEnsemble& c : r.cases) {
    // Counts travel with the values: periods, solved, reused (base, memo), clamped per input.
    auto counts = [&c] {
      std::vector<std::uint64_t> v = {c.periods, c.solved, c.reused_base, c.reused_memo};
      v.insert(v.end(), c.clamped.begin(), c.clamped.end());
      return v;
    };
    if (!root()) {
      send(pack_values(c), 0);
      send(pack_inputs(c), 0);
      send(counts(), 0);
      continue;
    }
    extend_to_all_draws(c);
    for (int from = 1; from < size_; ++from) {
      const auto [first, last] = draw_range(c.draws, from, size_);
      const std::vector<std::int64_t> values = receive<std::int64_t>(from);
      const std::vector<double> inputs = receive<double>(from);
      const std::vector<std::uint64_t> n = receive<std::uint64_t>(from);
      unpack_part(c, first, last, values, inputs);
      if (n.size() != 4 + c.clamped.size()) throw std::logic_error("MPI: counts do not match");
      c.periods += n[0], c.solved += n[1], c.reused_base += n[2], c.reused_memo += n[3];
      for (std::size_t i = 0; i < c.clamped.size(); ++i) c.clamped[i] += n[4 + i];
    }
  }
#else
  (void)r;
#endif
}

}  // namespace corridor
