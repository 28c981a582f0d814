// SHF_MERGE sections: split into pieces (NUL-terminated strings or
// fixed-size constants), keep one copy of each piece per output chunk, and
// point symbols at the surviving copy.
#include "diag.h"
#include "input.h"
#include "layout.h"
#include "passes.h"
#include <xxhash.h>

static MergedChunk *find_merged(Context *ctx, const char *name, uint64_t flags, uint64_t entsize, uint32_t type) {
  for (size_t i = 0; i < ctx->merged.len; i++) {
    MergedChunk *m = ctx->merged.data[i];
    if (!strcmp(m->chunk.name, name) && m->chunk.flags == flags && m->entsize == entsize && m->chunk.type == type)
      return m;
  }
  MergedChunk *m = arena_new(MergedChunk);
  m->chunk.name = name;
  m->chunk.kind = CHUNK_MERGED;
  m->chunk.type = type;
  m->chunk.flags = flags;
  m->chunk.entsize = (flags & SHF_STRINGS) ? entsize : entsize;
  m->chunk.align = 1;
  m->chunk.merged = m;
  m->entsize = entsize;
  vec_push(&ctx->merged, m);
  return m;
}

static Fragment *insert_piece(MergedChunk *m, const uint8_t *data, uint32_t size, uint8_t p2align) {
  if ((m->count + 1) * 2 > m->nslots) {
    size_t n = m->nslots ? m->nslots * 2 : 1024;
    Fragment **slots = xcalloc(n, sizeof *slots);
    uint64_t *hashes = xcalloc(n, sizeof *hashes);
    for (size_t i = 0; i < m->nslots; i++) {
      if (!m->slots[i]) continue;
      size_t j = m->hashes[i] & (n - 1);
      while (slots[j]) j = (j + 1) & (n - 1);
      slots[j] = m->slots[i];
      hashes[j] = m->hashes[i];
    }
    free(m->slots);
    free(m->hashes);
    m->slots = slots;
    m->hashes = hashes;
    m->nslots = n;
  }
  uint64_t h = XXH3_64bits(data, size);
  size_t j = h & (m->nslots - 1);
  for (; m->slots[j]; j = (j + 1) & (m->nslots - 1)) {
    Fragment *f = m->slots[j];
    if (m->hashes[j] == h && f->size == size && !memcmp(f->data, data, size)) {
      if (p2align > f->p2align) f->p2align = p2align;
      return f;
    }
  }
  Fragment *f = arena_new(Fragment);
  f->parent = m;
  f->data = data;
  f->size = size;
  f->p2align = p2align;
  m->slots[j] = f;
  m->hashes[j] = h;
  m->count++;
  vec_push(&m->order, f);
  return f;
}

static bool split_section(Context *ctx, InputSection *isec) {
  ObjectFile *f = isec->file;
  uint64_t ent = isec->file->shdrs[isec->shndx].sh_entsize;
  MergedChunk *m = find_merged(ctx, output_section_name(isec->name, isec->flags), isec->flags, ent, isec->type);
  VEC(uint32_t) offs = {0};
  VEC(Fragment *) frags = {0};
  if (isec->flags & SHF_STRINGS) {
    for (uint64_t off = 0; off < isec->size;) {
      uint64_t end = off;
      while (end + ent <= isec->size) {
        bool zero = true;
        for (uint64_t k = 0; k < ent; k++) zero &= isec->data[end + k] == 0;
        if (zero) break;
        end += ent;
      }
      if (end + ent > isec->size) {
        error("%s: %s: string at offset 0x%llx is not null-terminated", file_name(f), isec->name,
              (unsigned long long)off);
        return false;
      }
      vec_push(&offs, (uint32_t)off);
      vec_push(&frags, insert_piece(m, isec->data + off, (uint32_t)(end + ent - off), isec->p2align));
      off = end + ent;
    }
  } else {
    if (isec->size % ent) {
      error("%s: %s: size 0x%llx is not a multiple of the entry size %llu", file_name(f), isec->name,
            (unsigned long long)isec->size, (unsigned long long)ent);
      return false;
    }
    for (uint64_t off = 0; off < isec->size; off += ent) {
      vec_push(&offs, (uint32_t)off);
      vec_push(&frags, insert_piece(m, isec->data + off, (uint32_t)ent, isec->p2align));
    }
  }
  isec->npieces = (uint32_t)offs.len;
  isec->piece_offsets = offs.data;
  isec->pieces = frags.data;
  isec->osec = &m->chunk;
  return true;
}

// The piece holding input offset OFF: index of the last piece starting at
// or before OFF.
Fragment *merge_find_piece(const InputSection *isec, uint64_t off, uint64_t *piece_off) {
  uint32_t lo = 0, hi = isec->npieces;
  while (hi - lo > 1) {
    uint32_t mid = (lo + hi) / 2;
    if (isec->piece_offsets[mid] <= off) lo = mid;
    else hi = mid;
  }
  if (!isec->npieces) return NULL;
  *piece_off = isec->piece_offsets[lo];
  return isec->pieces[lo];
}

void split_merge_sections(Context *ctx) {
  for (size_t i = 0; i < ctx->objs.len; i++) {
    ObjectFile *f = ctx->objs.data[i];
    for (uint32_t s = 1; s < f->nshdrs; s++) {
      InputSection *isec = f->sections[s];
      if (!isec || !isec->is_alive || !(isec->flags & SHF_MERGE) || isec->type == SHT_NOBITS) continue;
      uint64_t ent = f->shdrs[s].sh_entsize;
      // Pieces that carry relocations (pointer constants in .rodata.cst8 of
      // non-PIC code) are not plain bytes: leave such sections whole.
      if (ent == 0 || ent > 4096 || !isec->size || isec->nrels) continue;
      split_section(ctx, isec);
    }
  }
  checkpoint();
  // Symbols defined inside merged sections now point at their piece.
  for (size_t i = 0; i < ctx->objs.len; i++) {
    ObjectFile *f = ctx->objs.data[i];
    for (uint32_t k = 1; k < f->nsyms; k++) {
      Symbol *s = f->syms[k];
      if (!s || s->file != f || !s->isec || !s->isec->pieces || s->type == STT_SECTION) continue;
      if (!s->is_local && s->esym_index != k) continue;
      uint64_t poff;
      Fragment *frag = merge_find_piece(s->isec, s->value, &poff);
      if (!frag) continue;
      s->frag = frag;
      s->value -= poff;
      s->isec = NULL;
    }
  }
  // Offsets in first-seen order: the same inputs give the same layout.
  for (size_t i = 0; i < ctx->merged.len; i++) {
    MergedChunk *m = ctx->merged.data[i];
    uint64_t off = 0, align = 1;
    for (size_t k = 0; k < m->order.len; k++) {
      Fragment *fr = m->order.data[k];
      off = align_up(off, 1ULL << fr->p2align);
      fr->offset = off;
      off += fr->size;
      align = MAX(align, 1ULL << fr->p2align);
    }
    m->chunk.size = off;
    m->chunk.align = align;
  }
}
