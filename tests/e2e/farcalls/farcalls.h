/* Calls across 140 MiB of code: aarch64 B/BL reach only +-128 MiB, so the
   linker must route them through range-extension thunks (veneers).

   The link order is a_near.o, b_pad.o (140 MiB of .text), c_far.o, then
   libc: a_near.c's functions are before the padding, c_far.c's and libc's
   after it. Separate files make that order the same for every compiler and
   linker (clang emits a file's top-level asm before its functions). */
#pragma once

/* a_near.c */
extern int near_calls;
int near_add(int x);
int near_twice(int x);
int near_cmp(const void *a, const void *b);
void near_report(const char *what, long value);

/* b_pad.c */
extern const char pad_begin[], pad_end[];

/* c_far.c */
extern int far_calls;
int far_add(int x);
int far_calls_near(int x);
int far_tail_to_near(int x);
int far_chain(int depth);
long far_format(char *buf, unsigned long size, int x);
void far_sort(int *v, unsigned long n);
int (*far_get_add(void))(int);
