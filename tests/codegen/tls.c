// Thread-local variables this file defines (local-dynamic/local-exec) and
// ones another file defines (general-dynamic/initial-exec), read and written
// from the main thread and a second thread: each must see its own copy,
// starting from the initialisers.
#include <stdio.h>
#include "codegen.h"

static __thread int s_counter = 5;
static __thread long s_zero;

long tls_local_sum(void) {
  s_counter += 10;
  s_zero += 1;
  return s_counter + s_zero;
}

void tls_report(const char *who) {
  t_zero += 7;
  t_buf[0] = 'T';
  printf("%s: t_init=%d t_zero=%ld t_buf=%s local=%ld\n", who, t_init++, t_zero, t_buf, tls_local_sum());
}
