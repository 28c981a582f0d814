// Symbols the linker defines when something refers to them: image bounds
// (_end, __ehdr_start, ...), array bounds for the C library's start-up
// code, __start_SECNAME/__stop_SECNAME, _GLOBAL_OFFSET_TABLE_, _DYNAMIC.
#include "arch.h"
#include "diag.h"
#include "parallel.h"
#include "symbols.h"
#include <ctype.h>

static const char *const fixed_names[] = {
    "__ehdr_start", "__executable_start", "_end", "end", "_etext", "etext", "__etext", "_edata", "edata",
    "__bss_start", "__init_array_start", "__init_array_end", "__fini_array_start", "__fini_array_end",
    "__preinit_array_start", "__preinit_array_end", "__rela_iplt_start", "__rela_iplt_end",
    "_GLOBAL_OFFSET_TABLE_", "_DYNAMIC", "__GNU_EH_FRAME_HDR", "__dso_handle", "_TLS_MODULE_BASE_",
    NULL,
};

static void define(Symbol *s) {
  s->def_rank = RANK_STRONG;
  s->is_linker_defined = true;
  s->binding = STB_GLOBAL;
  s->type = STT_NOTYPE;
  s->file = NULL;
  s->isec = NULL;
  s->value = 0;
  // Linker-made symbols are local to the executable (GNU ld makes them hidden).
  if (s->visibility == STV_DEFAULT) s->visibility = STV_HIDDEN;
}

static bool wanted(const Symbol *s) { return s && !symbol_is_defined(s) && s->is_referenced; }

// Input sections whose names could be __start_/__stop_ targets (C
// identifiers), deduplicated; few in practice.
typedef VEC(const char *) NameVec;

static void add_name(NameVec *names, const char *name) {
  for (size_t j = 0; j < names->len; j++)
    if (!strcmp(names->data[j], name)) return;
  vec_push(names, name);
}

typedef struct {
  Context *ctx;
  NameVec *per_file;
} NameJob;

// Reading every section's name is the cost, so files are scanned in
// parallel; the short lists are merged in input order.
static void file_identifier_sections(void *arg, size_t i) {
  NameJob *job = arg;
  ObjectFile *f = job->ctx->objs.data[i];
  for (uint32_t k = 1; k < f->nshdrs; k++) {
    InputSection *isec = f->sections[k];
    if (isec && isec->is_alive && isec->name[0] != '.' && is_c_identifier(isec->name))
      add_name(&job->per_file[i], isec->name);
  }
}

static NameVec identifier_sections(Context *ctx) {
  NameVec names = {0};
  NameJob job = {ctx, xcalloc(ctx->objs.len ? ctx->objs.len : 1, sizeof(NameVec))};
  parallel_for(ctx->objs.len, file_identifier_sections, &job);
  for (size_t i = 0; i < ctx->objs.len; i++) {
    for (size_t k = 0; k < job.per_file[i].len; k++) add_name(&names, job.per_file[i].data[k]);
    vec_free(&job.per_file[i]);
  }
  free(job.per_file);
  return names;
}

static bool section_exists(const NameVec *names, const char *name) {
  for (size_t j = 0; j < names->len; j++)
    if (!strcmp(names->data[j], name)) return true;
  return false;
}

// Whether S is a wanted __start_SEC or __stop_SEC whose SEC is among the
// input sections NAMES.
static bool names_section_bound(Context *ctx, const Symbol *s, const void *names) {
  (void)ctx;
  if (s->name[0] != '_' || s->name[1] != '_' || !wanted(s)) return false;
  const char *sec = !strncmp(s->name, "__start_", 8) ? s->name + 8 : !strncmp(s->name, "__stop_", 7) ? s->name + 7 : NULL;
  return sec && section_exists(names, sec);
}

void create_linker_symbols(Context *ctx) {
  for (size_t i = 0; fixed_names[i]; i++) {
    Symbol *s = symtab_lookup(ctx, fixed_names[i]);
    if (!wanted(s)) continue;
    if (!strcmp(fixed_names[i], "_DYNAMIC") && !ctx->cfg.pie) continue;  // weak refs see 0
    define(s);
  }
  NameVec names = identifier_sections(ctx);
  if (names.len) {
    SymbolVec bounds = symbols_where(ctx, names_section_bound, &names);
    for (size_t i = 0; i < bounds.len; i++) define(bounds.data[i]);
    vec_free(&bounds);
  }
  vec_free(&names);
}

static Chunk *first_named(Context *ctx, const char *name, bool last) {
  Chunk *found = NULL;
  for (size_t i = 0; i < ctx->chunks.len; i++) {
    Chunk *c = ctx->chunks.data[i];
    if (c->shndx && !strcmp(c->name, name)) {
      found = c;
      if (!last) break;
    }
  }
  return found;
}

static Chunk *first_of_type(Context *ctx, uint32_t type) {
  for (size_t i = 0; i < ctx->chunks.len; i++)
    if (ctx->chunks.data[i]->type == type && (ctx->chunks.data[i]->flags & SHF_ALLOC)) return ctx->chunks.data[i];
  return NULL;
}

