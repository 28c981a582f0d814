#include "eh_frame.h"
#include "arch.h"
#include "diag.h"
#include "input.h"
#include "parallel.h"
#include "passes.h"
#include <stdlib.h>
#define XXH_STATIC_LINKING_ONLY  // XXH3_state_t on the stack
#include <xxhash.h>

static int cmp_rel_offset(const void *a, const void *b) {
  const ElfRela *x = a, *y = b;
  return x->r_offset < y->r_offset ? -1 : x->r_offset > y->r_offset;
}

static void parse_one(InputSection *isec) {
  ObjectFile *f = isec->file;
  // Record boundaries are found by offset, so relocations must be sorted.
  for (uint32_t r = 1; r < isec->nrels; r++)
    if (isec->rels[r].r_offset < isec->rels[r - 1].r_offset) {
      ElfRela *copy = arena_array(ElfRela, isec->nrels);
      memcpy(copy, isec->rels, sizeof(ElfRela) * isec->nrels);
      qsort(copy, isec->nrels, sizeof *copy, cmp_rel_offset);
      isec->rels = copy;
      break;
    }
  VEC(EhRecord) recs = {0};
  VEC(uint32_t) cies = {0};  // indexes in recs: a file has one or two CIEs and thousands of FDEs
  uint32_t rel = 0;
  uint64_t off = 0;
  while (off < isec->size) {
    if (isec->size - off < 4) goto bad;
    uint32_t len = rd32(isec->data + off);
    if (len == 0) break;  // terminator (crtend.o): we write our own
    if (len == 0xffffffff) {
      error("%s: .eh_frame: 64-bit DWARF records are not supported", file_name(f));
      goto fail;
    }
    if (len < 4 || len > isec->size - off - 4) goto bad;
    EhRecord r = {.in_offset = (uint32_t)off, .size = len + 4};
    uint32_t id = rd32(isec->data + off + 4);
    r.is_cie = id == 0;
    r.is_alive = true;
    r.rel_begin = rel;
    while (rel < isec->nrels && isec->rels[rel].r_offset < off + r.size) rel++;
    r.rel_end = rel;
    if (!r.is_cie) {
      // The CIE pointer counts back from the field itself.
      uint64_t cie_off = off + 4 - id;
      bool found = false;
      for (size_t k = cies.len; k-- > 0 && !found;)
        if (recs.data[cies.data[k]].in_offset == cie_off) {
          r.cie_index = cies.data[k];
          found = true;
        }
      if (!found) {
        error("%s: .eh_frame: FDE at offset 0x%llx points to no CIE", file_name(f), (unsigned long long)off);
        goto fail;
      }
      // The first relocation (at offset 8) names the code it covers.
      if (r.rel_begin < r.rel_end && isec->rels[r.rel_begin].r_offset == off + 8) {
        Symbol *s = f->syms[ELF64_R_SYM(isec->rels[r.rel_begin].r_info)];
        r.target = s ? s->isec : NULL;
      }
      if (!r.target) r.is_alive = false;
    }
    if (r.is_cie) vec_push(&cies, (uint32_t)recs.len);
    vec_push(&recs, r);
    off += r.size;
  }
  vec_free(&cies);
  isec->eh_records = arena_array(EhRecord, recs.len ? recs.len : 1);
  if (recs.len) memcpy(isec->eh_records, recs.data, recs.len * sizeof(EhRecord));
  isec->eh_nrecords = (uint32_t)recs.len;
  vec_free(&recs);
  return;
bad:
  error("%s: .eh_frame: record at offset 0x%llx extends past the section", file_name(f), (unsigned long long)off);
fail:
  vec_free(&recs);
  vec_free(&cies);
}

static void parse_file(void *arg, size_t i) {
  ObjectFile *f = ((Context *)arg)->objs.data[i];
  for (uint32_t s = 1; s < f->nshdrs; s++)
    if (f->sections[s] && f->sections[s]->is_eh_frame) parse_one(f->sections[s]);
}

void parse_eh_frames(Context *ctx) {
  parallel_for(ctx->objs.len, parse_file, ctx);
  checkpoint();
}

