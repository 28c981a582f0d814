// The name-only tables of a dynamic output (dynamic_tables.c), shared with
// dynamic.c, which orders .dynsym and writes what holds addresses.
#pragma once
#include "dynamic.h"

typedef VEC(uint8_t) Bytes;

// What dynamic.c builds before layout and the write pass copies.
struct DynamicInfo {
  const char **names;      // per .dynsym entry, without a version suffix
  Bytes verdef;
  Bytes dynstr;
  uint32_t *name_offsets;  // per .dynsym entry (index 0 unused)
  Bytes versym, verneed, hash, gnu_hash;
  uint32_t rpath_offset;   // 0: no -rpath
  uint32_t soname_offset;
};

uint32_t add_string(Bytes *b, const char *s);  // appends S and its NUL; returns its offset
void put32(Bytes *b, uint32_t v);
void put64(Bytes *b, uint64_t v);
uint32_t gnu_hash(const char *name);
uint32_t sysv_hash(const char *name);

// A definition named "foo@V" (hidden version) or "foo@@V" (default) in its
// object: the version part (NULL if none) and whether it is hidden.
const char *explicit_version(const Symbol *s, bool *hidden);
// The name a symbol has in .dynsym: without its "@VERSION".
const char *unversioned_name(const Symbol *s);
// .gnu.version, .gnu.version_d and .gnu.version_r for ctx->dynsyms.
void build_versions(Context *ctx, DynamicInfo *di);
void build_gnu_hash(Context *ctx, DynamicInfo *di, uint32_t nbuckets);
void build_sysv_hash(Context *ctx, DynamicInfo *di);
