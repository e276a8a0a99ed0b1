#pragma once
// The sweep as a job list for a cluster engine: <dir>/jobs.txt holds one shell command per point
// (`dyadic explore-point <plan> <index>`), and <dir>/slurm.sbatch is a SLURM array script that
// runs line SLURM_ARRAY_TASK_ID + 1 of it, unchanged. After the array, `dyadic explore --gather
// <dir>` writes the outputs from the points' results.
#include <string>

#include "cli/explore/sweep_plan.h"

namespace dyadic::cli::explore {

// The argv of point `index`'s job.
std::vector<std::string> point_command(const std::string& dyadic_binary, const std::string& plan_path, std::size_t index);

// jobs.txt: one command line per point, each argument shell-quoted.
std::string job_list(const SweepPlan& plan, const std::string& dyadic_binary, const std::string& plan_path);

// slurm.sbatch for `points` array tasks reading `jobs_path`; each task's log beside its result.
std::string slurm_array_script(std::size_t points, const std::string& jobs_path, const std::string& plan_directory);

}  // namespace dyadic::cli::explore
