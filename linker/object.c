// ELF64 relocatable objects: header validation (every offset and size is
// checked against the file before use), sections and local symbols.
#include "arch.h"
#include "diag.h"
#include "input.h"
#include "symbols.h"
#include <xxhash.h>

const char *file_name(const ObjectFile *f) {
  if (!f) return "<internal>";
  if (f->member) return xasprintf("%s(%s)", f->path, f->member);
  return f->path;
}

ObjectFile *object_new(Context *ctx, const char *path, const char *member, const uint8_t *data,
                       size_t size) {
  ObjectFile *obj = arena_new(ObjectFile);
  obj->path = path;
  obj->member = member;
  obj->data = data;
  obj->size = size;
  obj->priority = ++ctx->next_priority;
  return obj;
}


const char *object_section_name(const ObjectFile *obj, uint32_t shndx) {
  if (shndx >= obj->nshdrs) return "?";
  uint32_t off = obj->shdrs[shndx].sh_name;
  return off < obj->shstrtab_size ? obj->shstrtab + off : "?";
}

const char *object_symbol_name(const ObjectFile *obj, uint32_t i) {
  uint32_t off = obj->esyms[i].st_name;
  return off < obj->strtab_size ? obj->strtab + off : "";
}

uint32_t object_symbol_shndx(const ObjectFile *obj, uint32_t i) {
  uint32_t shndx = obj->esyms[i].st_shndx;
  if (shndx == SHN_XINDEX) return obj->symtab_shndx ? rd32(obj->symtab_shndx + 4 * (size_t)i) : 0;
  if (shndx >= SHN_LORESERVE) return shndx;
  return shndx;
}

InputSection *object_symbol_section(const ObjectFile *obj, uint32_t i) {
  uint32_t shndx = object_symbol_shndx(obj, i);
  return shndx == SHN_UNDEF || shndx >= SHN_LORESERVE ? NULL : obj->sections[shndx];
}

// A string table must end in NUL so every name inside it is terminated.
static bool check_strtab(ObjectFile *obj, const ElfShdr *sh, const char *what) {
  if (sh->sh_type != SHT_STRTAB || !in_file(obj, sh->sh_offset, sh->sh_size))
    BAD("%s is not a valid string table", what);
  if (sh->sh_size && obj->data[sh->sh_offset + sh->sh_size - 1] != 0)
    BAD("%s is not NUL-terminated", what);
  return true;
}

