// Layout: input sections are binned into output sections by name, the
// output chunks are ordered (read-only, code, RELRO data, data, BSS,
// non-allocated), grouped into segments and given addresses and offsets.
#include "layout.h"
#include "relr.h"
#include "arch.h"
#include "diag.h"
#include "eh_frame.h"
#include "input.h"
#include "parallel.h"
#include "passes.h"
#include "section_order.h"
#include "symbols.h"
#include "synthetic.h"
#include "thunks.h"
#include <xxhash.h>

static const char *const prefixes[] = {
    ".text", ".data.rel.ro", ".data", ".rodata", ".bss.rel.ro", ".bss", ".tdata", ".tbss",
    ".init_array", ".fini_array", ".preinit_array", ".gcc_except_table", ".ctors", ".dtors",
    ".sdata", ".sbss", ".ldata", ".lrodata", ".lbss", ".gnu.linkonce.t", ".gnu.linkonce.d",
    ".gnu.linkonce.r", ".gnu.linkonce.b",
};

// ".text.foo" -> ".text" and the like; other names stay as they are.
const char *output_section_name(const char *name, uint64_t flags) {
  if (!(flags & SHF_ALLOC) || name[0] != '.') return name;
  for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++) {
    if (prefixes[i][1] != name[1]) continue;  // cheap filter: most names miss here
    size_t n = strlen(prefixes[i]);
    if (!strncmp(name, prefixes[i], n) && (name[n] == '\0' || name[n] == '.')) {
      if (!strncmp(prefixes[i], ".gnu.linkonce.", 14)) {
        switch (prefixes[i][14]) {
        case 't': return ".text";
        case 'd': return ".data";
        case 'r': return ".rodata";
        default: return ".bss";
        }
      }
      return prefixes[i];
    }
  }
  return name;
}

Chunk *new_chunk(Context *ctx, const char *name, uint32_t type, uint64_t flags, uint64_t align) {
  (void)ctx;
  Chunk *c = arena_new(Chunk);
  c->name = name;
  c->kind = CHUNK_SYNTHETIC;
  c->type = type;
  c->flags = flags;
  c->align = align ? align : 1;
  return c;
}

static uint32_t chunk_type_for(const InputSection *isec) {
  if (isec->type == SHT_PROGBITS || isec->type == SHT_NOBITS) {
    if (!strcmp(isec->name, ".init_array") || !strncmp(isec->name, ".init_array.", 12)) return SHT_INIT_ARRAY;
    if (!strcmp(isec->name, ".fini_array") || !strncmp(isec->name, ".fini_array.", 12)) return SHT_FINI_ARRAY;
  }
  return isec->type;
}

static int cmp_priority(const void *a, const void *b) {
  const InputSection *x = *(InputSection *const *)a, *y = *(InputSection *const *)b;
  uint32_t px = init_priority(x->name), py = init_priority(y->name);
  if (px != py) return px < py ? -1 : 1;
  // Stable: equal priorities keep input order.
  if (x->file->priority != y->file->priority) return x->file->priority < y->file->priority ? -1 : 1;
  return x->shndx < y->shndx ? -1 : x->shndx > y->shndx;
}

typedef VEC(Chunk *) ChunkVec;

// Output sections by name: a small open-addressing map over ChunkVec.
typedef struct {
  ChunkVec list;   // creation order
  Chunk **slots;
  uint64_t *hashes;
  size_t nslots;
} OsecMap;

static Chunk *osec_map_find(OsecMap *m, const char *name, uint64_t h, uint64_t alloc) {
  if (!m->nslots) return NULL;
  for (size_t j = h & (m->nslots - 1); m->slots[j]; j = (j + 1) & (m->nslots - 1))
    if (m->hashes[j] == h && !strcmp(m->slots[j]->name, name) && (m->slots[j]->flags & SHF_ALLOC) == alloc)
      return m->slots[j];
  return NULL;
}

