#pragma once
/// \file
/// ReaderHub's camera (private to src/app/reader_hub*.cpp): its worker, the source running now,
/// and the retry of a configured camera not found or lost (docs/camera.md).

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "app/reader_hub.hpp"
#include "app/task_runner.hpp"
#include "core/error.hpp"
#include "reader/image/camera_source.hpp"

namespace vd::app {

/// The camera's worker and source. `source` is replaced on the worker only; the source's
/// onError handler posts to the worker through `post`, which the destructor closes first (a
/// handler never posts to a worker being destroyed).
struct ReaderHub::Camera {
  std::mutex mutex;  ///< guards `source` (replaced on the worker, taken by close)
  std::unique_ptr<reader::image::CameraSource> source;
  std::uint64_t generation = 0;     ///< worker only: which source an onError is about
  bool playback = false;            ///< worker only: a showToCamera stream is playing
  std::optional<core::Errc> shown;  ///< worker only: the problem last reported (not repeated by retries)
  std::mutex postMutex;
  bool closing = false;  ///< guarded by postMutex
  std::unique_ptr<TaskRunner> worker = std::make_unique<TaskRunner>();
  // Retries: one thread waiting for a deadline, then posting `retry(generation)` to the worker.
  std::function<void(std::uint64_t)> retry;
  std::mutex retryMutex;
  std::condition_variable retryCv;
  std::optional<std::chrono::steady_clock::time_point> retryAt;  ///< guarded by retryMutex
  std::uint64_t retryFor = 0;                                    ///< guarded by retryMutex
  bool retryStop = false;                                        ///< guarded by retryMutex
  std::thread retryThread;  ///< started by the first scheduleRetry (worker only), joined by close

  void scheduleRetry(std::uint64_t forGeneration, unsigned ms) {
    {
      const std::lock_guard lock(retryMutex);
      retryAt = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
      retryFor = forGeneration;
    }
    if (!retryThread.joinable()) retryThread = std::thread([this] { retryLoop(); });
    retryCv.notify_all();
  }
  void retryLoop() {
    std::unique_lock lock(retryMutex);
    while (!retryStop) {
      if (!retryAt) {
        retryCv.wait(lock);
        continue;
      }
      retryCv.wait_until(lock, *retryAt);
      if (retryStop || !retryAt || std::chrono::steady_clock::now() < *retryAt) continue;
      const std::uint64_t forGeneration = retryFor;
      retryAt.reset();
      lock.unlock();
      retry(forGeneration);  // posts to the worker (ignored once closing)
      lock.lock();
    }
  }

  void post(std::function<void()> job) {
    const std::lock_guard lock(postMutex);
    if (!closing) worker->post(std::move(job));
  }
  std::unique_ptr<reader::image::CameraSource> take() {
    const std::lock_guard lock(mutex);
    return std::move(source);
  }
  void close() {
    {
      const std::lock_guard lock(postMutex);
      closing = true;
    }
    worker.reset();  // waits for a start or stop under way; nothing schedules a retry after it
    {
      const std::lock_guard lock(retryMutex);
      retryStop = true;
    }
    retryCv.notify_all();
    if (retryThread.joinable()) retryThread.join();
    if (auto s = take()) s->stop();
  }
};

}  // namespace vd::app
