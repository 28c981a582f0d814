// What a dynamically linked executable tells its loader: .interp, the
// dynamic symbol table with its hash tables and versions, copy
// relocations, and the .dynamic entries that point at all of it.
//
// Everything that depends only on names (.dynstr, .hash, .gnu.hash,
// .gnu.version, .gnu.version_r) is built once here, before layout, into
// byte buffers that the write pass copies; .dynsym and .dynamic hold
// addresses and are written after layout.
#include "dynamic.h"
#include "dynamic_tables.h"
#include "arch.h"
#include "diag.h"
#include "input.h"
#include "layout.h"
#include "symbols.h"
#include "synthetic.h"
#include "version_script.h"


// ------------------------------------------------------------ copy relocations

// Data that position-dependent code reads directly lives in the
// executable: the loader copies its initial value from the library (an
// R_*_COPY relocation) and the library binds to the copy. Every name the
// library gives the same address (environ, __environ, _environ) moves with it.
static void allocate_copies(Context *ctx) {
  uint64_t size = 0, max_align = 1;
  VEC(Symbol *) placed = {0}, copies = {0};
  for (size_t i = 0; i < ctx->copy_syms.len; i++) {
    Symbol *s = ctx->copy_syms.data[i];
    bool done = false;
    for (size_t k = 0; k < placed.len && !done; k++) done = placed.data[k] == s;
    if (done) continue;  // an alias of an earlier copy
    vec_push(&copies, s);
    ObjectFile *lib = s->file;
    uint64_t lib_value = lib->esyms[s->esym_index].st_value;
    uint64_t align = MIN(lib_value ? lib_value & -lib_value : 64, 64);
    max_align = MAX(max_align, align);
    size = align_up(size, align);
    uint64_t offset = size;
    size += MAX(s->size, 1);
    for (uint32_t k = lib->first_global; k < lib->nsyms; k++) {
      Symbol *alias = lib->syms[k];
      if (!alias || (alias != s && (alias->file != lib || lib->esyms[k].st_value != lib_value ||
                                    lib->esyms[k].st_shndx == SHN_UNDEF)))
        continue;
      symbol_aux(ctx, alias)->chunk = ctx->dynbss;
      alias->value = offset;
      alias->is_exported = true;
      symtab_list(ctx, alias);
      vec_push(&placed, alias);
    }
  }
  vec_free(&ctx->copy_syms);
  ctx->copy_syms.data = copies.data, ctx->copy_syms.len = copies.len, ctx->copy_syms.cap = copies.cap;
  vec_free(&placed);
  ctx->dynbss->size = size;
  ctx->dynbss->align = max_align;
}

// ------------------------------------------------------------ .dynsym

static bool in_hash_part(Context *ctx, const Symbol *s) {
  if (s->is_exported) return true;
  // A canonical PLT entry is the function's address for the whole
  // process: libraries must find it in the executable's hash table.
  return symbol_is_imported(s) && !ctx->cfg.shared && (atomic_load(&s->needs) & NEEDS_COPY) && s->type == STT_FUNC;
}

// --exclude-libs: a symbol defined in one of these archives stays local.
static bool is_excluded(Context *ctx, const Symbol *s) {
  if (!ctx->cfg.exclude_libs.len || !s->file || !s->file->archive) return false;
  const char *path = s->file->archive->path, *slash = strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  for (size_t i = 0; i < ctx->cfg.exclude_libs.len; i++) {
    const char *x = ctx->cfg.exclude_libs.data[i];
    if (!strcmp(x, "ALL") || !strcmp(x, base)) return true;
  }
  return false;
}

static bool is_dynamic_symbol(Context *ctx, const Symbol *s) {
  if (s->is_local) return false;
  if (!symbol_is_defined(s)) return s->is_preemptible;  // a shared library's undefined reference
  if (symbol_is_imported(s)) return s->is_referenced || s->is_exported;
  if (s->file && !s->file->is_alive) return false;
  if (s->isec && !s->isec->is_alive) return false;
  if (s->visibility != STV_DEFAULT || s->is_linker_defined || is_excluded(ctx, s)) return false;
  return s->is_exported || ctx->cfg.export_dynamic;
}

static int cmp_bucket(const void *a, const void *b) {
  const uint64_t *x = a, *y = b;  // (bucket << 32 | position)
  return *x < *y ? -1 : *x > *y;
}