static void osec_map_add(OsecMap *m, Chunk *c, uint64_t h) {
  vec_push(&m->list, c);
  if (m->list.len * 2 > m->nslots) {
    size_t n = m->nslots ? m->nslots * 2 : 64;
    free(m->slots);
    free(m->hashes);
    m->slots = xcalloc(n, sizeof *m->slots);
    m->hashes = xcalloc(n, sizeof *m->hashes);
    m->nslots = n;
    for (size_t i = 0; i < m->list.len; i++) {
      Chunk *o = m->list.data[i];
      uint64_t oh = XXH3_64bits(o->name, strlen(o->name));
      size_t j = oh & (n - 1);
      while (m->slots[j]) j = (j + 1) & (n - 1);
      m->slots[j] = o;
      m->hashes[j] = oh;
    }
    return;
  }
  size_t j = h & (m->nslots - 1);
  while (m->slots[j]) j = (j + 1) & (m->nslots - 1);
  m->slots[j] = c;
  m->hashes[j] = h;
}

// GNU ld runs .ctors/.dtors from .init_array/.fini_array, except those of
// crtbegin/crtend, whose list markers stay in .ctors/.dtors.
static const char *ctors_target(const InputSection *isec) {
  bool ctors = !strncmp(isec->name, ".ctors", 6) && (isec->name[6] == 0 || isec->name[6] == '.');
  bool dtors = !strncmp(isec->name, ".dtors", 6) && (isec->name[6] == 0 || isec->name[6] == '.');
  if (!ctors && !dtors) return NULL;
  const char *base = strrchr(isec->file->member ? isec->file->member : isec->file->path, '/');
  base = base ? base + 1 : (isec->file->member ? isec->file->member : isec->file->path);
  if (!strncmp(base, "crtbegin", 8) || !strncmp(base, "crtend", 6)) return NULL;
  return ctors ? ".init_array" : ".fini_array";
}

// Where an input section goes: its output section's name, that name's
// hash and the section type. Computed for every section in parallel.
typedef struct {
  const char *name;
  uint64_t hash;
  uint32_t type;
} OsecKey;

static OsecKey osec_key(const InputSection *isec) {
  OsecKey k = {output_section_name(isec->name, isec->flags), 0, chunk_type_for(isec)};
  const char *ctor_name = ctors_target(isec);
  if (ctor_name) {
    k.name = ctor_name;
    k.type = ctor_name[1] == 'i' ? SHT_INIT_ARRAY : SHT_FINI_ARRAY;
  }
  k.hash = XXH3_64bits(k.name, strlen(k.name));
  return k;
}

// The output section named by KEY (one per name and SHF_ALLOC, as in GNU
// ld), created with this type and FLAGS if new; the flags are OR-ed (a
// const .init_array entry still lands in the one writable array) and a
// NOBITS section becomes PROGBITS when contents join it.
static Chunk *find_or_add_osec(Context *ctx, OsecMap *osecs, const OsecKey *key, uint64_t flags) {
  Chunk *c = osec_map_find(osecs, key->name, key->hash, flags & SHF_ALLOC);
  if (!c) {
    c = new_chunk(ctx, key->name, key->type, flags, 1);
    c->kind = CHUNK_OUTPUT_SECTION;
    osec_map_add(osecs, c, key->hash);
  }
  c->flags |= flags;
  if (c->type == SHT_NOBITS && key->type != SHT_NOBITS) c->type = key->type;
  return c;
}

static bool binned(const InputSection *isec) { return isec && isec->is_alive && !isec->is_merge && !isec->is_eh_frame; }

// Binning runs in parallel per object, in three steps. (1) Each object
// groups its sections by output section (name and SHF_ALLOC): per group
// the first section's key and flags, the OR of all flags, the first
// non-NOBITS type, and a count. (2) An ordered walk over the objects'
// groups finds or creates each output section, applies the group's flags
// as the section-by-section walk would, and gives the group its place
// among the output section's members. (3) Each object writes its
// sections into those places. Output sections and their members come out
// in first-seen input order whatever the thread count.
typedef struct {
  OsecKey key;            // of the group's first section
  uint64_t first_flags;   // its flags (the output section's, if it creates it)
  uint64_t or_flags;      // all the group's flags
  uint32_t upgrade_type;  // first type other than SHT_NOBITS, 0 if none
  uint32_t count;
  Chunk *chunk;
  size_t base;            // the group's first slot in chunk->members
} OsecGroup;

typedef struct {
  VEC(OsecGroup) groups;
  uint32_t *group_of;     // by section index (binned sections only)
  VEC(InputSection *) eh; // .eh_frame sections, in order
} ObjectBins;

typedef struct {
  Context *ctx;
  ObjectBins *bins;
} BinJob;

