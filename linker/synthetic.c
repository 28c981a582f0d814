#include "synthetic.h"
#include "arch.h"
#include "diag.h"
#include "digest.h"
#include "dynamic.h"
#include "relr.h"
#include "eh_frame.h"
#include "layout.h"
#include "parallel.h"
#include "passes.h"
#include "symbols.h"
#include <fcntl.h>
#include <unistd.h>
#include <xxhash.h>

static bool pie(Context *ctx) { return ctx->cfg.pie; }
// .dynamic, .dynsym and .rela.dyn: static-pie relocates itself with them.
static bool has_dynamic(Context *ctx) { return ctx->cfg.pie || ctx->is_dynamic; }

// ------------------------------------------------------------ headers

static void write_ehdr(Context *ctx, Chunk *c, uint8_t *buf) {
  (void)c;
  ElfEhdr *eh = (ElfEhdr *)buf;
  memcpy(eh->e_ident, ELFMAG, 4);
  eh->e_ident[EI_CLASS] = ELFCLASS64;
  eh->e_ident[EI_DATA] = ELFDATA2LSB;
  eh->e_ident[EI_VERSION] = EV_CURRENT;
  eh->e_ident[EI_OSABI] = ELFOSABI_NONE;
  eh->e_type = pie(ctx) ? ET_DYN : ET_EXEC;
  eh->e_machine = ctx->arch->machine;
  eh->e_version = EV_CURRENT;
  Symbol *entry = ctx->entry_symbol;
  eh->e_entry = entry && symbol_is_defined(entry) ? symbol_address(ctx, entry) : 0;
  eh->e_phoff = ctx->phdr->offset;
  eh->e_shoff = ctx->filesize;
  eh->e_ehsize = sizeof(ElfEhdr);
  eh->e_phentsize = sizeof(Elf64_Phdr);
  eh->e_phnum = (uint16_t)ctx->phdrs.len;
  eh->e_shentsize = sizeof(ElfShdr);
  uint32_t shnum = 1;
  for (size_t i = 0; i < ctx->chunks.len; i++)
    if (ctx->chunks.data[i]->shndx) shnum++;
  eh->e_shnum = (uint16_t)(shnum < SHN_LORESERVE ? shnum : 0);
  eh->e_shstrndx = (uint16_t)(ctx->shstrtab->shndx < SHN_LORESERVE ? ctx->shstrtab->shndx : SHN_XINDEX);
}

static void write_phdrs(Context *ctx, Chunk *c, uint8_t *buf) {
  (void)c;
  for (size_t i = 0; i < ctx->phdrs.len; i++) {
    Phdr *p = &ctx->phdrs.data[i];
    Elf64_Phdr ph = {.p_type = p->type, .p_flags = p->flags, .p_offset = p->offset, .p_vaddr = p->vaddr,
                     .p_paddr = p->vaddr, .p_filesz = p->filesz, .p_memsz = p->memsz, .p_align = p->align};
    memcpy(buf + i * sizeof ph, &ph, sizeof ph);
  }
}

void write_section_headers(Context *ctx) {
  uint8_t *out = ctx->buf + ctx->filesize;
  memset(out, 0, sizeof(ElfShdr));
  const char *names = (const char *)ctx->buf + ctx->shstrtab->offset;
  uint32_t nchunks = 1;
  for (size_t i = 0; i < ctx->chunks.len; i++) {
    Chunk *c = ctx->chunks.data[i];
    if (!c->shndx) continue;
    nchunks++;
    // Find the name in .shstrtab (written before this runs).
    uint32_t name_off = 0;
    for (uint32_t off = 1; off < ctx->shstrtab->size; off += (uint32_t)strlen(names + off) + 1)
      if (!strcmp(names + off, c->name)) {
        name_off = off;
        break;
      }
    uint64_t flags = c->flags;
    if (c->kind == CHUNK_MERGED) flags |= SHF_MERGE | (c->merged->chunk.flags & SHF_STRINGS);
    ElfShdr sh = {.sh_name = name_off, .sh_type = c->type, .sh_flags = flags, .sh_addr = c->addr,
                     .sh_offset = c->offset, .sh_size = c->size, .sh_link = c->link, .sh_info = c->info,
                     .sh_addralign = c->align, .sh_entsize = c->entsize};
    memcpy(out + (size_t)c->shndx * sizeof sh, &sh, sizeof sh);
  }
  // Beyond 65279 sections the real count lives in section header 0.
  if (nchunks >= SHN_LORESERVE) {
    ElfShdr *sh0 = (ElfShdr *)out;
    sh0->sh_size = nchunks;
    sh0->sh_link = ctx->shstrtab->shndx;
  }
}

