#pragma once
// Runs independent commands on the local cores: at most `parallel` child processes at a time,
// each with its output in its own log file. The sweep's points are such commands; the same
// command lines, written to a job list, run unchanged on a cluster (sweep_jobs.h).
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace dyadic::cli::explore {

struct Job {
    std::vector<std::string> argv;  // argv[0] is the executable's path
    std::string log_path;           // standard output and error go here
};

// Runs every job; returns each job's exit status (128 + signal number when a signal ended it,
// 127 when it could not be started). `progress(done, total)` is called after each job ends.
// Throws Error when parallel < 1 or a process cannot be created.
std::vector<int> run_jobs(const std::vector<Job>& jobs, int parallel,
                          const std::function<void(std::size_t, std::size_t)>& progress = {});

}  // namespace dyadic::cli::explore
