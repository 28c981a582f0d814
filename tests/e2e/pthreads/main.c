/* Threads with a mutex, a condition variable (bounded producer/consumer
   queue), a barrier, pthread_once and thread-specific data. Output depends
   only on totals, never on scheduling. */
#include <pthread.h>
#include <stdio.h>

#define NWORKERS 4
#define INCREMENTS 20000
#define NITEMS 2000
#define QSIZE 8

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *incrementer(void *arg) {
  (void)arg;
  for (int i = 0; i < INCREMENTS; i++) {
    pthread_mutex_lock(&lock);
    counter++;
    pthread_mutex_unlock(&lock);
  }
  return NULL;
}

/* Bounded queue. */
static int queue[QSIZE];
static int qhead, qcount;
static int done;
static pthread_mutex_t qlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;

static void *producer(void *arg) {
  (void)arg;
  for (int i = 1; i <= NITEMS; i++) {
    pthread_mutex_lock(&qlock);
    while (qcount == QSIZE) pthread_cond_wait(&not_full, &qlock);
    queue[(qhead + qcount) % QSIZE] = i;
    qcount++;
    pthread_cond_signal(&not_empty);
    pthread_mutex_unlock(&qlock);
  }
  pthread_mutex_lock(&qlock);
  done = 1;
  pthread_cond_broadcast(&not_empty);
  pthread_mutex_unlock(&qlock);
  return NULL;
}

struct consumer_result {
  long sum;
  int items;
};

static void *consumer(void *arg) {
  struct consumer_result *r = arg;
  for (;;) {
    pthread_mutex_lock(&qlock);
    while (qcount == 0 && !done) pthread_cond_wait(&not_empty, &qlock);
    if (qcount == 0 && done) {
      pthread_mutex_unlock(&qlock);
      return NULL;
    }
    int v = queue[qhead];
    qhead = (qhead + 1) % QSIZE;
    qcount--;
    pthread_cond_signal(&not_full);
    pthread_mutex_unlock(&qlock);
    r->sum += v;
    r->items++;
  }
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;
static void once_fn(void) { once_runs++; }

static pthread_key_t key;
static int key_destructor_runs;
static void key_destructor(void *p) {
  (void)p;
  pthread_mutex_lock(&lock);
  key_destructor_runs++;
  pthread_mutex_unlock(&lock);
}

static pthread_barrier_t barrier;
static int serial_threads;

static void *barrier_worker(void *arg) {
  pthread_once(&once, once_fn);
  pthread_setspecific(key, arg);
  int r = pthread_barrier_wait(&barrier);
  if (r == PTHREAD_BARRIER_SERIAL_THREAD) {
    pthread_mutex_lock(&lock);
    serial_threads++;
    pthread_mutex_unlock(&lock);
  }
  return pthread_getspecific(key) == arg ? arg : NULL;
}

int main(void) {
  pthread_t t[NWORKERS];
  for (int i = 0; i < NWORKERS; i++) pthread_create(&t[i], NULL, incrementer, NULL);
  for (int i = 0; i < NWORKERS; i++) pthread_join(t[i], NULL);
  printf("counter=%ld (expect %d)\n", counter, NWORKERS * INCREMENTS);

  pthread_t prod, cons[3];
  struct consumer_result res[3] = {{0, 0}, {0, 0}, {0, 0}};
  pthread_create(&prod, NULL, producer, NULL);
  for (int i = 0; i < 3; i++) pthread_create(&cons[i], NULL, consumer, &res[i]);
  pthread_join(prod, NULL);
  long total = 0;
  int items = 0;
  for (int i = 0; i < 3; i++) {
    pthread_join(cons[i], NULL);
    total += res[i].sum;
    items += res[i].items;
  }
  printf("consumed %d items, sum %ld (expect %d)\n", items, total, NITEMS * (NITEMS + 1) / 2);

  pthread_key_create(&key, key_destructor);
  pthread_barrier_init(&barrier, NULL, NWORKERS);
  static int ids[NWORKERS];
  int ok = 0;
  for (int i = 0; i < NWORKERS; i++) pthread_create(&t[i], NULL, barrier_worker, &ids[i]);
  for (int i = 0; i < NWORKERS; i++) {
    void *ret;
    pthread_join(t[i], &ret);
    ok += ret == &ids[i];
  }
  printf("thread-specific values ok in %d threads, key destructors %d, once ran %d, serial threads %d\n", ok,
         key_destructor_runs, once_runs, serial_threads);
  return 0;
}