// ------------------------------------------------------------ GOT and IFUNC

// A symbol the loader binds: defined in a shared library, and not copied
// into the executable.
static bool is_bound_at_run_time(Context *ctx, const Symbol *s) {
  return s->is_preemptible && !(symbol_is_imported(s) && symbol_chunk(ctx, s));
}

// A GOT slot whose value the loader must fix: a RELATIVE one (PIE), or one
// the loader binds by name.
static bool got_slot_needs_dynrel(Context *ctx, const Symbol *s) {
  if (is_bound_at_run_time(ctx, s)) return true;
  return pie(ctx) && symbol_is_defined(s) && !symbol_is_absolute(ctx, s);
}

// ... in .rela.dyn (a RELATIVE one may be packed in .relr.dyn instead).
static bool got_slot_needs_rela(Context *ctx, const Symbol *s) {
  return got_slot_needs_dynrel(ctx, s) && (is_bound_at_run_time(ctx, s) || !got_slot_is_relr(ctx, s));
}

// TLS slots: a shared library learns its module id and its block's place
// from the loader; an executable's are fixed at link time.
static uint32_t tlsgd_dynrel_count(Context *ctx, const Symbol *s) {
  return is_bound_at_run_time(ctx, s) ? 2 : ctx->cfg.shared ? 1 : 0;
}

static bool gottp_needs_dynrel(Context *ctx, const Symbol *s) {
  return is_bound_at_run_time(ctx, s) || ctx->cfg.shared;
}

uint64_t got_dynrel_count(Context *ctx) {
  if (!has_dynamic(ctx)) return 0;
  uint64_t n = 0;
  for (size_t i = 0; i < ctx->got_syms.len; i++) n += got_slot_needs_rela(ctx, ctx->got_syms.data[i]);
  for (size_t i = 0; i < ctx->gottp_syms.len; i++) n += gottp_needs_dynrel(ctx, ctx->gottp_syms.data[i]);
  for (size_t i = 0; i < ctx->tlsgd_syms.len; i++) n += tlsgd_dynrel_count(ctx, ctx->tlsgd_syms.data[i]);
  n += ctx->tlsdesc_syms.len;
  if (ctx->needs_tlsld && ctx->cfg.shared) n++;
  return n;
}

static ElfRela rela(uint64_t off, uint32_t type, uint64_t addend) {
  return (ElfRela){.r_offset = off, .r_info = ELF64_R_INFO(0, type), .r_addend = (int64_t)addend};
}

static ElfRela rela_sym(Context *ctx, uint64_t off, uint32_t type, const Symbol *s, uint64_t addend) {
  return (ElfRela){.r_offset = off, .r_info = ELF64_R_INFO((uint32_t)symbol_dynsym_index(ctx, s), type),
                   .r_addend = (int64_t)addend};
}