bool object_parse_headers(Context *ctx, ObjectFile *obj) {
  const uint8_t *d = obj->data;
  if (obj->size < sizeof(ElfEhdr) || memcmp(d, ELFMAG, 4))
    BAD("file is too short to be an ELF object");
  if (d[EI_CLASS] != ELFCLASS64) BAD("not a 64-bit ELF file (ELFCLASS32 is not supported)");
  if (d[EI_DATA] != ELFDATA2LSB) BAD("not a little-endian ELF file");
  const ElfEhdr *eh = (const ElfEhdr *)d;
  obj->ehdr = eh;
  if (eh->e_type != ET_REL) BAD("not a relocatable object (e_type %u)", eh->e_type);
  const Arch *arch = arch_by_machine(eh->e_machine);
  if (!arch) BAD("unsupported machine type %u", eh->e_machine);
  if (!ctx->arch) ctx->arch = arch;
  else if (ctx->arch != arch) BAD("is incompatible with %s", ctx->arch->emulation);

  if (eh->e_shoff == 0) BAD("no section header table");
  if (eh->e_shentsize != sizeof(ElfShdr)) BAD("bad e_shentsize %u", eh->e_shentsize);
  if (!in_file(obj, eh->e_shoff, sizeof(ElfShdr)) || eh->e_shoff % 8)
    BAD("section header table offset 0x%llx is past end of file", (unsigned long long)eh->e_shoff);
  obj->shdrs = (const ElfShdr *)(d + eh->e_shoff);
  uint64_t nshdrs = eh->e_shnum ? eh->e_shnum : obj->shdrs[0].sh_size;
  if (nshdrs == 0 || !in_file(obj, eh->e_shoff, nshdrs * sizeof(ElfShdr)))
    BAD("section header table (%llu entries) extends past end of file", (unsigned long long)nshdrs);
  obj->nshdrs = (uint32_t)nshdrs;
  uint32_t shstrndx = eh->e_shstrndx == SHN_XINDEX ? obj->shdrs[0].sh_link : eh->e_shstrndx;
  if (shstrndx >= obj->nshdrs) BAD("section name table index %u is out of range", shstrndx);
  const ElfShdr *shstr = &obj->shdrs[shstrndx];
  if (!check_strtab(obj, shstr, "section name table")) return false;
  obj->shstrtab = (const char *)d + shstr->sh_offset;
  obj->shstrtab_size = shstr->sh_size;

  for (uint32_t i = 1; i < obj->nshdrs; i++) {
    const ElfShdr *sh = &obj->shdrs[i];
    if (sh->sh_name >= obj->shstrtab_size && obj->shstrtab_size)
      BAD("section header %u has a name offset past the section name table", i);
    if (sh->sh_type != SHT_NOBITS && !in_file(obj, sh->sh_offset, sh->sh_size))
      BAD("section header %u (%s) has offset 0x%llx and size 0x%llx past end of file", i,
          object_section_name(obj, i), (unsigned long long)sh->sh_offset,
          (unsigned long long)sh->sh_size);
    if (sh->sh_addralign > (1ULL << 30) || (sh->sh_addralign && !is_pow2(sh->sh_addralign)))
      BAD("section %s has invalid alignment %llu", object_section_name(obj, i),
          (unsigned long long)sh->sh_addralign);
    switch (sh->sh_type) {
    case SHT_SYMTAB: {
      if (obj->esyms) BAD("more than one symbol table");
      if (sh->sh_entsize != sizeof(ElfSym) || sh->sh_offset % 8)
        BAD("symbol table has bad entry size or alignment");
      if (sh->sh_link >= obj->nshdrs) BAD("symbol table links to section %u which does not exist", sh->sh_link);
      if (!check_strtab(obj, &obj->shdrs[sh->sh_link], "symbol string table")) return false;
      obj->esyms = (const ElfSym *)(d + sh->sh_offset);
      obj->nsyms = (uint32_t)(sh->sh_size / sizeof(ElfSym));
      obj->first_global = sh->sh_info;
      if (obj->first_global > obj->nsyms || obj->first_global == 0)
        BAD("symbol table has invalid first global index %u", sh->sh_info);
      obj->strtab = (const char *)d + obj->shdrs[sh->sh_link].sh_offset;
      obj->strtab_size = obj->shdrs[sh->sh_link].sh_size;
      break;
    }
    case SHT_SYMTAB_SHNDX:
      if (sh->sh_offset % 4) BAD("SHT_SYMTAB_SHNDX is misaligned");
      obj->symtab_shndx = d + sh->sh_offset;
      break;
    case SHT_REL:
      BAD("section %s: SHT_REL relocations are not supported", object_section_name(obj, i));
    case SHT_RELA:
      if (sh->sh_entsize != sizeof(ElfRela) || sh->sh_offset % 8)
        BAD("relocation section %s has bad entry size or alignment", object_section_name(obj, i));
      if (sh->sh_info >= obj->nshdrs || sh->sh_info == 0)
        BAD("relocation section %s applies to section %u which does not exist",
            object_section_name(obj, i), sh->sh_info);
      break;
    }
  }
  if (obj->symtab_shndx) {
    uint32_t idx = 0;
    for (uint32_t i = 1; i < obj->nshdrs; i++)
      if (obj->shdrs[i].sh_type == SHT_SYMTAB_SHNDX) idx = i;
    if (obj->shdrs[idx].sh_size < (uint64_t)obj->nsyms * 4) BAD("SHT_SYMTAB_SHNDX is too small");
  }
  // Symbol section indices must name real sections.
  for (uint32_t i = 1; i < obj->nsyms; i++) {
    const ElfSym *s = &obj->esyms[i];
    if (s->st_name >= obj->strtab_size && s->st_name) BAD("symbol %u has a name offset past the string table", i);
    uint32_t shndx = object_symbol_shndx(obj, i);
    if (shndx != SHN_UNDEF && shndx < SHN_LORESERVE && shndx >= obj->nshdrs)
      BAD("symbol %s refers to section %u which does not exist", object_symbol_name(obj, i), shndx);
    if (shndx == SHN_XINDEX && !obj->symtab_shndx) BAD("symbol %u uses SHN_XINDEX without SHT_SYMTAB_SHNDX", i);
  }
  // Relocations: symbol indices and offsets within the target section.
  for (uint32_t i = 1; i < obj->nshdrs; i++) {
    const ElfShdr *sh = &obj->shdrs[i];
    if (sh->sh_type != SHT_RELA) continue;
    const ElfShdr *target = &obj->shdrs[sh->sh_info];
    const ElfRela *rels = (const ElfRela *)(d + sh->sh_offset);
    uint64_t n = sh->sh_size / sizeof(ElfRela);
    // A compressed section's relocations apply to its inflated bytes.
    uint64_t target_size = target->sh_size;
    if ((target->sh_flags & SHF_COMPRESSED) && target->sh_size >= sizeof(ElfChdr))
      target_size = ((const ElfChdr *)(d + target->sh_offset))->ch_size;
    // A section without contents has nothing to relocate.
    if (target->sh_type == SHT_NOBITS && n)
      BAD("relocation section %s applies to %s, which has no contents (SHT_NOBITS)", object_section_name(obj, i),
          object_section_name(obj, sh->sh_info));
    for (uint64_t j = 0; j < n; j++) {
      uint32_t sym = ELF64_R_SYM(rels[j].r_info);
      if (sym >= obj->nsyms && !(sym == 0 && obj->nsyms == 0))
        BAD("relocation %llu in %s refers to symbol %u past the symbol table",
            (unsigned long long)j, object_section_name(obj, i), sym);
      if (rels[j].r_offset >= target_size)
        BAD("relocation %llu in %s has offset 0x%llx past the end of %s", (unsigned long long)j,
            object_section_name(obj, i), (unsigned long long)rels[j].r_offset,
            object_section_name(obj, sh->sh_info));
    }
  }
  // GCC's LTO objects carry only IR; linking them needs the compiler's plugin.
  // (Checked last: headers_parsed is set only when everything above holds.)
  for (uint32_t i = 1; i < obj->nshdrs; i++)
    if (!strncmp(object_section_name(obj, i), ".gnu.lto_", 9))
      for (uint32_t j = obj->first_global; j < obj->nsyms; j++)
        if (!strcmp(object_symbol_name(obj, j), "__gnu_lto_slim"))
          BAD("GCC LTO object (built with -flto) is not supported; build without -flto");
  obj->headers_parsed = true;
  return true;
}

