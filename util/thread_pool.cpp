#include "util/thread_pool.h"

#include <algorithm>
#include <exception>
#include <string>
#include <utility>

#include "util/error.h"
#include "util/scope_exit.h"

namespace dyadic {

ThreadPool::ThreadPool(int threads) {
    require(threads >= 0, "threads must be >= 0 (0: all cores), got " + std::to_string(threads));
    if (threads == 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    for (int i = 1; i < threads; ++i) workers_.emplace_back([this] { worker_loop(); });
}

ThreadPool::~ThreadPool() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    for (std::thread& worker : workers_) worker.join();
}

void ThreadPool::drain() {
    std::unique_lock lock(mutex_);
    while (next_ < count_) {
        const int64_t index = next_++;
        const auto* task = task_;
        lock.unlock();
        try {
            (*task)(index);
        } catch (...) {
            std::lock_guard error_lock(mutex_);
            if (!error_) error_ = std::current_exception();
        }
        lock.lock();
        if (++finished_ == count_) done_.notify_all();
    }
}

void ThreadPool::worker_loop() {
    uint64_t seen = 0;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
            if (stop_) return;
            seen = generation_;
        }
        drain();
    }
}

ThreadPool& shared_thread_pool() {
    static ThreadPool pool(0);
    return pool;
}

void ThreadPool::parallel_for(int64_t count, const std::function<void(int64_t)>& task) {
    if (count <= 0) return;
    bool idle = false;
    if (workers_.empty() || count == 1 || !busy_.compare_exchange_strong(idle, true)) {
        for (int64_t i = 0; i < count; ++i) task(i);
        return;
    }
    const ScopeExit release([this] { busy_ = false; });
    {
        std::lock_guard lock(mutex_);
        task_ = &task;
        count_ = count;
        next_ = 0;
        finished_ = 0;
        error_ = nullptr;
        ++generation_;
    }
    wake_.notify_all();
    drain();
    std::unique_lock lock(mutex_);
    done_.wait(lock, [&] { return finished_ == count_; });
    task_ = nullptr;
    count_ = 0;
    next_ = 0;
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
}

}  // namespace dyadic
