#include "cli/explore/sweep_jobs.h"

namespace dyadic::cli::explore {
namespace {

// Single quotes protect everything but a single quote, which is closed, escaped and reopened.
std::string shell_quote(const std::string& text) {
    std::string quoted = "'";
    for (const char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

}  // namespace

std::vector<std::string> point_command(const std::string& dyadic_binary, const std::string& plan_path, std::size_t index) {
    return {dyadic_binary, "explore-point", plan_path, std::to_string(index)};
}

std::string job_list(const SweepPlan& plan, const std::string& dyadic_binary, const std::string& plan_path) {
    std::string text;
    for (std::size_t i = 0; i < plan.points.size(); ++i) {
        std::string line;
        for (const std::string& arg : point_command(dyadic_binary, plan_path, i)) {
            if (!line.empty()) line += ' ';
            line += shell_quote(arg);
        }
        text += line + "\n";
    }
    return text;
}

std::string slurm_array_script(std::size_t points, const std::string& jobs_path, const std::string& plan_directory) {
    return "#!/bin/bash\n"
           "# One array task per sweep point: sbatch " + shell_quote(plan_directory + "/slurm.sbatch") + "\n"
           "# then, when every task has finished: dyadic explore --gather " + shell_quote(plan_directory) + "\n"
           "#SBATCH --job-name=dyadic-explore\n"
           "#SBATCH --array=0-" + std::to_string(points - 1) + "\n"
           "#SBATCH --cpus-per-task=1\n"
           "#SBATCH --output=" + plan_directory + "/points/%a.log\n"
           "set -euo pipefail\n"
           "eval \"$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" " + shell_quote(jobs_path) + ")\"\n";
}

}  // namespace dyadic::cli::explore
