/* libb.a(b_weak.o): main.c only has a weak undefined reference to
   weakly_referenced(); weak references do not pull archive members. */
#include <stdio.h>
int weakly_referenced(void) { return 1; }
__attribute__((constructor)) static void b_weak_ctor(void) { puts("BUG: b_weak.o was pulled in by a weak reference"); }
