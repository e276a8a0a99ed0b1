#pragma once
// The one progress bar of every long run (quantize's calibration, eval, compare, sensitivity,
// verify, sim, explore, ...): done/total, rate and time left, on stderr. Shown when stderr is a
// terminal, redrawn in place at most five times a second and only once the run has taken a
// second, so short runs print nothing; DYADIC_PROGRESS=1 asks for it elsewhere too (a line
// every five seconds and one at the end, for logs), DYADIC_PROGRESS=0 turns it off. Standard
// output is never touched, so results and JSON stay clean.
#include <chrono>
#include <cstdint>
#include <string>

namespace dyadic::cli {

class ProgressBar {
public:
    // `unit` names what is counted ("images"); empty for plain steps.
    ProgressBar(std::string label, int64_t total, std::string unit = "");
    ~ProgressBar();  // draws the final state and ends the line when anything was drawn (or it was asked for)
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;

    void update(int64_t done);

private:
    enum class Mode { off, terminal, log };
    static Mode mode_from_environment();
    std::string line() const;
    void draw();

    std::string label_, unit_;
    int64_t total_;
    int64_t done_ = 0;
    Mode mode_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point start_, last_draw_;
};

// "42.0 s", "3 min 05 s", "1 h 02 min".
std::string format_duration(double seconds);

}  // namespace dyadic::cli
