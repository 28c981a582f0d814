// --stats: wall time per pass, printed at the end of the link.
#pragma once
#include "context.h"
#include "parallel.h"

double stats_now(void);
// A pass's wall time, and how much of it was spent in parallel_for and
// by the threads inside it (differences of parallel_times()).
void stats_record(const char *pass, double seconds, ParallelTimes in_parallel);
void stats_print(Context *ctx);

#define PASS(ctx, name, call)                        \
  do {                                               \
    double t0_ = stats_now();                        \
    ParallelTimes p0_ = parallel_times();            \
    call;                                            \
    ParallelTimes p1_ = parallel_times();            \
    stats_record(name, stats_now() - t0_,            \
                 (ParallelTimes){p1_.wall - p0_.wall, p1_.busy - p0_.busy}); \
  } while (0)