static void write_got(Context *ctx, Chunk *c, uint8_t *buf) {
  ElfRela *dyn = has_dynamic(ctx) ? (ElfRela *)(ctx->buf + ctx->rela_dyn->offset) : NULL;
  const Arch *a = ctx->arch;
  if (!a->got_symbol_is_gotplt && ctx->dynamic) wr64(buf, ctx->dynamic->addr);
  for (size_t i = 0; i < ctx->got_syms.len; i++) {
    Symbol *s = ctx->got_syms.data[i];
    uint64_t off = (uint64_t)symbol_got_index(ctx, s) * 8;
    if (is_bound_at_run_time(ctx, s)) {
      wr64(buf + off, 0);
      if (dyn) *dyn++ = rela_sym(ctx, c->addr + off, a->r_glob_dat, s, 0);
      continue;
    }
    uint64_t v = symbol_is_defined(s) ? symbol_address(ctx, s) : 0;
    wr64(buf + off, v);
    if (dyn && got_slot_needs_rela(ctx, s)) *dyn++ = rela(c->addr + off, a->r_relative, v);
  }
  bool shared = ctx->cfg.shared;
  for (size_t i = 0; i < ctx->gottp_syms.len; i++) {
    Symbol *s = ctx->gottp_syms.data[i];
    uint64_t off = (uint64_t)symbol_gottp_index(ctx, s) * 8;
    if (is_bound_at_run_time(ctx, s)) {
      wr64(buf + off, 0);
      if (dyn) *dyn++ = rela_sym(ctx, c->addr + off, a->r_tpoff64, s, 0);
    } else if (shared) {
      // Offset within this library's block; the loader adds the block's.
      wr64(buf + off, 0);
      if (dyn) *dyn++ = rela(c->addr + off, a->r_tpoff64, symbol_address(ctx, s) - ctx->tls_begin);
    } else {
      wr64(buf + off, symbol_address(ctx, s) - ctx->tp_addr);
    }
  }
  // General-dynamic pairs (module id, offset in its block): module 1 is
  // the executable; a shared library's id comes from the loader. Used only
  // when a TLS sequence could not be relaxed.
  for (size_t i = 0; i < ctx->tlsgd_syms.len; i++) {
    Symbol *s = ctx->tlsgd_syms.data[i];
    uint64_t off = (uint64_t)symbol_tlsgd_index(ctx, s) * 8;
    if (is_bound_at_run_time(ctx, s)) {
      wr64(buf + off, 0);
      wr64(buf + off + 8, 0);
      if (dyn) {
        *dyn++ = rela_sym(ctx, c->addr + off, a->r_dtpmod64, s, 0);
        *dyn++ = rela_sym(ctx, c->addr + off + 8, a->r_dtpoff64, s, 0);
      }
      continue;
    }
    wr64(buf + off, shared ? 0 : 1);
    if (shared && dyn) *dyn++ = rela(c->addr + off, a->r_dtpmod64, 0);
    wr64(buf + off + 8, symbol_address(ctx, s) - ctx->tls_begin);
  }
  // TLS descriptors (shared libraries): the loader fills in both words.
  for (size_t i = 0; i < ctx->tlsdesc_syms.len; i++) {
    Symbol *s = ctx->tlsdesc_syms.data[i];
    uint64_t off = (uint64_t)symbol_tlsdesc_index(ctx, s) * 8;
    wr64(buf + off, 0);
    wr64(buf + off + 8, 0);
    if (!dyn) continue;
    if (is_bound_at_run_time(ctx, s)) *dyn++ = rela_sym(ctx, c->addr + off, a->r_tlsdesc, s, 0);
    else *dyn++ = rela(c->addr + off, a->r_tlsdesc, symbol_address(ctx, s) - ctx->tls_begin);
  }
  if (ctx->needs_tlsld) {
    uint64_t off = (uint64_t)ctx->tlsld_index * 8;
    wr64(buf + off, shared ? 0 : 1);
    if (shared && dyn) *dyn++ = rela(c->addr + off, a->r_dtpmod64, 0);
  }
}

// .got.plt: three reserved words (the first is _DYNAMIC's address), a slot
// per PLT entry, then a slot per IFUNC stub.
uint64_t gotplt_slot(Context *ctx, uint32_t i) { return ctx->gotplt->addr + 24 + (uint64_t)i * 8; }

static uint64_t iplt_slot(Context *ctx, size_t i) { return gotplt_slot(ctx, (uint32_t)(ctx->plt_syms.len + i)); }

static void write_gotplt(Context *ctx, Chunk *c, uint8_t *buf) {
  if (ctx->dynamic) wr64(buf, ctx->dynamic->addr);
  for (size_t i = 0; i < ctx->plt_syms.len; i++)
    wr64(buf + gotplt_slot(ctx, (uint32_t)i) - c->addr,
         ctx->arch->lazy_slot_value(ctx->plt->addr, plt_entry_start(ctx, (uint32_t)i), ctx->plt_landing_pads));
  for (size_t i = 0; i < ctx->iplt_syms.len; i++)
    wr64(buf + iplt_slot(ctx, i) - c->addr, symbol_definition_address(ctx, ctx->iplt_syms.data[i]));
}

static void write_iplt(Context *ctx, Chunk *c, uint8_t *buf) {
  uint32_t size = iplt_entry_size(ctx);
  bool pad = wants_landing_pads(ctx);
  for (size_t i = 0; i < ctx->iplt_syms.len; i++)
    ctx->arch->write_iplt_entry(buf + i * size, c->addr + i * size, iplt_slot(ctx, i), pad);
}

// .rela.plt: JUMP_SLOT relocations for the PLT, then IRELATIVE ones for
// IFUNC stubs (static glibc walks those between __rela_iplt_start and
// __rela_iplt_end; otherwise DT_JMPREL names them).
static void write_rela_plt(Context *ctx, Chunk *c, uint8_t *buf) {
  (void)c;
  ElfRela *out = (ElfRela *)buf;
  for (size_t i = 0; i < ctx->plt_syms.len; i++)
    *out++ = rela_sym(ctx, gotplt_slot(ctx, (uint32_t)i), ctx->arch->r_jump_slot, ctx->plt_syms.data[i], 0);
  for (size_t i = 0; i < ctx->iplt_syms.len; i++)
    *out++ = rela(iplt_slot(ctx, i), ctx->arch->r_irelative, symbol_definition_address(ctx, ctx->iplt_syms.data[i]));
}

