#pragma once
/// \file A small deterministic run pool: the members of a study dispatched on a few threads.
/// Today the members are the cases of `corridor run` and `corridor compare`; contingencies,
/// ensembles and sensitivities will be studies of many more. std::thread only; an MPI runner
/// will sit beside this one, behind a build option.
///
/// Determinism. Each member is simulate() of its own scenario and nothing else, so its result
/// does not depend on the other members, the thread that ran it, or timing; result i is member
/// i's. The results, and every CSV written from them, are byte-identical for any thread count.
///
/// Threads take the next member from a shared counter, in member order (members differ in
/// size, so there is no fixed split). Progress events of all threads reach the one callback
/// one at a time, under a lock, with ProgressEvent::member and ::members filled in; events of
/// different members interleave.
///
/// Failures. A member that cannot be dispatched is a value (CaseResult::failure) and the
/// others go on. An exception from a member is an internal error: no member starts after it,
/// the running ones finish, and the exception of the lowest member index is rethrown to the
/// caller. That member is the same whatever the timing: every member below a failing one was
/// started before it.
#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "corridor/results.h"
#include "corridor/scenario.h"
#include "corridor/simulate.h"

namespace corridor {

struct PoolOptions {
  /// Worker threads: 0 for std::thread::hardware_concurrency() (1 if unknown), never more
  /// than there are members. With 1, members run in the calling thread.
  int threads = 0;
  ProgressFn progress;       ///< may be empty
  DispatchOptions dispatch;  ///< passed to simulate() of every member
};

/// simulate() of every member; RunResult::cases[i] is members[i]'s result.
RunResult run_cases(const std::vector<std::shared_ptr<const Scenario>>& members,
                    const PoolOptions& options = {});

/// The number of worker threads run_cases would use for `members` members.
int pool_threads(const PoolOptions& options, std::size_t members);

/// The pool itself, for any study: task(i) for every i in [0, count), on pool_threads(threads,
/// count) threads taking the next i from a shared counter. A task writes its result to slot i
/// of its caller's storage, so results do not depend on the thread count. An exception from a
/// task stops new tasks; the one of the lowest index is rethrown (as run_cases).
void run_tasks(std::size_t count, int threads, const std::function<void(std::size_t)>& task);

}  // namespace corridor
