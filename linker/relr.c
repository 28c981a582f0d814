// -z pack-relative-relocs: RELATIVE relocations of whole words packed in
// .relr.dyn (DT_RELR). An even entry is the address of a word to relocate;
// an odd one is a bitmap whose bits 1..63 say which of the next 63 words
// to relocate too. A few bytes describe what .rela.dyn spends 24 on.
#include "relr.h"
#include "arch.h"
#include "reloc.h"
#include "diag.h"

enum { WORD = 8, BITMAP_WORDS = 63 };

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

bool got_slot_is_relr(Context *ctx, const Symbol *s) {
  return ctx->relr && ctx->cfg.pie && !s->is_preemptible && symbol_is_defined(s) && !symbol_is_absolute(ctx, s);
}

// The places .relr.dyn relocates, after layout, sorted: the GOT's
// RELATIVE slots and each section's eligible absolute words (the same
// choice the scan and the write pass make).
void collect_relr(Context *ctx) {
  ctx->relr_addrs.len = 0;
  for (size_t i = 0; i < ctx->got_syms.len; i++) {
    Symbol *s = ctx->got_syms.data[i];
    if (got_slot_is_relr(ctx, s))
      vec_push(&ctx->relr_addrs, ctx->got->addr + (uint64_t)symbol_got_index(ctx, s) * 8);
  }
  for (size_t i = 0; i < ctx->objs.len; i++) {
    ObjectFile *f = ctx->objs.data[i];
    for (uint32_t k = 1; k < f->nshdrs; k++) {
      InputSection *isec = f->sections[k];
      if (!isec || !isec->has_relr || !isec->is_alive || !isec->osec) continue;
      uint64_t base = isec->osec->addr + isec->offset;
      for (uint32_t r = 0; r < isec->nrels; r++) {
        const ElfRela *rel = &isec->rels[r];
        if (ELF64_R_TYPE(rel->r_info) != ctx->arch->r_abs64) continue;
        Symbol *sym = reloc_symbol(isec, rel);
        if (sym && abs_reloc_kind(ctx, isec, sym) == ABS_RELATIVE && relr_eligible(ctx, isec, rel))
          vec_push(&ctx->relr_addrs, base + rel->r_offset);
      }
    }
  }
  qsort(ctx->relr_addrs.data, ctx->relr_addrs.len, sizeof(uint64_t), cmp_u64);
}

// Encodes the sorted places into OUT (when not NULL); returns the entry count.
static size_t encode(const uint64_t *addr, size_t n, uint64_t *out) {
  size_t count = 0;
  for (size_t i = 0; i < n;) {
    if (out) out[count] = addr[i];
    count++;
    uint64_t where = addr[i++] + WORD;
    for (;;) {
      uint64_t bitmap = 0;
      while (i < n && addr[i] - where < BITMAP_WORDS * WORD && (addr[i] - where) % WORD == 0) {
        bitmap |= 1ULL << ((addr[i] - where) / WORD);
        i++;
      }
      if (!bitmap) break;
      if (out) out[count] = bitmap << 1 | 1;
      count++;
      where += BITMAP_WORDS * WORD;
    }
  }
  return count;
}

uint64_t relr_size(Context *ctx) {
  collect_relr(ctx);
  return encode(ctx->relr_addrs.data, ctx->relr_addrs.len, NULL) * WORD;
}

void write_relr(Context *ctx, Chunk *c, uint8_t *buf) {
  uint64_t *out = (uint64_t *)buf;
  collect_relr(ctx);  // the final addresses
  size_t n = encode(ctx->relr_addrs.data, ctx->relr_addrs.len, NULL);
  if (n * WORD > c->size) fatal("internal error: .relr.dyn needs %zu bytes, layout gave %llu", n * WORD,
                                (unsigned long long)c->size);
  encode(ctx->relr_addrs.data, ctx->relr_addrs.len, out);
  // Layout may have sized the section for one more entry than the final
  // addresses need; an empty bitmap relocates nothing.
  for (size_t i = n; i < c->size / WORD; i++) out[i] = 1;
}
