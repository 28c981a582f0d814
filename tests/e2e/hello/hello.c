/* puts and printf, including the floating-point conversions (which pull in
   libc's multi-precision formatting code, its tables and locale data). */
#include <stdio.h>

int main(void) {
  static const double vals[] = {0.0,    1.5,         -2.25,      3.14159265358979,
                                1e10,   1.0 / 3.0,   6.02214076e23, 1e-5,
                                -0.125, 123456.789,  2.5e-300,   1.7976931348623157e308};
  puts("Hello, world!");
  for (unsigned i = 0; i < sizeof vals / sizeof vals[0]; i++)
    printf("%%f=%f %%g=%g %%e=%e\n", vals[i], vals[i], vals[i]);
  printf("[%.3f] [%10.4g] [%-12.2e] [%+.0f] [%08.3f]\n", 2.0 / 3.0, 12345.6789, -0.000123, 2.5, -3.14159);
  printf("%d %u %ld %x %o %c %s %5s|%-5s|\n", -42, 42u, 1234567890123L, 0xbeefu, 8u, 'x', "str", "ab", "cd");
  float f = 0.1f;
  printf("float %.10f %g\n", f, (double)f * 3);
  return 0;
}
