#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>

namespace dyadic::cli {

ProgressBar::ProgressBar(std::string label, int64_t total)
    : label_(std::move(label)),
      total_(total > 0 ? total : 1),
      enabled_(isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressBar::~ProgressBar() {
    if (!enabled_) return;
    done_ = total_;
    draw();
    std::fputc('\n', stderr);
}

void ProgressBar::update(int64_t done) {
    done_ = done;
    const auto now = std::chrono::steady_clock::now();
    if (enabled_ && now - last_draw_ > std::chrono::milliseconds(200)) {
        last_draw_ = now;
        draw();
    }
}

void ProgressBar::draw() {
    constexpr int kWidth = 30;
    const double fraction = static_cast<double>(done_) / static_cast<double>(total_);
    const int filled = static_cast<int>(fraction * kWidth);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double eta = fraction > 0 ? seconds * (1 - fraction) / fraction : 0;
    const double rate = seconds > 0 ? static_cast<double>(done_) / seconds : 0;
    std::fprintf(stderr, "\r%s [%s%s] %lld/%lld %8.1f/s %5.1fs eta %5.1fs", label_.c_str(),
                 std::string(filled, '#').c_str(), std::string(kWidth - filled, '.').c_str(),
                 static_cast<long long>(done_), static_cast<long long>(total_), rate, seconds, eta);
    std::fflush(stderr);
}

}  // namespace dyadic::cli
