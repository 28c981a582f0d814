#include "thunks.h"
#include "arch.h"
#include "diag.h"
#include "layout.h"
#include "reloc.h"
#include "symbols.h"

// Code between two thunk sections; well inside the branch range so that
// thunks added later (which shift code a little) keep everything in reach.
static uint64_t group_span(const Arch *arch) { return arch->branch_range * 3 / 4; }
static uint64_t safe_reach(const Arch *arch) { return arch->branch_range - arch->branch_range / 8; }

static int64_t find(const ThunkGroup *g, const Symbol *sym) {
  if (!g->nslots) return -1;
  size_t h = ((uintptr_t)sym >> 4) & (g->nslots - 1);
  for (; g->slots[h]; h = (h + 1) & (g->nslots - 1))
    if (g->slots[h] == sym) return g->indices[h];
  return -1;
}

static void add_target(ThunkGroup *g, Symbol *sym) {
  if (find(g, sym) >= 0) return;
  if ((g->targets.len + 1) * 2 > g->nslots) {
    size_t n = g->nslots ? g->nslots * 2 : 64;
    Symbol **slots = xcalloc(n, sizeof *slots);
    uint32_t *idx = xcalloc(n, sizeof *idx);
    for (size_t i = 0; i < g->targets.len; i++) {
      size_t h = ((uintptr_t)g->targets.data[i] >> 4) & (n - 1);
      while (slots[h]) h = (h + 1) & (n - 1);
      slots[h] = g->targets.data[i];
      idx[h] = (uint32_t)i;
    }
    free(g->slots);
    free(g->indices);
    g->slots = slots;
    g->indices = idx;
    g->nslots = n;
  }
  size_t h = ((uintptr_t)sym >> 4) & (g->nslots - 1);
  while (g->slots[h]) h = (h + 1) & (g->nslots - 1);
  g->slots[h] = sym;
  g->indices[h] = (uint32_t)g->targets.len;
  vec_push(&g->targets, sym);
}

static bool span_needs_thunks(Context *ctx) {
  uint64_t lo = UINT64_MAX, hi = 0;
  for (size_t i = 0; i < ctx->chunks.len; i++) {
    Chunk *c = ctx->chunks.data[i];
    if (!(c->flags & SHF_EXECINSTR)) continue;
    lo = MIN(lo, c->addr);
    hi = MAX(hi, c->addr + c->size);
  }
  return lo < hi && hi - lo > safe_reach(ctx->arch);
}

static ThunkGroup *new_group(Chunk *c) {
  ThunkGroup *g = arena_new(ThunkGroup);
  InputSection *isec = arena_new(InputSection);
  isec->name = ".text.thunk";
  isec->type = SHT_PROGBITS;
  isec->flags = SHF_ALLOC | SHF_EXECINSTR;
  isec->p2align = 2;
  isec->is_alive = true;
  isec->osec = c;
  isec->thunks = g;
  g->isec = isec;
  return g;
}

// Collects, for one group of callers, every branch target out of safe reach.
static void fill_group(Context *ctx, ThunkGroup *g, InputSection **members, size_t n) {
  const Arch *arch = ctx->arch;
  for (size_t k = 0; k < n; k++) {
    InputSection *isec = members[k];
    if (!isec->file) continue;
    isec->thunk_group = g;
    uint64_t base = isec->osec->addr + isec->offset;
    for (uint32_t r = 0; r < isec->nrels; r++) {
      const ElfRela *rel = &isec->rels[r];
      if (!arch->is_branch_reloc(ELF64_R_TYPE(rel->r_info))) continue;
      Symbol *sym = reloc_symbol(isec, rel);
      if (!sym || !symbol_is_defined(sym)) continue;
      int64_t A = rel->r_addend;
      uint64_t S = reloc_symbol_address(ctx, sym, &A);
      int64_t d = (int64_t)(S + A - (base + rel->r_offset));
      if (d > (int64_t)safe_reach(arch) || d < -(int64_t)safe_reach(arch)) add_target(g, sym);
    }
  }
}

bool create_range_thunks(Context *ctx) {
  const Arch *arch = ctx->arch;
  if (!arch->branch_range || !span_needs_thunks(ctx)) return false;
  bool added = false;
  for (size_t i = 0; i < ctx->chunks.len; i++) {
    Chunk *c = ctx->chunks.data[i];
    if (c->kind != CHUNK_OUTPUT_SECTION || !(c->flags & SHF_EXECINSTR) || !c->members.len) continue;
    VEC(InputSection *) out = {0};
    size_t start = 0;
    while (start < c->members.len) {
      // A group is the run of members that ends within group_span of where
      // it starts, so every caller in it reaches the thunks placed after it.
      size_t end = start;
      uint64_t first = c->members.data[start]->offset;
      while (end < c->members.len &&
             c->members.data[end]->offset + c->members.data[end]->size - first < group_span(arch))
        end++;
      if (end == start) end++;
      ThunkGroup *g = new_group(c);
      fill_group(ctx, g, c->members.data + start, end - start);
      for (size_t k = start; k < end; k++) vec_push(&out, c->members.data[k]);
      if (g->targets.len) {
        g->isec->size = g->targets.len * arch->thunk_size;
        vec_push(&out, g->isec);
        added = true;
      }
      start = end;
    }
    free(c->members.data);
    c->members.data = out.data;
    c->members.len = out.len;
    c->members.cap = out.cap;
    place_members(c);  // new offsets, thunk sections included
  }
  return added;
}

bool thunk_address(Context *ctx, const InputSection *isec, const Symbol *sym, uint64_t *addr) {
  const ThunkGroup *g = isec->thunk_group;
  if (!g || !g->targets.len) return false;
  int64_t i = find(g, sym);
  if (i < 0) return false;
  *addr = g->isec->osec->addr + g->isec->offset + (uint64_t)i * ctx->arch->thunk_size;
  return true;
}

void write_thunks(Context *ctx, InputSection *isec, uint8_t *buf, uint64_t addr) {
  ThunkGroup *g = isec->thunks;
  for (size_t i = 0; i < g->targets.len; i++) {
    uint64_t at = addr + i * ctx->arch->thunk_size;
    ctx->arch->write_thunk(buf + i * ctx->arch->thunk_size, at, symbol_address(ctx, g->targets.data[i]));
  }
}
