// Reaches everything data.c and tls.c define, so that each compiler flag
// set (optimisation level, PIC/PIE, code model, TLS dialect) produces its
// own mix of relocations for xld to apply; prints what it read.
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "codegen.h"

__attribute__((weak)) int weak_missing(void);
static int local_counter;
static int (*volatile indirect)(int, int) = op_mul;

static void *thread_main(void *arg) {
  tls_report((const char *)arg);
  return 0;
}

int main(void) {
  g_i8 += 1;
  g_i16 += 2;
  g_i32 += 3;
  g_i64 += 4;
  g_i128 += 5;
  g_ld *= 2;
  g_bss[0] = 1;
  g_bss[2999] = 2999;
  printf("scalars %d %d %d %lld %llu %Lg\n", g_i8, g_i16, g_i32, g_i64,
         (unsigned long long)(g_i128 >> 64), g_ld);
  printf("bss %d %d via-ptr %d\n", g_bss[0], g_bss[2999], *g_ptr);
  int sum = 0;
  for (int i = 0; i < 8; i++) sum += g_table[i];
  printf("const %s %zu sum %d strs %s %s\n", g_text, strlen(g_text), sum, g_strs[0], g_strs[2]);
  int acc = 10;
  for (int i = 0; i < 4; i++) acc = g_ops[i](acc, i + 2);
  printf("ops %d indirect %d\n", acc, indirect(6, 7));
  printf("days %s %s %s\n", day_name(0), day_name(4), day_name(9));
  printf("weak %s\n", weak_missing ? "present" : "absent");
  local_counter += 3;
  printf("local %d\n", local_counter);
  tls_report("main");
  pthread_t t;
  if (pthread_create(&t, 0, thread_main, "thread") != 0) return 1;
  pthread_join(t, 0);
  tls_report("main again");
  return 0;
}