static void set(Context *ctx, const char *name, Chunk *c, bool at_end) {
  Symbol *s = symtab_lookup(ctx, name);
  if (!s || !s->is_linker_defined) return;
  if (!c) c = ctx->ehdr;  // empty range: start == end anywhere
  symbol_aux(ctx, s)->chunk = c;
  s->value = at_end ? c->size : 0;
}

// A __start_/__stop_ symbol defined above, not yet given its chunk.
static bool is_unplaced_bound(Context *ctx, const Symbol *s, const void *arg) {
  (void)arg;
  return s->is_linker_defined && !symbol_chunk(ctx, s) && !s->file &&
         (!strncmp(s->name, "__start_", 8) || !strncmp(s->name, "__stop_", 7));
}

void fix_linker_symbols(Context *ctx) {
  Chunk *last_alloc = NULL, *last_exec = NULL, *last_data = NULL, *first_bss = NULL;
  for (size_t i = 0; i < ctx->chunks.len; i++) {
    Chunk *c = ctx->chunks.data[i];
    if (!(c->flags & SHF_ALLOC)) continue;
    bool tbss = c->type == SHT_NOBITS && (c->flags & SHF_TLS);
    if (!tbss) last_alloc = c;
    if (c->flags & SHF_EXECINSTR) last_exec = c;
    if (c->type != SHT_NOBITS) last_data = c;
    if (c->type == SHT_NOBITS && !tbss && !first_bss) first_bss = c;
  }
  set(ctx, "__ehdr_start", ctx->ehdr, false);
  set(ctx, "__executable_start", ctx->ehdr, false);
  set(ctx, "__dso_handle", ctx->ehdr, false);
  set(ctx, "_end", last_alloc, true);
  set(ctx, "end", last_alloc, true);
  set(ctx, "_etext", last_exec, true);
  set(ctx, "etext", last_exec, true);
  set(ctx, "__etext", last_exec, true);
  set(ctx, "_edata", last_data, true);
  set(ctx, "edata", last_data, true);
  if (first_bss) set(ctx, "__bss_start", first_bss, false);
  else set(ctx, "__bss_start", last_data, true);
  Chunk *init = first_of_type(ctx, SHT_INIT_ARRAY), *fini = first_of_type(ctx, SHT_FINI_ARRAY),
        *preinit = first_of_type(ctx, SHT_PREINIT_ARRAY);
  set(ctx, "__init_array_start", init, false);
  set(ctx, "__init_array_end", init, init != NULL);
  set(ctx, "__fini_array_start", fini, false);
  set(ctx, "__fini_array_end", fini, fini != NULL);
  set(ctx, "__preinit_array_start", preinit, false);
  set(ctx, "__preinit_array_end", preinit, preinit != NULL);
  // static-pie relocates IFUNC slots through DT_JMPREL: an empty range here.
  Chunk *irel = !ctx->cfg.pie && ctx->rela_plt->shndx ? ctx->rela_plt : NULL;
  set(ctx, "__rela_iplt_start", irel, false);
  set(ctx, "__rela_iplt_end", irel, irel != NULL);
  set(ctx, "_GLOBAL_OFFSET_TABLE_", ctx->arch->got_symbol_is_gotplt && ctx->gotplt->shndx ? ctx->gotplt : ctx->got, false);
  if (ctx->dynamic) set(ctx, "_DYNAMIC", ctx->dynamic, false);
  if (ctx->eh_frame_hdr) set(ctx, "__GNU_EH_FRAME_HDR", ctx->eh_frame_hdr, false);
  Chunk *tls = NULL;
  for (size_t i = 0; i < ctx->chunks.len && !tls; i++)
    if (ctx->chunks.data[i]->flags & SHF_TLS) tls = ctx->chunks.data[i];
  // Local-dynamic TLS descriptor code adds x@dtpoff to the descriptor's
  // result for _TLS_MODULE_BASE_, the start of the TLS block. Where x@dtpoff
  // is relaxed to x's offset from the thread pointer, the base must be at
  // the thread pointer (its own offset 0) for the sum to stay right.
  set(ctx, "_TLS_MODULE_BASE_", tls, false);
  Symbol *tls_base = symtab_lookup(ctx, "_TLS_MODULE_BASE_");
  if (tls && tls_base && tls_base->is_linker_defined && ctx->arch->dtpoff_relaxes_to_tpoff)
    tls_base->value = ctx->tp_addr - tls->addr;
  SymbolVec bounds = symbols_where(ctx, is_unplaced_bound, NULL);
  for (size_t i = 0; i < bounds.len; i++) {
    Symbol *s = bounds.data[i];
    if (!strncmp(s->name, "__start_", 8)) {
      Chunk *c = first_named(ctx, s->name + 8, false);
      symbol_aux(ctx, s)->chunk = c ? c : ctx->ehdr;
      s->value = 0;
    } else if (!strncmp(s->name, "__stop_", 7)) {
      Chunk *c = first_named(ctx, s->name + 7, true);
      symbol_aux(ctx, s)->chunk = c ? c : ctx->ehdr;
      s->value = c ? c->size : 0;
    }
  }
  vec_free(&bounds);
}
