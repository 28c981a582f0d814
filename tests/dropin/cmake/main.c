#include "shapes.h"
#include <pthread.h>
#include <stdio.h>

static void *worker(void *arg) {
  (void)arg;
  shapes_total_area();
  shapes_total_area();
  return (void *)(long)shapes_calls();
}

int main(void) {
  for (int i = 0; i < shapes_count; i++)
    printf("%-9s %8.3f\n", shapes_table[i].name, shapes_table[i].area(shapes_table[i].dims));
  printf("total     %8.3f\n", shapes_total_area());
  pthread_t t;
  void *res;
  pthread_create(&t, NULL, worker, NULL);
  pthread_join(t, &res);
  printf("calls: main %d, thread %ld\n", shapes_calls(), (long)res);
  return 0;
}
