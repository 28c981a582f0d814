// SHF_MERGE sections: split into pieces (NUL-terminated strings or
// fixed-size constants), keep one copy of each piece per output chunk, and
// point symbols at the surviving copy.
#include "diag.h"
#include "input.h"
#include "layout.h"
#include "parallel.h"
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

static uint64_t piece_key(uint64_t hash) { return hash ? hash : 1; }  // 0 marks an empty slot

// Finds or adds the piece DATA[0..SIZE) (thread-safe). Which copy of equal
// bytes becomes the Fragment does not matter: they are the same bytes, and
// the alignment kept is the largest asked for.
static _Thread_local ArenaSpare spare_fragment;

static Fragment *insert_piece(MergedChunk *m, const uint8_t *data, uint32_t size, uint64_t hash, uint8_t p2align) {
  PieceTable *t = &m->table;
  uint64_t key = piece_key(hash);
  arena_spare(&spare_fragment, sizeof(Fragment));
  for (size_t j = key & (t->nslots - 1);; j = (j + 1) & (t->nslots - 1)) {
    uint64_t h = __atomic_load_n(&t->hashes[j], __ATOMIC_ACQUIRE);
    if (!h) {
      uint64_t expected = 0;
      if (__atomic_compare_exchange_n(&t->hashes[j], &expected, key, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        Fragment *f = arena_spare_take(&spare_fragment);
        f->parent = m;
        f->data = data;
        f->size = size;
        f->p2align = p2align;
        f->offset = UINT64_MAX;  // until placed: the first use's key (place_pieces)
        __atomic_store_n(&t->slots[j], f, __ATOMIC_RELEASE);
        return f;
      }
      h = expected;
    }
    if (h != key) continue;
    Fragment *f;
    while (!(f = __atomic_load_n(&t->slots[j], __ATOMIC_ACQUIRE))) cpu_relax();
    if (f->size != size || memcmp(f->data, data, size)) continue;
    uint8_t a = __atomic_load_n(&f->p2align, __ATOMIC_RELAXED);
    while (p2align > a && !__atomic_compare_exchange_n(&f->p2align, &a, p2align, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
    }
    return f;
  }
}

// Splits one section into pieces and hashes them (no shared state).
static void split_section(InputSection *isec) {
  ObjectFile *f = isec->file;
  uint64_t ent = f->shdrs[isec->shndx].sh_entsize;
  VEC(uint32_t) offs = {0};
  if (isec->flags & SHF_STRINGS) {
    for (uint64_t off = 0; off < isec->size;) {
      uint64_t end = off;
      if (ent == 1) {  // the common case: byte strings, found with memchr
        const uint8_t *nul = memchr(isec->data + off, 0, isec->size - off);
        end = nul ? (uint64_t)(nul - isec->data) : isec->size;
      }
      while (ent > 1 && end + ent <= isec->size) {
        bool zero = true;
        for (uint64_t k = 0; k < ent; k++) zero &= isec->data[end + k] == 0;
        if (zero) break;
        end += ent;
      }
      if (end + ent > isec->size) {
        error("%s: %s: string at offset 0x%llx is not null-terminated", file_name(f), isec->name,
              (unsigned long long)off);
        return;
      }
      vec_push(&offs, (uint32_t)off);
      off = end + ent;
    }
  } else {
    if (isec->size % ent) {
      error("%s: %s: size 0x%llx is not a multiple of the entry size %llu", file_name(f), isec->name,
            (unsigned long long)isec->size, (unsigned long long)ent);
      return;
    }
    for (uint64_t off = 0; off < isec->size; off += ent) vec_push(&offs, (uint32_t)off);
  }
  isec->is_merge = true;
  isec->npieces = (uint32_t)offs.len;
  isec->piece_offsets = offs.data;
  isec->pieces = xcalloc(offs.len ? offs.len : 1, sizeof(Fragment *));
  isec->piece_hashes = xmalloc((offs.len ? offs.len : 1) * sizeof(uint64_t));
  for (uint32_t k = 0; k < isec->npieces; k++) {
    uint64_t b = isec->piece_offsets[k], e = k + 1 < isec->npieces ? isec->piece_offsets[k + 1] : isec->size;
    isec->piece_hashes[k] = XXH3_64bits(isec->data + b, e - b);
  }
}

static uint32_t piece_size(const InputSection *isec, uint32_t k) {
  uint64_t e = k + 1 < isec->npieces ? isec->piece_offsets[k + 1] : isec->size;
  return (uint32_t)(e - isec->piece_offsets[k]);
}

typedef VEC(InputSection *) SectionVec;

static void split_task(void *arg, size_t i) { split_section(((SectionVec *)arg)->data[i]); }

// Inserts one section's pieces into its merged chunk's table.
static void insert_task(void *arg, size_t i) {
  InputSection *isec = ((SectionVec *)arg)->data[i];
  MergedChunk *m = isec->osec->merged;
  LookaheadTable t = {m->table.hashes, (void *const *)m->table.slots, m->table.nslots, offsetof(Fragment, data)};
  for (uint32_t k = 0; k < isec->npieces + LOOKAHEAD_SPAN; k++) {
    table_lookahead(&t, isec->piece_hashes, sizeof(uint64_t), isec->npieces, k);
    if (k < LOOKAHEAD_SPAN) continue;
    uint32_t j = k - LOOKAHEAD_SPAN;
    isec->pieces[j] = insert_piece(m, isec->data + isec->piece_offsets[j], piece_size(isec, j), isec->piece_hashes[j],
                                   isec->p2align);
  }
}

// Sizes each table for all the pieces its members could add.
static void size_tables(Context *ctx) {
  for (size_t i = 0; i < ctx->merged.len; i++) {
    MergedChunk *m = ctx->merged.data[i];
    size_t pieces = 0, n = 256;
    for (size_t k = 0; k < m->members.len; k++) pieces += m->members.data[k]->npieces;
    while (n < 2 * pieces + 1) n *= 2;
    m->table.nslots = n;
    m->table.slots = huge_calloc(n * sizeof(Fragment *));
    m->table.hashes = huge_calloc(n * sizeof(uint64_t));
  }
}

static void retarget_symbols(void *arg, size_t i) {
  ObjectFile *f = ((Context *)arg)->objs.data[i];
  for (uint32_t k = 1; k < f->nsyms; k++) {
    // The file's own section first: most symbols are not in merged ones,
    // and their Symbol, all over memory, need not be read at all.
    const InputSection *own = object_symbol_section(f, k);
    if (!own || !own->is_merge) continue;
    Symbol *s = f->syms[k];
    if (!s || s->file != f || !s->isec || !s->isec->is_merge || s->type == STT_SECTION) continue;
    if (!s->is_local && s->esym_index != k) continue;
    uint64_t poff;
    Fragment *frag = merge_find_piece(s->isec, s->value, &poff);
    if (!frag) continue;
    s->frag = frag;
    s->value -= poff;
    s->isec = NULL;
  }
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

// Each piece is placed at its first use, members and pieces in order, at
// its alignment; in parallel: each piece's first use (member k, piece j)
// claims it with an atomic minimum of k << 32 | j kept in its offset
// field; each member lists the pieces it claimed and measures them as an
// AlignedRun (layout.h); runs are chained in member order, and members
// write their pieces' offsets.
typedef struct {
  MergedChunk *m;
  VEC(uint32_t) *owned;  // per member: indices of the pieces it places
  AlignedRun *runs;      // per member: its pieces laid out from 0
  uint64_t *starts, *first_index;  // per member: its first piece's offset and place in order
} PlaceJob;

static uint64_t use_key(size_t k, uint32_t j) { return (uint64_t)k << 32 | j; }

static void claim_first_uses(void *arg, size_t k) {
  PlaceJob *job = arg;
  InputSection *isec = job->m->members.data[k];
  for (uint32_t j = 0; j < isec->npieces; j++) {
    Fragment *fr = isec->pieces[j];
    uint64_t key = use_key(k, j), cur = __atomic_load_n(&fr->offset, __ATOMIC_RELAXED);
    while (key < cur && !__atomic_compare_exchange_n(&fr->offset, &cur, key, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
    }
  }
}

static void measure_claims(void *arg, size_t k) {
  PlaceJob *job = arg;
  InputSection *isec = job->m->members.data[k];
  for (uint32_t j = 0; j < isec->npieces; j++) {
    Fragment *fr = isec->pieces[j];
    if (fr->offset != use_key(k, j)) continue;
    aligned_run_add(&job->runs[k], job->owned[k].len, fr->size, fr->p2align);
    vec_push(&job->owned[k], j);
  }
}

// Lays out member K's first N claimed pieces from OFF; returns the end.
static uint64_t place_claims(PlaceJob *job, size_t k, size_t n, uint64_t off, bool store) {
  InputSection *isec = job->m->members.data[k];
  uint64_t idx = job->first_index[k];
  for (size_t i = 0; i < n; i++) {
    Fragment *fr = isec->pieces[job->owned[k].data[i]];
    off = align_up(off, 1ULL << fr->p2align);
    if (store) {
      fr->offset = off;
      fr->is_placed = true;
      job->m->order.data[idx++] = fr;
    }
    off += fr->size;
  }
  return off;
}

static void write_claims(void *arg, size_t k) {
  PlaceJob *job = arg;
  place_claims(job, k, job->owned[k].len, job->starts[k], true);
}

static void place_pieces(MergedChunk *m) {
  size_t n = m->members.len;
  PlaceJob job = {m, xcalloc(n ? n : 1, sizeof *job.owned), xcalloc(n ? n : 1, sizeof(AlignedRun)),
                  xmalloc((n ? n : 1) * sizeof(uint64_t)), xmalloc((n ? n : 1) * sizeof(uint64_t))};
  parallel_for(n, claim_first_uses, &job);
  parallel_for(n, measure_claims, &job);
  uint64_t off = 0, count = 0;
  uint8_t p2max = 0;
  for (size_t k = 0; k < n; k++) {
    job.starts[k] = off;
    job.first_index[k] = count;
    off = aligned_run_end(&job.runs[k], place_claims(&job, k, job.runs[k].anchor, off, false));
    count += job.owned[k].len;
    p2max = MAX(p2max, job.runs[k].p2align);
  }
  m->order.data = xmalloc((count ? count : 1) * sizeof(Fragment *));
  m->order.len = m->order.cap = count;
  parallel_for(n, write_claims, &job);
  for (size_t k = 0; k < n; k++) vec_free(&job.owned[k]);
  free(job.owned);
  free(job.runs);
  free(job.starts);
  free(job.first_index);
  m->chunk.size = off;
  m->chunk.align = 1ULL << p2max;
}

// Each object's mergeable sections, found in parallel (a walk over every
// input section: 30 ms on the 1 GB link, one thread alone).
typedef struct {
  Context *ctx;
  SectionVec *found;  // per object
} FindJob;

static void find_mergeable(void *arg, size_t i) {
  FindJob *job = arg;
  ObjectFile *f = job->ctx->objs.data[i];
  for (uint32_t s = 1; s < f->nshdrs; s++) {
    InputSection *isec = f->sections[s];
    if (!isec || !isec->is_alive || !(isec->flags & SHF_MERGE) || isec->type == SHT_NOBITS) continue;
    uint64_t ent = f->shdrs[s].sh_entsize;
    // Pieces that carry relocations (pointer constants in .rodata.cst8 of
    // non-PIC code) are not plain bytes: leave such sections whole.
    if (ent == 0 || ent > 4096 || !isec->size || isec->nrels) continue;
    vec_push(&job->found[i], isec);
  }
}

void split_merge_sections(Context *ctx) {
  SectionVec all = {0};
  FindJob find = {ctx, xcalloc(ctx->objs.len ? ctx->objs.len : 1, sizeof(SectionVec))};
  parallel_for(ctx->objs.len, find_mergeable, &find);
  // Merged chunks are made in input order, so their order never varies.
  for (size_t i = 0; i < ctx->objs.len; i++) {
    ObjectFile *f = ctx->objs.data[i];
    for (size_t k = 0; k < find.found[i].len; k++) {
      InputSection *isec = find.found[i].data[k];
      MergedChunk *m = find_merged(ctx, output_section_name(isec->name, isec->flags), isec->flags,
                                   f->shdrs[isec->shndx].sh_entsize, isec->type);
      vec_push(&m->members, isec);
      isec->osec = &m->chunk;
      vec_push(&all, isec);
    }
    vec_free(&find.found[i]);
  }
  free(find.found);
  parallel_for(all.len, split_task, &all);
  checkpoint();
  size_tables(ctx);
  parallel_for(all.len, insert_task, &all);
  for (size_t i = 0; i < all.len; i++) {
    free(all.data[i]->piece_hashes);
    all.data[i]->piece_hashes = NULL;
  }
  vec_free(&all);
  // Every piece has its Fragment: the tables are done with (tens of MB on
  // large links, given back before the output is written).
  for (size_t i = 0; i < ctx->merged.len; i++) {
    PieceTable *t = &ctx->merged.data[i]->table;
    free_table(t->slots, t->hashes, t->nslots);
    *t = (PieceTable){0};
  }
  // Symbols defined inside merged sections now point at their piece.
  parallel_for(ctx->objs.len, retarget_symbols, ctx);
  // Offsets in first-seen order: the same inputs give the same layout.
  for (size_t i = 0; i < ctx->merged.len; i++) place_pieces(ctx->merged.data[i]);
}
