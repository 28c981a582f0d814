// Section placement options: fixed section addresses (--section-start,
// -Ttext, -Tdata, -Tbss), --sort-section and --sort-common, the PT_LOAD
// order and the overlap check that fixed addresses call for.
#include "section_order.h"
#include "diag.h"

bool section_start_address(Context *ctx, size_t i, uint64_t *addr) {
  const Config *cfg = &ctx->cfg;
  if (!cfg->section_starts.len) return false;
  Chunk *c = ctx->chunks.data[i];
  // A merged .rodata follows the regular .rodata: only the first of a name
  // moves, and the rest follow it.
  for (size_t k = i; k-- > 0;) {
    Chunk *p = ctx->chunks.data[k];
    if (!(p->flags & SHF_ALLOC)) continue;
    if (!strcmp(p->name, c->name)) return false;
    break;
  }
  for (size_t k = 0; k < cfg->section_starts.len; k++)
    if (!strcmp(cfg->section_starts.data[k].name, c->name)) {
      *addr = cfg->section_starts.data[k].addr;
      return true;
    }
  return false;
}

typedef struct {
  InputSection *isec;
  size_t index;  // input order: ties keep it
} SortItem;

static int cmp_name(const void *a, const void *b) {
  const SortItem *x = a, *y = b;
  int r = strcmp(x->isec->name, y->isec->name);
  if (r) return r;
  return x->index < y->index ? -1 : x->index > y->index;
}

static int cmp_align_desc(const void *a, const void *b) {
  const SortItem *x = a, *y = b;
  if (x->isec->p2align != y->isec->p2align) return x->isec->p2align > y->isec->p2align ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

static int cmp_align_asc(const void *a, const void *b) {
  const SortItem *x = a, *y = b;
  if (x->isec->p2align != y->isec->p2align) return x->isec->p2align < y->isec->p2align ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

static void sort_isecs(InputSection **v, size_t n, int (*cmp)(const void *, const void *)) {
  if (n < 2) return;
  SortItem *items = xcalloc(n, sizeof *items);
  for (size_t i = 0; i < n; i++) items[i] = (SortItem){v[i], i};
  qsort(items, n, sizeof *items, cmp);
  for (size_t i = 0; i < n; i++) v[i] = items[i].isec;
  free(items);
}

// GNU ld applies --sort-section to every input-section pattern of its
// default script except those of .init and .fini; the constructor lists
// keep their own (priority, crtbegin/crtend) order here as well.
void sort_section_members(Context *ctx, Chunk *c) {
  if (ctx->cfg.sort_section == SORT_SECTION_NONE || c->members.len < 2) return;
  static const char *const keep[] = {".init", ".fini", ".ctors", ".dtors", ".init_array",
                                     ".fini_array", ".preinit_array"};
  for (size_t i = 0; i < ARRAY_SIZE(keep); i++)
    if (!strcmp(c->name, keep[i])) return;
  if (c->type == SHT_INIT_ARRAY || c->type == SHT_FINI_ARRAY || c->type == SHT_PREINIT_ARRAY) return;
  sort_isecs(c->members.data, c->members.len,
             ctx->cfg.sort_section == SORT_SECTION_NAME ? cmp_name : cmp_align_desc);
}

void sort_commons(Context *ctx) {
  if (!ctx->cfg.sort_common) return;
  sort_isecs(ctx->extra_sections.data, ctx->extra_sections.len,
             ctx->cfg.sort_common == 2 ? cmp_align_asc : cmp_align_desc);
}

void sort_load_phdrs(Context *ctx) {
  Phdr *p = ctx->phdrs.data;
  for (size_t i = 1; i < ctx->phdrs.len; i++) {
    if (p[i].type != PT_LOAD) continue;
    Phdr cur = p[i];
    size_t j = i;
    while (j > 0 && p[j - 1].type == PT_LOAD && p[j - 1].vaddr > cur.vaddr) {
      p[j] = p[j - 1];
      j--;
    }
    p[j] = cur;
  }
}

static int cmp_addr(const void *a, const void *b) {
  const Chunk *x = *(Chunk *const *)a, *y = *(Chunk *const *)b;
  if (x->addr != y->addr) return x->addr < y->addr ? -1 : 1;
  return x->shndx < y->shndx ? -1 : x->shndx > y->shndx;
}

static const char *chunk_label(const Chunk *c) {
  if (!c->is_header) return c->name;
  return c->name && c->name[0] ? c->name : "(headers)";
}

void check_section_overlaps(Context *ctx) {
  if (!ctx->cfg.section_starts.len) return;  // only fixed addresses can overlap
  VEC(Chunk *) v = {0};
  for (size_t i = 0; i < ctx->chunks.len; i++) {
    Chunk *c = ctx->chunks.data[i];
    if (!(c->flags & SHF_ALLOC) || !c->size) continue;
    if (c->type == SHT_NOBITS && (c->flags & SHF_TLS)) continue;  // .tbss takes no addresses
    vec_push(&v, c);
  }
  if (v.len > 1) qsort(v.data, v.len, sizeof(Chunk *), cmp_addr);
  Chunk *a = v.len ? v.data[0] : NULL;  // the one reaching farthest so far
  for (size_t i = 1; i < v.len; i++) {
    Chunk *b = v.data[i];
    if (a->addr + a->size <= b->addr) {
      a = b;
      continue;
    }
    error("section %s virtual address range overlaps with %s\n>>> %s range is [0x%llx, 0x%llx]\n"
          ">>> %s range is [0x%llx, 0x%llx]",
          chunk_label(b), chunk_label(a), chunk_label(b), (unsigned long long)b->addr,
          (unsigned long long)(b->addr + b->size - 1), chunk_label(a), (unsigned long long)a->addr,
          (unsigned long long)(a->addr + a->size - 1));
    break;  // one is enough: the rest follow from the same placement
  }
  vec_free(&v);
  checkpoint();
}
