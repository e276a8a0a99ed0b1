#pragma once
// A progress bar on stderr for long runs (evaluation, simulation, sweeps). It redraws at most a
// few times a second and only when stderr is a terminal, so logs and CI output stay clean.
#include <chrono>
#include <cstdint>
#include <string>

namespace dyadic::cli {

class ProgressBar {
public:
    ProgressBar(std::string label, int64_t total);
    ~ProgressBar();  // finishes the line
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;

    void update(int64_t done);

private:
    std::string label_;
    int64_t total_;
    int64_t done_ = 0;
    bool enabled_;
    std::chrono::steady_clock::time_point start_, last_draw_;
    void draw();
};

}  // namespace dyadic::cli
