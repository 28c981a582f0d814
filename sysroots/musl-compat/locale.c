// Locale objects with glibc's layout, and glibc's strtoll_l/strtoull_l.
//
// Debian's libc++.a, compiled against glibc, reads the ctype tables out of
// the C locale object itself (newlocale(LC_ALL_MASK, "C", 0)->__ctype_b,
// at glibc's offsets). musl's locale object is only its six category
// pointers, so newlocale and duplocale here return an object that starts
// with musl's fields (every musl function taking a locale_t reads just
// those) and continues with glibc's, the ctype tables filled in from musl's
// own glibc-compatible tables. They are malloc'd as musl's own are, so
// musl's freelocale frees them.
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

// musl's implementations (newlocale and duplocale are weak aliases of them).
locale_t __newlocale(int mask, const char *name, locale_t base);
locale_t __duplocale(locale_t old);
const unsigned short **__ctype_b_loc(void);
const int **__ctype_tolower_loc(void);
const int **__ctype_toupper_loc(void);

enum { MUSL_CATEGORIES = 6, GLIBC_CATEGORIES = 13 };

struct glibc_layout_locale {
  const void *musl_categories[MUSL_CATEGORIES];  // musl's struct __locale_struct
  const void *glibc_unused[GLIBC_CATEGORIES - MUSL_CATEGORIES];
  const unsigned short *ctype_b;  // glibc's __ctype_b, __ctype_tolower, __ctype_toupper
  const int *ctype_tolower;
  const int *ctype_toupper;
  const char *names[GLIBC_CATEGORIES];
};

_Static_assert(__builtin_offsetof(struct glibc_layout_locale, ctype_b) == 104,
               "glibc's __ctype_b is at offset 104 on 64-bit targets");

// Copies the categories of a locale musl made into a new glibc-layout one
// and lets musl free the original if it allocated it.
static locale_t glibc_layout_copy(locale_t musl_locale) {
  if (!musl_locale) return 0;
  struct glibc_layout_locale *l = calloc(1, sizeof *l);
  if (!l) {
    freelocale(musl_locale);
    errno = ENOMEM;
    return 0;
  }
  memcpy(l->musl_categories, musl_locale, sizeof l->musl_categories);
  freelocale(musl_locale);
  l->ctype_b = *__ctype_b_loc();
  l->ctype_tolower = *__ctype_tolower_loc();
  l->ctype_toupper = *__ctype_toupper_loc();
  return (locale_t)l;
}

locale_t newlocale(int mask, const char *name, locale_t base) {
  locale_t l = __newlocale(mask, name, base);
  // musl changes a base it allocated in place: that base is one of ours.
  if (l && l == base) return l;
  return glibc_layout_copy(l);
}

locale_t duplocale(locale_t old) { return glibc_layout_copy(__duplocale(old)); }

// musl's locales change nothing about how integers are parsed.
long long strtoll_l(const char *s, char **end, int base, locale_t loc) {
  (void)loc;
  return strtoll(s, end, base);
}

unsigned long long strtoull_l(const char *s, char **end, int base, locale_t loc) {
  (void)loc;
  return strtoull(s, end, base);
}
