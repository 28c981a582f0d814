#include "parallel.h"
#include "common.h"
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

static int num_threads = 1;

void parallel_init(int threads) {
  if (threads <= 0) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    threads = n > 0 ? (int)MIN(n, 64) : 1;
  }
  num_threads = threads;
}

int parallel_threads(void) { return num_threads; }

typedef struct {
  void (*fn)(void *, size_t);
  void *arg;
  size_t n;
  _Atomic size_t next;
} Job;

static void *worker(void *p) {
  Job *job = p;
  for (;;) {
    size_t i = atomic_fetch_add_explicit(&job->next, 1, memory_order_relaxed);
    if (i >= job->n) break;
    job->fn(job->arg, i);
  }
  return NULL;
}

void parallel_for(size_t n, void (*fn)(void *arg, size_t i), void *arg) {
  if (n == 0) return;
  int t = (int)MIN((size_t)num_threads, n);
  Job job = {.fn = fn, .arg = arg, .n = n};
  atomic_init(&job.next, 0);
  if (t <= 1) {
    worker(&job);
    return;
  }
  pthread_t tids[64];
  int started = 0;
  for (int k = 1; k < t; k++)
    if (pthread_create(&tids[started], NULL, worker, &job) == 0) started++;
  worker(&job);
  for (int k = 0; k < started; k++) pthread_join(tids[k], NULL);
}
