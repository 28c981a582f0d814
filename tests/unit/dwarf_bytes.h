// Building DWARF sections byte by byte for the debug-info unit tests:
// fixed-size little-endian fields, strings and LEB128 numbers.
#pragma once
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

typedef struct {
  uint8_t b[1024];
  size_t n;
} Buf;

static inline void put(Buf *b, const void *p, size_t n) {
  cr_assert(b->n + n <= sizeof b->b);
  memcpy(b->b + b->n, p, n);
  b->n += n;
}
static inline void u8(Buf *b, uint8_t v) { put(b, &v, 1); }
static inline void u16(Buf *b, uint16_t v) { put(b, &v, 2); }
static inline void u32(Buf *b, uint32_t v) { put(b, &v, 4); }
static inline void u64(Buf *b, uint64_t v) { put(b, &v, 8); }
static inline void str(Buf *b, const char *s) { put(b, s, strlen(s) + 1); }
static inline void uleb(Buf *b, uint64_t v) {
  do {
    uint8_t c = v & 0x7f;
    v >>= 7;
    u8(b, c | (v ? 0x80 : 0));
  } while (v);
}
static inline void sleb(Buf *b, int64_t v) {
  for (;;) {
    uint8_t c = v & 0x7f;
    v >>= 7;
    bool done = (v == 0 && !(c & 0x40)) || (v == -1 && (c & 0x40));
    u8(b, c | (done ? 0 : 0x80));
    if (done) return;
  }
}