static void order_dynsyms(Context *ctx, uint32_t *nbuckets) {
  VEC(Symbol *) imports = {0}, exports = {0};
  for (size_t i = 0; i < ctx->symbols_in_order.len; i++) {
    Symbol *s = ctx->symbols_in_order.data[i];
    if (!is_dynamic_symbol(ctx, s)) continue;
    if ((symbol_is_imported(s) || !symbol_is_defined(s)) && !s->is_exported && !symbol_chunk(ctx, s) &&
        !in_hash_part(ctx, s))
      vec_push(&imports, s);
    else {
      if (!symbol_is_imported(s)) s->is_exported = true;
      vec_push(&exports, s);
    }
  }
  // .gnu.hash wants the hashed symbols last, grouped by bucket.
  uint32_t nb = (uint32_t)MAX(1, exports.len / 4);
  uint64_t *keys = xmalloc((exports.len + 1) * sizeof(uint64_t));
  for (size_t i = 0; i < exports.len; i++)
    keys[i] = (uint64_t)(gnu_hash(unversioned_name(exports.data[i])) % nb) << 32 | i;
  qsort(keys, exports.len, sizeof *keys, cmp_bucket);
  ctx->dynsyms.len = 0;
  for (size_t i = 0; i < imports.len; i++) vec_push(&ctx->dynsyms, imports.data[i]);
  ctx->num_local_dynsyms = (uint32_t)imports.len + 1;
  for (size_t i = 0; i < exports.len; i++) vec_push(&ctx->dynsyms, exports.data[(uint32_t)keys[i]]);
  free(keys);
  vec_free(&imports);
  vec_free(&exports);
  ctx->dyn->names = xcalloc(ctx->dynsyms.len + 1, sizeof(char *));
  for (size_t i = 0; i < ctx->dynsyms.len; i++) {
    symbol_aux(ctx, ctx->dynsyms.data[i])->dynsym_index = (int32_t)i + 1;
    ctx->dyn->names[i + 1] = unversioned_name(ctx->dynsyms.data[i]);
  }
  *nbuckets = nb;
}

// ------------------------------------------------------------ preemption

// Which symbols the loader binds by name. In an executable, those a shared
// library defines. In a shared library also its own default-visibility
// definitions (another module may interpose them; -Bsymbolic and
// -Bsymbolic-functions bind them here) and whatever it leaves undefined.
// A shared library exports every default or protected definition.
void mark_preemptible(Context *ctx) {
  if (!ctx->is_dynamic) return;
  const Config *cfg = &ctx->cfg;
  for (size_t i = 0; i < ctx->symbols_in_order.len; i++) {
    Symbol *s = ctx->symbols_in_order.data[i];
    if (s->is_local) continue;
    if (symbol_is_imported(s)) {
      s->is_preemptible = true;
      continue;
    }
    bool listed = ctx->dynamic_list.nodes.len && dynamic_list_has(ctx, s->name);
    if (!cfg->shared) {
      // --dynamic-list / --export-dynamic-symbol export an executable's symbols.
      if (listed && symbol_is_defined(s) && s->visibility == STV_DEFAULT && !s->is_linker_defined &&
          !is_excluded(ctx, s))
        s->is_exported = true;
      continue;
    }
    if (!symbol_is_defined(s)) {
      s->is_preemptible = s->is_referenced;
      continue;
    }
    if ((s->visibility != STV_DEFAULT && s->visibility != STV_PROTECTED) || s->is_linker_defined) continue;
    if ((s->file && !s->file->is_alive) || is_excluded(ctx, s)) continue;
    bool hidden;
    if (!explicit_version(s, &hidden) && version_script_lookup(ctx, s->name) == VERSION_LOCAL) continue;
    s->is_exported = true;
    // A dynamic list binds everything else locally (as -Bsymbolic); what it
    // or --export-dynamic-symbol names stays interposable.
    bool all_local = cfg->bsymbolic == BSYMBOLIC_ALL || cfg->dynamic_lists.len;
    bool func = s->type == STT_FUNC || s->type == STT_GNU_IFUNC;
    bool binds_here = s->visibility == STV_PROTECTED ||
                      (!listed && (all_local || (cfg->bsymbolic == BSYMBOLIC_FUNCTIONS && func)));
    s->is_preemptible = !binds_here;
  }
}

