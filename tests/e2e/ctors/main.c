#include <stdio.h>
#include <stdlib.h>

static int initialised_by_ctor;

__attribute__((constructor)) static void main_ctor(void) {
  puts("ctor default (main.c)");
  initialised_by_ctor = 42;
}
__attribute__((destructor)) static void main_dtor(void) { puts("dtor default (main.c)"); }

static void atexit_1(void) { puts("atexit 1 (registered first in main)"); }
static void atexit_2(void) { puts("atexit 2"); }
static void atexit_3(void) { puts("atexit 3 (registered last in main)"); }

int main(void) {
  printf("main: initialised_by_ctor=%d\n", initialised_by_ctor);
  atexit(atexit_1);
  atexit(atexit_2);
  atexit(atexit_3);
  puts("main returns");
  fflush(stdout);
  return 0;
}