typedef struct {
  Context *ctx;
  void (*mark)(InputSection *);
  _Atomic bool any;
} LsdaJob;

static void mark_lsda_of_file(void *arg, size_t i) {
  LsdaJob *job = arg;
  ObjectFile *f = job->ctx->objs.data[i];
  for (uint32_t s = 1; s < f->nshdrs; s++) {
    InputSection *isec = f->sections[s];
    if (!isec || !isec->is_eh_frame) continue;
    for (uint32_t k = 0; k < isec->eh_nrecords; k++) {
      EhRecord *rec = &isec->eh_records[k];
      if (rec->is_cie || !rec->target || !__atomic_load_n(&rec->target->is_visited, __ATOMIC_RELAXED)) continue;
      for (uint32_t r = rec->rel_begin + 1; r < rec->rel_end; r++) {
        Symbol *sym = f->syms[ELF64_R_SYM(isec->rels[r].r_info)];
        InputSection *t = sym ? sym->isec : NULL;
        if (t && t->is_alive && !__atomic_load_n(&t->is_visited, __ATOMIC_RELAXED)) {
          job->mark(t);
          atomic_store_explicit(&job->any, true, memory_order_relaxed);
        }
      }
    }
  }
}

bool eh_frame_mark_lsda(Context *ctx, void (*mark)(InputSection *)) {
  LsdaJob job = {ctx, mark, false};
  parallel_for(ctx->objs.len, mark_lsda_of_file, &job);
  return atomic_load(&job.any);
}

// Identical CIEs (same bytes, same relocation targets) are written once.
typedef struct {
  InputSection *isec;
  uint32_t index;
  uint64_t hash;
} CieSlot;

static uint64_t cie_hash(const InputSection *isec, const EhRecord *r) {
  XXH3_state_t st;
  XXH3_64bits_reset(&st);
  XXH3_64bits_update(&st, isec->data + r->in_offset, r->size);
  for (uint32_t k = r->rel_begin; k < r->rel_end; k++) {
    const ElfRela *rel = &isec->rels[k];
    const Symbol *sym = isec->file->syms[ELF64_R_SYM(rel->r_info)];
    uint64_t key[4] = {rel->r_offset - r->in_offset, rel->r_info & 0xffffffff, (uint64_t)rel->r_addend,
                       (uint64_t)(uintptr_t)sym};
    XXH3_64bits_update(&st, key, sizeof key);
  }
  return XXH3_64bits_digest(&st);
}

static bool cie_equal(const InputSection *a, const EhRecord *ra, const InputSection *b, const EhRecord *rb) {
  if (ra->size != rb->size || ra->rel_end - ra->rel_begin != rb->rel_end - rb->rel_begin) return false;
  if (memcmp(a->data + ra->in_offset, b->data + rb->in_offset, ra->size)) return false;
  for (uint32_t k = 0; k < ra->rel_end - ra->rel_begin; k++) {
    const ElfRela *x = &a->rels[ra->rel_begin + k], *y = &b->rels[rb->rel_begin + k];
    if (x->r_offset - ra->in_offset != y->r_offset - rb->in_offset || ELF64_R_TYPE(x->r_info) != ELF64_R_TYPE(y->r_info) ||
        x->r_addend != y->r_addend ||
        a->file->syms[ELF64_R_SYM(x->r_info)] != b->file->syms[ELF64_R_SYM(y->r_info)])
      return false;
  }
  return true;
}

typedef VEC(CieSlot) CieVec;

typedef struct {
  Context *ctx;
  CieVec *live_cies;  // per file, with their hashes
} LivenessJob;

