// --stats: wall time per pass, printed at the end of the link.
#pragma once
#include "context.h"

double stats_now(void);
void stats_record(const char *pass, double seconds);
void stats_print(Context *ctx);

#define PASS(ctx, name, call)                        \
  do {                                               \
    double t0_ = stats_now();                        \
    call;                                            \
    stats_record(name, stats_now() - t0_);           \
  } while (0)
