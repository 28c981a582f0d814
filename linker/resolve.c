// Symbol resolution with GNU ld's rules: objects are loaded in command-line
// order; an archive member is loaded only when it defines a symbol that is
// undefined at that point; a group is rescanned until nothing changes.
#include "diag.h"
#include "input.h"
#include "reloc.h"
#include "parallel.h"
#include "symbols.h"
#include "debug_line.h"
#include "debug_info.h"
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <xxhash.h>

// Drops the members of COMDAT groups another file already provided. The
// groups' signatures were interned with the object's globals, in section
// order (obj->comdats).
static void discard_duplicate_comdats(ObjectFile *obj) {
  uint32_t next = 0;
  for (uint32_t i = 1; i < obj->nshdrs && obj->ngroups; i++) {
    const ElfShdr *sh = &obj->shdrs[i];
    if (sh->sh_type != SHT_GROUP) continue;
    const uint8_t *words = obj->data + sh->sh_offset;  // 4-byte words, maybe misaligned
    uint64_t n = sh->sh_size / 4;
    if (!comdat_is_well_formed(obj, sh)) {
      error("%s: section group %s is malformed", file_name(obj), object_section_name(obj, i));
      continue;
    }
    if (!(rd32(words) & GRP_COMDAT)) continue;
    if (next >= obj->ncomdats || obj->comdats[next].shndx != i)
      fatal("internal error: %s: COMDAT group %s was not interned", file_name(obj), object_section_name(obj, i));
    ComdatGroup *g = obj->comdats[next++].group;
    if (!g->owner) g->owner = obj;
    if (g->owner == obj) continue;
    for (uint64_t k = 1; k < n; k++) {
      uint32_t member = rd32(words + 4 * k);
      if (member >= obj->nshdrs || member == 0) {
        error("%s: section group %s names section %u which does not exist", file_name(obj),
              object_section_name(obj, i), member);
        continue;
      }
      InputSection *isec = obj->sections[member];
      if (isec) isec->is_alive = false;
      obj->sections[member] = NULL;
    }
  }
}

static uint8_t merge_visibility(uint8_t a, uint8_t b) {
  if (a == STV_DEFAULT) return b;
  if (b == STV_DEFAULT) return a;
  return a < b ? a : b;  // INTERNAL < HIDDEN < PROTECTED: most restrictive wins
}

// lld's form: "defined at a.c:3" over "a.o:(.text+0x0)" for each
// definition, the source line read from .debug_line when there is one
// (code), else from the variable's declaration in .debug_info (data).
static const char *definition_place(ObjectFile *f, InputSection *isec, uint64_t value, const char *name) {
  if (!isec) return file_name(f);
  const char *obj = xasprintf("%s:(%s+0x%llx)", file_name(f), isec->name, (unsigned long long)value);
  const char *src = source_location(f, isec->shndx, value);
  if (!src) src = variable_location(f, isec->shndx, value, name);
  return src ? xasprintf("%s\n>>>            %s", src, obj) : obj;
}

static void report_duplicate(Symbol *sym, ObjectFile *other, uint32_t i) {
  uint32_t shndx = object_symbol_shndx(other, i);
  InputSection *isec = shndx < other->nshdrs ? other->sections[shndx] : NULL;
  error("duplicate symbol: %s", demangle(sym->name));
  note("defined at %s", definition_place(sym->file, sym->isec, sym->value, sym->name));
  note("defined at %s", definition_place(other, isec, other->esyms[i].st_value, sym->name));
}

// --warn-common: GNU ld's five cases, in its words, where a COMMON symbol
// meets another COMMON or a definition.
static void warn_common(const Symbol *sym, ObjectFile *obj, uint8_t rank, uint64_t size) {
  const char *name = demangle(sym->name), *prev = file_name(sym->file), *here = file_name(obj);
  if (sym->def_rank == RANK_COMMON && rank == RANK_COMMON) {
    if (size == sym->size) warn("%s: multiple common of '%s'; previous common is in %s", here, name, prev);
    else if (size > sym->size) warn("%s: common of '%s' overriding smaller common from %s", here, name, prev);
    else warn("%s: common of '%s' overridden by larger common from %s", here, name, prev);
  } else if (sym->def_rank == RANK_COMMON && rank == RANK_STRONG) {
    warn("%s: definition of '%s' overriding common from %s", here, name, prev);
  } else if (sym->def_rank == RANK_STRONG && rank == RANK_COMMON) {
    warn("%s: common of '%s' overridden by definition from %s", here, name, prev);
  }
}

enum { PREFETCH_AHEAD = 16 };

