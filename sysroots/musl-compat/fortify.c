// glibc's _FORTIFY_SOURCE entry points that Debian's libc++.a calls: each
// checks the destination size it is given, then does the plain call.
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

static _Noreturn void chk_fail(void) {
  static const char msg[] = "*** buffer overflow detected ***: terminated\n";
  (void)!write(2, msg, sizeof msg - 1);
  abort();
}

int __vfprintf_chk(FILE *f, int flag, const char *fmt, va_list ap) {
  (void)flag;
  return vfprintf(f, fmt, ap);
}

int __fprintf_chk(FILE *f, int flag, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = __vfprintf_chk(f, flag, fmt, ap);
  va_end(ap);
  return n;
}

int __vsnprintf_chk(char *s, size_t maxlen, int flag, size_t slen, const char *fmt, va_list ap) {
  (void)flag;
  if (slen < maxlen) chk_fail();
  return vsnprintf(s, maxlen, fmt, ap);
}

int __vasprintf_chk(char **out, int flag, const char *fmt, va_list ap) {
  (void)flag;
  return vasprintf(out, fmt, ap);
}

void *__memmove_chk(void *dst, const void *src, size_t len, size_t dstlen) {
  if (dstlen < len) chk_fail();
  return memmove(dst, src, len);
}

// The wide variants count wchar_t units, as glibc's do.
wchar_t *__wmemcpy_chk(wchar_t *dst, const wchar_t *src, size_t n, size_t dstlen) {
  if (dstlen < n) chk_fail();
  return wmemcpy(dst, src, n);
}

wchar_t *__wmemmove_chk(wchar_t *dst, const wchar_t *src, size_t n, size_t dstlen) {
  if (dstlen < n) chk_fail();
  return wmemmove(dst, src, n);
}
