#include "stats.h"
#include "parallel.h"
#include <stdio.h>
#include <time.h>

enum { MAX_PASSES = 64 };
static const char *names[MAX_PASSES];
static double times[MAX_PASSES];
static int count;

double stats_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void stats_record(const char *pass, double seconds) {
  if (count < MAX_PASSES) names[count] = pass, times[count++] = seconds;
}

void stats_print(Context *ctx) {
  if (!ctx->cfg.print_stats) return;
  double total = 0;
  for (int i = 0; i < count; i++) total += times[i];
  fprintf(stderr, "xld: %zu objects, %zu symbols, %d threads\n", ctx->objs.len, ctx->symbols_in_order.len,
          parallel_threads());
  for (int i = 0; i < count; i++) fprintf(stderr, "  %-20s %8.2f ms\n", names[i], times[i] * 1e3);
  fprintf(stderr, "  %-20s %8.2f ms\n", "total", total * 1e3);
}