static void resolve_one(Context *ctx, ObjectFile *obj, uint32_t i) {
  const ElfSym *es = &obj->esyms[i];
  Symbol *sym = obj->syms[i];  // interned when the object was loaded
  symtab_list(ctx, sym);
  uint8_t bind = ELF64_ST_BIND(es->st_info);
  sym->visibility = merge_visibility(sym->visibility, ELF64_ST_VISIBILITY(es->st_other));
  uint32_t shndx = object_symbol_shndx(obj, i);
  bool discarded = shndx != SHN_UNDEF && shndx < SHN_LORESERVE && !obj->sections[shndx];

  if (sym->is_traced)
    fprintf(stderr, "%s: %s %s\n", file_name(obj),
            shndx == SHN_UNDEF || discarded ? "reference to" : shndx == SHN_COMMON ? "common definition of" : "definition of",
            sym->name);
  if (shndx == SHN_UNDEF || discarded) {
    sym->is_referenced = true;
    if (bind != STB_WEAK && !sym->has_strong_ref) {
      sym->has_strong_ref = true;
      if (!symbol_is_defined(sym)) ctx->wanted_generation++;
    }
    if (ctx->cfg.why_extract && !symbol_aux_of(ctx, sym)->first_ref) symbol_aux(ctx, sym)->first_ref = obj;
    return;
  }
  uint8_t rank = shndx == SHN_COMMON ? RANK_COMMON : bind == STB_WEAK ? RANK_WEAK : RANK_STRONG;
  // Any definition in an object overrides a shared library's.
  if (symbol_is_imported(sym)) sym->def_rank = RANK_UNDEF;
  if (ctx->cfg.warn_common) warn_common(sym, obj, rank, es->st_size);
  if (sym->def_rank == RANK_COMMON && rank == RANK_COMMON) {
    // Commons merge: the largest size and the strictest alignment win.
    if (es->st_size > sym->size) {
      sym->size = es->st_size;
      sym->file = obj;
      sym->esym_index = i;
    }
    if (es->st_value > sym->value) sym->value = es->st_value;
    return;
  }
  if (sym->def_rank == RANK_STRONG && rank == RANK_STRONG) {
    if (!ctx->cfg.allow_multiple_definition) report_duplicate(sym, obj, i);
    return;
  }
  if (rank <= sym->def_rank) return;
  if (rank == RANK_COMMON) ctx->wanted_generation++;
  uint64_t common_align = sym->def_rank == RANK_COMMON ? sym->value : 0;
  sym->def_rank = rank;
  sym->file = obj;
  sym->esym_index = i;
  sym->type = ELF64_ST_TYPE(es->st_info);
  sym->binding = bind == STB_GNU_UNIQUE ? STB_GLOBAL : bind;
  sym->size = es->st_size;
  sym->isec = NULL;
  sym->value = es->st_value;
  if (rank == RANK_COMMON) sym->value = MAX(es->st_value, common_align);
  else if (shndx != SHN_ABS) sym->isec = obj->sections[shndx];
}

static void load_object(Context *ctx, ObjectFile *obj) {
  if (obj->is_alive || !object_prepare(ctx, obj)) return;
  if (!obj->is_interned) {  // not prefetched
    symtab_reserve(ctx, obj->nsyms - obj->first_global);
    comdat_reserve(ctx, obj->ngroups);
    object_intern_globals(ctx, obj);
  }
  obj->is_alive = true;
  // Load order, which GNU ld's section order follows (archive members are
  // created, and may be parsed, earlier and in another order).
  obj->priority = ++ctx->load_count;
  discard_duplicate_comdats(obj);
  // The symbols are all over a large table: asking for them a few ahead
  // overlaps the cache misses that otherwise come one after another.
  for (uint32_t i = obj->first_global; i < obj->nsyms; i++) {
    if (i + PREFETCH_AHEAD < obj->nsyms) __builtin_prefetch(obj->syms[i + PREFETCH_AHEAD], 1);
    resolve_one(ctx, obj, i);
  }
  vec_push(&ctx->objs, obj);
}