// Phase 1, per file in parallel: an FDE lives only if its code does, a
// CIE only if an FDE uses it; the live CIEs are listed for phase 2.
static void eh_liveness_task(void *arg, size_t i) {
  LivenessJob *job = arg;
  ObjectFile *f = job->ctx->objs.data[i];
  for (uint32_t s = 1; s < f->nshdrs; s++) {
    InputSection *isec = f->sections[s];
    if (!isec || !isec->is_eh_frame) continue;
    for (uint32_t k = 0; k < isec->eh_nrecords; k++) {
      EhRecord *r = &isec->eh_records[k];
      r->is_alive = !r->is_cie && r->target && r->target->is_alive;
      r->out_cie_isec = isec;
      r->out_cie_index = k;
    }
    for (uint32_t k = 0; k < isec->eh_nrecords; k++) {
      EhRecord *r = &isec->eh_records[k];
      if (!r->is_cie && r->is_alive) isec->eh_records[r->cie_index].is_alive = true;
    }
    for (uint32_t k = 0; k < isec->eh_nrecords; k++) {
      EhRecord *r = &isec->eh_records[k];
      if (r->is_cie && r->is_alive) vec_push(&job->live_cies[i], ((CieSlot){isec, k, cie_hash(isec, r)}));
    }
  }
}

// Phase 2, in input order (so the result does not depend on threads): each
// live CIE maps to the first identical one; duplicates die. CIEs are few
// (about one per file), so this stays short.
static void dedup_cies(CieVec *live_cies, size_t nfiles) {
  size_t cap = 1024, count = 0;
  CieSlot *table = xcalloc(cap, sizeof *table);
  for (size_t i = 0; i < nfiles; i++) {
    for (size_t c = 0; c < live_cies[i].len; c++) {
      CieSlot cie = live_cies[i].data[c];
      EhRecord *r = &cie.isec->eh_records[cie.index];
      if ((count + 1) * 2 > cap) {
        CieSlot *bigger = xcalloc(cap * 2, sizeof *bigger);
        for (size_t j = 0; j < cap; j++) {
          if (!table[j].isec) continue;
          size_t h = table[j].hash & (cap * 2 - 1);
          while (bigger[h].isec) h = (h + 1) & (cap * 2 - 1);
          bigger[h] = table[j];
        }
        free(table);
        table = bigger;
        cap *= 2;
      }
      size_t j = cie.hash & (cap - 1);
      for (; table[j].isec; j = (j + 1) & (cap - 1))
        if (table[j].hash == cie.hash &&
            cie_equal(table[j].isec, &table[j].isec->eh_records[table[j].index], cie.isec, r))
          break;
      if (table[j].isec) {
        r->out_cie_isec = table[j].isec;
        r->out_cie_index = table[j].index;
        r->is_alive = false;
      } else {
        table[j] = cie;
        count++;
      }
    }
    vec_free(&live_cies[i]);
  }
  free(table);
}

// Phase 3, per file in parallel: FDEs point at their CIE's survivor,
// records get output offsets, and symbols inside .eh_frame follow them.
static void eh_place_task(void *arg, size_t i) {
  void **a = arg;
  ObjectFile *f = ((Context *)a[0])->objs.data[i];
  uint64_t *nfde = a[1];
  for (uint32_t s = 1; s < f->nshdrs; s++) {
    InputSection *isec = f->sections[s];
    if (!isec || !isec->is_eh_frame) continue;
    uint64_t out = 0;
    for (uint32_t k = 0; k < isec->eh_nrecords; k++) {
      EhRecord *r = &isec->eh_records[k];
      if (!r->is_cie) {
        EhRecord *cie = &isec->eh_records[r->cie_index];
        r->out_cie_isec = cie->out_cie_isec;
        r->out_cie_index = cie->out_cie_index;
      }
      if (!r->is_alive) continue;
      r->out_offset = out;
      out += r->size;
      if (!r->is_cie && eh_frame_is_output(isec)) nfde[i]++;
    }
    isec->size = out;
  }
  for (uint32_t k = 1; k < f->nsyms; k++) {
    // The file's own section first: a Symbol, anywhere in memory, is
    // read only for the rare one defined in .eh_frame.
    const InputSection *own = object_symbol_section(f, k);
    if (!own || !own->is_eh_frame) continue;
    Symbol *sym = f->syms[k];
    if (sym && sym->file == f && sym->isec && sym->isec->is_eh_frame && sym->type != STT_SECTION)
      sym->value = eh_frame_translate_offset(sym->isec, sym->value);
  }
}

