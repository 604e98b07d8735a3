#include "corridor/run_pool.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>

namespace corridor {

int pool_threads(const PoolOptions& options, std::size_t members) {
  int threads = options.threads;
  if (threads <= 0) threads = static_cast<int>(std::thread::hardware_concurrency());
  threads = std::max(threads, 1);
  return static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(threads), members));
}

RunResult run_cases(const std::vector<std::shared_ptr<const Scenario>>& members,
                    const PoolOptions& options) {
  const std::size_t n = members.size();
  std::vector<CaseResult> results(n);
  std::vector<std::exception_ptr> errors(n);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex progress_lock;

  auto work = [&] {
    for (std::size_t i = next++; i < n && !stop; i = next++) {
      ProgressFn progress;
      if (options.progress) {
        progress = [&, i](const ProgressEvent& e) {
          ProgressEvent event = e;
          event.member = static_cast<int>(i);
          event.members = static_cast<int>(n);
          const std::lock_guard<std::mutex> lock(progress_lock);
          options.progress(event);
        };
      }
      try {
        results[i] = simulate(members[i], progress);
      } catch (...) {
        errors[i] = std::current_exception();
        stop = true;
      }
    }
  };

  const int threads = pool_threads(options, n);
  if (threads <= 1) {
    work();
  } else {
    std::vector<std::thread> pool;
    pool.reserve(static_cast<std::size_t>(threads));
    for (int t = 0; t < threads; ++t) pool.emplace_back(work);
    for (std::thread& t : pool) t.join();
  }
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
  RunResult out;
  out.cases = std::move(results);
  return out;
}

}  // namespace corridor