static uint64_t osec_flags(const InputSection *isec) {
  return isec->flags & (SHF_ALLOC | SHF_WRITE | SHF_EXECINSTR | SHF_TLS);
}

static bool same_group(const OsecGroup *g, const OsecKey *k, uint64_t flags) {
  return g->key.hash == k->hash && (g->first_flags & SHF_ALLOC) == (flags & SHF_ALLOC) && !strcmp(g->key.name, k->name);
}

static void group_object(void *arg, size_t i) {
  BinJob *job = arg;
  ObjectFile *f = job->ctx->objs.data[i];
  ObjectBins *b = &job->bins[i];
  b->group_of = xmalloc(f->nshdrs * sizeof *b->group_of);
  // Group lookup by key hash (a small open-addressing table of indices).
  size_t nslots = 16;
  while (nslots < 2 * (size_t)f->nshdrs) nslots *= 2;
  uint32_t *slots = xcalloc(nslots, sizeof *slots);  // group index + 1
  uint32_t last = UINT32_MAX;
  for (uint32_t s = 1; s < f->nshdrs; s++) {
    InputSection *isec = f->sections[s];
    if (eh_frame_is_output(isec)) vec_push(&b->eh, isec);
    if (!binned(isec)) continue;
    OsecKey key = osec_key(isec);
    uint64_t flags = osec_flags(isec);
    uint32_t g = UINT32_MAX;
    if (last != UINT32_MAX && same_group(&b->groups.data[last], &key, flags)) g = last;
    size_t j = key.hash & (nslots - 1);
    for (; g == UINT32_MAX && slots[j]; j = (j + 1) & (nslots - 1))
      if (same_group(&b->groups.data[slots[j] - 1], &key, flags)) g = slots[j] - 1;
    if (g == UINT32_MAX) {
      g = (uint32_t)b->groups.len;
      vec_push(&b->groups, ((OsecGroup){.key = key, .first_flags = flags}));
      slots[j] = g + 1;
    }
    OsecGroup *grp = &b->groups.data[g];
    grp->or_flags |= flags;
    if (!grp->upgrade_type && key.type != SHT_NOBITS) grp->upgrade_type = key.type;
    grp->count++;
    b->group_of[s] = last = g;
  }
  free(slots);
}

static void place_object(void *arg, size_t i) {
  BinJob *job = arg;
  ObjectFile *f = job->ctx->objs.data[i];
  ObjectBins *b = &job->bins[i];
  for (uint32_t s = 1; s < f->nshdrs; s++) {
    InputSection *isec = f->sections[s];
    if (!binned(isec)) continue;
    OsecGroup *g = &b->groups.data[b->group_of[s]];
    isec->osec = g->chunk;
    g->chunk->members.data[g->base++] = isec;
  }
  vec_free(&b->groups);
  free(b->group_of);
}

// Member offsets in parallel slices (AlignedRun, layout.h).
enum { MEMBERS_PER_SLICE = 4096 };

typedef struct {
  Chunk *c;
  AlignedRun *runs;
  uint64_t *starts;
} MemberJob;

static uint64_t place_run(Chunk *c, size_t begin, size_t end, uint64_t off, bool store) {
  for (size_t k = begin; k < end; k++) {
    InputSection *isec = c->members.data[k];
    off = align_up(off, 1ULL << isec->p2align);
    if (store) isec->offset = off;
    off += isec->size;
  }
  return off;
}

static void measure_slice(void *arg, size_t i) {
  MemberJob *job = arg;
  size_t begin = i * MEMBERS_PER_SLICE, end = MIN(begin + MEMBERS_PER_SLICE, job->c->members.len);
  for (size_t k = begin; k < end; k++)
    aligned_run_add(&job->runs[i], k, job->c->members.data[k]->size, job->c->members.data[k]->p2align);
}

static void place_slice(void *arg, size_t i) {
  MemberJob *job = arg;
  size_t begin = i * MEMBERS_PER_SLICE, end = MIN(begin + MEMBERS_PER_SLICE, job->c->members.len);
  place_run(job->c, begin, end, job->starts[i], true);
}

