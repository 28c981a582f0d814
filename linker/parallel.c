#include "parallel.h"
#include "common.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <unistd.h>

// Workers are started once, on the first parallel_for, and serve every
// later one: starting threads per call cost time, and each new thread
// began a fresh per-thread arena block (a 2 MiB huge page touched per
// thread per call: hundreds of MiB of RSS on large links).

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

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_ready = PTHREAD_COND_INITIALIZER;
static pthread_cond_t work_done = PTHREAD_COND_INITIALIZER;
static Job *current_job;
static uint64_t job_generation;  // bumped for every job handed to the pool
static int busy_workers;         // workers still on the current job
static int pool_size;            // workers started (the caller is one more)
static _Thread_local bool inside_job;

static void run_job(Job *job) {
  inside_job = true;
  for (;;) {
    size_t i = atomic_fetch_add_explicit(&job->next, 1, memory_order_relaxed);
    if (i >= job->n) break;
    job->fn(job->arg, i);
  }
  inside_job = false;
}

static void *pool_worker(void *unused) {
  (void)unused;
  uint64_t seen = 0;
  for (;;) {
    pthread_mutex_lock(&pool_lock);
    while (job_generation == seen) pthread_cond_wait(&work_ready, &pool_lock);
    seen = job_generation;
    Job *job = current_job;
    pthread_mutex_unlock(&pool_lock);
    run_job(job);
    pthread_mutex_lock(&pool_lock);
    if (--busy_workers == 0) pthread_cond_signal(&work_done);
    pthread_mutex_unlock(&pool_lock);
  }
  return NULL;
}

static void start_pool(void) {
  for (int k = 1; k < num_threads; k++) {
    pthread_t t;
    if (pthread_create(&t, NULL, pool_worker, NULL) != 0) break;
    pthread_detach(t);
    pool_size++;
  }
}

void parallel_for(size_t n, void (*fn)(void *arg, size_t i), void *arg) {
  if (n == 0) return;
  Job job = {.fn = fn, .arg = arg, .n = n};
  atomic_init(&job.next, 0);
  // One item, one thread, or a parallel_for inside a job: run it here.
  if (n == 1 || num_threads <= 1 || inside_job) {
    bool was_inside = inside_job;
    run_job(&job);
    inside_job = was_inside;
    return;
  }
  pthread_mutex_lock(&pool_lock);
  if (pool_size == 0 && num_threads > 1) start_pool();
  current_job = &job;
  busy_workers = pool_size;
  job_generation++;
  pthread_cond_broadcast(&work_ready);
  pthread_mutex_unlock(&pool_lock);
  run_job(&job);
  pthread_mutex_lock(&pool_lock);
  while (busy_workers > 0) pthread_cond_wait(&work_done, &pool_lock);
  current_job = NULL;
  pthread_mutex_unlock(&pool_lock);
}
