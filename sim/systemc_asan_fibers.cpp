// Built only into sanitizer builds (DYADIC_SANITIZE, gcc) against SystemC 2.3.4; see
// sim/CMakeLists.txt. Completes SystemC 2.3.4's AddressSanitizer annotations of its coroutine
// switches, so that ASan checks SC_THREAD code without false reports.
//
// SystemC runs each SC_THREAD on a stack of its own (QuickThreads) and tells ASan about each
// switch with __sanitizer_start_switch_fiber / __sanitizer_finish_switch_fiber. Version 2.3.4 does
// so incompletely (read from libsystemc-2.3.4.so, and reproduced with a 20-line SystemC program):
//  1. it announces a switch back to the main coroutine (the thread that called sc_start) with the
//     stack bounds (null, 0), because it never records that stack;
//  2. it does not announce the switch at all when a thread ends (sc_cor_pkg_qt::abort).
// ASan is then wrong about which stack it runs on, refuses to clean up the stack when an exception
// is thrown ("ASan is ignoring requested __asan_handle_no_return"), and the stale poison left
// behind yields false stack-buffer-overflow reports later (first seen inside ASan's own
// sigaltstack() call). This file, linked into each executable that uses SystemC, interposes on
// the two: (1) announces the calling thread's real stack instead of (null, 0); (2) ends a thread
// through the annotated yield instead of abort, which differs only in also saving the finished
// thread's registers on its own stack, never to be resumed.
#include <dlfcn.h>
#include <pthread.h>

#include <cstddef>

namespace sc_core {
class sc_cor;
}

namespace {

struct StackBounds {
    const void* bottom = nullptr;
    size_t size = 0;
};

// The stack of the thread that runs the simulation (SystemC's main coroutine). Looked up once per
// thread: pthread_getattr_np reads /proc/self/maps for the main thread.
StackBounds thread_stack() {
    thread_local const StackBounds bounds = [] {
        StackBounds b;
        pthread_attr_t attributes;
        if (pthread_getattr_np(pthread_self(), &attributes) == 0) {
            void* bottom = nullptr;
            pthread_attr_getstack(&attributes, &bottom, &b.size);
            b.bottom = bottom;
            pthread_attr_destroy(&attributes);
        }
        return b;
    }();
    return bounds;
}

}  // namespace

// (1) ASan's own function, reached through dlsym(RTLD_NEXT): gcc's ASan runtime is a shared
// library, so this definition in the executable comes first for libsystemc.
extern "C" void __sanitizer_start_switch_fiber(void** fake_stack_save, const void* bottom, size_t size) {
    using StartSwitch = void (*)(void**, const void*, size_t);
    static const auto asan_start_switch =
        reinterpret_cast<StartSwitch>(dlsym(RTLD_NEXT, "__sanitizer_start_switch_fiber"));
    if (bottom == nullptr && size == 0) {
        const StackBounds main_stack = thread_stack();
        bottom = main_stack.bottom;
        size = main_stack.size;
    }
    asan_start_switch(fake_stack_save, bottom, size);
}

// (2) sc_core::sc_cor_pkg_qt::abort(sc_cor*) and yield(sc_cor*) by their mangled names: the class
// is not in SystemC's installed headers. libsystemc calls abort through its vtable, whose entry
// binds to this definition.
extern "C" void _ZN7sc_core13sc_cor_pkg_qt5yieldEPNS_6sc_corE(void* package, sc_core::sc_cor* next);
extern "C" void _ZN7sc_core13sc_cor_pkg_qt5abortEPNS_6sc_corE(void* package, sc_core::sc_cor* next) {
    _ZN7sc_core13sc_cor_pkg_qt5yieldEPNS_6sc_corE(package, next);
}
