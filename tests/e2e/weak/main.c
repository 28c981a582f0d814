#include <stdint.h>
#include <stdio.h>

extern int weak_value, only_weak, first_weak;
const char *who(void);
const char *only_weak_fn(void);
int a_reads_weak_value(void);
const char *a_calls_who(void);
int c_reads_first_weak(void);

/* Weak undefined: nothing defines these. */
extern void undefined_weak_fn(void) __attribute__((weak));
extern int undefined_weak_var __attribute__((weak));
extern int undefined_weak_array[] __attribute__((weak));
/* A weak reference to something that is defined elsewhere. */
extern const char *who(void) __attribute__((weak));

/* Weak undefined addresses stored in initialised data. */
void (*undef_fn_ptr)(void) = undefined_weak_fn;
int *undef_var_ptr = &undefined_weak_var;
const char *(*who_ptr)(void) = who;

extern int common_arr[16], common_small, common_vs_def, common_after[8];
extern double common_double;
void common1_fill(void);
void common2_fill(void);
int common2_sum(void);
int common1_vs_def(void);

int main(void) {
  printf("weak_value=%d (a.c sees %d)\n", weak_value, a_reads_weak_value());
  printf("who()=%s (a.c calls %s)\n", who(), a_calls_who());
  printf("only_weak=%d only_weak_fn()=%s\n", only_weak, only_weak_fn());
  printf("first_weak=%d (c.c sees %d)\n", first_weak, c_reads_first_weak());

  printf("&undefined_weak_fn == NULL: %s\n", &undefined_weak_fn == NULL ? "yes" : "no");
  printf("&undefined_weak_var == NULL: %s\n", &undefined_weak_var == NULL ? "yes" : "no");
  printf("undefined_weak_array == NULL: %s\n", undefined_weak_array == NULL ? "yes" : "no");
  printf("pointers in data are NULL: %s\n", undef_fn_ptr == NULL && undef_var_ptr == NULL ? "yes" : "no");
  if (undefined_weak_fn) undefined_weak_fn();
  printf("weak reference to a defined function works: %s\n", who_ptr && who_ptr == who ? who_ptr() : "no");

  common1_fill();
  common2_fill();
  printf("common_arr sum=%d (expect 136), common_small=%d, common_double=%g\n", common2_sum(), common_small,
         common_double);
  int after_ok = 1;
  for (int i = 0; i < 8; i++) after_ok &= common_after[i] == 100 + i;
  printf("common_after intact: %s\n", after_ok ? "yes" : "no");
  printf("common_vs_def=%d (common1.c sees %d)\n", common_vs_def, common1_vs_def());
  printf("common_double aligned: %s\n", (uintptr_t)&common_double % _Alignof(double) == 0 ? "yes" : "no");
  return 0;
}
