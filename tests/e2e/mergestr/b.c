#include "strs.h"

/* Stored in data, so the reference is a relocation against a merged piece. */
const char *b_table[] = {SHARED, MARKER, SUFFIXED + 11};

struct strs strs_b(void) {
  struct strs s = {SHARED, MARKER, SUFFIXED + 11, L"wide merged string", 2.718281828459045};
  return s;
}
