// Shared library inputs (ET_DYN): their dynamic symbol table, symbol
// versions and SONAME. A library contributes no sections; its defined
// symbols satisfy references that no object defines, and the loader binds
// them at run time.
#include "arch.h"
#include "diag.h"
#include "input.h"
#include "symbols.h"
#include <stdio.h>
#include <xxhash.h>


static const char *dynstr_at(const ObjectFile *obj, uint64_t off) {
  return off < obj->strtab_size ? obj->strtab + off : NULL;
}

// .gnu.version_d: each definition's first auxiliary entry names it.
static bool read_verdefs(ObjectFile *obj, const ElfShdr *sh) {
  SharedInfo *si = obj->shared;
  if (!in_file(obj, sh->sh_offset, sh->sh_size)) BAD("version definitions extend past end of file");
  const uint8_t *base = obj->data + sh->sh_offset;
  uint64_t off = 0;
  VEC(const char *) names = {0};
  for (uint32_t n = 0; n < sh->sh_info; n++) {
    if (off + sizeof(Elf64_Verdef) > sh->sh_size) BAD("version definition %u is past the end of its section", n);
    Elf64_Verdef vd;
    memcpy(&vd, base + off, sizeof vd);
    uint64_t aux = off + vd.vd_aux;
    if (aux + sizeof(Elf64_Verdaux) > sh->sh_size) BAD("version definition %u has a bad auxiliary offset", n);
    Elf64_Verdaux va;
    memcpy(&va, base + aux, sizeof va);
    const char *name = dynstr_at(obj, va.vda_name);
    if (!name) BAD("version definition %u has a name past the string table", n);
    uint32_t ndx = vd.vd_ndx & 0x7fff;
    while (names.len <= ndx) vec_push(&names, (const char *)NULL);
    names.data[ndx] = name;
    if (!vd.vd_next) break;
    off += vd.vd_next;
  }
  si->version_names = names.data;
  si->num_versions = names.len;
  return true;
}

static bool read_dynamic(ObjectFile *obj, const ElfShdr *sh) {
  if (!in_file(obj, sh->sh_offset, sh->sh_size)) BAD(".dynamic extends past end of file");
  for (uint64_t off = 0; off + sizeof(Elf64_Dyn) <= sh->sh_size; off += sizeof(Elf64_Dyn)) {
    Elf64_Dyn d;
    memcpy(&d, obj->data + sh->sh_offset + off, sizeof d);
    if (d.d_tag == DT_NULL) break;
    if (d.d_tag == DT_SONAME || d.d_tag == DT_NEEDED) {
      const char *name = dynstr_at(obj, d.d_un.d_val);
      if (!name) BAD("%s is past the string table", d.d_tag == DT_SONAME ? "DT_SONAME" : "DT_NEEDED");
      if (d.d_tag == DT_SONAME) obj->shared->soname = name;
      else vec_push(&obj->shared->needed, name);
    }
  }
  return true;
}