void place_members(Chunk *c) {
  size_t n = c->members.len, nslices = (n + MEMBERS_PER_SLICE - 1) / MEMBERS_PER_SLICE;
  uint8_t p2max = 0;
  if (nslices <= 2) {
    for (size_t k = 0; k < n; k++) p2max = MAX(p2max, c->members.data[k]->p2align);
    c->size = place_run(c, 0, n, 0, true);
  } else {
    MemberJob job = {c, xcalloc(nslices, sizeof(AlignedRun)), xcalloc(nslices, sizeof(uint64_t))};
    parallel_for(nslices, measure_slice, &job);
    uint64_t off = 0;
    for (size_t i = 0; i < nslices; i++) {
      job.starts[i] = off;
      off = aligned_run_end(&job.runs[i], place_run(c, i * MEMBERS_PER_SLICE, job.runs[i].anchor, off, false));
      p2max = MAX(p2max, job.runs[i].p2align);
    }
    parallel_for(nslices, place_slice, &job);
    free(job.runs);
    free(job.starts);
    c->size = off;
  }
  c->align = MAX(c->align, 1ULL << p2max);
}

void create_output_sections(Context *ctx) {
  OsecMap map = {0};
  size_t n = ctx->objs.len;
  BinJob job = {ctx, xcalloc(n ? n : 1, sizeof(ObjectBins))};
  parallel_for(n, group_object, &job);
  for (size_t i = 0; i < n; i++) {
    ObjectBins *b = &job.bins[i];
    for (size_t k = 0; k < b->eh.len; k++) {
      vec_push(&ctx->eh_frame->members, b->eh.data[k]);  // even empty: crtbeginT.o labels its place
      b->eh.data[k]->osec = ctx->eh_frame;
    }
    vec_free(&b->eh);
    for (size_t k = 0; k < b->groups.len; k++) {
      OsecGroup *g = &b->groups.data[k];
      Chunk *c = find_or_add_osec(ctx, &map, &g->key, g->first_flags);
      c->flags |= g->or_flags;
      if (c->type == SHT_NOBITS && g->upgrade_type) c->type = g->upgrade_type;
      g->chunk = c;
      g->base = c->members.len;
      c->members.len += g->count;  // filled by place_object
    }
  }
  for (size_t i = 0; i < map.list.len; i++) {
    Chunk *c = map.list.data[i];
    c->members.cap = c->members.len;
    c->members.data = xmalloc((c->members.len ? c->members.len : 1) * sizeof(InputSection *));
  }
  parallel_for(n, place_object, &job);
  free(job.bins);
  sort_commons(ctx);  // --sort-common
  for (size_t i = 0; i < ctx->extra_sections.len; i++) {
    InputSection *isec = ctx->extra_sections.data[i];
    if (!isec->is_alive) continue;
    OsecKey key = osec_key(isec);
    Chunk *c = find_or_add_osec(ctx, &map, &key, osec_flags(isec));
    isec->osec = c;
    vec_push(&c->members, isec);
  }
  for (size_t i = 0; i < map.list.len; i++) {
    Chunk *c = map.list.data[i];
    if (c->type == SHT_INIT_ARRAY || c->type == SHT_FINI_ARRAY || c->type == SHT_PREINIT_ARRAY ||
        !strcmp(c->name, ".ctors") || !strcmp(c->name, ".dtors"))
      if (c->members.len) qsort(c->members.data, c->members.len, sizeof(InputSection *), cmp_priority);
    sort_section_members(ctx, c);  // --sort-section
    place_members(c);
    vec_push(&ctx->chunks, c);
  }
  for (size_t i = 0; i < ctx->merged.len; i++) vec_push(&ctx->chunks, &ctx->merged.data[i]->chunk);
  vec_free(&map.list);
  free(map.slots);
  free(map.hashes);
}

// ------------------------------------------------------------- ordering

static bool is_relro(Context *ctx, Chunk *c) {
  if (!ctx->cfg.relro || !(c->flags & SHF_WRITE)) return false;
  if (c->flags & SHF_TLS) return true;
  if (c->type == SHT_INIT_ARRAY || c->type == SHT_FINI_ARRAY || c->type == SHT_PREINIT_ARRAY) return true;
  const char *n = c->name;
  return !strcmp(n, ".data.rel.ro") || !strcmp(n, ".bss.rel.ro") || !strcmp(n, ".ctors") || !strcmp(n, ".dtors") ||
         !strcmp(n, ".dynamic") || !strcmp(n, ".got") || !strcmp(n, ".jcr") || !strcmp(n, ".eh_frame") ||
         !strcmp(n, ".gcc_except_table") || !strcmp(n, ".fini_array") || !strcmp(n, ".init_array");
}

