// Diagnostics in lld's style. error() counts and continues so one run
// reports every problem; checkpoint() stops the link after a pass that
// reported errors; fatal() stops at once. Stopping removes any temporary
// output, so a failed link never leaves a file behind.
#pragma once
#include <stdbool.h>

void diag_init(const char *argv0);
void diag_set_error_limit(int limit);
void diag_set_fatal_warnings(bool on);
void error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
// Appends a ">>> ..." context line to the last error or warning.
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int error_count(void);
void checkpoint(void);
// Prints what the threads of a parallel pass reported, in the order of
// the items that reported it (parallel_for calls it when a pass ends).
void diag_print_held(void);
// --color-diagnostics=never|always|auto (auto: when stderr is a terminal).
enum { DIAG_COLOR_NEVER, DIAG_COLOR_ALWAYS, DIAG_COLOR_AUTO };
void diag_set_color(int mode);
// --demangle / --no-demangle, and the name to show for a symbol: C++
// names demangled ("foo(int)") unless --no-demangle (demangle.c).
void diag_set_demangle(bool on);
const char *demangle(const char *name);
// Called on exit paths; registered by the output writer.
void diag_on_exit(void (*cleanup)(void));
// Forgets the errors counted so far (the fuzz target runs many links in
// one process).
void diag_reset(void);
