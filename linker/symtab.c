// The global symbol table: every global name interned once, keyed by the
// XXH3 hash of the name (computed once and kept in the Symbol). Objects
// intern their globals in parallel (symtab_intern_concurrent, lock-free
// claims of empty slots in a table sized beforehand); the ordered
// resolution pass then lists symbols in first-seen input order, so the
// order never depends on which thread won a slot.
#include "arch.h"
#include "diag.h"
#include "parallel.h"
#include "symbols.h"
#include <xxhash.h>

static Symbol *new_symbol(const char *name, uint32_t len) {
  Symbol *s = arena_new(Symbol);
  s->name = name;
  s->namelen = len;
  return s;
}

const SymbolAux no_symbol_aux = {.got_index = -1, .gottp_index = -1, .tlsgd_index = -1, .iplt_index = -1,
                                   .plt_index = -1, .dynsym_index = -1, .tlsdesc_index = -1};

SymbolAux *symbol_aux(Context *ctx, Symbol *s) {
  if (!s->aux) {
    if (!ctx->sym_aux.len) vec_push(&ctx->sym_aux, no_symbol_aux);  // index 0 means none
    s->aux = (uint32_t)ctx->sym_aux.len;
    vec_push(&ctx->sym_aux, no_symbol_aux);
  }
  return &ctx->sym_aux.data[s->aux];
}

// 0 marks an empty slot, so a name whose hash is 0 is stored as 1.
static uint64_t slot_key(uint64_t hash) { return hash ? hash : 1; }

static void resize(Context *ctx, size_t cap) {
  RehashedTable t = rehash_table(ctx->symtab_slots, ctx->symtab_hashes, ctx->symtab_cap, cap);
  ctx->symtab_slots = t.slots;
  ctx->symtab_hashes = t.hashes;
  ctx->symtab_cap = cap;
}

static bool same_name(const Symbol *s, const char *name, uint32_t len) {
  return s->namelen == len && !memcmp(s->name, name, len);
}

