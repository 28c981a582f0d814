/* The same string literals in several files land in SHF_MERGE|SHF_STRINGS
   sections (.rodata.str1.1, .rodata.str4.4), which the linker splits into
   pieces and deduplicates: the program sees one copy at one address. */
#include <wchar.h>

#define SHARED "Hello, merged world!"
#define MARKER "xld-mergestr-unique-marker-8c1f0e4a"
#define SUFFIXED "prefix-and-shared-suffix"

struct strs {
  const char *shared;
  const char *marker;
  const char *middle; /* points into the middle of a merged string */
  const wchar_t *wide;
  double constant; /* from a mergeable .rodata.cst8 section */
};

struct strs strs_a(void);
struct strs strs_b(void);
struct strs strs_c(void);
