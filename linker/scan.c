// Relocation scan: the target backend marks what each relocation needs;
// then GOT, TLS and IFUNC slots are assigned in input order so that the
// output does not depend on thread timing.
#include "arch.h"
#include "diag.h"
#include "parallel.h"
#include "passes.h"
#include "reloc.h"
#include "symbols.h"

// .eh_frame is rewritten rather than relocated in place; the only thing
// its relocations can need in an executable is a fixed address for a
// shared library's function (a personality routine encoded as an absolute
// address).
static void scan_eh_frame(Context *ctx, InputSection *isec) {
  for (uint32_t k = 0; k < isec->nrels; k++) {
    const ElfRela *rel = &isec->rels[k];
    Symbol *sym = isec->file->syms[ELF64_R_SYM(rel->r_info)];
    // (pc-relative personality pointers, -fPIC's usual form, need nothing)
    if (sym && sym->is_preemptible) need_direct_access(ctx, isec, rel, sym);
  }
}

static void scan_file(Context *ctx, size_t i) {
  ObjectFile *f = ctx->objs.data[i];
  if (f->nshdrs > 1) prefetch_reloc_symbols(f->sections + 1, f->nshdrs - 1, false);
  for (uint32_t s = 1; s < f->nshdrs; s++) {
    InputSection *isec = f->sections[s];
    if (!isec || !isec->is_alive || !(isec->flags & SHF_ALLOC) || !isec->nrels) continue;
    if (isec->is_eh_frame) {
      if (ctx->is_dynamic && !ctx->cfg.shared) scan_eh_frame(ctx, isec);
      continue;
    }
    ctx->arch->scan_relocs(ctx, isec);
  }
}

static void scan_task(void *arg, size_t i) { scan_file(arg, i); }

// Each file's symbols that the scan marked, in symbol order: finding them
// reads every symbol, so it runs in parallel; slots are then assigned in
// input order from these short lists.
typedef struct {
  Context *ctx;
  VEC(Symbol *) *marked;
} MarkedJob;

static void collect_marked(void *arg, size_t i) {
  MarkedJob *job = arg;
  ObjectFile *f = job->ctx->objs.data[i];
  for (uint32_t k = 1; k < f->nsyms; k++) {
    Symbol *s = f->syms[k];
    if (k + 16 < f->nsyms) __builtin_prefetch(f->syms[k + 16]);
    if (s && atomic_load_explicit(&s->needs, memory_order_relaxed)) vec_push(&job->marked[i], s);
  }
}

enum { MARK_SLICES = 64 };

static void collect_marked_globals(void *arg, size_t i) {
  MarkedJob *job = arg;
  size_t n = job->ctx->symbols_in_order.len;
  for (size_t k = n * i / MARK_SLICES; k < n * (i + 1) / MARK_SLICES; k++) {
    Symbol *s = job->ctx->symbols_in_order.data[k];
    if (atomic_load_explicit(&s->needs, memory_order_relaxed)) vec_push(&job->marked[i], s);
  }
}

typedef struct {
  Context *ctx;
  uint64_t *first;  // per file: its sections' count, then the first index
} DynrelJob;

static void count_dynrels(void *arg, size_t i) {
  DynrelJob *job = arg;
  ObjectFile *f = job->ctx->objs.data[i];
  for (uint32_t s = 1; s < f->nshdrs; s++)
    if (f->sections[s]) job->first[i] += f->sections[s]->num_dynrel;
}

static void place_dynrels(void *arg, size_t i) {
  DynrelJob *job = arg;
  ObjectFile *f = job->ctx->objs.data[i];
  uint64_t next = job->first[i];
  for (uint32_t s = 1; s < f->nshdrs; s++) {
    InputSection *isec = f->sections[s];
    if (!isec || !isec->num_dynrel) continue;
    isec->dynrel_index = (uint32_t)next;
    next += isec->num_dynrel;
  }
}