void eh_frame_finalize(Context *ctx) {
  size_t n = ctx->objs.len;
  LivenessJob job = {ctx, xcalloc(n ? n : 1, sizeof(CieVec))};
  parallel_for(n, eh_liveness_task, &job);
  dedup_cies(job.live_cies, n);
  free(job.live_cies);
  uint64_t *per_file = xcalloc(n ? n : 1, sizeof *per_file), nfde = 0;
  void *args[2] = {ctx, per_file};
  parallel_for(n, eh_place_task, args);
  for (size_t i = 0; i < n; i++) nfde += per_file[i];
  free(per_file);
  ctx->num_fdes = nfde;
}

void eh_frame_write_section(Context *ctx, InputSection *isec, uint8_t *out, uint64_t addr) {
  for (uint32_t k = 0; k < isec->eh_nrecords; k++) {
    EhRecord *r = &isec->eh_records[k];
    if (!r->is_alive) continue;
    uint8_t *dst = out + r->out_offset;
    memcpy(dst, isec->data + r->in_offset, r->size);
    if (!r->is_cie) {
      // The CIE pointer counts back from this field, across sections.
      const InputSection *ci = r->out_cie_isec;
      uint64_t cie_pos = ci->offset + ci->eh_records[r->out_cie_index].out_offset;
      wr32(dst + 4, (uint32_t)(isec->offset + r->out_offset + 4 - cie_pos));
    }
    // Bias base and address so that input offsets land in this record.
    RelocTarget t = {.isec = isec,
                     .base = dst - r->in_offset,
                     .addr = addr + r->out_offset - r->in_offset,
                     .dynrel = NULL};
    ctx->arch->apply_relocs(ctx, &t, isec->rels + r->rel_begin, isec->rels + r->rel_end);
  }
}

// ---- .eh_frame_hdr

static uint64_t read_uleb(const uint8_t **p, const uint8_t *end) {
  uint64_t v = 0;
  for (int shift = 0; *p < end; shift += 7) {
    uint8_t b = *(*p)++;
    if (shift < 64) v |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80)) break;
  }
  return v;
}

// The pointer encoding a CIE gives its FDEs ('R' augmentation).
static int cie_fde_encoding(const uint8_t *cie, uint32_t size) {
  const uint8_t *p = cie + 8, *end = cie + size;
  if (p >= end) return -1;
  uint8_t version = *p++;
  const char *aug = (const char *)p;
  while (p < end && *p) p++;
  if (p >= end) return -1;
  p++;
  if (aug[0] == 'e' && aug[1] == 'h') p += 8;
  read_uleb(&p, end);  // code alignment
  read_uleb(&p, end);  // data alignment (sleb; only skipped)
  if (version == 1) p++;
  else read_uleb(&p, end);
  if (aug[0] != 'z') return 0x00;  // absptr
  read_uleb(&p, end);
  for (const char *a = aug + 1; *a && p < end; a++) {
    if (*a == 'R') return *p;
    if (*a == 'P') {
      uint8_t enc = *p++;
      switch (enc & 0x0f) {
      case 0x00: case 0x04: case 0x0c: p += 8; break;
      case 0x02: case 0x0a: p += 2; break;
      case 0x03: case 0x0b: p += 4; break;
      default: return -1;
      }
    } else if (*a == 'L') p++;
    else if (*a != 'S' && *a != 'B' && *a != 'G') return -1;
  }
  return 0x00;
}

static bool read_encoded(const uint8_t *p, int enc, uint64_t field_addr, uint64_t *out) {
  uint64_t v;
  switch (enc & 0x0f) {
  case 0x00: case 0x04: v = rd64(p); break;
  case 0x0c: v = rd64(p); break;
  case 0x03: v = rd32(p); break;
  case 0x0b: v = (uint64_t)(int64_t)(int32_t)rd32(p); break;
  case 0x02: v = rd16(p); break;
  case 0x0a: v = (uint64_t)(int64_t)(int16_t)rd16(p); break;
  default: return false;
  }
  switch (enc & 0x70) {
  case 0x00: break;
  case 0x10: v += field_addr; break;
  default: return false;
  }
  *out = v;
  return true;
}