// .rela.dyn: the GOT's relocations, then each section's (written by the
// relocation pass), then copy relocations; finish_rela_dyn puts the
// RELATIVE ones first afterwards.
static void write_rela_dyn(Context *ctx, Chunk *c, uint8_t *buf) {
  (void)c;
  ElfRela *out = (ElfRela *)buf + ctx->num_got_dynrel + ctx->num_dynrel;
  for (size_t i = 0; i < ctx->copy_syms.len; i++) {
    Symbol *s = ctx->copy_syms.data[i];
    *out++ = rela_sym(ctx, symbol_address(ctx, s), ctx->arch->r_copy, s, 0);
  }
}

// The loader handles DT_RELACOUNT leading RELATIVE relocations in a fast
// loop; they are moved to the front, in order (a stable partition).
void finish_rela_dyn(Context *ctx) {
  if (!ctx->rela_dyn || !ctx->rela_dyn->shndx) return;
  ElfRela *r = (ElfRela *)(ctx->buf + ctx->rela_dyn->offset);
  size_t n = ctx->rela_dyn->size / sizeof(ElfRela), relative = 0;
  bool sorted = true;
  for (size_t i = 0; i < n; i++) {
    bool rel = ELF64_R_TYPE(r[i].r_info) == ctx->arch->r_relative;
    if (rel && relative != i) sorted = false;
    relative += rel;
  }
  if (!sorted) {
    ElfRela *tmp = xmalloc(n * sizeof(ElfRela));
    size_t a = 0, b = relative;
    for (size_t i = 0; i < n; i++) tmp[ELF64_R_TYPE(r[i].r_info) == ctx->arch->r_relative ? a++ : b++] = r[i];
    memcpy(r, tmp, n * sizeof(ElfRela));
    free(tmp);
  }
  ctx->num_relative_total = relative;
  Elf64_Dyn *d = (Elf64_Dyn *)(ctx->buf + ctx->dynamic->offset);
  for (; d->d_tag != DT_NULL; d++)
    if (d->d_tag == DT_RELACOUNT) d->d_un.d_val = relative;
}

// ------------------------------------------------------------ static-pie dynamic

static void write_dynamic(Context *ctx, Chunk *c, uint8_t *buf) {
  (void)c;
  dynamic_entries(ctx, (Elf64_Dyn *)buf);
}

static void write_nothing(Context *ctx, Chunk *c, uint8_t *buf) {
  (void)ctx, (void)c, (void)buf;
}

static void write_zeros(Context *ctx, Chunk *c, uint8_t *buf) {
  (void)ctx;
  memset(buf, 0, c->size);
}

// ------------------------------------------------------------ notes

static uint64_t build_id_size(const Context *ctx) {
  switch (ctx->cfg.build_id) {
  case BUILD_ID_FAST: case BUILD_ID_MD5: case BUILD_ID_UUID: return 16;
  case BUILD_ID_SHA1: return 20;
  case BUILD_ID_HEX: return ctx->cfg.build_id_hex_len;
  default: return 0;
  }
}

static void write_build_id_note(Context *ctx, Chunk *c, uint8_t *buf) {
  (void)c;
  wr32(buf, 4);
  wr32(buf + 4, (uint32_t)build_id_size(ctx));
  wr32(buf + 8, NT_GNU_BUILD_ID);
  memcpy(buf + 12, "GNU", 4);
  memset(buf + 16, 0, build_id_size(ctx));  // filled in by write_build_id
}

// The build-id is a tree hash: each piece of the finished file
// (output_pieces.h, with the id field still zero) is hashed on its own,
// in parallel, then the list of piece digests is hashed once more. Piece
// boundaries come from the layout, not the thread count, so neither does
// the id.
enum { MAX_DIGEST = 20 };

size_t build_id_leaf_size(const Context *ctx) {
  BuildIdKind k = ctx->cfg.build_id;
  return k == BUILD_ID_FAST || k == BUILD_ID_MD5 || k == BUILD_ID_SHA1 ? build_id_size(ctx) : 0;
}

void build_id_hash_leaf(const Context *ctx, const uint8_t *p, size_t n, uint8_t *out) {
  switch (ctx->cfg.build_id) {
  case BUILD_ID_FAST: {
    XXH128_hash_t h = XXH3_128bits(p, n);
    XXH128_canonical_t c;
    XXH128_canonicalFromHash(&c, h);
    memcpy(out, c.digest, 16);
    break;
  }
  case BUILD_ID_MD5: {
    Md5Ctx m;
    md5_init(&m);
    md5_update(&m, p, n);
    md5_final(&m, out);
    break;
  }
  default: {
    Sha1Ctx s;
    sha1_init(&s);
    sha1_update(&s, p, n);
    sha1_final(&s, out);
    break;
  }
  }
}

