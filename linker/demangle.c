// C++ names in messages: "_Z3fooi" is shown as "foo(int)" unless
// --no-demangle. Demangling is libiberty's job (Debian's libiberty-dev);
// only error paths call this, never the link itself.
#include "diag.h"
#include "common.h"
#include <libiberty/demangle.h>

static bool demangle_on = true;

void diag_set_demangle(bool on) { demangle_on = on; }

const char *demangle(const char *name) {
  if (!demangle_on || !name || strncmp(name, "_Z", 2)) return name;
  char *s = cplus_demangle(name, DMGL_PARAMS | DMGL_ANSI | DMGL_GNU_V3);
  if (!s) return name;
  char *copy = xstrdup(s);  // link-lifetime, like every other message string
  free(s);
  return copy;
}
