// Uses the library's functions, data and TLS, and interposes lib_value.
#include <stdio.h>
int lib_value(void);
int lib_calls(void);
int lib_tls(void);
int *lib_counter(void);
int lib_hidden(void);
void lib_hello(const char *);
extern int counter;
extern __thread int tls_gd;
int lib_value(void) { return 100; }
int main(void) {
  lib_hello("main");
  printf("calls %d\n", lib_calls());
  printf("tls %d\n", lib_tls());
  tls_gd = 20;
  printf("tls %d\n", lib_tls());
  int *p = lib_counter();
  printf("counter %d %d same %d\n", *p, counter, p == &counter);
  printf("hidden %d\n", lib_hidden());
  return 0;
}
