// The global symbol table: every global name interned once, keyed by the
// XXH3 hash of the name (computed once and kept in the Symbol). Objects
// intern their globals in parallel (symtab_intern_concurrent, lock-free
// claims of empty slots in a table sized beforehand); the ordered
// resolution pass then lists symbols in first-seen input order, so the
// order never depends on which thread won a slot.
#include "arch.h"
#include "diag.h"
#include "symbols.h"
#include <xxhash.h>

static Symbol *new_symbol(const char *name, uint32_t len, uint64_t hash) {
  Symbol *s = arena_new(Symbol);
  s->name = name;
  s->namelen = len;
  s->hash = hash;
  s->got_index = s->gottp_index = s->tlsgd_index = s->iplt_index = -1;
  return s;
}

static void grow(Context *ctx) {
  size_t cap = ctx->symtab_cap ? ctx->symtab_cap * 2 : 1 << 14;
  Symbol **slots = huge_calloc(cap * sizeof(Symbol *));
  for (size_t i = 0; i < ctx->symtab_cap; i++) {
    Symbol *s = ctx->symtab_slots[i];
    if (!s) continue;
    size_t j = s->hash & (cap - 1);
    while (slots[j]) j = (j + 1) & (cap - 1);
    slots[j] = s;
  }
  huge_free(ctx->symtab_slots, ctx->symtab_cap * sizeof(Symbol *));
  ctx->symtab_slots = slots;
  ctx->symtab_cap = cap;
}

Symbol *symtab_find(Context *ctx, const char *name, uint32_t len, uint64_t hash) {
  if (!ctx->symtab_cap) return NULL;
  for (size_t j = hash & (ctx->symtab_cap - 1);; j = (j + 1) & (ctx->symtab_cap - 1)) {
    Symbol *s = ctx->symtab_slots[j];
    if (!s) return NULL;
    if (s->hash == hash && s->namelen == len && !memcmp(s->name, name, len)) return s;
  }
}

Symbol *symtab_lookup(Context *ctx, const char *name) {
  uint32_t len = (uint32_t)strlen(name);
  return symtab_find(ctx, name, len, XXH3_64bits(name, len));
}

Symbol *symtab_intern(Context *ctx, const char *name) {
  uint32_t len = (uint32_t)strlen(name);
  return symtab_intern_hashed(ctx, name, len, XXH3_64bits(name, len));
}

void symtab_list(Context *ctx, Symbol *s) {
  if (s->is_listed) return;
  s->is_listed = true;
  vec_push(&ctx->symbols_in_order, s);
}

// Makes room for MORE concurrent insertions: even if every one were a new
// name the table keeps an empty slot, so probing always ends. (Most
// insertions find an existing name, so the real load stays far lower.)
void symtab_reserve(Context *ctx, size_t more) {
  size_t count = atomic_load(&ctx->symtab_count);
  while (count + more + 1 > ctx->symtab_cap || (count + 1) * 2 > ctx->symtab_cap) grow(ctx);
}

Symbol *symtab_intern_concurrent(Context *ctx, const char *name, uint32_t len, uint64_t hash) {
  Symbol *mine = NULL;
  for (size_t j = hash & (ctx->symtab_cap - 1);; j = (j + 1) & (ctx->symtab_cap - 1)) {
    Symbol *s = __atomic_load_n(&ctx->symtab_slots[j], __ATOMIC_ACQUIRE);
    if (!s) {
      if (!mine) mine = new_symbol(name, len, hash);
      Symbol *expected = NULL;
      if (__atomic_compare_exchange_n(&ctx->symtab_slots[j], &expected, mine, false, __ATOMIC_ACQ_REL,
                                      __ATOMIC_ACQUIRE)) {
        atomic_fetch_add(&ctx->symtab_count, 1);
        return mine;
      }
      s = expected;  // another thread filled this slot first
    }
    if (s->hash == hash && s->namelen == len && !memcmp(s->name, name, len)) return s;
  }
}

Symbol *symtab_intern_hashed(Context *ctx, const char *name, uint32_t len, uint64_t hash) {
  Symbol *s = symtab_find(ctx, name, len, hash);
  if (s) {
    symtab_list(ctx, s);
    return s;
  }
  if ((ctx->symtab_count + 1) * 2 > ctx->symtab_cap) grow(ctx);
  s = new_symbol(name, len, hash);
  size_t j = hash & (ctx->symtab_cap - 1);
  while (ctx->symtab_slots[j]) j = (j + 1) & (ctx->symtab_cap - 1);
  ctx->symtab_slots[j] = s;
  ctx->symtab_count++;
  symtab_list(ctx, s);
  return s;
}

uint64_t symbol_address(Context *ctx, const Symbol *sym) {
  if (sym->iplt_index >= 0) return ctx->iplt->addr + (uint64_t)sym->iplt_index * ctx->arch->iplt_entry_size;
  if (sym->frag) return sym->frag->parent->chunk.addr + sym->frag->offset + sym->value;
  if (sym->isec) {
    if (!sym->isec->osec) return 0;
    return sym->isec->osec->addr + sym->isec->offset + sym->value;
  }
  if (sym->chunk) return sym->chunk->addr + sym->value;
  return sym->value;
}

bool symbol_is_absolute(const Symbol *sym) {
  // Linker-made symbols are placed relative to a chunk once layout is done.
  return symbol_is_defined(sym) && !sym->isec && !sym->frag && !sym->chunk && sym->iplt_index < 0 &&
         !sym->is_discarded && sym->def_rank != RANK_COMMON && !sym->is_linker_defined;
}
