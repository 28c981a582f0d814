// --gc-sections: keep what is reachable through relocations from the roots
// (entry, -u, init/fini arrays, retained and note sections, sections named
// by referenced __start_/__stop_ symbols); everything else is dropped.
#include "diag.h"
#include "eh_frame.h"
#include "parallel.h"
#include "passes.h"
#include "symbols.h"
#include <ctype.h>
#include <stdio.h>

// Sections reached but not yet followed, one list per thread. Marking is
// a claim (an atomic exchange of is_visited), so every thread may mark;
// only which thread follows a section depends on timing, and the set of
// sections reached does not.
typedef VEC(InputSection *) SectionVec;
static SectionVec *frontier;  // parallel_threads() lists

static void mark(InputSection *isec) {
  if (!isec || !isec->is_alive || __atomic_load_n(&isec->is_visited, __ATOMIC_RELAXED)) return;
  if (__atomic_exchange_n(&isec->is_visited, true, __ATOMIC_RELAXED)) return;
  int w = parallel_worker_index();
  vec_push(&frontier[w < 0 ? 0 : w], isec);
}

static void mark_symbol(Symbol *sym) {
  if (sym && symbol_is_defined(sym)) mark(sym->isec);
}

static bool is_root(Context *ctx, InputSection *isec) {
  const char *n = isec->name;
  if (!(isec->flags & SHF_ALLOC)) return false;
  if (isec->flags & SHF_GNU_RETAIN) return true;
  if (isec->type == SHT_NOTE || isec->type == SHT_INIT_ARRAY || isec->type == SHT_FINI_ARRAY ||
      isec->type == SHT_PREINIT_ARRAY)
    return true;
  if (!strncmp(n, ".init_array", 11) || !strncmp(n, ".fini_array", 11) || !strncmp(n, ".ctors", 6) ||
      !strncmp(n, ".dtors", 6) || !strcmp(n, ".init") || !strcmp(n, ".fini") || !strncmp(n, ".jcr", 4) ||
      !strncmp(n, ".preinit_array", 14))
    return true;
  if (is_c_identifier(n)) {
    char *start = xasprintf("__start_%s", n), *stop = xasprintf("__stop_%s", n);
    Symbol *s1 = symtab_lookup(ctx, start), *s2 = symtab_lookup(ctx, stop);
    free(start);
    free(stop);
    return (s1 && s1->is_referenced) || (s2 && s2->is_referenced);
  }
  return false;
}

static void follow(void *arg, size_t i) {
  InputSection *isec = ((InputSection **)arg)[i];
  ObjectFile *f = isec->file;
  for (uint32_t r = 0; r < isec->nrels; r++) mark_symbol(f->syms[ELF64_R_SYM(isec->rels[r].r_info)]);
}

// Follows relocations breadth first, each level's sections in parallel.
static void propagate(void) {
  SectionVec level = {0};
  for (;;) {
    level.len = 0;
    for (int t = 0; t < parallel_threads(); t++) {
      for (size_t k = 0; k < frontier[t].len; k++) vec_push(&level, frontier[t].data[k]);
      frontier[t].len = 0;
    }
    if (!level.len) break;
    parallel_for(level.len, follow, level.data);
  }
  vec_free(&level);
}

static void mark_roots(void *arg, size_t i) {
  Context *ctx = arg;
  ObjectFile *f = ctx->objs.data[i];
  for (uint32_t s = 1; s < f->nshdrs; s++) {
    InputSection *isec = f->sections[s];
    if (!isec) continue;
    // CIEs name personality routines; keep those whatever code survives.
    if (isec->is_eh_frame) {
      for (uint32_t k = 0; k < isec->eh_nrecords; k++) {
        EhRecord *rec = &isec->eh_records[k];
        if (!rec->is_cie) continue;
        for (uint32_t r = rec->rel_begin; r < rec->rel_end; r++) mark_symbol(f->syms[ELF64_R_SYM(isec->rels[r].r_info)]);
      }
      continue;
    }
    if (is_root(ctx, isec)) mark(isec);
  }
}

static void sweep(void *arg, size_t i) {
  Context *ctx = arg;
  ObjectFile *f = ctx->objs.data[i];
  for (uint32_t s = 1; s < f->nshdrs; s++) {
    InputSection *isec = f->sections[s];
    if (!isec || !(isec->flags & SHF_ALLOC) || isec->is_eh_frame || isec->is_visited) continue;
    isec->is_alive = false;
    // (in input order: with --print-gc-sections this runs on one thread)
    if (ctx->cfg.print_gc_sections) fprintf(stderr, "xld: removing unused section %s:(%s)\n", file_name(f), isec->name);
  }
}

void gc_sections(Context *ctx) {
  if (!ctx->cfg.gc_sections) return;
  frontier = xcalloc((size_t)parallel_threads(), sizeof *frontier);
  mark_symbol(symtab_lookup(ctx, ctx->cfg.entry ? ctx->cfg.entry : "_start"));
  // What the loader can reach: symbols shared libraries refer to, and
  // every symbol a shared library or --export-dynamic exports.
  bool export_all = ctx->cfg.shared || ctx->cfg.export_dynamic;
  for (size_t i = 0; ctx->is_dynamic && i < ctx->symbols_in_order.len; i++) {
    Symbol *s = ctx->symbols_in_order.data[i];
    if (s->is_exported || (export_all && symbol_is_defined(s) && s->visibility == STV_DEFAULT)) mark_symbol(s);
  }
  for (size_t i = 0; i < ctx->cfg.undefined.len; i++) mark_symbol(symtab_lookup(ctx, ctx->cfg.undefined.data[i]));
  for (size_t i = 0; i < ctx->cfg.require_defined.len; i++)
    mark_symbol(symtab_lookup(ctx, ctx->cfg.require_defined.data[i]));
  parallel_for(ctx->objs.len, mark_roots, ctx);
  for (size_t i = 0; i < ctx->extra_sections.len; i++) mark(ctx->extra_sections.data[i]);
  propagate();
  // LSDAs of live functions can make more code live; repeat to a fixpoint.
  while (eh_frame_mark_lsda(ctx, mark)) propagate();
  if (ctx->cfg.print_gc_sections)
    for (size_t i = 0; i < ctx->objs.len; i++) sweep(ctx, i);
  else
    parallel_for(ctx->objs.len, sweep, ctx);
  for (int t = 0; t < parallel_threads(); t++) vec_free(&frontier[t]);
  free(frontier);
  frontier = NULL;
}
