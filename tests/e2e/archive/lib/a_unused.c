/* liba.a(a_unused.o): nothing refers to it; it must NOT be linked. It also
   defines main_only_symbol, which main.c defines too: pulling it would be a
   duplicate definition. */
#include <stdio.h>
int main_only_symbol = 666;
int a_unused(void) { return 1; }
__attribute__((constructor)) static void a_unused_ctor(void) { puts("BUG: a_unused.o was pulled in"); }