static bool parse_shared(Context *ctx, ObjectFile *obj) {
  const uint8_t *d = obj->data;
  if (obj->size < sizeof(ElfEhdr)) BAD("file is too short to be an ELF shared library");
  if (d[EI_DATA] != ELFDATA2LSB) BAD("not a little-endian ELF file");
  const ElfEhdr *eh = (const ElfEhdr *)d;
  obj->ehdr = eh;
  const Arch *arch = arch_by_machine(eh->e_machine);
  if (!arch) BAD("unsupported machine type %u", eh->e_machine);
  if (!ctx->arch) ctx->arch = arch;
  else if (ctx->arch != arch) BAD("is incompatible with %s", ctx->arch->emulation);
  if (eh->e_shentsize != sizeof(ElfShdr) || !in_file(obj, eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(ElfShdr)) ||
      !eh->e_shnum)
    BAD("section header table is missing or extends past end of file");
  obj->shdrs = (const ElfShdr *)(d + eh->e_shoff);
  obj->nshdrs = eh->e_shnum;
  const ElfShdr *dynsym = NULL, *versym = NULL, *verdef = NULL, *dynamic = NULL;
  for (uint32_t i = 1; i < obj->nshdrs; i++) {
    const ElfShdr *sh = &obj->shdrs[i];
    switch (sh->sh_type) {
    case SHT_DYNSYM: dynsym = sh; break;
    case SHT_GNU_versym: versym = sh; break;
    case SHT_GNU_verdef: verdef = sh; break;
    case SHT_DYNAMIC: dynamic = sh; break;
    }
  }
  if (!dynsym) return true;  // exports nothing
  if (dynsym->sh_entsize != sizeof(ElfSym) || !in_file(obj, dynsym->sh_offset, dynsym->sh_size))
    BAD(".dynsym is malformed or extends past end of file");
  if (dynsym->sh_link >= obj->nshdrs) BAD(".dynsym links to section %u which does not exist", dynsym->sh_link);
  const ElfShdr *str = &obj->shdrs[dynsym->sh_link];
  if (str->sh_type != SHT_STRTAB || !in_file(obj, str->sh_offset, str->sh_size) || !str->sh_size ||
      d[str->sh_offset + str->sh_size - 1])
    BAD(".dynstr is not a valid string table");
  obj->esyms = (const ElfSym *)(d + dynsym->sh_offset);
  obj->nsyms = (uint32_t)(dynsym->sh_size / sizeof(ElfSym));
  obj->first_global = MAX(1u, MIN(dynsym->sh_info, obj->nsyms));
  obj->strtab = (const char *)d + str->sh_offset;
  obj->strtab_size = str->sh_size;
  if (versym) {
    if (!in_file(obj, versym->sh_offset, versym->sh_size) || versym->sh_size < (uint64_t)obj->nsyms * 2)
      BAD(".gnu.version is shorter than .dynsym");
    obj->shared->versym = d + versym->sh_offset;
  }
  if (verdef && !read_verdefs(obj, verdef)) return false;
  if (dynamic && !read_dynamic(obj, dynamic)) return false;
  return true;
}

static const char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

ObjectFile *shared_open(Context *ctx, const char *path, const uint8_t *data, size_t size, const InputArg *arg) {
  ObjectFile *obj = object_new(ctx, path, NULL, data, size);
  obj->shared = arena_new(SharedInfo);
  obj->shared->as_needed = arg->as_needed;
  // GNU ld: without DT_SONAME, -lNAME records the file's name and a path
  // records the path as given.
  obj->shared->soname = arg->kind == ARG_LIB ? base_name(path) : path;
  if (!parse_shared(ctx, obj)) return NULL;
  return obj;
}

// Version index of symbol I: 1 (global) for unversioned libraries.
static uint16_t version_of(const ObjectFile *obj, uint32_t i) {
  return obj->shared->versym ? rd16(obj->shared->versym + 2 * (size_t)i) : VER_NDX_GLOBAL;
}

const char *shared_symbol_version(const ObjectFile *obj, uint32_t i) {
  uint16_t v = version_of(obj, i) & 0x7fff;
  if (v <= VER_NDX_GLOBAL || v >= obj->shared->num_versions) return NULL;
  return obj->shared->version_names[v];
}

static void define_from_library(Symbol *sym, ObjectFile *obj, uint32_t i);

// Adds the library's definitions to the symbol table. A definition fills
// only a symbol that nothing defines yet (objects override libraries, and
// the first library wins); a symbol the library refers to is remembered so
// that an executable's definition of it can be exported.
void shared_load(Context *ctx, ObjectFile *obj) {
  if (obj->is_alive) return;
  obj->is_alive = true;
  obj->priority = ++ctx->load_count;
  vec_push(&ctx->dsos, obj);
  obj->syms = arena_array(Symbol *, obj->nsyms ? obj->nsyms : 1);
  symtab_reserve(ctx, 2 * (size_t)obj->nsyms);  // a versioned definition has two names
  for (uint32_t i = obj->first_global; i < obj->nsyms; i++) {
    const ElfSym *es = &obj->esyms[i];
    uint8_t bind = ELF64_ST_BIND(es->st_info);
    if (bind != STB_GLOBAL && bind != STB_WEAK && bind != STB_GNU_UNIQUE) continue;
    uint16_t ver = version_of(obj, i);
    bool defined = es->st_shndx != SHN_UNDEF;
    if (defined && ver == VER_NDX_LOCAL) continue;  // not exported at all
    const char *name = object_symbol_name(obj, i);
    uint32_t len = (uint32_t)strlen(name);
    // Interned without being listed: a name only libraries know stays out
    // of the output's symbol tables.
    Symbol *sym = NULL;
    // A versioned definition also answers "name@VERSION" (an object's
    // .symver reference); a hidden (non-default) version answers only that.
    const char *vname = defined ? shared_symbol_version(obj, i) : NULL;
    if (vname) {
      const char *full = xasprintf("%s@%s", name, vname);
      uint32_t flen = (uint32_t)strlen(full);
      Symbol *versioned = symtab_intern_concurrent(ctx, full, flen, XXH3_64bits(full, flen));
      if (!symbol_is_defined(versioned)) define_from_library(versioned, obj, i);
      sym = versioned;
    }
    if (!(ver & 0x8000)) sym = symtab_intern_concurrent(ctx, name, len, XXH3_64bits(name, len));
    obj->syms[i] = sym;
    if (!sym || !defined || symbol_is_defined(sym)) continue;  // (a hidden version with no name: unusable)
    define_from_library(sym, obj, i);
  }
}

