#pragma once
// A fixed set of worker threads: parallel_for hands out task indices to the workers and the
// calling thread until all are done. Created once (one per cpu backend, one shared by the float
// executor), so a small layer costs a wake-up, not a thread start. Header is C++17.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace dyadic {

class ThreadPool {
public:
    // threads >= 1 (the caller counts as one); 0 means every core std::thread reports.
    explicit ThreadPool(int threads = 0);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    int size() const { return static_cast<int>(workers_.size()) + 1; }

    // Runs task(i) for every i in [0, count), in any order and on any thread, and returns when all
    // have finished. The first exception thrown by a task is rethrown here (the rest still run).
    // While the pool runs a job, another call (from a task, or from another thread) runs its
    // tasks on the calling thread instead of waiting, so nesting cannot deadlock.
    void parallel_for(int64_t count, const std::function<void(int64_t)>& task);

private:
    void worker_loop();
    void drain();  // runs tasks of the current job until none is left

    std::vector<std::thread> workers_;
    // Set by the caller whose job the workers run. A flag, not a mutex: a task running on that
    // caller's own thread may call parallel_for again, and try_lock on a mutex the thread already
    // holds is undefined behaviour.
    std::atomic<bool> busy_{false};
    std::mutex mutex_;
    std::condition_variable wake_, done_;
    const std::function<void(int64_t)>* task_ = nullptr;
    int64_t count_ = 0, next_ = 0, finished_ = 0;
    uint64_t generation_ = 0;
    bool stop_ = false;
    std::exception_ptr error_;
};

// The process's pool with one thread per core, created on first use: for work that has no
// --threads of its own (the float executor).
ThreadPool& shared_thread_pool();

}  // namespace dyadic