static ArchiveMember *member_at(Archive *ar, uint64_t offset) {
  size_t lo = 0, hi = ar->members.len;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (ar->members.data[mid].header_offset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo < ar->members.len && ar->members.data[lo].header_offset == offset ? &ar->members.data[lo] : NULL;
}

// --why-extract: one line per loaded member, in load order.
static FILE *why_file;

static void record_why(Context *ctx, ObjectFile *member, const Symbol *sym) {
  if (!ctx->cfg.why_extract) return;
  if (!why_file) {
    why_file = strcmp(ctx->cfg.why_extract, "-") ? fopen(ctx->cfg.why_extract, "w") : stdout;
    if (!why_file) fatal("cannot open --why-extract file %s: %s", ctx->cfg.why_extract, strerror(errno));
    fputs("reference\textracted\tsymbol\n", why_file);
  }
  const ObjectFile *first = sym ? symbol_aux_of(ctx, sym)->first_ref : NULL;
  const char *ref = !sym ? "--whole-archive" : first ? file_name(first) : "<command line>";
  fprintf(why_file, "%s\t%s\t%s\n", ref, file_name(member), sym ? sym->name : "");
}

static bool extract(Context *ctx, Archive *ar, ArchiveMember *m, const Symbol *why) {
  if (m->extracted) return false;
  m->extracted = true;
  ObjectFile *obj = archive_member_object(ctx, ar, m);
  if (!obj) return false;
  record_why(ctx, obj, why);
  load_object(ctx, obj);
  return true;
}

// The symbol that makes an index entry's member worth loading, if any.
static Symbol *member_wanted(const ArmapEntry *e) {
  Symbol *sym = e->sym;
  return !symbol_is_defined(sym) && sym->has_strong_ref ? sym : NULL;
}

static void prepare_task(void *arg, size_t i) {
  ObjectFile **objs = ((void **)arg)[1];
  object_prepare(((void **)arg)[0], objs[i]);
}

typedef struct {
  Context *ctx;
  ObjectFile **objs;
  size_t *missing;  // per object: globals not in the table yet
} InternJob;

static void find_task(void *arg, size_t i) {
  InternJob *job = arg;
  job->missing[i] = object_find_globals(job->ctx, job->objs[i]);
}

static void intern_task(void *arg, size_t i) {
  InternJob *job = arg;
  object_intern_globals(job->ctx, job->objs[i]);
}

// Interns the globals of prepared objects in parallel; the table is made
// big enough first, since it cannot grow while threads insert. Most names
// of archive members are in it already (the archive's index lists their
// definitions): where room for every name would mean growing the table,
// it is first only read, and then needs room for the rest alone (the 1 GB
// link's table stays at 4 Mi slots instead of doubling to 8).
void intern_globals_parallel(Context *ctx, ObjectFile **objs, size_t n) {
  InternJob job = {ctx, objs, xcalloc(n ? n : 1, sizeof(size_t))};
  size_t total = 0, groups = 0;
  for (size_t i = 0; i < n; i++)
    if (objs[i]->is_prepared && !objs[i]->is_broken && !objs[i]->is_interned) {
      total += objs[i]->nsyms - objs[i]->first_global;
      groups += objs[i]->ngroups;
    }
  if (ctx->symtab_count > 0 && !symtab_has_room(ctx, total)) {
    parallel_for(n, find_task, &job);
    total = 0;
    for (size_t i = 0; i < n; i++) total += job.missing[i];
  }
  symtab_reserve(ctx, total);
  comdat_reserve(ctx, groups);
  parallel_for(n, intern_task, &job);
  free(job.missing);
  symtab_reserve(ctx, 0);  // back under half full for the ordered pass
}

// GNU ld also loads a member that gives a real definition to a symbol that
// is only COMMON so far (the Fortran BLOCK DATA idiom).
static Symbol *common_replaced_by(Context *ctx, Archive *ar, ArchiveMember *m, const ArmapEntry *e) {
  Symbol *sym = e->sym;
  if (sym->def_rank != RANK_COMMON) return NULL;
  ObjectFile *obj = archive_member_object(ctx, ar, m);
  if (!obj) return NULL;
  for (uint32_t i = obj->first_global; i < obj->nsyms; i++) {
    uint32_t shndx = object_symbol_shndx(obj, i);
    if (shndx == SHN_UNDEF || shndx == SHN_COMMON) continue;
    const char *name = object_symbol_name(obj, i);
    if (strlen(name) == sym->namelen && !memcmp(name, sym->name, sym->namelen)) return sym;
  }
  return NULL;
}

typedef VEC(ObjectFile *) ObjectVec;

// AR's live entries (Archive.live), all of them before the first scan.
static uint32_t *live_entries(Archive *ar) {
  if (!ar->live) {
    ar->live = xmalloc((ar->armap.len ? ar->armap.len : 1) * sizeof(uint32_t));
    for (size_t i = 0; i < ar->armap.len; i++) ar->live[i] = (uint32_t)i;
    ar->nlive = ar->armap.len;
  }
  return ar->live;
}

// Whether no scan can act on an entry for member M and symbol SYM again: a strong definition from an object
// stays (one from a shared library gives way to an object's COMMON, which
// common_replaced_by acts on).
static bool entry_is_dead(const ArchiveMember *m, const Symbol *sym) {
  return m->extracted || (sym->def_rank == RANK_STRONG && !symbol_is_imported(sym));
}

// Adds to TODO the members of AR that the coming pass is about to load.
static void collect_wanted(Context *ctx, Archive *ar, ObjectVec *todo) {
  const uint32_t *live = live_entries(ar);
  for (size_t j = 0; j < ar->nlive; j++) {
    ArmapEntry *e = &ar->armap.data[live[j]];
    if (j + PREFETCH_AHEAD < ar->nlive) __builtin_prefetch(ar->armap.data[live[j + PREFETCH_AHEAD]].sym);
    ArchiveMember *m = &ar->members.data[e->member];
    if (m->extracted || (m->obj && (m->obj->is_queued || m->obj->is_prepared)) || !member_wanted(e)) continue;
    ObjectFile *obj = archive_member_file(ctx, ar, m);
    if (!obj) continue;
    obj->is_queued = true;
    vec_push(todo, obj);
  }
}

// Parses and interns, in parallel, the members the coming pass is about
// to load; the pass itself then loads them in GNU ld's order.
static void prepare_objects_of(Context *ctx, ObjectVec *todo) {
  void *args[2] = {ctx, todo->data};
  if (todo->len) {
    parallel_for(todo->len, prepare_task, args);
    intern_globals_parallel(ctx, todo->data, todo->len);
  }
}

static void prepare_batch(Context *ctx, ObjectVec *todo) {
  prepare_objects_of(ctx, todo);
  vec_free(todo);
}

static void prefetch_members(Context *ctx, Archive *ar) {
  ObjectVec todo = {0};
  collect_wanted(ctx, ar, &todo);
  prepare_batch(ctx, &todo);
}

// Index entries are given their member and their symbol in parallel
// chunks, across every archive about to be scanned at once: each later
// pass (a group is rescanned until nothing changes) reads symbols instead
// of looking names up. A name nothing refers to gets an undefined,
// unreferenced symbol that is never listed, which every lookup treats as
// absent.
typedef struct {
  Archive *ar;
  size_t begin, end;
  uint64_t number;  // provider_map: the group-order number of entry BEGIN
  bool has_stray;   // index_archives: an entry names no member
} ArmapChunk;

typedef VEC(ArmapChunk) ArmapChunkVec;

typedef struct {
  Context *ctx;
  ArmapChunk *chunks;
} ArmapJob;

enum { ARMAP_CHUNK = 2048 };

static void push_armap_chunks(ArmapChunkVec *chunks, Archive *ar) {
  for (size_t k = 0; k < ar->armap.len; k += ARMAP_CHUNK)
    vec_push(chunks, ((ArmapChunk){.ar = ar, .begin = k, .end = MIN(k + ARMAP_CHUNK, ar->armap.len)}));
}

static void index_chunk(void *arg, size_t i) {
  ArmapJob *job = arg;
  ArmapChunk *c = &job->chunks[i];
  NameToIntern names[ARMAP_CHUNK];
  Symbol *syms[ARMAP_CHUNK];
  for (size_t k = c->begin; k < c->end; k++) {
    ArmapEntry *e = &c->ar->armap.data[k];
    ArchiveMember *m = member_at(c->ar, e->offset);
    e->member = m ? (int32_t)(m - c->ar->members.data) : -1;
    c->has_stray |= !m;
    names[k - c->begin] = (NameToIntern){e->name, e->namelen, XXH3_64bits(e->name, e->namelen)};
  }
  symtab_intern_batch(job->ctx, names, c->end - c->begin, syms);
  for (size_t k = c->begin; k < c->end; k++) c->ar->armap.data[k].sym = syms[k - c->begin];
}

static void index_archives(Context *ctx, Archive **ars, size_t n) {
  ArmapChunkVec chunks = {0};
  VEC(Archive *) fresh = {0};
  size_t entries = 0;
  for (size_t a = 0; a < n; a++) {
    Archive *ar = ars[a];
    if (ar->armap_resolved) continue;
    ar->armap_resolved = true;
    vec_push(&fresh, ar);
    entries += ar->armap.len;
    push_armap_chunks(&chunks, ar);
  }
  if (chunks.len) {
    symtab_reserve(ctx, entries);
    ArmapJob job = {ctx, chunks.data};
    parallel_for(chunks.len, index_chunk, &job);
    symtab_reserve(ctx, 0);
  }
  // The first stray entry of each archive is reported, in order.
  for (size_t a = 0, c = 0; a < fresh.len; a++) {
    Archive *ar = fresh.data[a];
    bool stray = false;
    for (; c < chunks.len && chunks.data[c].ar == ar; c++) stray |= chunks.data[c].has_stray;
    for (size_t k = 0; stray && k < ar->armap.len && !ar->armap_broken; k++) {
      if (ar->armap.data[k].member >= 0) continue;
      error("%s: archive index refers to offset 0x%llx which is not a member", ar->path,
            (unsigned long long)ar->armap.data[k].offset);
      ar->armap_broken = true;
    }
  }
  vec_free(&chunks);
  vec_free(&fresh);
}

static bool index_archive(Context *ctx, Archive *ar) {
  index_archives(ctx, &ar, 1);
  return !ar->armap_broken;
}

// Whether scanning AR again could load nothing (see wanted_generation).
static bool scan_is_futile(const Context *ctx, const Archive *ar) {
  return ar->scanned && ar->scanned_generation == ctx->wanted_generation;
}

// The member that would define each index symbol of a group: the first
// entry naming it, in group order (open addressing by symbol address).
// Built in parallel: each entry claims its symbol's slot and lowers the
// slot's first-entry number to its own; then the first entry fills in its
// archive and member.
typedef struct {
  Symbol *sym;
  Archive *ar;
  ArchiveMember *member;
  uint64_t first;  // 1 + the number, in group order, of the first entry naming sym
} Provider;

typedef struct {
  Provider *slots;
  size_t nslots;
} ProviderMap;

static size_t provider_slot(const ProviderMap *pm, const Symbol *sym) {
  return (size_t)(((uintptr_t)sym >> 4) * 0x9e3779b97f4a7c15ull >> 20) & (pm->nslots - 1);
}

typedef struct {
  ProviderMap *pm;
  ArmapChunk *chunks;
} ProviderJob;

static Provider *claim_provider(ProviderMap *pm, Symbol *sym) {
  for (size_t j = provider_slot(pm, sym);; j = (j + 1) & (pm->nslots - 1)) {
    Symbol *cur = __atomic_load_n(&pm->slots[j].sym, __ATOMIC_ACQUIRE);
    if (!cur && __atomic_compare_exchange_n(&pm->slots[j].sym, &cur, sym, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
      return &pm->slots[j];
    if (cur == sym) return &pm->slots[j];
  }
}

static void claim_first_entries(void *arg, size_t i) {
  ProviderJob *job = arg;
  ArmapChunk *c = &job->chunks[i];
  for (size_t k = c->begin; k < c->end; k++) {
    Provider *p = claim_provider(job->pm, c->ar->armap.data[k].sym);
    uint64_t mine = c->number + (k - c->begin) + 1, cur = __atomic_load_n(&p->first, __ATOMIC_RELAXED);
    while ((cur == 0 || mine < cur) &&
           !__atomic_compare_exchange_n(&p->first, &cur, mine, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
    }
  }
}

static void fill_first_entries(void *arg, size_t i) {
  ProviderJob *job = arg;
  ArmapChunk *c = &job->chunks[i];
  for (size_t k = c->begin; k < c->end; k++) {
    ArmapEntry *e = &c->ar->armap.data[k];
    Provider *p = claim_provider(job->pm, e->sym);
    if (p->first != c->number + (k - c->begin) + 1) continue;
    p->ar = c->ar;
    p->member = &c->ar->members.data[e->member];
  }
}

static ProviderMap provider_map(Archive **ars, size_t n) {
  ArmapChunkVec chunks = {0};
  uint64_t entries = 0;
  for (size_t a = 0; a < n; a++) {
    Archive *ar = ars[a];
    if (ar->armap_broken) continue;
    size_t from = chunks.len;
    push_armap_chunks(&chunks, ar);
    for (size_t c = from; c < chunks.len; c++) chunks.data[c].number = entries + chunks.data[c].begin;
    entries += ar->armap.len;
  }
  ProviderMap pm = {0};
  pm.nslots = 64;
  while (pm.nslots < 2 * entries + 1) pm.nslots *= 2;
  pm.slots = huge_calloc(pm.nslots * sizeof(Provider));
  ProviderJob job = {&pm, chunks.data};
  parallel_for(chunks.len, claim_first_entries, &job);
  parallel_for(chunks.len, fill_first_entries, &job);
  vec_free(&chunks);
  return pm;
}

static const Provider *find_provider(const ProviderMap *pm, const Symbol *sym) {
  for (size_t j = provider_slot(pm, sym); pm->slots[j].sym; j = (j + 1) & (pm->nslots - 1))
    if (pm->slots[j].sym == sym) return &pm->slots[j];
  return NULL;
}

typedef VEC(const Provider *) ProviderVec;

typedef struct {
  const ProviderMap *pm;
  const ObjectVec *batch;
  ProviderVec *found;  // per batch object
} NeedJob;

// An object's strong undefined references that some member of the group
// would define (reads only: nothing is resolved while this runs).
static void providers_needed_by(void *arg, size_t b) {
  NeedJob *job = arg;
  ObjectFile *obj = job->batch->data[b];
  if (!obj->is_interned) return;
  for (uint32_t i = obj->first_global; i < obj->nsyms; i++) {
    const ElfSym *es = &obj->esyms[i];
    if (es->st_shndx != SHN_UNDEF || ELF64_ST_BIND(es->st_info) == STB_WEAK) continue;
    Symbol *sym = obj->syms[i];
    if (symbol_is_defined(sym)) continue;
    const Provider *p = find_provider(job->pm, sym);
    if (p) vec_push(&job->found[b], p);
  }
}

// Adds to NEXT the members that would define what the objects of BATCH
// leave undefined (a guess: the load order may yet find another
// definition first, and then the member is parsed for nothing).
static void collect_needed_by(Context *ctx, const ProviderMap *pm, const ObjectVec *batch, ObjectVec *next) {
  NeedJob job = {pm, batch, xcalloc(batch->len ? batch->len : 1, sizeof(ProviderVec))};
  parallel_for(batch->len, providers_needed_by, &job);
  // In batch order, so that members are made (and numbered) deterministically.
  for (size_t b = 0; b < batch->len; b++) {
    for (size_t k = 0; k < job.found[b].len; k++) {
      const Provider *p = job.found[b].data[k];
      ArchiveMember *m = p->member;
      if (m->extracted || (m->obj && (m->obj->is_queued || m->obj->is_prepared))) continue;
      ObjectFile *want = archive_member_file(ctx, p->ar, m);
      if (!want) continue;
      want->is_queued = true;
      vec_push(next, want);
    }
    vec_free(&job.found[b]);
  }
  free(job.found);
}

// Before each pass over a group, the members its archives would load are
// prepared in parallel batches: first those wanted now, then those the
// batch itself would make wanted, and so on. The pass then loads them in
// GNU ld's order, finding most of them ready. (Archive by archive, a group
// of many archives such as LLVM's makes hundreds of batches of a member
// or two.)
static void prefetch_group(Context *ctx, Input *in, size_t begin, size_t end, ProviderMap *pm) {
  VEC(Archive *) ars = {0};
  for (size_t k = begin; k < end; k++)
    if (in[k].kind == INPUT_ARCHIVE && !in[k].archive->whole_archive) vec_push(&ars, in[k].archive);
  index_archives(ctx, ars.data, ars.len);
  if (!pm->slots) *pm = provider_map(ars.data, ars.len);
  ObjectVec todo = {0};
  for (size_t k = 0; k < ars.len; k++)
    if (!scan_is_futile(ctx, ars.data[k]) && !ars.data[k]->armap_broken) collect_wanted(ctx, ars.data[k], &todo);
  vec_free(&ars);
  while (todo.len) {
    ObjectVec next = {0};
    prepare_objects_of(ctx, &todo);
    collect_needed_by(ctx, pm, &todo, &next);
    vec_free(&todo);
    todo = next;
  }
}

// One pass over the archive index; loads members that define a symbol
// that is strongly referenced and still undefined. Returns true if any.
static bool scan_archive(Context *ctx, Archive *ar) {
  if (ar->whole_archive) {
    bool any = false;
    for (size_t i = 0; i < ar->members.len; i++) any |= extract(ctx, ar, &ar->members.data[i], NULL);
    return any;
  }
  if (scan_is_futile(ctx, ar) || !index_archive(ctx, ar)) return false;
  bool any = false, changed;
  do {
    prefetch_members(ctx, ar);
    changed = false;
    // Over the live entries, in index order, keeping those still live.
    uint32_t *live = live_entries(ar);
    size_t kept = 0;
    for (size_t j = 0; j < ar->nlive; j++) {
      ArmapEntry *e = &ar->armap.data[live[j]];
      if (j + PREFETCH_AHEAD < ar->nlive) __builtin_prefetch(ar->armap.data[live[j + PREFETCH_AHEAD]].sym);
      ArchiveMember *m = &ar->members.data[e->member];
      if (!m->extracted) {
        Symbol *why = member_wanted(e);
        if (!why) why = common_replaced_by(ctx, ar, m, e);
        if (why) changed |= extract(ctx, ar, m, why);
      }
      if (!entry_is_dead(m, e->sym)) live[kept++] = live[j];
    }
    ar->nlive = kept;
    any |= changed;
  } while (changed);
  ar->scanned = true;
  ar->scanned_generation = ctx->wanted_generation;
  return any;
}

static void add_root_reference(Context *ctx, const char *name) {
  Symbol *sym = symtab_intern(ctx, name);
  sym->is_referenced = sym->has_strong_ref = true;
  ctx->wanted_generation++;
}

void resolve_symbols(Context *ctx) {
  for (size_t i = 0; i < ctx->cfg.trace_symbols.len; i++) symtab_intern(ctx, ctx->cfg.trace_symbols.data[i])->is_traced = true;
  // -u, --require-defined and the entry point pull archive members too.
  for (size_t i = 0; i < ctx->cfg.undefined.len; i++) add_root_reference(ctx, ctx->cfg.undefined.data[i]);
  for (size_t i = 0; i < ctx->cfg.require_defined.len; i++)
    add_root_reference(ctx, ctx->cfg.require_defined.data[i]);
  if (ctx->cfg.entry || !ctx->cfg.shared) add_root_reference(ctx, ctx->cfg.entry ? ctx->cfg.entry : "_start");
  for (size_t i = 0; i < ctx->cfg.defsyms.len; i++) {
    const char *e = ctx->cfg.defsyms.data[i].expr;
    if (!(e[0] >= '0' && e[0] <= '9')) add_root_reference(ctx, e);
  }

  Input *in = ctx->inputs.data;
  size_t n = ctx->inputs.len;
  for (size_t i = 0; i < n; i++) {
    if (in[i].kind == INPUT_OBJECT) load_object(ctx, in[i].obj);
    else if (in[i].kind == INPUT_SHARED) shared_load(ctx, in[i].obj);
    else if (in[i].kind == INPUT_ARCHIVE) scan_archive(ctx, in[i].archive);
    else if (in[i].kind == INPUT_GROUP_START) {
      size_t end = i + 1;
      while (end < n && in[end].kind != INPUT_GROUP_END) end++;
      bool changed = true;
      ProviderMap pm = {0};
      for (bool first = true; changed; first = false) {
        changed = false;
        prefetch_group(ctx, in, i + 1, end, &pm);
        for (size_t k = i + 1; k < end; k++) {
          if (in[k].kind == INPUT_OBJECT && first) load_object(ctx, in[k].obj);
          else if (in[k].kind == INPUT_SHARED && first) shared_load(ctx, in[k].obj);
          else if (in[k].kind == INPUT_ARCHIVE) changed |= scan_archive(ctx, in[k].archive);
        }
      }
      huge_free(pm.slots, pm.nslots * sizeof(Provider));
      i = end;
    }
  }
  if (why_file && why_file != stdout) fclose(why_file);
  why_file = NULL;
  checkpoint();
  // The indexes have done their work (30 MB on the 1 GB link, given back
  // before the output is written).
  for (size_t i = 0; i < n; i++)
    if (in[i].kind == INPUT_ARCHIVE) {
      vec_free(&in[i].archive->armap);
      free(in[i].archive->live);
      in[i].archive->live = NULL;
      in[i].archive->nlive = 0;
    }
  comdat_release(ctx);
  shared_finish(ctx);
  ctx->is_dynamic = ctx->cfg.shared || (!ctx->cfg.is_static && (ctx->cfg.pie || ctx->dsos.len));

  // --defsym: numbers are absolute; names alias another symbol.
  for (size_t i = 0; i < ctx->cfg.defsyms.len; i++) {
    Defsym *d = &ctx->cfg.defsyms.data[i];
    Symbol *sym = symtab_intern(ctx, d->name);
    char *end;
    uint64_t v = strtoull(d->expr, &end, 0);
    if (*end == '\0' && end != d->expr) {
      Symbol fresh = {.name = sym->name, .namelen = sym->namelen,
                      .def_rank = RANK_STRONG, .binding = STB_GLOBAL, .value = v,
                      .is_referenced = sym->is_referenced, .is_listed = sym->is_listed};
      *sym = fresh;
      continue;
    }
    Symbol *target = symtab_lookup(ctx, d->expr);
    if (!target || !symbol_is_defined(target)) {
      error("--defsym: undefined symbol: %s", d->expr);
      continue;
    }
    bool referenced = sym->is_referenced;
    const char *name = sym->name;
    uint32_t len = sym->namelen;
    bool listed = sym->is_listed;
    *sym = *target;
    sym->name = name, sym->namelen = len, sym->is_referenced = referenced, sym->is_listed = listed;
  }
}

// COMMON symbols become .bss space owned by the file that won.
static bool is_common(Context *ctx, const Symbol *s, const void *arg) {
  (void)ctx, (void)arg;
  return s->def_rank == RANK_COMMON;
}

void allocate_commons(Context *ctx) {
  SymbolVec commons = symbols_where(ctx, is_common, NULL);
  for (size_t i = 0; i < commons.len; i++) {
    Symbol *sym = commons.data[i];
    InputSection *isec = arena_new(InputSection);
    isec->file = sym->file;
    isec->name = ".bss";
    isec->type = SHT_NOBITS;
    isec->flags = SHF_ALLOC | SHF_WRITE;
    isec->size = sym->size;
    uint64_t align = sym->value ? sym->value : 1;
    uint8_t p2 = 0;
    while ((1ULL << p2) < align) p2++;
    isec->p2align = p2;
    isec->is_alive = true;
    sym->isec = isec;
    sym->value = 0;
    sym->type = STT_OBJECT;
    vec_push(&ctx->extra_sections, isec);
  }
  vec_free(&commons);
}

// Where a relocation sits, for messages: "a.o:(.text+0x1f) in function f".
const char *describe_site(InputSection *isec, uint64_t off) {
  ObjectFile *f = isec->file;
  const char *fn = NULL;
  for (uint32_t i = 1; i < f->nsyms; i++) {
    const ElfSym *es = &f->esyms[i];
    if (ELF64_ST_TYPE(es->st_info) != STT_FUNC || object_symbol_shndx(f, i) != isec->shndx) continue;
    if (off >= es->st_value && off < es->st_value + MAX(es->st_size, 1)) {
      fn = object_symbol_name(f, i);
      break;
    }
  }
  if (fn) return xasprintf("%s:(%s+0x%llx) in function %s", file_name(f), isec->name, (unsigned long long)off, demangle(fn));
  return xasprintf("%s:(%s+0x%llx)", file_name(f), isec->name, (unsigned long long)off);
}

// The site, preceded by its source line when .debug_line has one (lld:
// "main.c:12" then the object place on the next ">>>" line, under it).
const char *describe_site_with_source(InputSection *isec, uint64_t off, int indent) {
  const char *site = describe_site(isec, off);
  const char *src = source_location(isec->file, isec->shndx, off);
  return src ? xasprintf("%s\n>>>%*s%s", src, indent - 3, "", site) : site;
}

// Undefined references found by the relocation scan (which knows the
// references that relaxation removes), reported in input order.
typedef struct {
  InputSection *isec;
  uint32_t rel_index;
} UndefRef;
static VEC(UndefRef) undef_refs;
static pthread_mutex_t undef_lock = PTHREAD_MUTEX_INITIALIZER;

void note_undefined_reference(InputSection *isec, const ElfRela *rel) {
  ObjectFile *f = isec->file;
  uint32_t idx = ELF64_R_SYM(rel->r_info);
  if (idx < f->first_global || ELF64_ST_BIND(f->esyms[idx].st_info) == STB_WEAK) return;
  pthread_mutex_lock(&undef_lock);
  vec_push(&undef_refs, ((UndefRef){isec, (uint32_t)(rel - isec->rels)}));
  pthread_mutex_unlock(&undef_lock);
}

static int cmp_undef(const void *a, const void *b) {
  const UndefRef *x = a, *y = b;
  if (x->isec->file->priority != y->isec->file->priority) return x->isec->file->priority < y->isec->file->priority ? -1 : 1;
  if (x->isec->shndx != y->isec->shndx) return x->isec->shndx < y->isec->shndx ? -1 : 1;
  return x->rel_index < y->rel_index ? -1 : x->rel_index > y->rel_index;
}

void check_undefined(Context *ctx) {
  enum { MAX_SITES = 3 };
  // GNU ld's --unresolved-symbols for an executable with no shared
  // libraries: ignore-all and ignore-in-object-files ignore every
  // reference (the symbol is 0); --warn-unresolved-symbols and, as in lld,
  // --noinhibit-exec report them as warnings and link.
  // A shared library may leave symbols for the loader to find, unless
  // --no-undefined or -z defs.
  bool report = ctx->cfg.unresolved_symbols != UNRESOLVED_IGNORE && (!ctx->cfg.shared || ctx->cfg.no_undefined);
  bool warn_only = ctx->cfg.warn_unresolved_symbols || ctx->cfg.noinhibit_exec;
  if (undef_refs.len) qsort(undef_refs.data, undef_refs.len, sizeof(UndefRef), cmp_undef);
  typedef struct { Symbol *sym; uint32_t count; const char *sites[MAX_SITES]; } Undef;
  VEC(Undef) undefs = {0};
  for (size_t i = 0; i < undef_refs.len && report; i++) {
    InputSection *isec = undef_refs.data[i].isec;
    const ElfRela *rel = &isec->rels[undef_refs.data[i].rel_index];
    Symbol *sym = isec->file->syms[ELF64_R_SYM(rel->r_info)];
    Undef *u = NULL;
    for (size_t k = 0; k < undefs.len && !u; k++)
      if (undefs.data[k].sym == sym) u = &undefs.data[k];
    if (!u) {
      vec_push(&undefs, ((Undef){.sym = sym}));
      u = &undefs.data[undefs.len - 1];
    }
    if (u->count < MAX_SITES)
      u->sites[u->count] = describe_site_with_source(isec, rel->r_offset, (int)strlen(">>> referenced by "));
    u->count++;
  }
  for (size_t k = 0; k < undefs.len && report; k++) {
    Undef *u = &undefs.data[k];
    if (warn_only) warn("undefined symbol: %s", demangle(u->sym->name));
    else error("undefined symbol: %s", demangle(u->sym->name));
    for (uint32_t s = 0; s < u->count && s < MAX_SITES; s++) note("referenced by %s", u->sites[s]);
    if (u->count > MAX_SITES) note("referenced %u more times", u->count - MAX_SITES);
    suggest_definition(ctx, u->sym);
  }
  vec_free(&undefs);
  vec_free(&undef_refs);
  for (size_t i = 0; i < ctx->cfg.require_defined.len; i++) {
    Symbol *sym = symtab_lookup(ctx, ctx->cfg.require_defined.data[i]);
    if (!sym || !symbol_is_defined(sym))
      error("required symbol %s (--require-defined) is not defined", ctx->cfg.require_defined.data[i]);
  }
  if (ctx->cfg.entry || !ctx->cfg.shared) {
    const char *name = ctx->cfg.entry ? ctx->cfg.entry : "_start";
    Symbol *entry = ctx->entry_symbol = symtab_lookup(ctx, name);
    if (!entry || !symbol_is_defined(entry)) warn("cannot find entry symbol %s; not setting start address", name);
  }
  checkpoint();
}