// Table entries as sort keys: the PC (relative to .eh_frame_hdr, biased
// to sort as unsigned) in the high half, the FDE's offset in the low half.
static uint64_t hdr_key(int64_t pc, int64_t fde) {
  return (uint64_t)((uint32_t)pc ^ 0x80000000u) << 32 | (uint32_t)fde;
}

// The table is sorted by PC with stable radix passes: linear, where
// qsort's comparisons over every FDE of a large program were not, and
// equal PCs keep .eh_frame order. SCRATCH (n * 8 bytes, any alignment) is
// the table's own place in the output, so that the sort needs no second
// array while the output is mapped (the link's peak of memory).
static uint64_t load_key(const uint8_t *p, size_t k) {
  uint64_t v;
  memcpy(&v, p + k * 8, 8);
  return v;
}

static void store_key(uint8_t *p, size_t k, uint64_t v) { memcpy(p + k * 8, &v, 8); }

// Sorts N keys of SRC by their PC (high 32 bits), one byte a pass, moving
// them between SRC and DST; a byte that every key shares is skipped.
// Returns where the sorted keys are.
static uint8_t *radix_sort_pcs(uint8_t *src, uint8_t *dst, size_t n) {
  for (int shift = 32; shift < 64 && n > 1; shift += 8) {
    size_t count[257] = {0};
    for (size_t k = 0; k < n; k++) count[((load_key(src, k) >> shift) & 0xff) + 1]++;
    if (count[((load_key(src, 0) >> shift) & 0xff) + 1] == n) continue;
    for (int b = 0; b < 256; b++) count[b + 1] += count[b];
    for (size_t k = 0; k < n; k++) {
      uint64_t v = load_key(src, k);
      store_key(dst, count[(v >> shift) & 0xff]++, v);
    }
    uint8_t *t = src;
    src = dst;
    dst = t;
  }
  return src;
}

// In parallel, for large tables: keys are dealt into buckets by PC range
// (a histogram per slice of the table, prefix sums, then each slice
// scatters its keys in order, which keeps the sort stable), and each
// bucket is radix-sorted on its own.
enum { HDR_BUCKETS = 256, PARALLEL_SORT_MIN = 1 << 16 };

typedef struct {
  uint8_t *keys, *scratch;
  size_t n, nslices;
  uint64_t lo, span;              // the PCs' range
  uint64_t *slice_lo, *slice_hi;
  size_t *place;                  // per slice and bucket: its next position
  size_t start[HDR_BUCKETS + 1];  // per bucket: its first position
} HdrSort;

static size_t slice_begin(const HdrSort *s, size_t k) { return s->n * k / s->nslices; }

static uint32_t bucket_of(const HdrSort *s, uint64_t key) {
  return (uint32_t)(((key >> 32) - s->lo) * HDR_BUCKETS / s->span);
}

static void pc_range_of_slice(void *arg, size_t k) {
  HdrSort *s = arg;
  uint64_t lo = UINT64_MAX, hi = 0;
  for (size_t i = slice_begin(s, k); i < slice_begin(s, k + 1); i++) {
    uint64_t pc = load_key(s->keys, i) >> 32;
    lo = MIN(lo, pc);
    hi = MAX(hi, pc);
  }
  s->slice_lo[k] = lo;
  s->slice_hi[k] = hi;
}

static void count_slice(void *arg, size_t k) {
  HdrSort *s = arg;
  for (size_t i = slice_begin(s, k); i < slice_begin(s, k + 1); i++)
    s->place[k * HDR_BUCKETS + bucket_of(s, load_key(s->keys, i))]++;
}

static void scatter_slice(void *arg, size_t k) {
  HdrSort *s = arg;
  for (size_t i = slice_begin(s, k); i < slice_begin(s, k + 1); i++) {
    uint64_t v = load_key(s->keys, i);
    store_key(s->scratch, s->place[k * HDR_BUCKETS + bucket_of(s, v)]++, v);
  }
}

static void sort_bucket(void *arg, size_t b) {
  HdrSort *s = arg;
  size_t first = s->start[b], n = s->start[b + 1] - first;
  uint8_t *sorted = radix_sort_pcs(s->scratch + first * 8, s->keys + first * 8, n);
  if (sorted != s->keys + first * 8) memcpy(s->keys + first * 8, sorted, n * 8);
}

