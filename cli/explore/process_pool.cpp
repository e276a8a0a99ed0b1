#include "cli/explore/process_pool.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>

#include "util/error.h"

namespace dyadic::cli::explore {
namespace {

// Starts one job; the child's output goes to its log file. Returns the child's process id.
pid_t start(const Job& job) {
    std::vector<char*> argv;
    for (const std::string& arg : job.argv) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    const pid_t pid = fork();
    require(pid >= 0, std::string("cannot start a process: ") + std::strerror(errno));
    if (pid == 0) {
        const int log = open(job.log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (log >= 0) {
            dup2(log, STDOUT_FILENO);
            dup2(log, STDERR_FILENO);
            close(log);
        }
        execv(argv[0], argv.data());
        _exit(127);  // only reached when exec failed
    }
    return pid;
}

int exit_status(int wait_status) {
    if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
    if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
    return 127;
}

}  // namespace

std::vector<int> run_jobs(const std::vector<Job>& jobs, int parallel,
                          const std::function<void(std::size_t, std::size_t)>& progress) {
    require(parallel >= 1, "at least one job must run at a time");
    std::vector<int> statuses(jobs.size(), 127);
    std::map<pid_t, std::size_t> running;
    std::size_t next = 0, done = 0;
    while (done < jobs.size()) {
        while (next < jobs.size() && running.size() < static_cast<std::size_t>(parallel)) {
            running[start(jobs[next])] = next;
            ++next;
        }
        int wait_status = 0;
        const pid_t pid = waitpid(-1, &wait_status, 0);
        if (pid < 0) {
            require(errno == EINTR, std::string("waiting for a job failed: ") + std::strerror(errno));
            continue;
        }
        const auto found = running.find(pid);
        if (found == running.end()) continue;  // not one of ours
        statuses[found->second] = exit_status(wait_status);
        running.erase(found);
        ++done;
        if (progress) progress(done, jobs.size());
    }
    return statuses;
}

}  // namespace dyadic::cli::explore
