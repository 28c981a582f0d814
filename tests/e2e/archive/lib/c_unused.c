#include <stdio.h>
int c_unused(void) { return 3; }
__attribute__((constructor)) static void c_unused_ctor(void) { puts("BUG: c_unused.o was pulled in"); }