void write_build_id(Context *ctx, const uint8_t *leaves, size_t nleaves) {
  if (!ctx->build_id) return;
  uint8_t *dst = ctx->buf + ctx->build_id->offset + 16;
  size_t size = build_id_size(ctx);
  switch (ctx->cfg.build_id) {
  case BUILD_ID_FAST: case BUILD_ID_MD5: case BUILD_ID_SHA1: {
    uint8_t out[MAX_DIGEST];
    build_id_hash_leaf(ctx, leaves, nleaves * size, out);
    memcpy(dst, out, size);
    break;
  }
  case BUILD_ID_UUID: {
    int fd = open("/dev/urandom", O_RDONLY);
    if (fd < 0 || read(fd, dst, 16) != 16) fatal("--build-id=uuid: cannot read /dev/urandom");
    close(fd);
    dst[6] = (dst[6] & 0x0f) | 0x40;  // version 4
    dst[8] = (dst[8] & 0x3f) | 0x80;  // RFC 4122 variant
    break;
  }
  case BUILD_ID_HEX: memcpy(dst, ctx->cfg.build_id_hex, ctx->cfg.build_id_hex_len); break;
  default: break;
  }
}

static void write_gnu_property(Context *ctx, Chunk *c, uint8_t *buf) {
  (void)c;
  wr32(buf, 4);
  wr32(buf + 4, 16);
  wr32(buf + 8, NT_GNU_PROPERTY_TYPE_0);
  memcpy(buf + 12, "GNU", 4);
  wr32(buf + 16, ctx->arch->feature_1_and_property);
  wr32(buf + 20, 4);
  wr32(buf + 24, ctx->feature_1_and);
  wr32(buf + 28, 0);
}

// ------------------------------------------------------------ .symtab

static bool local_is_kept(const Symbol *s) {
  if (s->is_unnamed || s->is_discarded) return false;
  if (s->isec && !s->isec->is_alive) return false;
  return true;
}

static bool global_is_kept(const Symbol *s) {
  if (!symbol_is_defined(s)) return false;
  if (s->file && !s->file->is_alive) return false;
  if (s->isec && !s->isec->is_alive) return false;
  return true;
}

static bool global_is_local(const Symbol *s) {
  return s->visibility == STV_HIDDEN || s->visibility == STV_INTERNAL;
}

static uint32_t out_shndx(Context *ctx, const Symbol *s) {
  if (s->frag) return s->frag->parent->chunk.shndx;
  if (s->isec) return s->isec->osec ? s->isec->osec->shndx : SHN_ABS;
  Chunk *chunk = symbol_chunk(ctx, s);
  if (chunk) return chunk->shndx ? chunk->shndx : SHN_ABS;
  return SHN_ABS;
}

// .symtab is built from independent units written in parallel: one per
// object (its locals), then slices of the global list for hidden globals
// (which become locals), then the same slices for the others. Units are
// counted first; prefix sums give each its place.
enum { GLOBAL_SLICES = 64 };

typedef struct {
  ElfSym *syms;        // where this unit's entries go (NULL: count only)
  char *strs;          // .strtab
  uint32_t str_base;   // this unit's first byte in .strtab
  uint32_t nsyms, strsize;
} SymtabWriter;

static void emit_sym(Context *ctx, SymtabWriter *w, const Symbol *s, uint8_t bind) {
  if (w->syms) {
    ElfSym *o = &w->syms[w->nsyms];
    o->st_name = w->str_base + w->strsize;
    o->st_info = ELF64_ST_INFO(bind, s->type);
    o->st_other = s->visibility;
    o->st_shndx = (uint16_t)(s->type == STT_FILE ? SHN_ABS : out_shndx(ctx, s));
    o->st_value = s->type == STT_FILE ? 0 : symbol_definition_address(ctx, s);
    if (s->type == STT_TLS) o->st_value -= ctx->tls_begin;
    o->st_size = s->size;
    memcpy(w->strs + w->str_base + w->strsize, s->name, s->namelen + 1);
  }
  w->nsyms++;
  w->strsize += s->namelen + 1;
}

static size_t symtab_units(Context *ctx) { return ctx->objs.len + 2 * GLOBAL_SLICES; }

