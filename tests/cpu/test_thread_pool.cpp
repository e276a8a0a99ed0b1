// The worker pool the cpu backend and the float executor share (util/thread_pool.h): every index
// runs exactly once, a task's exception reaches the caller and leaves the pool usable, and nested
// or concurrent calls run instead of deadlocking.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "util/error.h"
#include "util/thread_pool.h"

using dyadic::ThreadPool;

TEST_CASE("thread pool runs every index once, rethrows, nests and is shared safely", "[cpu][thread_pool]") {
    ThreadPool pool(3);
    CHECK(pool.size() == 3);
    for (const int64_t count : {0, 1, 2, 7, 1000}) {
        std::vector<std::atomic<int>> hits(static_cast<size_t>(count));
        pool.parallel_for(count, [&](int64_t i) { ++hits[static_cast<size_t>(i)]; });
        for (const auto& h : hits) CHECK(h == 1);
    }
    CHECK_THROWS_WITH(pool.parallel_for(50, [](int64_t i) {
                          if (i == 17) throw std::runtime_error("task 17 failed");
                      }),
                      "task 17 failed");
    // Still side by side after the exception (the busy mark was released): two tasks that each
    // wait, up to 10 s, until both have started can only finish on two threads at once.
    std::atomic<int> started{0};
    std::atomic<bool> met{true};
    pool.parallel_for(2, [&](int64_t) {
        ++started;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (started < 2 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
        if (started < 2) met = false;
    });
    CHECK(met);
    std::atomic<int64_t> sum{0};
    pool.parallel_for(10, [&](int64_t i) {
        pool.parallel_for(10, [&](int64_t j) { sum += i * 10 + j; });  // nested: runs inline
    });
    CHECK(sum == 99 * 100 / 2);
    std::atomic<int64_t> total{0};
    std::vector<std::thread> callers;
    for (int t = 0; t < 4; ++t) {
        callers.emplace_back([&] { pool.parallel_for(100, [&](int64_t i) { total += i; }); });
    }
    for (std::thread& c : callers) c.join();
    CHECK(total == 4 * 4950);
    CHECK_THROWS_AS(ThreadPool(-1), dyadic::Error);
}
