/* After the padding, next to libc: calls back to a_near.c cross 140 MiB. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "farcalls.h"

int far_calls;

__attribute__((noinline)) int far_add(int x) {
  far_calls++;
  return x + 1;
}

/* far -> near (BL, R_AARCH64_CALL26), twice to the same target. */
__attribute__((noinline)) int far_calls_near(int x) {
  far_calls++;
  return near_add(x) + near_add(x + 1);
}

/* A tail call (B, R_AARCH64_JUMP26) from far to near. */
__attribute__((noinline)) int far_tail_to_near(int x) { return near_twice(x + 1); }

__attribute__((noinline)) int far_chain(int depth) {
  extern int near_chain(int);
  return depth <= 0 ? 0 : 1 + near_chain(depth - 1);
}

/* libc from the far side, and a near function in the middle. */
__attribute__((noinline)) long far_format(char *buf, unsigned long size, int x) {
  snprintf(buf, size, "x=%d near_twice=%d", x, near_twice(x));
  near_report("far_format strlen", (long)strlen(buf));
  return (long)strlen(buf);
}

__attribute__((noinline)) void far_sort(int *v, unsigned long n) { qsort(v, n, sizeof *v, near_cmp); }

int (*far_get_add(void))(int) { return far_add; }
