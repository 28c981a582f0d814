// A minimal fork-join pool: parallel_for runs fn(arg, i) for i in [0, n)
// on all worker threads. Work is handed out by an atomic counter, so any
// function used here must not depend on which thread runs which index.
#pragma once
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

void parallel_init(int threads);
int parallel_threads(void);
void parallel_for(size_t n, void (*fn)(void *arg, size_t i), void *arg);
// Inside a job, this thread's number (0 to the thread count - 1), for
// per-thread counters; -1 outside parallel_for.
int parallel_worker_index(void);
// Inside a job that threads share, the index of the item this thread is
// working on (diagnostics are held back and printed in item order).
bool parallel_item(size_t *item);

// A count that many threads add to at once: one cache line per thread
// (one shared counter, bounced between the cores on every add, costs more
// than the work it counts on 16 cores). Read it when no job runs.
enum { SPREAD_SHARDS = 64 };
typedef struct {
  struct {
    _Alignas(64) _Atomic size_t n;
  } shard[SPREAD_SHARDS];
} SpreadCounter;
void spread_add(SpreadCounter *c, size_t n);
size_t spread_take(SpreadCounter *c);  // the total so far, resetting it to 0

// Seconds so far spent inside parallel_for (wall) and by all threads
// inside its jobs (busy), for --stats.
typedef struct {
  double wall, busy;
} ParallelTimes;
ParallelTimes parallel_times(void);

// A hint to the CPU inside a short spin-wait.
static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ volatile("yield");
#endif
}
