#include "app/task_runner.hpp"

namespace vd::app {

TaskRunner::TaskRunner() : m_thread([this] { run(); }) {}

TaskRunner::~TaskRunner() {
  {
    std::lock_guard lock(m_mutex);
    m_stop = true;
    m_jobs.clear();
  }
  m_cv.notify_all();
  m_thread.join();
}

void TaskRunner::post(std::function<void()> job) {
  {
    std::lock_guard lock(m_mutex);
    if (m_stop) return;
    m_jobs.push_back(std::move(job));
  }
  m_cv.notify_one();
}

bool TaskRunner::stopping() const {
  std::lock_guard lock(m_mutex);
  return m_stop;
}

std::size_t TaskRunner::backlog() const {
  std::lock_guard lock(m_mutex);
  return m_jobs.size() + (m_running ? 1 : 0);
}

void TaskRunner::run() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(m_mutex);
      m_cv.wait(lock, [this] { return m_stop || !m_jobs.empty(); });
      if (m_stop) return;
      job = std::move(m_jobs.front());
      m_jobs.pop_front();
      m_running = true;
    }
    job();
    std::lock_guard lock(m_mutex);
    m_running = false;
  }
}

}  // namespace vd::app
