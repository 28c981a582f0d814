// Small utilities shared by every pass: growable arrays, arenas, alignment
// and little-endian field access.
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

static inline uint64_t align_up(uint64_t v, uint64_t a) {
  return a <= 1 ? v : (v + a - 1) & ~(a - 1);
}
static inline uint64_t align_down(uint64_t v, uint64_t a) {
  return a <= 1 ? v : v & ~(a - 1);
}
static inline bool is_pow2(uint64_t v) { return v && !(v & (v - 1)); }

// Section names that can have __start_/__stop_ symbols are C identifiers.
static inline bool is_c_identifier(const char *s) {
  if (!*s || (*s >= '0' && *s <= '9')) return false;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_')) return false;
  return true;
}

// Unaligned little-endian access into mapped files and the output buffer.
static inline uint16_t rd16(const void *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static inline uint32_t rd32(const void *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline uint64_t rd64(const void *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static inline void wr16(void *p, uint16_t v) { memcpy(p, &v, 2); }
static inline void wr32(void *p, uint32_t v) { memcpy(p, &v, 4); }
static inline void wr64(void *p, uint64_t v) { memcpy(p, &v, 8); }

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
// Large zeroed memory, made present up front (pages.c); release with huge_free.
void *huge_calloc(size_t n);
void huge_free(void *p, size_t n);
// 2 MiB-aligned zeroed address space with nothing present yet, and making
// a 2 MiB-aligned part of it present (the arena does it as it goes), one
// PAGES_STEP (a huge page) at a time.
enum { PAGES_STEP = 2 << 20 };
void *pages_reserve(size_t n);
void pages_populate(void *p, size_t n);
// What pages_populate made present, for --stats: bytes asked for in huge
// pages and in 4 KiB pages, and whether huge pages came cold.
typedef struct {
  uint64_t huge, small;
  bool huge_came_cold;
} PagesMade;
PagesMade pages_made(void);
// Moves an open-addressing table of pointers, keyed by the nonzero hashes
// kept beside them (0: empty), to NEW_CAP slots (a power of two), in one
// step: each size on the way would be fresh memory the kernel must zero.
// Frees the old arrays; returns the new ones.
typedef struct {
  void *slots;  // NEW_CAP pointers
  uint64_t *hashes;
} RehashedTable;
RehashedTable rehash_table(void *slots, uint64_t *hashes, size_t cap, size_t new_cap);
// Frees such a table's CAP slots and hashes.
void free_table(void *slots, uint64_t *hashes, size_t cap);
// A lookup in such a table, when it is far bigger than the caches, is
// three dependent misses: the slot, the record it holds and the bytes the
// record names (compared to tell equal hashes apart). Done key by key they
// come one after another. A caller walking many keys calls
// table_lookahead(..., I) and then looks up key I - LOOKAHEAD_SPAN: each
// key's three loads are asked for a step apart ahead of its lookup, so the
// misses of neighbouring keys overlap. Peeks are only hints (a slot being
// claimed meanwhile is the lookup's business).
typedef struct {
  const uint64_t *hashes;
  void *const *slots;
  size_t nslots;
  size_t bytes_field;  // offsetof the record's pointer to its bytes
} LookaheadTable;
enum { LOOKAHEAD_STEP = 8, LOOKAHEAD_SPAN = 3 * LOOKAHEAD_STEP };
// Key k is the hash at KEYS + k * STRIDE bytes (0 stands for 1, as in the tables).
void table_lookahead(const LookaheadTable *t, const void *keys, size_t stride, size_t n, size_t i);

// A growable array of T. Growth uses realloc; elements move, so keep
// pointers to elements only after the array stops growing.
#define VEC(T) struct { T *data; size_t len, cap; }
#define vec_push(v, x)                                                   \
  do {                                                                   \
    if ((v)->len == (v)->cap) {                                          \
      (v)->cap = (v)->cap ? (v)->cap * 2 : 8;                            \
      (v)->data = xrealloc((v)->data, (v)->cap * sizeof(*(v)->data));    \
    }                                                                    \
    (v)->data[(v)->len++] = (x);                                         \
  } while (0)
#define vec_free(v) (free((v)->data), (v)->data = NULL, (v)->len = (v)->cap = 0)

// Bump allocator for objects that live as long as the link. Thread-safe:
// each thread allocates from its own block list.
typedef struct ArenaBlock ArenaBlock;
void *arena_alloc(size_t n);          // zeroed, 16-byte aligned
char *arena_strndup(const char *s, size_t n);
// Frees every arena block. Only for a caller that runs alone and keeps
// nothing from the arenas (the fuzz target between inputs).
void arena_release_all(void);
// For lock-free inserts (a slot claimed, then its record published while
// other threads wait): a thread's next record, allocated and its memory
// faulted in before the claim, so that nothing slow happens in between.
// Keep one per thread (_Thread_local); arena_spare_take hands it over.
typedef struct {
  void *record;
  uint64_t generation;  // arena_release_all frees it: then it is made anew
} ArenaSpare;
void *arena_spare(ArenaSpare *spare, size_t size);
static inline void *arena_spare_take(ArenaSpare *spare) {
  void *p = spare->record;
  spare->record = NULL;
  return p;
}
#define arena_new(T) ((T *)arena_alloc(sizeof(T)))
#define arena_array(T, n) ((T *)arena_alloc(sizeof(T) * (size_t)(n)))
