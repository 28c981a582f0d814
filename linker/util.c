#include "common.h"
#include "diag.h"
#include <stdarg.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/mman.h>

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

// Arena: per-thread chains of 8 MiB blocks; big requests get their own
// allocation. A block's pages are made present 2 MiB at a time as the
// arena reaches them (pages.c), so the unused end of each thread's last
// block costs nothing.
enum { ARENA_BLOCK = 8 << 20 };
static _Thread_local uint8_t *arena_cur, *arena_ready, *arena_end;

RehashedTable rehash_table(void *slots, uint64_t *hashes, size_t cap, size_t new_cap) {
  // Pointers are copied as bytes: the table's element type is the caller's.
  uint8_t *from = slots, *to = huge_calloc(new_cap * sizeof(void *));
  uint64_t *new_hashes = huge_calloc(new_cap * sizeof(uint64_t));
  for (size_t i = 0; i < cap; i++) {
    uint64_t h = hashes[i];
    if (!h) continue;
    size_t j = h & (new_cap - 1);
    while (new_hashes[j]) j = (j + 1) & (new_cap - 1);
    new_hashes[j] = h;
    memcpy(to + j * sizeof(void *), from + i * sizeof(void *), sizeof(void *));
  }
  free_table(slots, hashes, cap);
  return (RehashedTable){to, new_hashes};
}

void free_table(void *slots, uint64_t *hashes, size_t cap) {
  huge_free(slots, cap * sizeof(void *));
  huge_free(hashes, cap * sizeof(uint64_t));
}

static uint64_t lookahead_key(const void *keys, size_t stride, size_t k) {
  uint64_t h;
  memcpy(&h, (const uint8_t *)keys + k * stride, sizeof h);
  return h ? h : 1;
}

// The record first filed under KEY, if it is near its home slot.
static const uint8_t *peek_record(const LookaheadTable *t, uint64_t key) {
  size_t mask = t->nslots - 1;
  for (size_t j = key & mask, probes = 0; probes < 8; j = (j + 1) & mask, probes++) {
    uint64_t h = __atomic_load_n(&t->hashes[j], __ATOMIC_RELAXED);
    if (!h) return NULL;
    if (h == key) return __atomic_load_n((const uint8_t *const *)&t->slots[j], __ATOMIC_ACQUIRE);
  }
  return NULL;
}

void table_lookahead(const LookaheadTable *t, const void *keys, size_t stride, size_t n, size_t i) {
  if (i < n) {
    size_t j = lookahead_key(keys, stride, i) & (t->nslots - 1);
    __builtin_prefetch(&t->hashes[j]);
    __builtin_prefetch(&t->slots[j]);
  }
  if (i >= LOOKAHEAD_STEP && i - LOOKAHEAD_STEP < n) {
    const uint8_t *r = peek_record(t, lookahead_key(keys, stride, i - LOOKAHEAD_STEP));
    if (r) __builtin_prefetch(r + t->bytes_field);
  }
  if (i >= 2 * LOOKAHEAD_STEP && i - 2 * LOOKAHEAD_STEP < n) {
    const uint8_t *r = peek_record(t, lookahead_key(keys, stride, i - 2 * LOOKAHEAD_STEP));
    if (r) {
      const void *bytes;
      memcpy(&bytes, r + t->bytes_field, sizeof bytes);
      __builtin_prefetch(bytes);
    }
  }
}

// Every block, so that arena_release_all can give them back.
static pthread_mutex_t blocks_lock = PTHREAD_MUTEX_INITIALIZER;
static VEC(uint8_t *) blocks;

static uint8_t *new_block(void) {
  uint8_t *b = pages_reserve(ARENA_BLOCK);
  pthread_mutex_lock(&blocks_lock);
  vec_push(&blocks, b);
  pthread_mutex_unlock(&blocks_lock);
  return b;
}

static _Atomic uint64_t generation;

void *arena_spare(ArenaSpare *spare, size_t size) {
  uint64_t now = atomic_load_explicit(&generation, memory_order_relaxed);
  if (!spare->record || spare->generation != now) {
    spare->record = arena_alloc(size);
    *(volatile uint8_t *)spare->record = 0;  // fault the page in now
    spare->generation = now;
  }
  return spare->record;
}

void arena_release_all(void) {
  atomic_fetch_add(&generation, 1);
  pthread_mutex_lock(&blocks_lock);
  for (size_t i = 0; i < blocks.len; i++) munmap(blocks.data[i], ARENA_BLOCK);
  blocks.len = 0;
  pthread_mutex_unlock(&blocks_lock);
  arena_cur = arena_ready = arena_end = NULL;
}

void *arena_alloc(size_t n) {
  n = align_up(n ? n : 1, 16);
  if (n > ARENA_BLOCK / 4) return xcalloc(1, n);
  if ((size_t)(arena_end - arena_cur) < n) {
    arena_cur = arena_ready = new_block();  // zero-filled by the kernel
    arena_end = arena_cur + ARENA_BLOCK;
  }
  if ((size_t)(arena_ready - arena_cur) < n) {
    uint8_t *to = (uint8_t *)align_up((uintptr_t)(arena_cur + n), PAGES_STEP);  // blocks are 2 MiB-aligned
    pages_populate(arena_ready, (size_t)(to - arena_ready));
    arena_ready = to;
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