static uint32_t name_order(const char *n, const char *const *list, uint32_t other) {
  for (uint32_t i = 0; list[i]; i++)
    if (!strcmp(n, list[i])) return i;
  return other;
}

// Lower ranks come first. The high digit is the segment class.
static uint32_t chunk_rank(Context *ctx, Chunk *c) {
  if (c == ctx->ehdr) return 0;
  if (c == ctx->phdr) return 1;
  if (c == ctx->interp) return 2;
  if (!(c->flags & SHF_ALLOC)) {
    static const char *const tail[] = {".symtab", ".shstrtab", ".strtab", NULL};
    return 9000 + name_order(c->name, tail, 0) * 10 + (strcmp(c->name, ".comment") ? 5 : 0);
  }
  if (c->type == SHT_NOTE) return 100 + (uint32_t)(c->align > 4);
  if (!(c->flags & SHF_WRITE) && !(c->flags & SHF_EXECINSTR)) {
    static const char *const ro[] = {".hash", ".gnu.hash", ".dynsym", ".dynstr", ".gnu.version", ".gnu.version_d",
                                     ".gnu.version_r", ".rela.dyn", ".relr.dyn", ".rela.plt", NULL};
    uint32_t k = name_order(c->name, ro, 10);
    if (k < 10) return 200 + k;
    static const char *const ro2[] = {".rodata", ".eh_frame_hdr", ".eh_frame", ".gcc_except_table", NULL};
    return 300 + name_order(c->name, ro2, 1) * 2 + (c->kind == CHUNK_MERGED);
  }
  if (c->flags & SHF_EXECINSTR) {
    static const char *const rx[] = {".init", ".plt", ".iplt", ".text", ".fini", NULL};
    uint32_t k = name_order(c->name, rx, 3);
    return 400 + (k == 3 && strcmp(c->name, ".text") ? 35 : k * 10);
  }
  if (is_relro(ctx, c)) {
    static const char *const relro[] = {".tdata", ".tbss", ".preinit_array", ".init_array", ".fini_array",
                                        ".ctors", ".dtors", ".data.rel.ro", ".dynamic", ".got", NULL};
    uint32_t k = name_order(c->name, relro, 7);
    if (c->type == SHT_NOBITS && !(c->flags & SHF_TLS)) k = 20;
    return 500 + k;
  }
  static const char *const rw[] = {".got.plt", ".data", NULL};
  if (c->type == SHT_NOBITS) return 700 + (strcmp(c->name, ".bss") ? 1 : 0);
  return 600 + name_order(c->name, rw, 2);
}

static int cmp_rank(const void *a, const void *b) {
  const Chunk *x = *(Chunk *const *)a, *y = *(Chunk *const *)b;
  if (x->rank != y->rank) return x->rank < y->rank ? -1 : 1;
  return 0;
}

// Segment class of an allocated chunk: R, RX, RELRO, RW.
static int seg_class(Context *ctx, Chunk *c) {
  if (c->flags & SHF_EXECINSTR) return 1;
  if (!(c->flags & SHF_WRITE)) return 0;
  return is_relro(ctx, c) ? 2 : 3;
}

static uint32_t seg_flags(int cls) {
  switch (cls) {
  case 0: return PF_R;
  case 1: return PF_R | PF_X;
  default: return PF_R | PF_W;
  }
}

// A segment over chunks [first, last] of the ordered chunk list.
static void add_phdr(Context *ctx, uint32_t type, uint32_t flags, uint64_t align, size_t first, size_t last) {
  Phdr p = {.type = type, .flags = flags, .align = align};
  if (first <= last && last < ctx->chunks.len) {
    Chunk *f = ctx->chunks.data[first];
    p.offset = f->offset;
    p.vaddr = f->addr;
    uint64_t end_file = p.offset, end_mem = p.vaddr;
    for (size_t i = first; i <= last; i++) {
      Chunk *c = ctx->chunks.data[i];
      if (c->type != SHT_NOBITS) end_file = MAX(end_file, c->offset + c->size);
      bool tbss = c->type == SHT_NOBITS && (c->flags & SHF_TLS);
      if (!tbss || type == PT_TLS) end_mem = MAX(end_mem, c->addr + c->size);
    }
    p.filesz = end_file - p.offset;
    p.memsz = end_mem - p.vaddr;
  }
  vec_push(&ctx->phdrs, p);
}

