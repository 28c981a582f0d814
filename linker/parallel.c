#include "parallel.h"
#include "diag.h"
#include "common.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>
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
static _Thread_local bool inside_shared_job;  // run_job: items spread over threads
static _Thread_local size_t current_item;
static _Thread_local int worker_index;  // 0: the thread that calls parallel_for

int parallel_worker_index(void) { return inside_job ? worker_index : -1; }

// For --stats: wall time spent in parallel_for, and the threads' time
// inside jobs, so that each pass's serial part and load balance show.
static double time_in_parallel, time_busy;  // busy: the calling thread's own runs
static _Atomic uint64_t busy_ns;

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void spread_add(SpreadCounter *c, size_t n) {
  int w = parallel_worker_index();
  atomic_fetch_add_explicit(&c->shard[(w < 0 ? 0 : w) % SPREAD_SHARDS].n, n, memory_order_relaxed);
}

size_t spread_take(SpreadCounter *c) {
  size_t total = 0;
  for (int i = 0; i < SPREAD_SHARDS; i++) total += atomic_exchange_explicit(&c->shard[i].n, 0, memory_order_relaxed);
  return total;
}

ParallelTimes parallel_times(void) {
  return (ParallelTimes){time_in_parallel, time_busy + (double)atomic_load(&busy_ns) * 1e-9};
}

// Items are handed out in batches, each a share of what is left (guided
// scheduling): one shared counter taken per item costs more than the item
// on many cores, so the first batches are big; the last ones are small, so
// that no thread is left finishing a long batch alone. (Fixed batches of
// a 64th of the items put a run of costly items, such as all of
// .eh_frame's among many short .text runs, in one batch: 11% of the
// copying pass's thread time idle on the 1 GB link.)
enum { SHARES_PER_THREAD = 4 };

static bool claim_batch(Job *job, size_t *begin, size_t *end) {
  size_t i = atomic_load_explicit(&job->next, memory_order_relaxed);
  for (;;) {
    if (i >= job->n) return false;
    size_t batch = MAX(1, (job->n - i) / ((size_t)num_threads * SHARES_PER_THREAD));
    if (atomic_compare_exchange_weak_explicit(&job->next, &i, i + batch, memory_order_relaxed, memory_order_relaxed)) {
      *begin = i;
      *end = i + batch;
      return true;
    }
  }
}

bool parallel_item(size_t *item) {
  *item = current_item;
  return inside_shared_job;
}

static void run_job(Job *job) {
  inside_job = inside_shared_job = true;
  uint64_t t0 = now_ns();
  for (size_t i, end; claim_batch(job, &i, &end);)
    for (; i < end; i++) {
      current_item = i;
      job->fn(job->arg, i);
    }
  atomic_fetch_add_explicit(&busy_ns, now_ns() - t0, memory_order_relaxed);
  inside_job = inside_shared_job = false;
}

static void *pool_worker(void *index) {
  worker_index = (int)(intptr_t)index;
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
    if (pthread_create(&t, NULL, pool_worker, (void *)(intptr_t)k) != 0) break;
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
    // Counted as parallel time only with one thread, where all of it could
    // have been shared out; a lone item, or one inside a job, is not.
    bool was_inside = inside_job;
    uint64_t t0 = now_ns();
    inside_job = true;
    for (size_t i = 0; i < n; i++) fn(arg, i);
    inside_job = was_inside;
    if (num_threads <= 1 && !was_inside) {
      double spent = (double)(now_ns() - t0) * 1e-9;
      time_in_parallel += spent, time_busy += spent;
    }
    return;
  }
  uint64_t t0 = now_ns();
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
  time_in_parallel += (double)(now_ns() - t0) * 1e-9;
  diag_print_held();
}
