/* Every TLS model, initialised and zero-initialised, in the main thread and
   in four more threads, each of which must see its own fresh copy. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tls.h"

#define NTHREADS 4

struct report {
  int id;
  long sum_before; /* sum of the initial values seen by the thread */
  long sum_after;  /* after the thread changed its own copies */
  int array_sum;
  int aligned_ok;
  uintptr_t addr_le, addr_ie, addr_gd, addr_ld;
};

static long initial_sum(void) {
  return *le_init_addr() + *le_zero_addr() + *ie_init_addr() + *ie_zero_addr() + *gd_init_addr() +
         *gd_zero_addr() + *ld_init_addr() + *ld_zero_addr();
}

static int array_sum(void) {
  int s = 0;
  int *a = gd_array_addr();
  for (int i = 0; i < 100; i++) s += a[i];
  return s;
}

static void work(struct report *r) {
  int id = r->id;
  r->sum_before = initial_sum();
  r->array_sum = array_sum();
  r->aligned_ok = ((uintptr_t)ld_aligned_addr() % 64 == 0) && strcmp(ld_aligned_addr(), "aligned") == 0;
  /* Change this thread's copies; other threads must not see it. */
  *le_init_addr() += id;
  *le_zero_addr() += 10 * id;
  *ie_init_addr() += 100 * id; /* same variable as gd_init_addr() */
  *ie_zero_addr() += 1000 * id;
  *ld_init_addr() += 10000 * id;
  *ld_zero_addr() += 100000 * id;
  gd_array_addr()[99] += id;
  r->sum_after = initial_sum();
  r->array_sum += 1000 * (array_sum() - r->array_sum);
  r->addr_le = (uintptr_t)le_init_addr();
  r->addr_ie = (uintptr_t)ie_init_addr();
  r->addr_gd = (uintptr_t)gd_init_addr();
  r->addr_ld = (uintptr_t)ld_init_addr();
}

static pthread_barrier_t barrier;

static void *thread_main(void *arg) {
  struct report *r = arg;
  work(r);
  /* Keep all threads alive until every one has recorded its addresses, so
     that no two threads can share a recycled TLS block. */
  pthread_barrier_wait(&barrier);
  return NULL;
}

int main(void) {
  printf("main: le_init=%d le_zero=%ld shared_init=%d shared_zero=%ld\n", le_init, le_zero, shared_init,
         shared_zero);
  printf("main: via ie=%d/%ld gd=%d/%ld ld=%d/%ld\n", *ie_init_addr(), *ie_zero_addr(), *gd_init_addr(),
         *gd_zero_addr(), *ld_init_addr(), *ld_zero_addr());
  printf("main: ie and gd agree on the address: %s\n",
         ie_init_addr() == gd_init_addr() && &shared_init == ie_init_addr() ? "yes" : "no");
  printf("main: le agrees with direct access: %s\n", le_init_addr() == &le_init ? "yes" : "no");

  struct report reports[NTHREADS + 1];
  pthread_t threads[NTHREADS];
  memset(reports, 0, sizeof reports);
  pthread_barrier_init(&barrier, NULL, NTHREADS);
  for (int i = 0; i < NTHREADS; i++) {
    reports[i + 1].id = i + 1;
    if (pthread_create(&threads[i], NULL, thread_main, &reports[i + 1]) != 0) {
      puts("pthread_create failed");
      return 1;
    }
  }
  for (int i = 0; i < NTHREADS; i++) pthread_join(threads[i], NULL);
  reports[0].id = 7; /* the main thread goes last */
  work(&reports[0]);

  for (int i = 1; i <= NTHREADS; i++)
    printf("thread %d: initial sum %ld, after %ld, array %d, aligned %s\n", reports[i].id, reports[i].sum_before,
           reports[i].sum_after, reports[i].array_sum, reports[i].aligned_ok ? "yes" : "no");
  printf("main thread: initial sum %ld, after %ld, array %d, aligned %s\n", reports[0].sum_before,
         reports[0].sum_after, reports[0].array_sum, reports[0].aligned_ok ? "yes" : "no");

  int distinct = 1;
  for (int i = 0; i <= NTHREADS; i++)
    for (int j = i + 1; j <= NTHREADS; j++)
      if (reports[i].addr_le == reports[j].addr_le || reports[i].addr_ie == reports[j].addr_ie ||
          reports[i].addr_gd == reports[j].addr_gd || reports[i].addr_ld == reports[j].addr_ld)
        distinct = 0;
  printf("every thread had its own copies: %s\n", distinct ? "yes" : "no");
  printf("main: final le_init=%d shared_init=%d tls_array[99]=%d\n", le_init, shared_init, tls_array[99]);
  return 0;
}