static void add_phdr_for(Context *ctx, uint32_t type, uint32_t flags, uint64_t align, Chunk *c) {
  for (size_t i = 0; i < ctx->chunks.len; i++)
    if (ctx->chunks.data[i] == c) add_phdr(ctx, type, flags, align, i, i);
}

static void create_phdrs(Context *ctx) {
  ctx->phdrs.len = 0;
  uint64_t page = ctx->cfg.max_page_size;
  Chunk **cs = ctx->chunks.data;
  size_t n = ctx->chunks.len;
  // PT_PHDR and PT_INTERP come first when there is an interpreter (the
  // loader finds its load bias from PT_PHDR); static-pie has neither.
  if (ctx->interp) {
    add_phdr_for(ctx, PT_PHDR, PF_R, 8, ctx->phdr);
    add_phdr_for(ctx, PT_INTERP, PF_R, 1, ctx->interp);
  }
  // PT_LOAD runs.
  // -N and -n make one RWX segment (as GNU ld), aligned to its sections
  // only; a section placed at a fixed address starts a segment of its own.
  bool magic = ctx->cfg.omagic || ctx->cfg.nmagic;
  for (size_t i = 0; i < n;) {
    if (!(cs[i]->flags & SHF_ALLOC)) { i++; continue; }
    int cls = seg_class(ctx, cs[i]);
    size_t j = i;
    while (j + 1 < n && (cs[j + 1]->flags & SHF_ALLOC) && (magic || seg_class(ctx, cs[j + 1]) == cls) &&
           !cs[j + 1]->starts_segment)
      j++;
    uint64_t align = page;
    if (magic) {
      align = 1;
      for (size_t k = i; k <= j; k++) align = MAX(align, cs[k]->align);
    }
    add_phdr(ctx, PT_LOAD, magic ? PF_R | PF_W | PF_X : seg_flags(cls), align, i, j);
    i = j + 1;
  }
  sort_load_phdrs(ctx);
  // PT_TLS over .tdata and .tbss.
  size_t tfirst = SIZE_MAX, tlast = 0;
  uint64_t tls_align = 1;
  for (size_t i = 0; i < n; i++)
    if (cs[i]->flags & SHF_TLS) {
      if (tfirst == SIZE_MAX) tfirst = i;
      tlast = i;
      tls_align = MAX(tls_align, cs[i]->align);
    }
  if (tfirst != SIZE_MAX) add_phdr(ctx, PT_TLS, PF_R, tls_align, tfirst, tlast);
  if (ctx->dynamic) add_phdr_for(ctx, PT_DYNAMIC, PF_R | PF_W, 8, ctx->dynamic);
  // PT_NOTE for each run of notes with the same alignment.
  for (size_t i = 0; i < n; i++) {
    if (cs[i]->type != SHT_NOTE || !(cs[i]->flags & SHF_ALLOC)) continue;
    size_t j = i;
    while (j + 1 < n && cs[j + 1]->type == SHT_NOTE && (cs[j + 1]->flags & SHF_ALLOC) && cs[j + 1]->align == cs[i]->align)
      j++;
    add_phdr(ctx, PT_NOTE, PF_R, cs[i]->align, i, j);
    i = j;
  }
  if (ctx->gnu_property) add_phdr_for(ctx, PT_GNU_PROPERTY, PF_R, 8, ctx->gnu_property);
  if (ctx->eh_frame_hdr) add_phdr_for(ctx, PT_GNU_EH_FRAME, PF_R, 4, ctx->eh_frame_hdr);
  bool exec_stack = ctx->cfg.execstack;
  if (!ctx->cfg.execstack_set)
    for (size_t i = 0; i < ctx->objs.len; i++) exec_stack |= ctx->objs.data[i]->needs_exec_stack;
  add_phdr(ctx, PT_GNU_STACK, exec_stack ? PF_R | PF_W | PF_X : PF_R | PF_W, 16, 1, 0);
  // PT_GNU_RELRO over the RELRO run, rounded up to a page: nothing else
  // shares that page because the next segment starts on a fresh one.
  size_t rfirst = SIZE_MAX, rlast = 0;
  for (size_t i = 0; i < n; i++)
    if ((cs[i]->flags & SHF_ALLOC) && seg_class(ctx, cs[i]) == 2) {
      if (rfirst == SIZE_MAX) rfirst = i;
      rlast = i;
    }
  if (rfirst != SIZE_MAX && !magic) {
    add_phdr(ctx, PT_GNU_RELRO, PF_R, 1, rfirst, rlast);
    Phdr *p = &ctx->phdrs.data[ctx->phdrs.len - 1];
    p->memsz = align_up(p->vaddr + p->memsz, ctx->cfg.common_page_size) - p->vaddr;
    // The loader maps the RELRO PT_LOAD in pages of the running kernel; a
    // larger -z common-page-size would leave the rounded tail unmapped and
    // the C library's mprotect of it failing. Extend the segment (zeros)
    // to the rounded end: the next segment starts on a fresh page anyway.
    Phdr relro = *p;
    for (size_t i = 0; i < ctx->phdrs.len; i++) {
      Phdr *l = &ctx->phdrs.data[i];
      if (l->type == PT_LOAD && l->vaddr <= relro.vaddr && relro.vaddr < l->vaddr + l->memsz &&
          l->vaddr + l->memsz < relro.vaddr + relro.memsz)
        l->memsz = relro.vaddr + relro.memsz - l->vaddr;
    }
  }
}

