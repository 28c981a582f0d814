// Many absolute pointers in data (RELATIVE relocations in a PIE): runs of
// consecutive words, gaps, a pointer at an odd offset (which stays in
// .rela.dyn) and one into the library.
#include <stdio.h>
#include <string.h>
static const char *names[100];
static int values[100];
static int *ptrs[100] = {&values[0], &values[1], &values[2], &values[3], &values[5], &values[8],
                         [40] = &values[40], [41] = &values[41], [99] = &values[99]};
struct __attribute__((packed)) odd_pointer {
  char c;
  int *p;
} odd = {'x', &values[7]};  // global: not folded away
#ifdef STATIC_PIE
int counter = 10;
#else
extern int counter;  // the library's
#endif
int *lib_counter_ptr = &counter;
static const char *const words[] = {"alpha", "beta", "gamma", "delta"};
int main(void) {
  for (int i = 0; i < 100; i++) {
    values[i] = i;
    names[i] = words[i % 4];
  }
  long sum = 0;
  for (int i = 0; i < 100; i++)
    if (ptrs[i]) sum += *ptrs[i];
  printf("sum %ld odd %d %s %s counter %d\n", sum, *odd.p, names[2], words[3], *lib_counter_ptr);
  return strcmp(names[1], "beta") != 0;
}
