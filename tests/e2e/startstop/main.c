#include <stdio.h>

#include "entry.h"

extern struct entry __start_my_section[], __stop_my_section[];
/* No input has a section called `absent_section`: weak references to its
   bounds stay undefined, i.e. NULL. */
extern struct entry __start_absent_section[] __attribute__((weak));
extern struct entry __stop_absent_section[] __attribute__((weak));

static int main_fn(int x) { return -x; }
REGISTER(main, main_fn, 400);

int main(void) {
  size_t n = (size_t)(__stop_my_section - __start_my_section);
  printf("%zu entries in my_section\n", n);
  long sum = 0;
  for (struct entry *e = __start_my_section; e < __stop_my_section; e++) {
    printf("  %s: fn(10)=%d value=%ld\n", e->name, e->fn(10), e->value);
    sum += e->value;
  }
  printf("sum of values: %ld\n", sum);
  printf("absent section bounds are NULL: %s\n",
         __start_absent_section == NULL && __stop_absent_section == NULL ? "yes" : "no");
  return 0;
}
