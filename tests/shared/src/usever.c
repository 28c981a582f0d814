// Calls the default foo (VER_2) and, through .symver, the old one (VER_1).
#include <stdio.h>
int foo(void);
int bar(void);
int foo_old(void);
__asm__(".symver foo_old, foo@VER_1");
int main(void) {
  printf("new %d old %d bar %d\n", foo(), foo_old(), bar());
  return 0;
}
