// Symbol table, resolution and linker-defined symbols.
#pragma once
#include "context.h"

// Definition strength; a higher rank wins (GNU ld: strong > common > weak).
enum { RANK_UNDEF = 0, RANK_WEAK = 1, RANK_COMMON = 2, RANK_STRONG = 3 };

Symbol *symtab_find(Context *ctx, const char *name, uint32_t len, uint64_t hash);
Symbol *symtab_lookup(Context *ctx, const char *name);
Symbol *symtab_intern(Context *ctx, const char *name);
// NAME need not be NUL-terminated at LEN; HASH is XXH3_64bits(NAME, LEN).
Symbol *symtab_intern_hashed(Context *ctx, const char *name, uint32_t len, uint64_t hash);
// Thread-safe interning into a table made big enough by symtab_reserve;
// the symbol is not listed in symbols_in_order (symtab_list does that).
Symbol *symtab_intern_concurrent(Context *ctx, const char *name, uint32_t len, uint64_t hash);
void symtab_reserve(Context *ctx, size_t more);
// Whether MORE new names fit without symtab_reserve growing the table.
bool symtab_has_room(Context *ctx, size_t more);
// Many names at once, as symtab_intern_concurrent: OUT[i] gets NAMES[i]'s
// symbol. Faster than one by one, since lookups overlap their cache misses.
typedef struct {
  const char *name;
  uint32_t len;
  uint64_t hash;
} NameToIntern;
void symtab_intern_batch(Context *ctx, const NameToIntern *names, size_t n, Symbol **out);
// Looks up many names at once (while no thread inserts): OUT[i] gets
// NAMES[i]'s symbol, or NULL. Returns how many were not found.
size_t symtab_find_batch(Context *ctx, const NameToIntern *names, size_t n, Symbol **out);
void symtab_list(Context *ctx, Symbol *s);
// Gives the table back once no pass looks names up any more (writing the
// output finds its few named symbols in ctx->entry_symbol and the like).
void symtab_release(Context *ctx);
// The listed symbols (symbols_in_order) for which KEEP holds, in that
// order. Slices are filtered in parallel, so KEEP must only read.
typedef VEC(Symbol *) SymbolVec;
SymbolVec symbols_where(Context *ctx, bool (*keep)(Context *ctx, const Symbol *s, const void *arg), const void *arg);

void resolve_symbols(Context *ctx);
void intern_globals_parallel(Context *ctx, ObjectFile **objs, size_t n);
void check_undefined(Context *ctx);
// Notes a defined symbol that the undefined one may have meant (suggest.c).
void suggest_definition(Context *ctx, const Symbol *undef);
// Called by the relocation scan for a reference to an undefined symbol.
void note_undefined_reference(InputSection *isec, const ElfRela *rel);
// Defines a linker-provided symbol if something refers to it.
Symbol *define_linker_symbol(Context *ctx, const char *name, Chunk *chunk, uint64_t value);
void create_linker_symbols(Context *ctx);
void fix_linker_symbols(Context *ctx);
void allocate_commons(Context *ctx);