static void assign_addresses(Context *ctx) {
  uint64_t page = ctx->cfg.max_page_size;
  uint64_t addr = ctx->cfg.image_base, off = 0;
  bool magic = ctx->cfg.omagic || ctx->cfg.nmagic;
  int prev_cls = -1;
  for (size_t i = 0; i < ctx->chunks.len; i++) {
    Chunk *c = ctx->chunks.data[i];
    if (!(c->flags & SHF_ALLOC)) continue;
    int cls = seg_class(ctx, c);
    c->starts_segment = false;
    uint64_t fixed;
    if (!c->is_header && section_start_address(ctx, i, &fixed)) {
      // --section-start, -Ttext, -Tdata, -Tbss: the section goes there and
      // the following ones follow it. A short step forward within the same
      // kind of segment pads the file; anything else starts a PT_LOAD whose
      // offset is congruent with its address modulo the page size.
      if (fixed % c->align)
        warn("address (0x%llx) of section %s is not a multiple of alignment (%llu)", (unsigned long long)fixed,
             c->name, (unsigned long long)c->align);
      bool same_segment = prev_cls >= 0 && (magic || cls == prev_cls) && fixed >= addr && fixed - addr <= page;
      if (same_segment) {
        if (c->type != SHT_NOBITS) off += fixed - addr;
      } else {
        c->starts_segment = true;
        off += (fixed - off) & (page - 1);
      }
      addr = fixed;
    } else if (prev_cls >= 0 && cls != prev_cls && !magic) {
      if (ctx->cfg.separate_code && (cls == 1 || prev_cls == 1)) {
        // -z separate-code: code starts and ends on page boundaries in the
        // file and in memory, so no other bytes are mapped executable and
        // no code is mapped without it.
        off = align_up(off, page);
        addr = align_up(addr, page);
      } else {
        // A new segment starts on a fresh page with offset == address mod page.
        addr = align_up(addr, page) + (off & (page - 1));
      }
    } else if (ctx->cfg.nmagic && prev_cls >= 0 && prev_cls < 2 && cls >= 2) {
      // -n: as GNU ld's script, writable data moves to the next page at the
      // same offset within the page; the one segment carries the gap.
      uint64_t next = align_up(addr, page) + (addr & (page - 1));
      off += next - addr;
      addr = next;
    }
    prev_cls = cls;
    uint64_t a = align_up(addr, c->align);
    if (c->type == SHT_NOBITS) {
      // No file space, but an offset congruent with the address: a segment
      // (PT_TLS, or a PT_LOAD) may start at this chunk.
      c->addr = a;
      c->offset = off + (a - addr);
      if (!(c->flags & SHF_TLS)) addr = a + c->size;  // .tbss takes no address space
      continue;
    }
    off += a - addr;
    c->addr = a;
    c->offset = off;
    off += c->size;
    addr = a + c->size;
  }
  ctx->alloc_file_end = off;
  place_nonalloc_chunks(ctx);
}