static uint32_t to_p2align(uint64_t align) {
  uint32_t p = 0;
  while (align > 1) align >>= 1, p++;
  return p;
}

static bool is_debug_section(const char *name) {
  return !strncmp(name, ".debug", 6) || !strncmp(name, ".zdebug", 7) || !strncmp(name, ".gnu.debuglto", 13) ||
         !strcmp(name, ".stab") || !strcmp(name, ".stabstr");
}

uint32_t init_priority(const char *name) {
  const char *dot = NULL;
  if (!strncmp(name, ".init_array.", 12) || !strncmp(name, ".fini_array.", 12)) dot = name + 12;
  else if (!strncmp(name, ".ctors.", 7) || !strncmp(name, ".dtors.", 7)) {
    char *end;
    unsigned long v = strtoul(name + 7, &end, 10);
    return *end ? 65536 : 65535 - (uint32_t)v;
  }
  if (!dot) return 65536;
  char *end;
  unsigned long v = strtoul(dot, &end, 10);
  return *end || v > 65535 ? 65536 : (uint32_t)v;
}

static void parse_gnu_property(ObjectFile *obj, const ElfShdr *sh, uint32_t feature_type) {
  const uint8_t *p = obj->data + sh->sh_offset, *end = p + sh->sh_size;
  while (end - p >= 12) {
    uint32_t namesz = rd32(p), descsz = rd32(p + 4), type = rd32(p + 8);
    p += 12;
    uint64_t nlen = align_up(namesz, 4), dlen = align_up(descsz, 8);
    if ((uint64_t)(end - p) < nlen) return;
    bool gnu = namesz == 4 && !memcmp(p, "GNU", 4);
    p += nlen;
    p = obj->data + sh->sh_offset + align_up((uint64_t)(p - (obj->data + sh->sh_offset)), 8);
    if (p > end || (uint64_t)(end - p) < descsz) return;
    if (gnu && type == NT_GNU_PROPERTY_TYPE_0) {
      const uint8_t *q = p, *qend = p + descsz;
      while (qend - q >= 8) {
        uint32_t ptype = rd32(q), psz = rd32(q + 4);
        q += 8;
        if ((uint64_t)(qend - q) < psz) break;
        if (ptype == feature_type && psz >= 4) {
          obj->feature_1_and = rd32(q);
          obj->has_feature_property = true;
        }
        q += align_up(psz, 8);
      }
    }
    if ((uint64_t)(end - p) < dlen) return;
    p += dlen;
  }
}

