#pragma once
// A fixed set of worker threads for the cpu backend: parallel_for hands out task indices to the
// workers and the calling thread until all are done. One pool per backend, created once, so a
// small layer costs a wake-up, not a thread start.
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace dyadic::cpu {

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
    // Not reentrant: a task must not call parallel_for on the same pool.
    void parallel_for(int64_t count, const std::function<void(int64_t)>& task);

private:
    void worker_loop();
    void drain();  // runs tasks of the current job until none is left

    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable wake_, done_;
    const std::function<void(int64_t)>* task_ = nullptr;
    int64_t count_ = 0, next_ = 0, finished_ = 0;
    uint64_t generation_ = 0;
    bool stop_ = false;
    std::exception_ptr error_;
};

}  // namespace dyadic::cpu
