// "did you mean" hints for undefined symbols, as lld gives them: a defined
// symbol whose name differs by one typo or only in case, or the same
// function under C++ linkage when the reference uses its C name (or the
// other way round: a missing extern "C").
#include "diag.h"
#include "symbols.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

// One insertion, deletion, substitution or swap of neighbours apart.
static bool one_edit_apart(const char *a, size_t la, const char *b, size_t lb) {
  if (la > lb) return one_edit_apart(b, lb, a, la);
  if (lb - la > 1) return false;
  size_t i = 0;
  while (i < la && a[i] == b[i]) i++;
  if (i == la) return lb == la + 1;  // b has one more character at the end
  if (la == lb) {
    if (!strncmp(a + i + 1, b + i + 1, la - i - 1)) return true;  // substitution
    return i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] && !strncmp(a + i + 2, b + i + 2, la - i - 2);
  }
  return !strncmp(a + i, b + i + 1, la - i);  // b has one more character at i
}

static bool equal_ignoring_case(const char *a, size_t la, const char *b, size_t lb) {
  if (la != lb) return false;
  for (size_t i = 0; i < la; i++)
    if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i])) return false;
  return true;
}

// The identifier of a mangled C++ function at namespace scope: "_Z3fooi"
// gives "foo" (its length in *len); NULL for anything else.
static const char *cxx_plain_name(const char *name, size_t *len) {
  if (strncmp(name, "_Z", 2) || !isdigit((unsigned char)name[2])) return NULL;
  char *end;
  unsigned long n = strtoul(name + 2, &end, 10);
  if (n == 0 || strlen(end) < n) return NULL;
  *len = n;
  return end;
}

typedef enum { HINT_NONE, HINT_SPELLING, HINT_CXX_NAME, HINT_C_NAME } HintKind;

static HintKind hint_for(const Symbol *undef, const Symbol *def) {
  const char *u = undef->name, *d = def->name;
  size_t lu = undef->namelen, ld = def->namelen, n;
  const char *plain = cxx_plain_name(d, &n);
  if (plain && n == lu && !memcmp(plain, u, n)) return HINT_CXX_NAME;
  plain = cxx_plain_name(u, &n);
  if (plain && n == ld && !memcmp(plain, d, n)) return HINT_C_NAME;
  if (equal_ignoring_case(u, lu, d, ld) || one_edit_apart(u, lu, d, ld)) return HINT_SPELLING;
  return HINT_NONE;
}

void suggest_definition(Context *ctx, const Symbol *undef) {
  if (undef->namelen < 3) return;  // every short name is one typo from another
  for (size_t i = 0; i < ctx->symbols_in_order.len; i++) {
    const Symbol *def = ctx->symbols_in_order.data[i];
    if (def == undef || !symbol_is_defined(def) || def->is_linker_defined || !def->file) continue;
    switch (hint_for(undef, def)) {
    case HINT_NONE: continue;
    case HINT_SPELLING: note("did you mean: %s", demangle(def->name)); break;
    case HINT_CXX_NAME:
      note("did you mean: %s, the C++ function of that name? (declare it extern \"C\" where it is defined)",
           demangle(def->name));
      break;
    case HINT_C_NAME:
      note("did you mean: %s, which has C linkage? (declare it extern \"C\" where it is used)", demangle(def->name));
      break;
    }
    note("defined in: %s", file_name(def->file));
    return;
  }
}