// One routine both counts and writes a unit, so the sizes computed before
// layout always match what is written after it.
static void walk_unit(Context *ctx, size_t u, SymtabWriter *w) {
  if (u < ctx->objs.len) {
    ObjectFile *f = ctx->objs.data[u];
    for (uint32_t k = 1; k < f->first_global; k++)
      if (local_is_kept(&f->locals[k])) emit_sym(ctx, w, &f->locals[k], STB_LOCAL);
    return;
  }
  u -= ctx->objs.len;
  bool hidden = u < GLOBAL_SLICES;
  size_t slice = u % GLOBAL_SLICES, n = ctx->symbols_in_order.len;
  size_t begin = n * slice / GLOBAL_SLICES, end = n * (slice + 1) / GLOBAL_SLICES;
  for (size_t i = begin; i < end; i++) {
    Symbol *s = ctx->symbols_in_order.data[i];
    if (i + 16 < end) __builtin_prefetch(ctx->symbols_in_order.data[i + 16]);
    if (i + 8 < end && ctx->symbols_in_order.data[i + 8]->isec) __builtin_prefetch(&ctx->symbols_in_order.data[i + 8]->isec->osec);
    if (!global_is_kept(s) || global_is_local(s) != hidden) continue;
    emit_sym(ctx, w, s, hidden ? STB_LOCAL : s->binding == STB_WEAK ? STB_WEAK : STB_GLOBAL);
  }
}

typedef struct {
  Context *ctx;
  SymtabWriter *units;
} SymtabJob;

static void count_unit(void *arg, size_t u) {
  SymtabJob *job = arg;
  job->units[u] = (SymtabWriter){0};
  walk_unit(job->ctx, u, &job->units[u]);
}

static void write_unit(void *arg, size_t u) {
  SymtabJob *job = arg;
  SymtabWriter w = job->units[u];
  w.nsyms = w.strsize = 0;
  walk_unit(job->ctx, u, &w);
}

// Counts every unit and turns the counts into positions.
static SymtabWriter *plan_symtab(Context *ctx, uint32_t *nsyms, uint32_t *strsize) {
  size_t n = symtab_units(ctx);
  SymtabJob job = {ctx, xcalloc(n, sizeof(SymtabWriter))};
  parallel_for(n, count_unit, &job);
  uint32_t sym = 1, str = 1;  // the null symbol and the empty name
  for (size_t u = 0; u < n; u++) {
    uint32_t c = job.units[u].nsyms, b = job.units[u].strsize;
    job.units[u].syms = (ElfSym *)(uintptr_t)sym;  // entry index until write time
    job.units[u].str_base = str;
    sym += c;
    str += b;
    if (u + 1 == ctx->objs.len + GLOBAL_SLICES) ctx->symtab->info = sym;  // first non-local
  }
  if (!ctx->objs.len && n == 2 * GLOBAL_SLICES) ctx->symtab->info = 1;
  *nsyms = sym;
  *strsize = str;
  return job.units;
}

// The plan made when .symtab was sized, kept for writing it.
static SymtabWriter *symtab_plan;

static void write_symtab(Context *ctx, Chunk *c, uint8_t *buf) {
  (void)c;
  SymtabWriter *units = symtab_plan;
  symtab_plan = NULL;
  char *strs = (char *)ctx->buf + ctx->strtab->offset;
  memset(buf, 0, sizeof(ElfSym));
  strs[0] = 0;
  size_t n = symtab_units(ctx);
  for (size_t u = 0; u < n; u++) {
    units[u].syms = (ElfSym *)buf + (uintptr_t)units[u].syms;
    units[u].strs = strs;
  }
  SymtabJob job = {ctx, units};
  parallel_for(n, write_unit, &job);
  free(units);
  ctx->symtab->link = ctx->strtab->shndx;
}

static void write_shstrtab(Context *ctx, Chunk *c, uint8_t *buf) {
  (void)c;
  uint64_t off = 1;
  buf[0] = 0;
  for (size_t i = 0; i < ctx->chunks.len; i++) {
    Chunk *ch = ctx->chunks.data[i];
    if (!ch->shndx) continue;
    // Reuse an earlier identical name (several .rodata chunks, say).
    bool seen = false;
    for (size_t j = 0; j < i; j++)
      if (ctx->chunks.data[j]->shndx && !strcmp(ctx->chunks.data[j]->name, ch->name)) seen = true;
    if (seen) continue;
    size_t n = strlen(ch->name) + 1;
    memcpy(buf + off, ch->name, n);
    off += n;
  }
}

