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

void run_tasks(std::size_t count, int threads, const std::function<void(std::size_t)>& task) {
  std::vector<std::exception_ptr> errors(count);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  auto work = [&] {
    for (std::size_t i = next++; i < count && !stop; i = next++) {
      try {
        task(i);
      } catch (...) {
        errors[i] = std::current_exception();
        stop = true;
      }
    }
  };
  PoolOptions options;
  options.threads = threads;
  const int used = pool_threads(options, count);
  if (used <= 1) {
    work();
  } else {
    std::vector<std::thread> pool;
    pool.reserve(static_cast<std::size_t>(used));
    for (int t = 0; t < used; ++t) pool.emplace_back(work);
    for (std::thread& t : pool) t.join();
  }
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

RunResult run_cases(const std::vector<std::shared_ptr<const Scenario>>& members,
                    const PoolOptions& options) {
  const std::size_t n = members.size();
  std::vector<CaseResult> results(n);
  std::mutex progress_lock;
  run_tasks(n, options.threads, [&](std::size_t i) {
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
    results[i] = simulate(members[i], progress, options.dispatch);
  });
  RunResult out;
  out.cases = std::move(results);
  return out;
}

}  // namespace corridor
