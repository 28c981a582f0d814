// What the DWARF readers for error messages (debug_line.c, debug_info.c)
// share: a bounds-checked cursor, and an object file's debug sections as
// its relocations see them.
#pragma once
#include "context.h"

// A bounds-checked cursor: a read past END sets !ok and yields zeros.
typedef struct {
  const uint8_t *base, *p, *end;
  bool ok;
} Cursor;

static inline bool have(Cursor *c, uint64_t n) {
  if (c->ok && (uint64_t)(c->end - c->p) >= n) return true;
  c->ok = false;
  return false;
}
static inline uint64_t rd_n(Cursor *c, unsigned n) {
  if (!have(c, n)) return 0;
  uint64_t v = 0;
  for (unsigned i = 0; i < n; i++) v |= (uint64_t)c->p[i] << (8 * i);
  c->p += n;
  return v;
}
static inline uint8_t u8(Cursor *c) { return (uint8_t)rd_n(c, 1); }
static inline uint64_t uleb(Cursor *c) {
  uint64_t v = 0;
  for (unsigned shift = 0;; shift += 7) {
    if (!have(c, 1)) return 0;
    uint8_t b = *c->p++;
    if (shift < 64) v |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80)) return v;
  }
}
static inline int64_t sleb(Cursor *c) {
  int64_t v = 0;
  unsigned shift = 0;
  for (;; shift += 7) {
    if (!have(c, 1)) return 0;
    uint8_t b = *c->p++;
    if (shift < 64) v |= (int64_t)((uint64_t)(b & 0x7f) << shift);
    if (!(b & 0x80)) {
      if (shift + 7 < 64 && (b & 0x40)) v = (int64_t)((uint64_t)v | (~(uint64_t)0 << (shift + 7)));
      return v;
    }
  }
}
static inline void skip(Cursor *c, uint64_t n) {
  if (have(c, n)) c->p += n;
}
// A NUL-terminated string in place; NULL (and !ok) if it runs off the end.
static inline const char *cstr(Cursor *c) {
  if (!c->ok) return NULL;
  const uint8_t *nul = memchr(c->p, 0, (size_t)(c->end - c->p));
  if (!nul) {
    c->ok = false;
    return NULL;
  }
  const char *s = (const char *)c->p;
  c->p = nul + 1;
  return s;
}
static inline const char *str_at(const uint8_t *sec, size_t size, uint64_t off) {
  if (!sec || off >= size || !memchr(sec + off, 0, size - off)) return NULL;
  return (const char *)sec + off;
}

// The relocations of one section of an object as (offset, S + A, section
// of S), S being the symbol's value in its section; sorted by offset.
typedef struct {
  uint64_t offset, value;
  uint32_t section;
} FieldReloc;

typedef struct {
  FieldReloc *r;
  size_t n;
} FieldRelocs;

// The named SHT_PROGBITS section of F; 0 if none.
uint32_t dwarf_find_section(ObjectFile *f, const char *name);
// Section I's bytes, decompressed if SHF_COMPRESSED (into a buffer kept
// for the link); NULL if it cannot be read.
const uint8_t *dwarf_section_bytes(ObjectFile *f, uint32_t i, size_t *size);
// The relocations (SHT_RELA) that apply to section TARGET; free .r.
FieldRelocs dwarf_field_relocs(ObjectFile *f, uint32_t target);
// A reloc callback (LineInputs.reloc) over ARG, a FieldRelocs.
bool dwarf_lookup_reloc(void *arg, uint64_t offset, uint64_t *value, uint32_t *section);