void finalize_section_names(Context *ctx) {
  uint64_t size = 1;
  for (size_t i = 0; i < ctx->chunks.len; i++) {
    Chunk *ch = ctx->chunks.data[i];
    if (!ch->shndx) continue;
    bool seen = false;
    for (size_t j = 0; j < i; j++)
      if (ctx->chunks.data[j]->shndx && !strcmp(ctx->chunks.data[j]->name, ch->name)) seen = true;
    if (!seen) size += strlen(ch->name) + 1;
  }
  ctx->shstrtab->size = size;
  if (ctx->dynsym) ctx->dynsym->link = ctx->dynstr->shndx;
  if (ctx->dynamic) ctx->dynamic->link = ctx->dynstr->shndx;
  if (ctx->rela_dyn && ctx->dynsym) ctx->rela_dyn->link = ctx->dynsym->shndx;
  if (ctx->is_dynamic) {
    uint32_t dynsym = ctx->dynsym->shndx;
    if (ctx->plt_syms.len) {
      ctx->rela_plt->link = dynsym;
      ctx->rela_plt->info = ctx->gotplt->shndx;
      ctx->rela_plt->flags |= SHF_INFO_LINK;
    }
    if (ctx->hash) ctx->hash->link = dynsym;
    if (ctx->gnu_hash) ctx->gnu_hash->link = dynsym;
    ctx->versym->link = dynsym;
    ctx->verneed->link = ctx->dynstr->shndx;
    ctx->verdef->link = ctx->dynstr->shndx;
  }
  if (ctx->symtab) ctx->symtab->link = ctx->strtab->shndx;
}

// ------------------------------------------------------------ creation

Chunk *add_synthetic_chunk(Context *ctx, const char *name, uint32_t type, uint64_t flags, uint64_t align,
                           void (*write)(Context *, Chunk *, uint8_t *)) {
  Chunk *c = new_chunk(ctx, name, type, flags, align);
  c->write = write;
  vec_push(&ctx->chunks, c);
  return c;
}

void create_synthetic_chunks(Context *ctx) {
  ctx->ehdr = add_synthetic_chunk(ctx, "", SHT_NULL, SHF_ALLOC, 8, write_ehdr);
  ctx->ehdr->is_header = true;
  ctx->ehdr->size = sizeof(ElfEhdr);
  ctx->phdr = add_synthetic_chunk(ctx, "", SHT_NULL, SHF_ALLOC, 8, write_phdrs);
  ctx->phdr->is_header = true;
  if (ctx->cfg.build_id != BUILD_ID_NONE)
    ctx->build_id = add_synthetic_chunk(ctx, ".note.gnu.build-id", SHT_NOTE, SHF_ALLOC, 4, write_build_id_note);
  // .note.gnu.property: feature bits AND-ed over every input.
  bool all = ctx->objs.len > 0;
  uint32_t features = ~0u;
  for (size_t i = 0; i < ctx->objs.len; i++) {
    ObjectFile *f = ctx->objs.data[i];
    if (!f->has_feature_property) all = false;
    features &= f->feature_1_and;
  }
  if (all && features) {
    ctx->feature_1_and = features;
    ctx->gnu_property = add_synthetic_chunk(ctx, ".note.gnu.property", SHT_NOTE, SHF_ALLOC, 8, write_gnu_property);
  }
  if (has_dynamic(ctx)) {
    ctx->dynsym = add_synthetic_chunk(ctx, ".dynsym", SHT_DYNSYM, SHF_ALLOC, 8, write_dynsym);
    ctx->dynsym->entsize = sizeof(ElfSym);
    ctx->dynsym->info = 1;
    ctx->dynstr = add_synthetic_chunk(ctx, ".dynstr", SHT_STRTAB, SHF_ALLOC, 1, write_zeros);
    ctx->rela_dyn = add_synthetic_chunk(ctx, ".rela.dyn", SHT_RELA, SHF_ALLOC, 8, write_rela_dyn);
    ctx->rela_dyn->entsize = sizeof(ElfRela);
    if (ctx->cfg.pack_relative_relocs) {
      ctx->relr = add_synthetic_chunk(ctx, ".relr.dyn", SHT_RELR, SHF_ALLOC, 8, write_relr);
      ctx->relr->entsize = 8;
    }
    ctx->dynamic = add_synthetic_chunk(ctx, ".dynamic", SHT_DYNAMIC, SHF_ALLOC | SHF_WRITE, 8, write_dynamic);
    ctx->dynamic->entsize = sizeof(Elf64_Dyn);
    create_dynamic_chunks(ctx);
  }
  ctx->rela_plt = add_synthetic_chunk(ctx, ".rela.plt", SHT_RELA, SHF_ALLOC, 8, write_rela_plt);
  ctx->rela_plt->entsize = sizeof(ElfRela);
  ctx->got = add_synthetic_chunk(ctx, ".got", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, 8, write_got);
  ctx->gotplt = add_synthetic_chunk(ctx, ".got.plt", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, 8, write_gotplt);
  ctx->iplt = add_synthetic_chunk(ctx, ".iplt", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, 16, write_iplt);
  ctx->eh_frame = add_synthetic_chunk(ctx, ".eh_frame", SHT_PROGBITS, SHF_ALLOC, 8, NULL);
  ctx->eh_frame->kind = CHUNK_OUTPUT_SECTION;
  if (ctx->cfg.eh_frame_hdr)
    ctx->eh_frame_hdr = add_synthetic_chunk(ctx, ".eh_frame_hdr", SHT_PROGBITS, SHF_ALLOC, 4, write_eh_frame_hdr);
  if (!ctx->cfg.strip_all) {
    ctx->symtab = add_synthetic_chunk(ctx, ".symtab", SHT_SYMTAB, 0, 8, write_symtab);
    ctx->symtab->entsize = sizeof(ElfSym);
    ctx->symtab->is_empty_ok = true;
    ctx->strtab = add_synthetic_chunk(ctx, ".strtab", SHT_STRTAB, 0, 1, write_nothing);  // filled by write_symtab
    ctx->strtab->is_empty_ok = true;
  }
  ctx->shstrtab = add_synthetic_chunk(ctx, ".shstrtab", SHT_STRTAB, 0, 1, write_shstrtab);
  ctx->shstrtab->is_empty_ok = true;
}

