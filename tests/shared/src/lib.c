// A shared library: data, functions its own code calls (interposable
// unless -Bsymbolic), TLS in the general- and local-dynamic models, and a
// hidden symbol that must not be exported.
#include <stdio.h>
int counter = 10;
__thread int tls_gd = 7;
static __thread int tls_ld = 3;
__attribute__((visibility("hidden"))) int hidden_value = 5;
__attribute__((noinline)) int lib_value(void) { return 42; }
int lib_calls(void) { return lib_value() + 1; }
int lib_tls(void) { tls_ld++; return tls_gd + tls_ld; }
int *lib_counter(void) { counter++; return &counter; }
int lib_hidden(void) { return hidden_value; }
void lib_hello(const char *who) { printf("hello %s from lib (%d)\n", who, counter); }