// ------------------------------------------------------------ the pass

static void copy_bytes(Context *ctx, Chunk *c, uint8_t *buf) {
  const Bytes *b = c == ctx->dynstr ? &ctx->dyn->dynstr : c == ctx->versym ? &ctx->dyn->versym
                 : c == ctx->verneed ? &ctx->dyn->verneed : c == ctx->verdef ? &ctx->dyn->verdef
                 : c == ctx->hash ? &ctx->dyn->hash : &ctx->dyn->gnu_hash;
  memcpy(buf, b->data, b->len);
}

static void write_plt(Context *ctx, Chunk *c, uint8_t *buf) {
  const Arch *a = ctx->arch;
  bool pad = ctx->plt_landing_pads;
  a->write_plt0(buf, c->addr, ctx->gotplt->addr, pad);
  for (size_t i = 0; i < ctx->plt_syms.len; i++) {
    uint64_t entry = plt_entry_start(ctx, (uint32_t)i);
    a->write_plt_entry(buf + (entry - c->addr), entry, gotplt_slot(ctx, (uint32_t)i), c->addr, (uint32_t)i, pad);
  }
}

static void write_interp(Context *ctx, Chunk *c, uint8_t *buf) {
  memcpy(buf, dynamic_linker_path(ctx), c->size);
}

const char *dynamic_linker_path(Context *ctx) {
  return ctx->cfg.dynamic_linker ? ctx->cfg.dynamic_linker : ctx->arch->dynamic_linker;
}

void create_dynamic_chunks(Context *ctx) {
  if (!ctx->is_dynamic) return;
  if (!ctx->cfg.shared && dynamic_linker_path(ctx))
    ctx->interp = add_synthetic_chunk(ctx, ".interp", SHT_PROGBITS, SHF_ALLOC, 1, write_interp);
  ctx->plt = add_synthetic_chunk(ctx, ".plt", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, 16, write_plt);
  ctx->dynbss = add_synthetic_chunk(ctx, ".dynbss", SHT_NOBITS, SHF_ALLOC | SHF_WRITE, 1, NULL);
  if (ctx->cfg.hash_style & HASH_STYLE_SYSV) {
    ctx->hash = add_synthetic_chunk(ctx, ".hash", SHT_HASH, SHF_ALLOC, 8, copy_bytes);
    ctx->hash->entsize = 4;
  }
  if (ctx->cfg.hash_style & HASH_STYLE_GNU) ctx->gnu_hash = add_synthetic_chunk(ctx, ".gnu.hash", SHT_GNU_HASH, SHF_ALLOC, 8, copy_bytes);
  ctx->versym = add_synthetic_chunk(ctx, ".gnu.version", SHT_GNU_versym, SHF_ALLOC, 2, copy_bytes);
  ctx->versym->entsize = 2;
  ctx->verdef = add_synthetic_chunk(ctx, ".gnu.version_d", SHT_GNU_verdef, SHF_ALLOC, 8, copy_bytes);
  ctx->verneed = add_synthetic_chunk(ctx, ".gnu.version_r", SHT_GNU_verneed, SHF_ALLOC, 8, copy_bytes);
  ctx->dynstr->write = copy_bytes;
}