static void define_from_library(Symbol *sym, ObjectFile *obj, uint32_t i) {
  const ElfSym *es = &obj->esyms[i];
  uint8_t bind = ELF64_ST_BIND(es->st_info);
  sym->def_rank = bind == STB_WEAK ? RANK_WEAK : RANK_STRONG;
  sym->file = obj;
  sym->esym_index = i;
  sym->isec = NULL;
  sym->frag = NULL;
  // The loader resolves an IFUNC in the library itself: here it is a function.
  uint8_t type = ELF64_ST_TYPE(es->st_info);
  sym->type = type == STT_GNU_IFUNC ? STT_FUNC : type;
  sym->binding = bind == STB_WEAK ? STB_WEAK : STB_GLOBAL;
  sym->value = es->st_value;
  sym->size = es->st_size;
  if (sym->is_traced) fprintf(stderr, "%s: definition of %s\n", file_name(obj), sym->name);
}

// After resolution: libraries that provide a symbol some object uses are
// needed (--as-needed drops the others), and executable symbols that a
// library refers to or also defines are exported, so that the library
// binds to them (the executable's definition interposes the library's).
// Whether every library LIB needs is part of the link: only then can its
// undefined symbols be checked (lld's rule; its dependencies may define them).
static bool dependencies_present(Context *ctx, const ObjectFile *lib) {
  for (size_t i = 0; i < lib->shared->needed.len; i++) {
    bool found = false;
    for (size_t k = 0; k < ctx->dsos.len && !found; k++)
      found = !strcmp(ctx->dsos.data[k]->shared->soname, lib->shared->needed.data[i]);
    if (!found) return false;
  }
  return true;
}

// --no-allow-shlib-undefined (the default for executables): a library's
// non-weak references must be defined by something in the link.
static void check_library_references(Context *ctx) {
  uint8_t mode = ctx->cfg.shlib_undefined;
  if (mode == SHLIB_UNDEFINED_ALLOW || (mode == SHLIB_UNDEFINED_DEFAULT && ctx->cfg.shared)) return;
  for (size_t k = 0; k < ctx->dsos.len; k++) {
    ObjectFile *lib = ctx->dsos.data[k];
    if (!dependencies_present(ctx, lib)) continue;
    for (uint32_t i = lib->first_global; i < lib->nsyms; i++) {
      const ElfSym *es = &lib->esyms[i];
      Symbol *s = lib->syms[i];
      if (es->st_shndx != SHN_UNDEF || ELF64_ST_BIND(es->st_info) != STB_GLOBAL || !s || symbol_is_defined(s))
        continue;
      error("undefined reference: %s\n>>> referenced by %s (a shared library in the link); "
            "link its definition, or pass --allow-shlib-undefined", demangle(s->name), file_name(lib));
    }
  }
}

void shared_finish(Context *ctx) {
  for (size_t i = 0; ctx->dsos.len && i < ctx->symbols_in_order.len; i++) {
    Symbol *s = ctx->symbols_in_order.data[i];
    if (symbol_is_imported(s) && s->is_referenced) s->file->shared->is_needed = true;
  }
  for (size_t k = 0; k < ctx->dsos.len; k++) {
    ObjectFile *obj = ctx->dsos.data[k];
    if (!obj->shared->as_needed) obj->shared->is_needed = true;
    for (uint32_t i = obj->first_global; i < obj->nsyms; i++) {
      Symbol *s = obj->syms[i];
      if (s && symbol_is_defined(s) && !symbol_is_imported(s) && s->visibility == STV_DEFAULT)
        s->is_exported = true;
    }
  }
  check_library_references(ctx);
}
