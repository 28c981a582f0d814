#include "common.h"
#include "diag.h"
#include <stdarg.h>
#include <stdio.h>

void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) fatal("out of memory allocating %zu bytes", n);
  return p;
}

void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p) fatal("out of memory allocating %zu bytes", n * size);
  return p;
}

void *xrealloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1);
  if (!p) fatal("out of memory allocating %zu bytes", n);
  return p;
}

char *xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  return memcpy(xmalloc(n), s, n);
}

char *xasprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *s;
  if (vasprintf(&s, fmt, ap) < 0) fatal("out of memory");
  va_end(ap);
  return s;
}

// Arena: per-thread chains of 1 MiB blocks; big requests get their own block.
enum { ARENA_BLOCK = 1 << 20 };
static _Thread_local uint8_t *arena_cur, *arena_end;

void *arena_alloc(size_t n) {
  n = align_up(n ? n : 1, 16);
  if (n > ARENA_BLOCK / 4) return xcalloc(1, n);
  if ((size_t)(arena_end - arena_cur) < n) {
    arena_cur = xcalloc(1, ARENA_BLOCK);
    arena_end = arena_cur + ARENA_BLOCK;
  }
  void *p = arena_cur;
  arena_cur += n;
  return p;
}

char *arena_strndup(const char *s, size_t n) {
  char *p = arena_alloc(n + 1);
  memcpy(p, s, n);
  return p;
}