static void init_sections(Context *ctx, ObjectFile *obj) {
  obj->sections = arena_array(InputSection *, obj->nshdrs);
  for (uint32_t i = 1; i < obj->nshdrs; i++) {
    const ElfShdr *sh = &obj->shdrs[i];
    const char *name = object_section_name(obj, i);
    switch (sh->sh_type) {
    case SHT_GROUP:
      obj->ngroups++;
      continue;
    case SHT_NULL: case SHT_SYMTAB: case SHT_STRTAB: case SHT_RELA: case SHT_REL: case SHT_SYMTAB_SHNDX:
      continue;
    }
    if (sh->sh_type == 0x6fff4c03 /* SHT_LLVM_ADDRSIG */ || sh->sh_type == 0x6fff4c00 /* ODRTAB */)
      continue;
    if (!strcmp(name, ".note.GNU-stack")) {
      obj->has_gnu_stack_note = true;
      if (sh->sh_flags & SHF_EXECINSTR) obj->needs_exec_stack = true;
      continue;
    }
    if (!strcmp(name, ".note.gnu.property")) {
      parse_gnu_property(obj, sh, ctx->arch->feature_1_and_property);
      continue;
    }
    if (sh->sh_flags & SHF_EXCLUDE) continue;
    if (!strncmp(name, ".gnu.lto_", 9) || !strcmp(name, ".llvm_addrsig")) continue;
    if (!(sh->sh_flags & SHF_ALLOC) && (ctx->cfg.strip_debug || ctx->cfg.strip_all) && is_debug_section(name))
      continue;
    if ((sh->sh_flags & SHF_COMPRESSED) && (sh->sh_flags & SHF_ALLOC)) {
      error("%s: section %s: compressed allocatable sections are not supported", file_name(obj), name);
      continue;
    }
    if ((sh->sh_flags & SHF_COMPRESSED) && sh->sh_type == SHT_NOBITS) {
      error("%s: section %s: SHF_COMPRESSED but without contents (SHT_NOBITS)", file_name(obj), name);
      continue;
    }
    InputSection *isec = arena_new(InputSection);
    isec->file = obj;
    isec->name = name;
    isec->shndx = i;
    isec->type = sh->sh_type;
    isec->flags = sh->sh_flags & ~(uint64_t)SHF_GROUP;
    isec->is_compressed = (sh->sh_flags & SHF_COMPRESSED) != 0;
    isec->size = sh->sh_size;
    isec->data = sh->sh_type == SHT_NOBITS ? NULL : obj->data + sh->sh_offset;
    isec->p2align = (uint8_t)to_p2align(sh->sh_addralign);
    isec->is_alive = true;
    isec->is_eh_frame = !strcmp(name, ".eh_frame") && (sh->sh_flags & SHF_ALLOC);
    obj->sections[i] = isec;
  }
  for (uint32_t i = 1; i < obj->nshdrs; i++) {
    const ElfShdr *sh = &obj->shdrs[i];
    if (sh->sh_type != SHT_RELA) continue;
    InputSection *target = obj->sections[sh->sh_info];
    if (!target) continue;
    if (target->rels) {
      error("%s: section %s has more than one relocation section", file_name(obj), target->name);
      continue;
    }
    target->rels = (const ElfRela *)(obj->data + sh->sh_offset);
    target->nrels = (uint32_t)(sh->sh_size / sizeof(ElfRela));
  }
}

static void init_locals(ObjectFile *obj) {
  obj->syms = arena_array(Symbol *, obj->nsyms ? obj->nsyms : 1);
  obj->locals = arena_array(Symbol, obj->first_global ? obj->first_global : 1);
  for (uint32_t i = 0; i < obj->first_global && i < obj->nsyms; i++) {
    const ElfSym *es = &obj->esyms[i];
    Symbol *s = &obj->locals[i];
    s->name = object_symbol_name(obj, i);
    s->namelen = (uint32_t)strlen(s->name);
    s->file = obj;
    s->esym_index = i;
    s->type = ELF64_ST_TYPE(es->st_info);
    s->binding = STB_LOCAL;
    s->is_local = true;
    // Assembler temporaries (.L.str.3, .LC0) name nothing a user wrote; GNU
    // ld and lld leave them out of .symtab too. Decided here, where the
    // name is read anyway, so .symtab's walks need not read it again.
    s->is_unnamed = s->type == STT_SECTION || !s->name[0] || (s->name[0] == '.' && s->name[1] == 'L');
    s->value = es->st_value;
    s->size = es->st_size;
    uint32_t shndx = object_symbol_shndx(obj, i);
    s->def_rank = 1;
    if (shndx != SHN_ABS && shndx != SHN_UNDEF && shndx < obj->nshdrs) {
      s->isec = obj->sections[shndx];
      s->is_discarded = !s->isec;
    }
    obj->syms[i] = s;
  }
}