static void sort_hdr_keys(uint64_t *keys, size_t n, uint8_t *scratch) {
  size_t i = 1;
  while (i < n && keys[i - 1] >> 32 <= keys[i] >> 32) i++;
  if (i >= n) return;  // already sorted, as it often is
  if (n < PARALLEL_SORT_MIN || parallel_threads() == 1) {
    uint8_t *sorted = radix_sort_pcs((uint8_t *)keys, scratch, n);
    if (sorted != (uint8_t *)keys) memcpy(keys, sorted, n * 8);
    return;
  }
  HdrSort s = {.keys = (uint8_t *)keys, .scratch = scratch, .n = n};
  s.nslices = MIN((size_t)parallel_threads() * 4, n / 4096);
  s.slice_lo = xmalloc(s.nslices * sizeof(uint64_t));
  s.slice_hi = xmalloc(s.nslices * sizeof(uint64_t));
  s.place = xcalloc(s.nslices * HDR_BUCKETS, sizeof(size_t));
  parallel_for(s.nslices, pc_range_of_slice, &s);
  uint64_t hi = 0;
  s.lo = UINT64_MAX;
  for (size_t k = 0; k < s.nslices; k++) s.lo = MIN(s.lo, s.slice_lo[k]), hi = MAX(hi, s.slice_hi[k]);
  s.span = hi - s.lo + 1;
  parallel_for(s.nslices, count_slice, &s);
  // Bucket by bucket, slice by slice: where each slice's keys of a bucket go.
  size_t pos = 0;
  for (size_t b = 0; b < HDR_BUCKETS; b++) {
    s.start[b] = pos;
    for (size_t k = 0; k < s.nslices; k++) {
      size_t c = s.place[k * HDR_BUCKETS + b];
      s.place[k * HDR_BUCKETS + b] = pos;
      pos += c;
    }
  }
  s.start[HDR_BUCKETS] = pos;
  parallel_for(s.nslices, scatter_slice, &s);
  parallel_for(HDR_BUCKETS, sort_bucket, &s);
  free(s.slice_lo);
  free(s.slice_hi);
  free(s.place);
}

// The table's entries, decoded from the written .eh_frame in parallel,
// one task per input section: each section's live FDEs have their place
// from a prefix sum. An FDE whose PC cannot be decoded leaves a hole
// (NO_KEY), squeezed out afterwards, as does everything past a zero
// terminator (crtend's, normally the last record anyway).
enum { NO_KEY = UINT64_MAX };

typedef struct {
  Context *ctx;
  uint64_t hdr;      // .eh_frame_hdr's address
  uint64_t *keys;
  size_t *base;      // per member: its first entry
  bool *terminated;  // per member: a zero terminator ends the table in it
} HdrJob;

static void hdr_keys_of_member(void *arg, size_t m) {
  HdrJob *job = arg;
  Chunk *eh = job->ctx->eh_frame;
  const uint8_t *ehbuf = job->ctx->buf + eh->offset;
  InputSection *isec = eh->members.data[m];
  uint64_t *keys = job->keys + job->base[m];
  size_t n = 0;
  const InputSection *enc_isec = NULL;
  uint32_t enc_index = 0;
  int enc = -1;
  for (uint32_t k = 0; k < isec->eh_nrecords; k++) {
    const EhRecord *r = &isec->eh_records[k];
    if (!r->is_alive) continue;
    uint64_t off = isec->offset + r->out_offset;
    if (rd32(ehbuf + off) == 0) {
      job->terminated[m] = true;
      break;
    }
    if (r->is_cie) continue;
    keys[n] = NO_KEY;
    // FDEs name their CIE; after deduplication most share one, so the
    // last one decoded is remembered.
    if (r->out_cie_isec != enc_isec || r->out_cie_index != enc_index) {
      enc_isec = r->out_cie_isec;
      enc_index = r->out_cie_index;
      uint64_t cie_off = enc_isec->offset + enc_isec->eh_records[enc_index].out_offset;
      enc = cie_off < off ? cie_fde_encoding(ehbuf + cie_off, rd32(ehbuf + cie_off) + 4) : -1;
    }
    uint64_t pc;
    if (enc >= 0 && read_encoded(ehbuf + off + 8, enc, eh->addr + off + 8, &pc))
      keys[n] = hdr_key((int64_t)(pc - job->hdr), (int64_t)(eh->addr + off - job->hdr));
    n++;
  }
  for (; n < job->base[m + 1] - job->base[m]; n++) keys[n] = NO_KEY;  // past a terminator
}

