#pragma once
/// \file
/// One worker thread running jobs in order (a token source, the desk's billing work). Jobs are
/// posted from any thread; the destructor drops the jobs not started, waits for the running one
/// and joins — so a job must be short or watch `stopping()` (never a thread killed).

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace vd::app {

class TaskRunner {
 public:
  TaskRunner();
  ~TaskRunner();
  TaskRunner(const TaskRunner&) = delete;
  TaskRunner& operator=(const TaskRunner&) = delete;

  /// Queues `job`; ignored once stopping. Thread-safe.
  void post(std::function<void()> job);
  /// True once the destructor started: long jobs return early.
  bool stopping() const;
  /// Jobs queued or running (tests, status).
  std::size_t backlog() const;

 private:
  void run();
  mutable std::mutex m_mutex;
  std::condition_variable m_cv;
  std::deque<std::function<void()>> m_jobs;
  bool m_stop = false;
  bool m_running = false;
  std::thread m_thread;
};

}  // namespace vd::app
