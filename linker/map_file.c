// -Map=FILE / -M: the link map in lld's layout. Every output section, the
// input sections in it (with the file or archive member they came from)
// and the symbols defined in each, at their final addresses.
#include "diag.h"
#include "passes.h"
#include "synthetic.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
  uint64_t addr;
  const Symbol *sym;
} MapSym;

static int cmp_mapsym(const void *a, const void *b) {
  const MapSym *x = a, *y = b;
  if (x->addr != y->addr) return x->addr < y->addr ? -1 : 1;
  return strcmp(x->sym->name, y->sym->name);
}

static bool shown(const Symbol *s) {
  return s->name[0] && s->type != STT_SECTION && s->type != STT_FILE && s->isec && s->isec->is_alive;
}

// Symbols grouped by the input section that defines them, by address.
typedef struct {
  InputSection *isec;
  VEC(MapSym) syms;
} SectionSyms;

static int cmp_ptr(const void *a, const void *b) {
  uintptr_t x = (uintptr_t)((const SectionSyms *)a)->isec, y = (uintptr_t)((const SectionSyms *)b)->isec;
  return x < y ? -1 : x > y;
}

static void line(FILE *f, uint64_t addr, uint64_t size, uint64_t align, int indent, const char *text) {
  fprintf(f, "%16llx %16llx %8llx %5llu %*s%s\n", (unsigned long long)addr, (unsigned long long)addr,
          (unsigned long long)size, (unsigned long long)align, indent, "", text);
}

void write_map_file(Context *ctx) {
  if (!ctx->cfg.map_file) return;
  FILE *f = strcmp(ctx->cfg.map_file, "-") ? fopen(ctx->cfg.map_file, "w") : stdout;
  if (!f) fatal("cannot open map file %s: %s", ctx->cfg.map_file, strerror(errno));

  // Collect defined symbols per section; sort so lookups are a bsearch.
  VEC(SectionSyms) groups = {0};
  VEC(MapSym) all = {0};
  for (size_t i = 0; i < ctx->objs.len; i++) {
    ObjectFile *o = ctx->objs.data[i];
    for (uint32_t k = 1; k < o->nsyms; k++) {
      Symbol *s = o->syms[k];
      if (!s || s->file != o || (!s->is_local && s->esym_index != k) || !shown(s)) continue;
      vec_push(&all, ((MapSym){symbol_definition_address(ctx, s), s}));
    }
  }
  // Bucket by section: sort by (section pointer) via a temporary array.
  for (size_t i = 0; i < all.len; i++) {
    SectionSyms key = {.isec = all.data[i].sym->isec};
    vec_push(&groups, key);
  }
  if (groups.len) qsort(groups.data, groups.len, sizeof(SectionSyms), cmp_ptr);
  size_t ng = 0;
  for (size_t i = 0; i < groups.len; i++)
    if (!ng || groups.data[ng - 1].isec != groups.data[i].isec) groups.data[ng++] = groups.data[i];
  groups.len = ng;
  for (size_t i = 0; i < all.len; i++) {
    SectionSyms key = {.isec = all.data[i].sym->isec};
    SectionSyms *g = bsearch(&key, groups.data, groups.len, sizeof(SectionSyms), cmp_ptr);
    vec_push(&g->syms, all.data[i]);
  }
  for (size_t i = 0; i < groups.len; i++)
    qsort(groups.data[i].syms.data, groups.data[i].syms.len, sizeof(MapSym), cmp_mapsym);

  fprintf(f, "%16s %16s %8s %5s %s\n", "VMA", "LMA", "Size", "Align", "Out     In      Symbol");
  for (size_t i = 0; i < ctx->chunks.len; i++) {
    Chunk *c = ctx->chunks.data[i];
    if (!c->shndx || !(c->flags & SHF_ALLOC)) continue;
    line(f, c->addr, c->size, c->align, 0, c->name);
    if (c->kind == CHUNK_MERGED) {
      line(f, c->addr, c->size, c->align, 8, "<merged strings and constants>");
      continue;
    }
    if (c->kind != CHUNK_OUTPUT_SECTION) {
      line(f, c->addr, c->size, c->align, 8, "<internal>");
      continue;
    }
    for (size_t k = 0; k < c->members.len; k++) {
      InputSection *isec = c->members.data[k];
      uint64_t addr = c->addr + isec->offset;
      char *where = isec->file ? xasprintf("%s:(%s)", file_name(isec->file), isec->name)
                               : xasprintf("<internal>:(%s)", isec->name);
      line(f, addr, isec->size, 1ULL << isec->p2align, 8, where);
      free(where);
      SectionSyms key = {.isec = isec};
      SectionSyms *g = groups.len ? bsearch(&key, groups.data, groups.len, sizeof(SectionSyms), cmp_ptr) : NULL;
      for (size_t j = 0; g && j < g->syms.len; j++) line(f, g->syms.data[j].addr, 0, 0, 16, g->syms.data[j].sym->name);
    }
  }
  for (size_t i = 0; i < groups.len; i++) vec_free(&groups.data[i].syms);
  vec_free(&groups);
  vec_free(&all);
  if (f != stdout && fclose(f) != 0) fatal("cannot write map file %s: %s", ctx->cfg.map_file, strerror(errno));
}