static void assign_slots(Context *ctx, Symbol *s) {
  uint32_t needs = atomic_load_explicit(&s->needs, memory_order_relaxed);
  if (needs & NEEDS_TLSLD) ctx->needs_tlsld = true;
  if (!(needs & ~NEEDS_TLSLD)) return;  // no per-symbol slot: no side-table entry
  SymbolAux *aux = symbol_aux(ctx, s);
  if ((needs & NEEDS_IPLT) && aux->iplt_index < 0 && symbol_is_ifunc(s)) {
    aux->iplt_index = (int32_t)ctx->iplt_syms.len;
    vec_push(&ctx->iplt_syms, s);
  }
  // Position-dependent code's direct use: a function's PLT entry becomes
  // its address, data is copied into the executable.
  bool func = s->type == STT_FUNC;
  if (((needs & NEEDS_PLT) || ((needs & NEEDS_COPY) && func)) && aux->plt_index < 0 && s->is_preemptible) {
    aux->plt_index = (int32_t)ctx->plt_syms.len;
    vec_push(&ctx->plt_syms, s);
  }
  if ((needs & NEEDS_COPY) && !func && symbol_is_imported(s) && !symbol_chunk(ctx, s)) {
    aux->chunk = ctx->dynbss;  // placed by create_dynamic_symbols
    vec_push(&ctx->copy_syms, s);
  }
  if ((needs & NEEDS_TLSDESC) && aux->tlsdesc_index < 0) {
    aux->tlsdesc_index = (int32_t)ctx->num_got_slots;
    ctx->num_got_slots += 2;
    vec_push(&ctx->tlsdesc_syms, s);
  }
  if ((needs & NEEDS_GOT) && aux->got_index < 0) {
    aux->got_index = (int32_t)ctx->num_got_slots++;
    vec_push(&ctx->got_syms, s);
  }
  if ((needs & NEEDS_GOTTP) && aux->gottp_index < 0) {
    aux->gottp_index = (int32_t)ctx->num_got_slots++;
    vec_push(&ctx->gottp_syms, s);
  }
  if ((needs & NEEDS_TLSGD) && aux->tlsgd_index < 0) {
    aux->tlsgd_index = (int32_t)ctx->num_got_slots;
    ctx->num_got_slots += 2;
    vec_push(&ctx->tlsgd_syms, s);
  }
}

void scan_relocations(Context *ctx) {
  if (!ctx->arch->got_symbol_is_gotplt) ctx->num_got_slots = 1;  // .got[0] = _DYNAMIC
  parallel_for(ctx->objs.len, scan_task, ctx);
  MarkedJob job = {ctx, xcalloc(ctx->objs.len ? ctx->objs.len : 1, sizeof *job.marked)};
  parallel_for(ctx->objs.len, collect_marked, &job);
  for (size_t i = 0; i < ctx->objs.len; i++) {
    for (size_t k = 0; k < job.marked[i].len; k++) assign_slots(ctx, job.marked[i].data[k]);
    vec_free(&job.marked[i]);
  }
  free(job.marked);
  // Symbols that only the linker refers to (IFUNCs used by no object),
  // found in parallel slices of the symbol list (assigning again is a no-op).
  job.marked = xcalloc(MARK_SLICES, sizeof *job.marked);
  parallel_for(MARK_SLICES, collect_marked_globals, &job);
  for (size_t i = 0; i < MARK_SLICES; i++) {
    for (size_t k = 0; k < job.marked[i].len; k++) assign_slots(ctx, job.marked[i].data[k]);
    vec_free(&job.marked[i]);
  }
  free(job.marked);
  if (ctx->needs_tlsld) {
    ctx->tlsld_index = (int32_t)ctx->num_got_slots;
    ctx->num_got_slots += 2;
  }
  // Each section's share of .rela.dyn, in input order, after the GOT's:
  // each file's total, prefix sums, then each file's sections. (Only an
  // output with .rela.dyn has any; the walks read every section.)
  if (!ctx->rela_dyn) return;
  DynrelJob dj = {ctx, xcalloc(ctx->objs.len + 1, sizeof(uint64_t))};
  parallel_for(ctx->objs.len, count_dynrels, &dj);
  uint64_t next = 0;
  for (size_t i = 0; i < ctx->objs.len; i++) {
    uint64_t n = dj.first[i];
    dj.first[i] = next;
    next += n;
  }
  parallel_for(ctx->objs.len, place_dynrels, &dj);
  free(dj.first);
  ctx->num_dynrel = next;
}
