/* A registry built by the linker: every file drops entries into the section
   `my_section`, and __start_my_section/__stop_my_section (defined by the
   linker because the name is a C identifier) delimit them. */
#include <stddef.h>

struct entry {
  const char *name;
  int (*fn)(int);
  long value;
};

#define REGISTER(id, fn, value) \
  __attribute__((used, section("my_section"), aligned(8))) struct entry entry_##id = {#id, fn, value}
