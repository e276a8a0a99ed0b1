#pragma once
// Runs a function when its scope ends, by return or by exception: for state a function sets for
// the length of a call and must restore whatever happens (a busy flag, a mode). Header is C++17.
#include <utility>

namespace dyadic {

template <typename OnExit>
class ScopeExit {
public:
    explicit ScopeExit(OnExit on_exit) : on_exit_(std::move(on_exit)) {}
    ~ScopeExit() { on_exit_(); }
    ScopeExit(const ScopeExit&) = delete;
    ScopeExit& operator=(const ScopeExit&) = delete;

private:
    OnExit on_exit_;
};

}  // namespace dyadic