void compute_synthetic_sizes(Context *ctx) {
  if (ctx->build_id) ctx->build_id->size = 16 + build_id_size(ctx);
  if (ctx->gnu_property) ctx->gnu_property->size = 32;
  ctx->got->size = (uint64_t)ctx->num_got_slots * 8;
  size_t nslots = ctx->plt_syms.len + ctx->iplt_syms.len;
  ctx->gotplt->size = nslots ? 24 + nslots * 8 : 0;
  // Code may refer to _GLOBAL_OFFSET_TABLE_ by address alone; keep the
  // reserved entries it names when someone asks for it.
  Symbol *gotsym = symtab_lookup(ctx, "_GLOBAL_OFFSET_TABLE_");
  if (gotsym && gotsym->is_referenced && ctx->arch->got_symbol_is_gotplt && !ctx->gotplt->size)
    ctx->gotplt->size = 24;
  if (gotsym && gotsym->is_referenced && !ctx->got->size) ctx->got->size = 8;
  ctx->iplt->size = ctx->iplt_syms.len * iplt_entry_size(ctx);
  ctx->rela_plt->size = nslots * sizeof(ElfRela);
  if (ctx->plt) ctx->plt->size = ctx->plt_syms.len ? plt_header_size(ctx) + ctx->plt_syms.len * plt_entry_size(ctx) : 0;
  if (has_dynamic(ctx)) {
    ctx->num_got_dynrel = got_dynrel_count(ctx);
    ctx->num_relative_total = ctx->num_got_dynrel + ctx->num_dynrel;  // until finish_rela_dyn counts them
    ctx->rela_dyn->size = (ctx->num_got_dynrel + ctx->num_dynrel + ctx->copy_syms.len) * sizeof(ElfRela);
    ctx->rela_dyn->is_empty_ok = !ctx->is_dynamic;
    if (!ctx->dyn) {  // static-pie: no symbols
      ctx->dynsym->size = sizeof(ElfSym);
      ctx->dynstr->size = 1;
    }
  }
  uint64_t eh_size = 0;
  for (size_t i = 0; i < ctx->eh_frame->members.len; i++) {
    InputSection *isec = ctx->eh_frame->members.data[i];
    // Records are packed back to back: a padding gap would read as the
    // zero terminator to an unwinder walking from __EH_FRAME_BEGIN__.
    isec->offset = eh_size;
    eh_size += isec->size;
  }
  ctx->eh_frame->size = eh_size ? eh_size + 4 : 0;  // + zero terminator
  if (ctx->eh_frame_hdr) ctx->eh_frame_hdr->size = 12 + ctx->num_fdes * 8;
  // .relr.dyn is sized once addresses are known (layout), from one entry up.
  if (ctx->relr && !ctx->relr->size) ctx->relr->size = 8;
  if (ctx->dynamic) ctx->dynamic->size = dynamic_entries(ctx, NULL) * sizeof(Elf64_Dyn);
  if (ctx->symtab) {
    uint32_t nsyms, strsize;
    free(symtab_plan);
    symtab_plan = plan_symtab(ctx, &nsyms, &strsize);
    ctx->symtab->size = (uint64_t)nsyms * sizeof(ElfSym);
    ctx->strtab->size = strsize;
  }
}