void create_dynamic_symbols(Context *ctx) {
  if (!ctx->is_dynamic) return;
  DynamicInfo *di = ctx->dyn = xcalloc(1, sizeof(DynamicInfo));
  vec_push(&di->dynstr, 0);
  ctx->init_symbol = symtab_lookup(ctx, ctx->cfg.init_symbol ? ctx->cfg.init_symbol : "_init");
  ctx->fini_symbol = symtab_lookup(ctx, ctx->cfg.fini_symbol ? ctx->cfg.fini_symbol : "_fini");
  allocate_copies(ctx);
  // With every input marked for BTI or IBT, the PLT gets landing pads and
  // the output keeps the mark.
  if (ctx->plt_syms.len) ctx->plt_landing_pads = wants_landing_pads(ctx);
  for (size_t i = 0; i < ctx->dsos.len; i++) {
    SharedInfo *si = ctx->dsos.data[i]->shared;
    if (si->is_needed) si->soname_offset = add_string(&di->dynstr, si->soname);
  }
  if (ctx->cfg.soname) di->soname_offset = add_string(&di->dynstr, ctx->cfg.soname);
  if (ctx->cfg.rpaths.len) {
    size_t len = 0;
    for (size_t i = 0; i < ctx->cfg.rpaths.len; i++) len += strlen(ctx->cfg.rpaths.data[i]) + 1;
    char *joined = xcalloc(1, len);
    for (size_t i = 0; i < ctx->cfg.rpaths.len; i++) {
      if (i) strcat(joined, ":");
      strcat(joined, ctx->cfg.rpaths.data[i]);
    }
    di->rpath_offset = add_string(&di->dynstr, joined);
    free(joined);
  }
  uint32_t nbuckets;
  order_dynsyms(ctx, &nbuckets);
  di->name_offsets = xcalloc(ctx->dynsyms.len + 1, sizeof(uint32_t));
  for (size_t i = 0; i < ctx->dynsyms.len; i++) di->name_offsets[i + 1] = add_string(&di->dynstr, di->names[i + 1]);
  build_versions(ctx, di);
  if (ctx->gnu_hash) build_gnu_hash(ctx, di, nbuckets);
  if (ctx->hash) build_sysv_hash(ctx, di);
  if (ctx->interp) ctx->interp->size = strlen(dynamic_linker_path(ctx)) + 1;
  ctx->dynstr->size = di->dynstr.len;
  ctx->dynsym->size = (ctx->dynsyms.len + 1) * sizeof(ElfSym);
  ctx->versym->size = di->versym.len;
  ctx->verneed->size = di->verneed.len;
  ctx->verneed->info = ctx->num_verneed;
  ctx->verdef->size = di->verdef.len;
  ctx->verdef->info = ctx->num_verdef;
  if (ctx->hash) ctx->hash->size = di->hash.len;
  if (ctx->gnu_hash) ctx->gnu_hash->size = di->gnu_hash.len;
}

// ------------------------------------------------------------ writing

static uint32_t dynsym_shndx(Context *ctx, const Symbol *s) {
  if (s->frag) return s->frag->parent->chunk.shndx;
  if (s->isec) return s->isec->osec ? s->isec->osec->shndx : SHN_ABS;
  Chunk *chunk = symbol_chunk(ctx, s);
  if (chunk) return chunk->shndx ? chunk->shndx : SHN_ABS;
  if (symbol_is_imported(s) || !symbol_is_defined(s)) return SHN_UNDEF;
  return SHN_ABS;
}

void write_dynsym(Context *ctx, Chunk *c, uint8_t *buf) {
  (void)c;
  memset(buf, 0, sizeof(ElfSym));
  if (!ctx->dyn) return;
  for (size_t i = 0; i < ctx->dynsyms.len; i++) {
    Symbol *s = ctx->dynsyms.data[i];
    ElfSym e = {0};
    e.st_name = ctx->dyn->name_offsets[i + 1];
    // A reference is weak when every reference is; a definition as defined.
    bool ref = symbol_is_imported(s) || !symbol_is_defined(s);
    uint8_t bind = (ref ? !s->has_strong_ref : s->binding == STB_WEAK) ? STB_WEAK : STB_GLOBAL;
    e.st_info = ELF64_ST_INFO(bind, s->type);
    e.st_other = s->visibility;
    e.st_shndx = (uint16_t)dynsym_shndx(ctx, s);
    if (e.st_shndx != SHN_UNDEF) e.st_size = s->size;
    if (e.st_shndx != SHN_UNDEF) e.st_value = symbol_definition_address(ctx, s);
    else if (in_hash_part(ctx, s)) e.st_value = symbol_address(ctx, s);  // canonical PLT entry
    if (s->type == STT_TLS && e.st_shndx != SHN_UNDEF) e.st_value -= ctx->tls_begin;
    memcpy(buf + (i + 1) * sizeof(ElfSym), &e, sizeof e);
  }
}