static void count_member_fdes(void *arg, size_t m) {
  HdrJob *job = arg;
  InputSection *isec = job->ctx->eh_frame->members.data[m];
  size_t n = 0;
  for (uint32_t k = 0; k < isec->eh_nrecords; k++) n += isec->eh_records[k].is_alive && !isec->eh_records[k].is_cie;
  job->base[m] = n;
}

// The sorted keys as the table's entries (PC, FDE), in slices.
enum { HDR_ENTRIES_PER_TASK = 1 << 16 };

typedef struct {
  const uint64_t *keys;
  uint8_t *table;
  size_t n;
} HdrTable;

static void write_hdr_entries(void *arg, size_t t) {
  HdrTable *h = arg;
  for (size_t i = t * HDR_ENTRIES_PER_TASK; i < MIN(h->n, (t + 1) * HDR_ENTRIES_PER_TASK); i++) {
    wr32(h->table + i * 8, (uint32_t)(h->keys[i] >> 32) ^ 0x80000000u);
    wr32(h->table + i * 8 + 4, (uint32_t)h->keys[i]);
  }
}

void write_eh_frame_hdr(Context *ctx, Chunk *c, uint8_t *buf) {
  Chunk *eh = ctx->eh_frame;
  size_t nmem = eh->members.len;
  HdrJob job = {ctx, c->addr, NULL, xmalloc((nmem + 1) * sizeof(size_t)), xcalloc(nmem + 1, sizeof(bool))};
  parallel_for(nmem, count_member_fdes, &job);
  size_t total = 0;
  for (size_t m = 0; m < nmem; m++) {
    size_t count = job.base[m];
    job.base[m] = total;
    total += count;
  }
  job.base[nmem] = total;
  job.keys = xmalloc((total ? total : 1) * sizeof(uint64_t));
  parallel_for(nmem, hdr_keys_of_member, &job);
  size_t n = 0, max = (c->size - 12) / 8;
  for (size_t m = 0; m < nmem; m++) {
    for (size_t i = job.base[m]; i < job.base[m + 1] && n < max; i++)
      if (job.keys[i] != NO_KEY) job.keys[n++] = job.keys[i];
    if (job.terminated[m]) break;
  }
  uint64_t *keys = job.keys;
  sort_hdr_keys(keys, n, buf + 12);
  buf[0] = 1;     // version
  buf[1] = 0x1b;  // eh_frame_ptr: pcrel sdata4
  buf[2] = 0x03;  // fde_count: udata4
  buf[3] = 0x3b;  // table: datarel sdata4
  wr32(buf + 4, (uint32_t)(eh->addr - (c->addr + 4)));
  wr32(buf + 8, (uint32_t)n);
  HdrTable table = {keys, buf + 12, n};
  parallel_for((n + HDR_ENTRIES_PER_TASK - 1) / HDR_ENTRIES_PER_TASK, write_hdr_entries, &table);
  free(keys);
  free(job.base);
  free(job.terminated);
}

// Symbols inside .eh_frame (crtbegin's __EH_FRAME_BEGIN__, crtend's
// __FRAME_END__) follow their record to its new offset.
uint64_t eh_frame_translate_offset(const InputSection *isec, uint64_t in_off) {
  for (uint32_t k = 0; k < isec->eh_nrecords; k++) {
    const EhRecord *r = &isec->eh_records[k];
    if (in_off >= r->in_offset && in_off < (uint64_t)r->in_offset + r->size)
      return r->is_alive ? r->out_offset + (in_off - r->in_offset) : 0;
    if (in_off < r->in_offset) return r->is_alive ? r->out_offset : 0;
  }
  return isec->size;
}