Symbol *symtab_find(Context *ctx, const char *name, uint32_t len, uint64_t hash) {
  if (!ctx->symtab_cap) {  // empty, or released (symtab_release)
    if (ctx->symtab_released)
      fatal("internal error: symbol %.*s looked up after the symbol table was released", (int)len, name);
    return NULL;
  }
  uint64_t key = slot_key(hash);
  for (size_t j = key & (ctx->symtab_cap - 1);; j = (j + 1) & (ctx->symtab_cap - 1)) {
    uint64_t h = ctx->symtab_hashes[j];
    if (!h) return NULL;
    if (h == key && same_name(ctx->symtab_slots[j], name, len)) return ctx->symtab_slots[j];
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

// The table is 16 bytes a slot (64 MB on the 1 GB link), and writing the
// output, the peak of a link's memory, needs only a few names.
void symtab_release(Context *ctx) {
  free_table(ctx->symtab_slots, ctx->symtab_hashes, ctx->symtab_cap);
  ctx->symtab_slots = NULL;
  ctx->symtab_hashes = NULL;
  ctx->symtab_cap = 0;
  ctx->symtab_released = true;
}

void symtab_list(Context *ctx, Symbol *s) {
  if (s->is_listed) return;
  s->is_listed = true;
  vec_push(&ctx->symbols_in_order, s);
}

// A walk over every symbol is a cache miss per symbol on a large link
// (10-20 ms serially for two million), so it is shared out in slices.
enum { SYMBOLS_PER_SLICE = 8192 };

typedef struct {
  Context *ctx;
  bool (*keep)(Context *, const Symbol *, const void *);
  const void *arg;
  SymbolVec *found;  // per slice
} FilterJob;

static void filter_slice(void *arg, size_t k) {
  FilterJob *job = arg;
  Symbol **syms = job->ctx->symbols_in_order.data;
  size_t end = MIN((k + 1) * SYMBOLS_PER_SLICE, job->ctx->symbols_in_order.len);
  for (size_t i = k * SYMBOLS_PER_SLICE; i < end; i++) {
    if (i + 8 < end) __builtin_prefetch(syms[i + 8]);
    if (job->keep(job->ctx, syms[i], job->arg)) vec_push(&job->found[k], syms[i]);
  }
}

SymbolVec symbols_where(Context *ctx, bool (*keep)(Context *ctx, const Symbol *s, const void *arg), const void *arg) {
  size_t slices = (ctx->symbols_in_order.len + SYMBOLS_PER_SLICE - 1) / SYMBOLS_PER_SLICE;
  FilterJob job = {ctx, keep, arg, xcalloc(slices ? slices : 1, sizeof(SymbolVec))};
  parallel_for(slices, filter_slice, &job);
  SymbolVec all = {0};
  for (size_t k = 0; k < slices; k++) {
    for (size_t i = 0; i < job.found[k].len; i++) vec_push(&all, job.found[k].data[i]);
    vec_free(&job.found[k]);
  }
  free(job.found);
  return all;
}

// New names from concurrent interning are counted per thread and folded
// into symtab_count by symtab_reserve, which follows every parallel phase.
// (Serial interning, which checks the count on every insertion, counts
// straight into symtab_count.)
static SpreadCounter new_symbols;

static void count_new_symbol(Context *ctx) {
  if (parallel_worker_index() < 0) atomic_fetch_add_explicit(&ctx->symtab_count, 1, memory_order_relaxed);
  else spread_add(&new_symbols, 1);
}

static _Thread_local ArenaSpare spare_symbol;

// Makes room for MORE concurrent insertions: even if every one were a new
// name the table keeps an empty slot, so probing always ends. (Most
// insertions find an existing name, so the real load stays far lower.)
static size_t capacity_for(Context *ctx, size_t more) {
  ctx->symtab_count += spread_take(&new_symbols);
  size_t count = atomic_load(&ctx->symtab_count), cap = ctx->symtab_cap ? ctx->symtab_cap : 1 << 14;
  while (count + more + 1 > cap || (count + 1) * 2 > cap) cap *= 2;
  return cap;
}

void symtab_reserve(Context *ctx, size_t more) {
  if (ctx->symtab_released) fatal("internal error: the symbol table was grown after its release");
  size_t cap = capacity_for(ctx, more);
  if (cap != ctx->symtab_cap) resize(ctx, cap);
}

bool symtab_has_room(Context *ctx, size_t more) { return capacity_for(ctx, more) == ctx->symtab_cap; }

// A slot is claimed by writing its hash (compare-and-swap from 0); the
// claimer then publishes the Symbol. A thread that finds a matching hash
// whose Symbol is not published yet waits for it: the window is a few
// instructions.
Symbol *symtab_intern_concurrent(Context *ctx, const char *name, uint32_t len, uint64_t hash) {
  uint64_t key = slot_key(hash);
  size_t probes = 0;
  arena_spare(&spare_symbol, sizeof(Symbol));
  for (size_t j = key & (ctx->symtab_cap - 1);; j = (j + 1) & (ctx->symtab_cap - 1)) {
    // A caller that reserved too little would otherwise probe forever.
    if (++probes > ctx->symtab_cap) fatal("internal error: the symbol table is full (interning %.*s)", (int)len, name);
    uint64_t h = __atomic_load_n(&ctx->symtab_hashes[j], __ATOMIC_ACQUIRE);
    if (!h) {
      uint64_t expected = 0;
      if (__atomic_compare_exchange_n(&ctx->symtab_hashes[j], &expected, key, false, __ATOMIC_ACQ_REL,
                                      __ATOMIC_ACQUIRE)) {
        Symbol *mine = arena_spare_take(&spare_symbol);
        mine->name = name;
        mine->namelen = len;
        __atomic_store_n(&ctx->symtab_slots[j], mine, __ATOMIC_RELEASE);
        count_new_symbol(ctx);
        return mine;
      }
      h = expected;  // another thread claimed this slot first
    }
    if (h != key) continue;
    Symbol *s;
    while (!(s = __atomic_load_n(&ctx->symtab_slots[j], __ATOMIC_ACQUIRE))) cpu_relax();
    if (same_name(s, name, len)) return s;
  }
}

void symtab_intern_batch(Context *ctx, const NameToIntern *names, size_t n, Symbol **out) {
  if (!n) return;
  LookaheadTable t = {ctx->symtab_hashes, (void *const *)ctx->symtab_slots, ctx->symtab_cap, offsetof(Symbol, name)};
  for (size_t i = 0; i < n + LOOKAHEAD_SPAN; i++) {
    table_lookahead(&t, &names[0].hash, sizeof *names, n, i);
    if (i < LOOKAHEAD_SPAN) continue;
    const NameToIntern *k = &names[i - LOOKAHEAD_SPAN];
    out[i - LOOKAHEAD_SPAN] = symtab_intern_concurrent(ctx, k->name, k->len, k->hash);
  }
}

size_t symtab_find_batch(Context *ctx, const NameToIntern *names, size_t n, Symbol **out) {
  if (!n) return 0;
  if (!ctx->symtab_cap) {
    memset(out, 0, n * sizeof *out);
    return n;
  }
  LookaheadTable t = {ctx->symtab_hashes, (void *const *)ctx->symtab_slots, ctx->symtab_cap, offsetof(Symbol, name)};
  size_t missing = 0;
  for (size_t i = 0; i < n + LOOKAHEAD_SPAN; i++) {
    table_lookahead(&t, &names[0].hash, sizeof *names, n, i);
    if (i < LOOKAHEAD_SPAN) continue;
    const NameToIntern *k = &names[i - LOOKAHEAD_SPAN];
    missing += !(out[i - LOOKAHEAD_SPAN] = symtab_find(ctx, k->name, k->len, k->hash));
  }
  return missing;
}

Symbol *symtab_intern_hashed(Context *ctx, const char *name, uint32_t len, uint64_t hash) {
  Symbol *s = symtab_find(ctx, name, len, hash);
  if (s) {
    symtab_list(ctx, s);
    return s;
  }
  if ((ctx->symtab_count + 1) * 2 > ctx->symtab_cap) resize(ctx, ctx->symtab_cap ? ctx->symtab_cap * 2 : 1 << 14);
  s = new_symbol(name, len);
  uint64_t key = slot_key(hash);
  size_t j = key & (ctx->symtab_cap - 1);
  while (ctx->symtab_hashes[j]) j = (j + 1) & (ctx->symtab_cap - 1);
  ctx->symtab_hashes[j] = key;
  ctx->symtab_slots[j] = s;
  ctx->symtab_count++;
  symtab_list(ctx, s);
  return s;
}

// The address of the definition itself, not of an IFUNC's stub.
uint64_t symbol_definition_address(Context *ctx, const Symbol *sym) {
  if (sym->frag) return sym->frag->parent->chunk.addr + sym->frag->offset + sym->value;
  if (sym->isec) {
    if (!sym->isec->osec) return 0;
    return sym->isec->osec->addr + sym->isec->offset + sym->value;
  }
  Chunk *chunk = symbol_chunk(ctx, sym);
  if (chunk) return chunk->addr + sym->value;
  return sym->value;
}

uint64_t symbol_address(Context *ctx, const Symbol *sym) {
  const SymbolAux *aux = symbol_aux_of(ctx, sym);
  if (aux->iplt_index >= 0) return ctx->iplt->addr + (uint64_t)aux->iplt_index * iplt_entry_size(ctx);
  // A preemptible function is called through its PLT entry. A shared
  // library's symbol (never in a section here) has an address only through
  // that or its copy; otherwise the loader supplies it.
  if (aux->plt_index >= 0) return plt_entry_address(ctx, (uint32_t)aux->plt_index);
  if (!sym->isec && symbol_is_imported(sym) && !aux->chunk) return 0;
  return symbol_definition_address(ctx, sym);
}

uint64_t plt_entry_address(Context *ctx, uint32_t index) {
  return plt_entry_start(ctx, index) + (ctx->plt_landing_pads ? ctx->arch->plt_call_offset_landing_pad : 0);
}

uint64_t plt_entry_start(Context *ctx, uint32_t index) {
  return ctx->plt->addr + plt_header_size(ctx) + (uint64_t)index * plt_entry_size(ctx);
}

uint32_t plt_header_size(const Context *ctx) {
  return ctx->plt_landing_pads ? ctx->arch->plt0_size_landing_pad : ctx->arch->plt0_size;
}

// Whether the output is marked for BTI or IBT (every input is): then PLT
// entries and IFUNC stubs, which indirect calls reach, start with a
// landing pad.
bool wants_landing_pads(const Context *ctx) { return (ctx->feature_1_and & ctx->arch->plt_landing_pad_feature) != 0; }

uint32_t iplt_entry_size(const Context *ctx) {
  return wants_landing_pads(ctx) ? ctx->arch->iplt_entry_size_landing_pad : ctx->arch->iplt_entry_size;
}

uint32_t plt_entry_size(const Context *ctx) {
  return ctx->plt_landing_pads ? ctx->arch->plt_entry_size_landing_pad : ctx->arch->plt_entry_size;
}

bool symbol_is_absolute(const Context *ctx, const Symbol *sym) {
  // Linker-made symbols are placed relative to a chunk once layout is done.
  return symbol_is_defined(sym) && !sym->isec && !sym->frag && !symbol_chunk(ctx, sym) && !symbol_is_imported(sym) &&
         symbol_iplt_index(ctx, sym) < 0 && !sym->is_discarded && sym->def_rank != RANK_COMMON &&
         !sym->is_linker_defined;
}
