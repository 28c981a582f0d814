/* liba.a(a2.o): only libb.a(b1.o) needs it, so it is found only by the
   second pass over liba.a inside --start-group/--end-group. */
#include <stdio.h>
int a2_data[4] = {10, 20, 30, 40};
int a2(int x) { return x * 2 + a2_data[1]; }
__attribute__((constructor)) static void a2_ctor(void) { puts("a2.o was pulled in (constructor ran)"); }