// --wrap=SYM, as GNU ld does it: an undefined reference to SYM means
// __wrap_SYM, and one to __real_SYM means SYM. Definitions keep their names.
static const char *wrapped_name(const Config *cfg, const char *name, size_t *len) {
  for (size_t w = 0; w < cfg->wrap_symbols.len; w++) {
    const char *sym = cfg->wrap_symbols.data[w];
    if (!strcmp(name, sym)) {
      *len += 7;
      char *wrap = arena_alloc(*len + 1);
      memcpy(wrap, "__wrap_", 7);
      memcpy(wrap + 7, sym, *len - 7 + 1);
      return wrap;
    }
    if (!strncmp(name, "__real_", 7) && !strcmp(name + 7, sym)) {
      *len -= 7;
      return sym;
    }
  }
  return name;
}

// Per thread, reused from object to object: an object's global names,
// hashed, to look up or intern all at once (lookups then overlap their
// cache misses), with the symbol index each is for.
static _Thread_local struct {
  NameToIntern *names;
  uint32_t *index;
  Symbol **found;
  size_t cap;
} scratch;

static void scratch_reserve(size_t n) {
  if (scratch.cap >= n) return;
  scratch.cap = n;
  scratch.names = xrealloc(scratch.names, n * sizeof *scratch.names);
  scratch.index = xrealloc(scratch.index, n * sizeof *scratch.index);
  scratch.found = xrealloc(scratch.found, n * sizeof *scratch.found);
}

// Global I's name as the symbol table knows it. "foo@@VER" defines foo
// (the default version); "foo@VER" stays its own name. Static links have
// no version tables, so this is all that matters.
static NameToIntern global_name(Context *ctx, ObjectFile *obj, uint32_t i) {
  const char *name = object_symbol_name(obj, i);
  size_t len = strlen(name);
  const char *at = memchr(name, '@', len);
  if (at && at[1] == '@' && obj->esyms[i].st_shndx != SHN_UNDEF) {
    len = (size_t)(at - name);
    name = arena_strndup(name, len);
  }
  if (ctx->cfg.wrap_symbols.len && obj->esyms[i].st_shndx == SHN_UNDEF) name = wrapped_name(&ctx->cfg, name, &len);
  return (NameToIntern){name, (uint32_t)len, XXH3_64bits(name, len)};
}

size_t object_find_globals(Context *ctx, ObjectFile *obj) {
  if (!obj->is_prepared || obj->is_broken || obj->is_interned) return 0;
  uint32_t n = obj->nsyms - obj->first_global;
  scratch_reserve(n);
  for (uint32_t i = obj->first_global; i < obj->nsyms; i++) scratch.names[i - obj->first_global] = global_name(ctx, obj, i);
  return symtab_find_batch(ctx, scratch.names, n, obj->syms + obj->first_global);
}

void object_intern_globals(Context *ctx, ObjectFile *obj) {
  if (!obj->is_prepared || obj->is_broken || obj->is_interned) return;
  obj->is_interned = true;
  scratch_reserve(obj->nsyms - obj->first_global);
  size_t n = 0;
  for (uint32_t i = obj->first_global; i < obj->nsyms; i++) {
    if (obj->syms[i]) continue;  // found by object_find_globals
    scratch.names[n] = global_name(ctx, obj, i);
    scratch.index[n++] = i;
  }
  symtab_intern_batch(ctx, scratch.names, n, scratch.found);
  for (size_t k = 0; k < n; k++) obj->syms[scratch.index[k]] = scratch.found[k];
  object_intern_comdats(ctx, obj);
}

bool object_prepare(Context *ctx, ObjectFile *obj) {
  if (obj->is_prepared || obj->is_broken) return !obj->is_broken;
  if (!obj->headers_parsed && !object_parse_headers(ctx, obj)) {
    obj->is_broken = true;
    return false;
  }
  obj->is_prepared = true;
  init_sections(ctx, obj);
  init_locals(obj);
  return true;
}

// Layouts the memory figures in bench/README.md assume (see context.h).
_Static_assert(sizeof(InputSection) == 128, "InputSection grew");
_Static_assert(sizeof(Symbol) == 64, "Symbol grew");
_Static_assert(offsetof(Symbol, name) + sizeof(const char *) <= 16, "a Symbol's flags and name must stay in its first 16 bytes");
