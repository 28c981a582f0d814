#include <stdio.h>
#include <string.h>

#include "strs.h"

extern const char *a_table[], *b_table[], *c_table[];

int main(void) {
  struct strs s[4] = {strs_a(), strs_b(), strs_c(), {SHARED, MARKER, SUFFIXED + 11, L"wide merged string", 0}};
  for (int i = 0; i < 4; i++)
    printf("%d: [%s] [%s] [%s] len(wide)=%zu %.6f\n", i, s[i].shared, s[i].marker, s[i].middle, wcslen(s[i].wide),
           s[i].constant);
  int same = 1, wide_same = 1, table_same = 1;
  for (int i = 1; i < 4; i++) {
    same &= s[i].shared == s[0].shared && s[i].marker == s[0].marker && s[i].middle == s[0].middle;
    wide_same &= s[i].wide == s[0].wide;
  }
  const char **tables[3] = {a_table, b_table, c_table};
  for (int t = 0; t < 3; t++)
    table_same &= tables[t][0] == s[0].shared && tables[t][1] == s[0].marker && tables[t][2] == s[0].middle;
  printf("identical strings from 4 files share one address: %s\n", same ? "yes" : "no");
  printf("pointers stored in data agree: %s\n", table_same ? "yes" : "no");
  printf("identical wide strings share one address: %s\n", wide_same ? "yes" : "no");
  printf("middle pointer is inside its string: %s\n", strcmp(s[0].middle - 11, SUFFIXED) == 0 ? "yes" : "no");
  return 0;
}
