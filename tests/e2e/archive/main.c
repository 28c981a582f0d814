#include <stdio.h>

int a1(int);
int c_func(int);
int main_only_symbol = 1; /* also in liba.a(a_unused.o), which must stay out */
extern int weakly_referenced(void) __attribute__((weak));

int main(void) {
  printf("a1(5)=%d (expect 1031)\n", a1(5));
  printf("c_func(1)=%d\n", c_func(1));
  printf("main_only_symbol=%d\n", main_only_symbol);
  printf("weakly_referenced is NULL: %s\n", weakly_referenced == NULL ? "yes" : "no");
  return 0;
}
