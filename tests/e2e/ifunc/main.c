#include <stdio.h>

#include "ifunc.h"

/* Pointers to the ifuncs stored in initialised data of another file. */
const char *(*name_ptr)(void) = impl_name;
int (*add_ptr)(int, int) = impl_add;
static int (*const add_table[2])(int, int) = {impl_add, impl_add};

static int call_via(int (*f)(int, int), int a, int b) { return f(a, b); }

int main(void) {
  printf("direct call: %s, %d\n", impl_name(), impl_add(2, 3));
  printf("via data pointer: %s, %d\n", name_ptr(), add_ptr(4, 5));
  printf("via const table: %d %d\n", add_table[0](1, 1), add_table[1](2, 2));
  printf("via pointer from the defining file: %s, %d\n", impl_name_ptr_here(), impl_add_ptr_here(6, 7));
  int (*volatile local)(int, int) = impl_add;
  printf("via local pointer: %d\n", call_via(local, 10, 20));
  printf("&impl_name == name_ptr: %s\n", &impl_name == name_ptr ? "yes" : "no");
  printf("&impl_add == add_ptr: %s\n", &impl_add == add_ptr ? "yes" : "no");
  printf("&impl_add == add_table[1]: %s\n", &impl_add == add_table[1] ? "yes" : "no");
  printf("name_ptr == pointer in defining file: %s\n", name_ptr == impl_name_ptr_here ? "yes" : "no");
  /* Not compared: in a static PIE, GNU ld gives the defining file's
     PC-relative &impl_name (the IPLT entry) and the GOT/IRELATIVE address
     (the implementation) different values; lld makes them equal. */
  printf("via address taken in the defining file: %s\n", addr_of_impl_name_here()());
  printf("add_ptr == pointer in defining file: %s\n", add_ptr == impl_add_ptr_here ? "yes" : "no");
  return 0;
}