void place_nonalloc_chunks(Context *ctx) {
  uint64_t off = ctx->alloc_file_end;
  for (size_t i = 0; i < ctx->chunks.len; i++) {
    Chunk *c = ctx->chunks.data[i];
    if (c->flags & SHF_ALLOC) continue;
    off = align_up(off, c->align);
    c->addr = 0;
    c->offset = off;
    off += c->size;
  }
  ctx->filesize = align_up(off, 8);  // the section header table follows
}

// .relr.dyn's size depends on where the words it relocates land; it only
// grows (write_relr pads a shrunk encoding), so this settles.
static void size_relr(Context *ctx) {
  for (uint64_t size; ctx->relr && (size = relr_size(ctx)) > ctx->relr->size;) {
    ctx->relr->size = size;
    assign_addresses(ctx);
  }
}

void layout_output(Context *ctx) {
  compute_synthetic_sizes(ctx);
  // Drop empty chunks except the ones that must exist.
  size_t k = 0;
  for (size_t i = 0; i < ctx->chunks.len; i++) {
    Chunk *c = ctx->chunks.data[i];
    if (c->size || c->is_empty_ok || c->is_header) ctx->chunks.data[k++] = c;
  }
  ctx->chunks.len = k;
  for (size_t i = 0; i < ctx->chunks.len; i++) ctx->chunks.data[i]->rank = chunk_rank(ctx, ctx->chunks.data[i]);
  // Stable sort: insertion order breaks ties.
  for (size_t i = 1; i < ctx->chunks.len; i++) {
    Chunk *c = ctx->chunks.data[i];
    size_t j = i;
    while (j > 0 && cmp_rank(&ctx->chunks.data[j - 1], &c) > 0) {
      ctx->chunks.data[j] = ctx->chunks.data[j - 1];
      j--;
    }
    ctx->chunks.data[j] = c;
  }
  // Section header indices.
  uint32_t shndx = 1;
  for (size_t i = 0; i < ctx->chunks.len; i++) {
    Chunk *c = ctx->chunks.data[i];
    c->is_relro = is_relro(ctx, c);
    if (!c->is_header) c->shndx = shndx++;
  }
  finalize_section_names(ctx);
  // The TLS block starts at the segment's alignment so that offsets from
  // the thread pointer match what the C library computes.
  uint64_t tls_align = 1;
  Chunk *tls_first = NULL;
  for (size_t i = 0; i < ctx->chunks.len; i++) {
    Chunk *c = ctx->chunks.data[i];
    if (!(c->flags & SHF_TLS)) continue;
    if (!tls_first) tls_first = c;
    tls_align = MAX(tls_align, c->align);
  }
  if (tls_first) tls_first->align = tls_align;
  // Program headers: count them once to size the table, then fill it in.
  create_phdrs(ctx);
  ctx->phdr->size = ctx->phdrs.len * sizeof(Elf64_Phdr);
  assign_addresses(ctx);
  if (create_range_thunks(ctx)) assign_addresses(ctx);
  size_relr(ctx);
  create_phdrs(ctx);
  // Fixed section addresses decide the PT_LOAD count only once placed:
  // resize the table and place again until it holds.
  for (int k = 0; k < 4 && ctx->phdr->size != ctx->phdrs.len * sizeof(Elf64_Phdr); k++) {
    ctx->phdr->size = ctx->phdrs.len * sizeof(Elf64_Phdr);
    assign_addresses(ctx);
    size_relr(ctx);
    create_phdrs(ctx);
  }
  check_section_overlaps(ctx);
  // TLS: the thread pointer's position relative to the TLS block.
  for (size_t i = 0; i < ctx->phdrs.len; i++) {
    Phdr *p = &ctx->phdrs.data[i];
    if (p->type != PT_TLS) continue;
    ctx->tls_begin = p->vaddr;
    ctx->tls_end = p->vaddr + p->memsz;
    ctx->tls_align = p->align;
    if (ctx->arch->tls_variant1)
      ctx->tp_addr = p->vaddr - align_up(ctx->arch->tls_tcb_size, p->align);
    else
      ctx->tp_addr = align_up(p->vaddr + p->memsz, p->align);
  }
  fix_linker_symbols(ctx);
}
