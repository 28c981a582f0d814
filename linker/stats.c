#include "stats.h"
#include "diag.h"
#include "parallel.h"
#include <stdio.h>
#include <time.h>

enum { MAX_PASSES = 64 };
static const char *names[MAX_PASSES];
static double starts[MAX_PASSES], times[MAX_PASSES];
static ParallelTimes parallel[MAX_PASSES];
static int count;
static double origin;

double stats_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void stats_record(const char *pass, double seconds, ParallelTimes in_parallel) {
  double now = stats_now();
  if (!origin) origin = now - seconds;
  if (count >= MAX_PASSES) return;
  names[count] = pass, starts[count] = now - seconds - origin, times[count] = seconds;
  parallel[count++] = in_parallel;
}

// --time-trace: Chrome's trace event format ("X" = complete events, in
// microseconds), loadable in Perfetto and about:tracing.
// Steps inside a pass are recorded with names indented by two spaces;
// they nest in the pass's time and are not added to the total.
static bool is_top_level(int i) { return names[i][0] != ' '; }
static const char *pass_label(int i) { return names[i] + strspn(names[i], " "); }

static void write_time_trace(Context *ctx) {
  if (!ctx->cfg.time_trace) return;
  const char *path = ctx->cfg.time_trace[0] ? ctx->cfg.time_trace : xasprintf("%s.time-trace", ctx->cfg.output);
  FILE *f = fopen(path, "w");
  if (!f) {
    warn("cannot write --time-trace file %s", path);
    return;
  }
  fputs("{\"traceEvents\":[\n", f);
  double total = 0;
  for (int i = 0; i < count; i++) {
    fprintf(f, "{\"name\":\"%s\",\"ph\":\"X\",\"ts\":%.0f,\"dur\":%.0f,\"pid\":1,\"tid\":1},\n", pass_label(i),
            starts[i] * 1e6, times[i] * 1e6);
    if (is_top_level(i)) total += times[i];
  }
  fprintf(f, "{\"name\":\"Total link\",\"ph\":\"X\",\"ts\":0,\"dur\":%.0f,\"pid\":1,\"tid\":0}\n", total * 1e6);
  fprintf(f, "],\"displayTimeUnit\":\"ms\",\"otherData\":{\"threads\":%d}}\n", parallel_threads());
  fclose(f);
}

// Peak and current resident memory, split into xld's own (anonymous) and
// mapped files (inputs, and the output when it is written through a
// mapping), from /proc/self/status.
static void print_memory(void) {
  FILE *f = fopen("/proc/self/status", "r");
  if (!f) return;
  char line[256];
  long hwm = -1, anon = -1, file = -1, shmem = -1;
  while (fgets(line, sizeof line, f)) {
    sscanf(line, "VmHWM: %ld", &hwm);
    sscanf(line, "RssAnon: %ld", &anon);
    sscanf(line, "RssFile: %ld", &file);
    sscanf(line, "RssShmem: %ld", &shmem);
  }
  fclose(f);
  fprintf(stderr, "  memory: peak RSS %.1f MB; at exit %.1f MB anonymous, %.1f MB mapped files\n", hwm / 1024.0,
          anon / 1024.0, (file + shmem) / 1024.0);
  PagesMade pm = pages_made();
  fprintf(stderr, "  tables and arenas: %.1f MB in huge pages, %.1f MB in 4 KiB pages%s\n", pm.huge / 1048576.0,
          pm.small / 1048576.0, pm.huge_came_cold ? " (huge pages came slowly, so the rest went to 4 KiB pages)" : "");
}

void stats_print(Context *ctx) {
  write_time_trace(ctx);
  if (!ctx->cfg.print_stats) return;
  double total = 0;
  for (int i = 0; i < count; i++)
    if (is_top_level(i)) total += times[i];
  // What the data structures hold: the bulk of xld's own memory.
  size_t sections = 0, locals = 0;
  for (size_t i = 0; i < ctx->objs.len; i++) {
    ObjectFile *f = ctx->objs.data[i];
    locals += f->first_global;
    for (uint32_t s = 1; s < f->nshdrs; s++) sections += f->sections[s] != NULL;
  }
  fprintf(stderr, "xld: %zu objects, %zu input sections (%zu bytes each), %zu global and %zu local symbols (%zu bytes each), %d threads\n",
          ctx->objs.len, sections, sizeof(InputSection), ctx->symbols_in_order.len, locals, sizeof(Symbol),
          parallel_threads());
  // Serial: the part of a pass outside parallel_for, which more threads
  // cannot shorten. Use: the threads' busy time over the parallel part's
  // wall time times the thread count (100% = no thread ever idle).
  fprintf(stderr, "  %-22s %8s %9s %5s\n", "pass", "wall ms", "serial ms", "use");
  double serial = 0;
  for (int i = 0; i < count; i++) {
    double outside = times[i] - parallel[i].wall;
    if (is_top_level(i)) serial += outside;
    fprintf(stderr, "  %-22s %8.2f %9.2f", names[i], times[i] * 1e3, outside * 1e3);
    if (parallel[i].wall > 1e-4)
      fprintf(stderr, " %4.0f%%", 100 * parallel[i].busy / (parallel[i].wall * parallel_threads()));
    fputc('\n', stderr);
  }
  fprintf(stderr, "  %-22s %8.2f %9.2f\n", "total", total * 1e3, serial * 1e3);
  print_memory();
}
