#include "cli/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace dyadic::cli {
namespace {

constexpr std::chrono::milliseconds kQuietStart(1000);
constexpr std::chrono::milliseconds kTerminalInterval(200);
constexpr std::chrono::milliseconds kLogInterval(5000);

}  // namespace

std::string format_duration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return "?";
    char text[32];
    if (seconds < 60) {
        std::snprintf(text, sizeof text, "%.1f s", seconds);
    } else if (seconds < 3600) {
        const auto s = static_cast<long long>(seconds);
        std::snprintf(text, sizeof text, "%lld min %02lld s", s / 60, s % 60);
    } else {
        const auto m = static_cast<long long>(seconds / 60);
        std::snprintf(text, sizeof text, "%lld h %02lld min", m / 60, m % 60);
    }
    return text;
}

ProgressBar::Mode ProgressBar::mode_from_environment() {
    const char* asked = std::getenv("DYADIC_PROGRESS");
    if (asked && std::strcmp(asked, "0") == 0) return Mode::off;
    const bool terminal = isatty(STDERR_FILENO) != 0;
    if (terminal) return Mode::terminal;
    return asked && std::strcmp(asked, "1") == 0 ? Mode::log : Mode::off;
}

ProgressBar::ProgressBar(std::string label, int64_t total, std::string unit)
    : label_(std::move(label)),
      unit_(std::move(unit)),
      total_(total > 0 ? total : 1),
      mode_(mode_from_environment()),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressBar::~ProgressBar() {
    if (mode_ == Mode::off || (mode_ == Mode::terminal && !drawn_)) return;
    draw();
    if (mode_ == Mode::terminal) std::fputc('\n', stderr);
    std::fflush(stderr);
}

void ProgressBar::update(int64_t done) {
    done_ = done;
    if (mode_ == Mode::off) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - start_ < kQuietStart) return;
    if (now - last_draw_ < (mode_ == Mode::terminal ? kTerminalInterval : kLogInterval)) return;
    last_draw_ = now;
    draw();
}

std::string ProgressBar::line() const {
    constexpr int kWidth = 30;
    const double fraction = std::min(1.0, static_cast<double>(done_) / static_cast<double>(total_));
    const int filled = static_cast<int>(fraction * kWidth);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double rate = seconds > 0 ? static_cast<double>(done_) / seconds : 0;
    const double left = rate > 0 ? static_cast<double>(total_ - done_) / rate : NAN;
    const std::string unit = unit_.empty() ? "" : " " + unit_;
    char counts[160];
    std::snprintf(counts, sizeof counts, "%lld/%lld%s  %.1f%s/s", static_cast<long long>(done_),
                  static_cast<long long>(total_), unit.c_str(), rate, unit.c_str());
    return label_ + " [" + std::string(static_cast<size_t>(filled), '#') + std::string(static_cast<size_t>(kWidth - filled), '.') +
           "] " + counts + "  " + format_duration(seconds) + " elapsed" +
           (done_ < total_ ? ", " + format_duration(left) + " left" : "");
}

void ProgressBar::draw() {
    drawn_ = true;
    if (mode_ == Mode::terminal) {
        // \x1b[K clears what a longer previous line left behind.
        std::fprintf(stderr, "\r%s\x1b[K", line().c_str());
    } else {
        std::fprintf(stderr, "%s\n", line().c_str());
    }
    std::fflush(stderr);
}

}  // namespace dyadic::cli