// The .dynamic entries, written to OUT (when not NULL); returns their count.
size_t dynamic_entries(Context *ctx, Elf64_Dyn *out) {
  size_t n = 0;
#define DYN(tag, val)                                                  \
  do {                                                                 \
    if (out) out[n] = (Elf64_Dyn){.d_tag = (tag), .d_un.d_val = (val)}; \
    n++;                                                               \
  } while (0)
  DynamicInfo *di = ctx->dyn;
  if (di) {
    for (size_t i = 0; i < ctx->dsos.len; i++)
      if (ctx->dsos.data[i]->shared->is_needed) DYN(DT_NEEDED, ctx->dsos.data[i]->shared->soname_offset);
    if (di->rpath_offset) DYN(ctx->cfg.new_dtags ? DT_RUNPATH : DT_RPATH, di->rpath_offset);
    if (ctx->cfg.soname) DYN(DT_SONAME, di->soname_offset);
    Symbol *init = ctx->init_symbol, *fini = ctx->fini_symbol;
    if (init && symbol_is_defined(init) && !symbol_is_imported(init))
      DYN(DT_INIT, symbol_definition_address(ctx, init));
    if (fini && symbol_is_defined(fini) && !symbol_is_imported(fini))
      DYN(DT_FINI, symbol_definition_address(ctx, fini));
    for (size_t i = 0; i < ctx->chunks.len; i++) {
      Chunk *c = ctx->chunks.data[i];
      if (!c->size || !(c->flags & SHF_ALLOC)) continue;
      if (c->type == SHT_PREINIT_ARRAY) {
        DYN(DT_PREINIT_ARRAY, c->addr);
        DYN(DT_PREINIT_ARRAYSZ, c->size);
      } else if (c->type == SHT_INIT_ARRAY) {
        DYN(DT_INIT_ARRAY, c->addr);
        DYN(DT_INIT_ARRAYSZ, c->size);
      } else if (c->type == SHT_FINI_ARRAY) {
        DYN(DT_FINI_ARRAY, c->addr);
        DYN(DT_FINI_ARRAYSZ, c->size);
      }
    }
    if (ctx->hash) DYN(DT_HASH, ctx->hash->addr);
    if (ctx->gnu_hash) DYN(DT_GNU_HASH, ctx->gnu_hash->addr);
  }
  DYN(DT_STRTAB, ctx->dynstr->addr);
  DYN(DT_SYMTAB, ctx->dynsym->addr);
  DYN(DT_STRSZ, ctx->dynstr->size);
  DYN(DT_SYMENT, sizeof(ElfSym));
  if (di && !ctx->cfg.shared) DYN(DT_DEBUG, 0);
  DYN(DT_PLTGOT, ctx->gotplt->addr);
  if (!di || ctx->rela_plt->size) {
    DYN(DT_PLTRELSZ, ctx->rela_plt->size);
    DYN(DT_PLTREL, DT_RELA);
    DYN(DT_JMPREL, ctx->rela_plt->addr);
  }
  DYN(DT_RELA, ctx->rela_dyn->addr);
  DYN(DT_RELASZ, ctx->rela_dyn->size);
  DYN(DT_RELAENT, sizeof(ElfRela));
  DYN(DT_RELACOUNT, ctx->num_relative_total);
  if (ctx->relr) {
    DYN(DT_RELR, ctx->relr->addr);
    DYN(DT_RELRSZ, ctx->relr->size);
    DYN(DT_RELRENT, 8);
  }
  if (di && ctx->versym->size) {
    DYN(DT_VERSYM, ctx->versym->addr);
    if (ctx->num_verdef) {
      DYN(DT_VERDEF, ctx->verdef->addr);
      DYN(DT_VERDEFNUM, ctx->num_verdef);
    }
    if (ctx->num_verneed) {
      DYN(DT_VERNEED, ctx->verneed->addr);
      DYN(DT_VERNEEDNUM, ctx->num_verneed);
    }
  }
  bool textrel = atomic_load_explicit(&ctx->has_textrel, memory_order_relaxed);
  if (textrel) DYN(DT_TEXTREL, 0);
  uint64_t flags = (ctx->cfg.z_now ? DF_BIND_NOW : 0) | (ctx->cfg.z_origin ? DF_ORIGIN : 0) | (textrel ? DF_TEXTREL : 0);
  uint64_t flags1 = ctx->cfg.dt_flags_1 | (ctx->cfg.pie && !ctx->cfg.shared ? DF_1_PIE : 0) | (ctx->cfg.z_now ? DF_1_NOW : 0) | (ctx->cfg.z_origin ? DF_1_ORIGIN : 0);
  if (flags || !di) DYN(DT_FLAGS, flags);
  if (flags1 || !di) DYN(DT_FLAGS_1, flags1);
  DYN(DT_NULL, 0);
#undef DYN
  return n;
}
