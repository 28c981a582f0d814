/* Before the padding: main and the near functions. Every call from here to
   c_far.c and to libc crosses 140 MiB. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "farcalls.h"

int near_calls;

__attribute__((noinline)) int near_add(int x) {
  near_calls++;
  return x + 1000;
}

__attribute__((noinline)) int near_twice(int x) {
  near_calls++;
  return 2 * x;
}

int near_cmp(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

/* libc from the near side: printf is on the far side of the padding. */
__attribute__((noinline)) void near_report(const char *what, long value) { printf("%s: %ld\n", what, value); }

/* A tail call (B, R_AARCH64_JUMP26) from near to far. */
__attribute__((noinline)) int near_tail_to_far(int x) { return far_add(x * 3); }

/* Recursion that bounces between the two sides. */
__attribute__((noinline)) int near_chain(int depth) { return depth <= 0 ? 0 : 1 + far_chain(depth - 1); }

int main(void) {
  char buf[128];
  puts("farcalls: start");
  near_report("far_add(1)", far_add(1));                   /* near -> far */
  near_report("far_calls_near(5)", far_calls_near(5));     /* near -> far -> near */
  near_report("far_tail_to_near(7)", far_tail_to_near(7)); /* far tail-calls near */
  near_report("near_tail_to_far(4)", near_tail_to_far(4)); /* near tail-calls far */
  near_report("near_chain(9)", near_chain(9));             /* 9 crossings */
  long n = far_format(buf, sizeof buf, 42);                /* far -> libc */
  printf("far_format: \"%s\" (%ld chars, strlen %zu)\n", buf, n, strlen(buf));

  int v[8] = {5, -3, 9, 0, 12, -7, 3, 1};
  far_sort(v, 8);  /* far -> libc qsort -> near_cmp through a pointer */
  printf("sorted:");
  for (int i = 0; i < 8; i++) printf(" %d", v[i]);
  printf("\n");

  /* One function, one address, whoever takes it. */
  printf("&far_add taken on both sides is equal: %s\n", far_get_add() == far_add ? "yes" : "no");
  printf("call through the pointer: %d\n", far_get_add()(2));

  /* The padding really lies between the two sides. */
  uintptr_t lo = (uintptr_t)near_add, hi = (uintptr_t)far_add;
  printf("padding: %lu MiB\n", (unsigned long)((pad_end - pad_begin) >> 20));
  printf("near_add -> far_add more than 128 MiB: %s\n", hi > lo && hi - lo > (128u << 20) ? "yes" : "no");
  printf("calls: near %d, far %d\n", near_calls, far_calls);

  char *p = malloc(64);  /* near -> libc */
  snprintf(p, 64, "%s-%d", "bye", near_twice(21));
  puts(p);
  free(p);
  return 0;
}
