// The archive parser (linker/archive.c): GNU/SysV archives with "/" and
// "/SYM64/" symbol indexes and "//" long-name tables, BSD "#1/len" names and
// "__.SYMDEF" indexes, thin archives, indexes built from the members when
// the archive has none, non-ELF members, and corrupt inputs. Every archive
// is built byte by byte here.
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "arch.h"
#include "input.h"

// ------------------------------------------------------------ byte buffers

typedef struct {
  uint8_t *d;
  size_t len, cap;
} Buf;

static void put(Buf *b, const void *p, size_t n) {
  if (b->len + n > b->cap) {
    b->cap = (b->len + n) * 2 + 64;
    b->d = realloc(b->d, b->cap);
    cr_assert_not_null(b->d);
  }
  memcpy(b->d + b->len, p, n);
  b->len += n;
}
static void put_str(Buf *b, const char *s) { put(b, s, strlen(s)); }
static void put_zero(Buf *b, size_t n) {
  for (size_t i = 0; i < n; i++) put(b, "", 1);
}
static void put_be32(Buf *b, uint32_t v) {
  uint8_t x[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
  put(b, x, 4);
}
static void put_be64(Buf *b, uint64_t v) {
  put_be32(b, (uint32_t)(v >> 32));
  put_be32(b, (uint32_t)v);
}
static void put_le32(Buf *b, uint32_t v) { put(b, &v, 4); }
static void align_to(Buf *b, size_t a) {
  while (b->len % a) put(b, "", 1);
}

// One 60-byte member header: name (16), date (12), uid (6), gid (6),
// mode (8), size (10), "`\n". SIZE is copied as text so tests can corrupt it.
static void put_header_raw(Buf *b, const char *name, const char *size, const char *fmag) {
  char h[60];
  memset(h, ' ', sizeof h);
  memcpy(h, name, strlen(name) < 16 ? strlen(name) : 16);
  memcpy(h + 16, "0", 1);
  memcpy(h + 28, "0", 1);
  memcpy(h + 34, "0", 1);
  memcpy(h + 40, "644", 3);
  memcpy(h + 48, size, strlen(size) < 10 ? strlen(size) : 10);
  memcpy(h + 58, fmag, 2);
  put(b, h, 60);
}
static void put_header(Buf *b, const char *name, uint64_t size) {
  char sz[24];
  snprintf(sz, sizeof sz, "%llu", (unsigned long long)size);
  put_header_raw(b, name, sz, "`\n");
}
static void put_member(Buf *b, const char *name, const void *data, size_t size) {
  put_header(b, name, size);
  put(b, data, size);
  if (b->len % 2) put(b, "\n", 1);
}

// ------------------------------------------------------------ a minimal ELF object

typedef struct {
  const char *name;
  bool defined;
  uint8_t bind;
} GSym;

// ET_REL for x86-64: null section, .text, .symtab, .strtab, .shstrtab; a
// local section symbol, then the globals given.
static uint8_t *make_elf(const GSym *g, size_t ng, size_t *len) {
  Buf b = {0};
  Elf64_Ehdr eh = {0};
  put(&b, &eh, sizeof eh);
  uint64_t text_off = b.len;
  put(&b, "\x55\x48\x89\xe5\x5d\xc3\x90\x90", 8);
  align_to(&b, 8);

  Buf strtab = {0};
  put(&strtab, "", 1);
  uint64_t symtab_off = b.len;
  Elf64_Sym null = {0};
  put(&b, &null, sizeof null);
  Elf64_Sym secsym = {.st_info = ELF64_ST_INFO(STB_LOCAL, STT_SECTION), .st_shndx = 1};
  put(&b, &secsym, sizeof secsym);
  for (size_t i = 0; i < ng; i++) {
    Elf64_Sym s = {.st_name = (uint32_t)strtab.len,
                   .st_info = ELF64_ST_INFO(g[i].bind ? g[i].bind : STB_GLOBAL, g[i].defined ? STT_FUNC : STT_NOTYPE),
                   .st_shndx = g[i].defined ? 1 : SHN_UNDEF,
                   .st_value = g[i].defined ? i % 8 : 0};
    put(&b, &s, sizeof s);
    put(&strtab, g[i].name, strlen(g[i].name) + 1);
  }
  uint64_t symtab_size = b.len - symtab_off;
  uint64_t strtab_off = b.len;
  put(&b, strtab.d, strtab.len);
  static const char shstr[] = "\0.text\0.symtab\0.strtab\0.shstrtab";
  uint64_t shstr_off = b.len;
  put(&b, shstr, sizeof shstr);
  align_to(&b, 8);
  uint64_t shoff = b.len;
  Elf64_Shdr sh[5] = {
      {0},
      {.sh_name = 1, .sh_type = SHT_PROGBITS, .sh_flags = SHF_ALLOC | SHF_EXECINSTR, .sh_offset = text_off,
       .sh_size = 8, .sh_addralign = 16},
      {.sh_name = 7, .sh_type = SHT_SYMTAB, .sh_offset = symtab_off, .sh_size = symtab_size, .sh_link = 3,
       .sh_info = 2, .sh_addralign = 8, .sh_entsize = sizeof(Elf64_Sym)},
      {.sh_name = 15, .sh_type = SHT_STRTAB, .sh_offset = strtab_off, .sh_size = strtab.len, .sh_addralign = 1},
      {.sh_name = 23, .sh_type = SHT_STRTAB, .sh_offset = shstr_off, .sh_size = sizeof shstr, .sh_addralign = 1},
  };
  put(&b, sh, sizeof sh);
  free(strtab.d);

  Elf64_Ehdr *e = (Elf64_Ehdr *)b.d;
  memcpy(e->e_ident, ELFMAG, SELFMAG);
  e->e_ident[EI_CLASS] = ELFCLASS64;
  e->e_ident[EI_DATA] = ELFDATA2LSB;
  e->e_ident[EI_VERSION] = EV_CURRENT;
  e->e_type = ET_REL;
  e->e_machine = EM_X86_64;
  e->e_version = EV_CURRENT;
  e->e_shoff = shoff;
  e->e_ehsize = sizeof(Elf64_Ehdr);
  e->e_shentsize = sizeof(Elf64_Shdr);
  e->e_shnum = 5;
  e->e_shstrndx = 4;
  *len = b.len;
  return b.d;
}

// ------------------------------------------------------------ GNU archives

typedef struct {
  const char *name;
  const void *data;
  size_t size;
} Mem;

typedef struct {
  const char *sym;
  int member;  // index into the members
} IdxEnt;

enum { IDX_NONE, IDX_SYSV, IDX_SYM64 };

typedef struct {
  uint8_t *data;
  size_t size;
  uint64_t off[16];  // header offset of each member
} Ar;

// GNU ar puts names that do not fit in 15 characters, and paths (thin
// archives), in the "//" table.
static bool needs_long_name(const char *name) { return strlen(name) > 15 || strchr(name, '/'); }

static void write_gnu(Buf *b, bool thin, int idx, const IdxEnt *syms, size_t nsyms, const Mem *m, size_t nm,
                      uint64_t *off) {
  put_str(b, thin ? "!<thin>\n" : "!<arch>\n");
  if (idx != IDX_NONE) {
    Buf body = {0};
    if (idx == IDX_SYSV) {
      put_be32(&body, (uint32_t)nsyms);
      for (size_t i = 0; i < nsyms; i++) put_be32(&body, (uint32_t)off[syms[i].member]);
    } else {
      put_be64(&body, nsyms);
      for (size_t i = 0; i < nsyms; i++) put_be64(&body, off[syms[i].member]);
    }
    for (size_t i = 0; i < nsyms; i++) put(&body, syms[i].sym, strlen(syms[i].sym) + 1);
    put_member(b, idx == IDX_SYSV ? "/" : "/SYM64/", body.d, body.len);
    free(body.d);
  }
  // Long names: "name/\n" entries, referenced as "/OFFSET".
  Buf names = {0};
  uint64_t name_off[16];
  for (size_t i = 0; i < nm; i++) {
    name_off[i] = names.len;
    if (needs_long_name(m[i].name)) {
      put_str(&names, m[i].name);
      put_str(&names, "/\n");
    }
  }
  if (names.len) put_member(b, "//", names.d, names.len);
  free(names.d);
  for (size_t i = 0; i < nm; i++) {
    char hname[32];
    if (needs_long_name(m[i].name)) snprintf(hname, sizeof hname, "/%llu", (unsigned long long)name_off[i]);
    else snprintf(hname, sizeof hname, "%s/", m[i].name);
    off[i] = b->len;
    if (thin) put_header(b, hname, m[i].size);
    else put_member(b, hname, m[i].data, m[i].size);
  }
}

// Builds twice: the first pass finds the member offsets the index needs.
static Ar build_gnu(bool thin, int idx, const IdxEnt *syms, size_t nsyms, const Mem *m, size_t nm) {
  Ar ar = {0};
  cr_assert_leq(nm, 16);
  Buf b = {0};
  write_gnu(&b, thin, idx, syms, nsyms, m, nm, ar.off);
  b.len = 0;
  write_gnu(&b, thin, idx, syms, nsyms, m, nm, ar.off);
  ar.data = b.d;
  ar.size = b.len;
  return ar;
}

static Context *new_ctx(void) {
  diag_set_error_limit(0);
  Context *ctx = calloc(1, sizeof(Context));
  cr_assert_not_null(ctx);
  return ctx;
}

static void assert_armap(const Archive *a, size_t i, const char *name, uint64_t off) {
  cr_assert_lt(i, a->armap.len, "armap entry %zu exists (have %zu)", i, a->armap.len);
  const ArmapEntry *e = &a->armap.data[i];
  cr_assert_str_eq(e->name, name, "armap entry %zu", i);
  cr_assert_eq(e->offset, off, "armap entry %zu (%s): offset 0x%llx, want 0x%llx", i, name,
               (unsigned long long)e->offset, (unsigned long long)off);
  cr_assert_eq(e->namelen, strlen(name), "armap entry %zu length", i);
}

static void assert_member(const Archive *a, size_t i, const char *name, const void *data, size_t size,
                          uint64_t header_offset) {
  cr_assert_lt(i, a->members.len, "member %zu exists (have %zu)", i, a->members.len);
  const ArchiveMember *m = &a->members.data[i];
  cr_assert_str_eq(m->name, name, "member %zu name", i);
  cr_assert_eq(m->size, size, "member %zu (%s) size %zu, want %zu", i, name, m->size, size);
  cr_assert_eq(memcmp(m->data, data, size), 0, "member %zu (%s) contents", i, name);
  cr_assert_eq(m->header_offset, header_offset, "member %zu (%s) header offset", i, name);
  cr_assert_not(m->extracted);
}

static const uint8_t rmeta[13] = {0x72, 0x75, 0x73, 0x74, 0x00, 0x00, 0x00, 0x08, 0xde, 0xad, 0xbe, 0xef, 0x11};

// ------------------------------------------------------------ tests: GNU

Test(archive, sysv_index_and_long_names) {
  size_t la, lb;
  GSym ga[] = {{"foo", true, 0}};
  GSym gb[] = {{"bar", true, 0}, {"baz", true, 0}, {"ext", false, 0}};
  uint8_t *oa = make_elf(ga, 1, &la), *ob = make_elf(gb, 3, &lb);
  Mem m[] = {
      {"a.o", oa, la},
      {"a_very_long_member_name.o", ob, lb},
      {"lib.rmeta", rmeta, sizeof rmeta},
      {"another_long_name_too.o", "x", 1},
  };
  IdxEnt idx[] = {{"foo", 0}, {"bar", 1}, {"baz", 1}};
  Ar ar = build_gnu(false, IDX_SYSV, idx, 3, m, 4);
  Context *ctx = new_ctx();
  Archive *a = archive_open(ctx, "libx.a", ar.data, ar.size);
  cr_assert_not_null(a);
  cr_assert_eq(error_count(), 0);
  cr_assert_str_eq(a->path, "libx.a");

  cr_assert_eq(a->armap.len, 3);
  assert_armap(a, 0, "foo", ar.off[0]);
  assert_armap(a, 1, "bar", ar.off[1]);
  assert_armap(a, 2, "baz", ar.off[1]);
  cr_assert_neq(ar.off[0], ar.off[1]);

  cr_assert_eq(a->members.len, 4);
  assert_member(a, 0, "a.o", oa, la, ar.off[0]);
  assert_member(a, 1, "a_very_long_member_name.o", ob, lb, ar.off[1]);
  assert_member(a, 2, "lib.rmeta", rmeta, sizeof rmeta, ar.off[2]);
  assert_member(a, 3, "another_long_name_too.o", "x", 1, ar.off[3]);
  // Member data is a view into the archive, just past the header.
  cr_assert_eq(a->members.data[0].data, ar.data + ar.off[0] + 60);
  // With an index, nothing is parsed until a member is needed.
  for (size_t i = 0; i < a->members.len; i++) cr_assert_null(a->members.data[i].obj);
}

Test(archive, member_objects) {
  size_t la;
  GSym ga[] = {{"foo", true, 0}, {"undef", false, 0}};
  uint8_t *oa = make_elf(ga, 2, &la);
  Mem m[] = {{"a.o", oa, la}, {"lib.rmeta", rmeta, sizeof rmeta}};
  IdxEnt idx[] = {{"foo", 0}};
  Ar ar = build_gnu(false, IDX_SYSV, idx, 1, m, 2);
  Context *ctx = new_ctx();
  Archive *a = archive_open(ctx, "libx.a", ar.data, ar.size);
  cr_assert_not_null(a);

  ObjectFile *obj = archive_member_object(ctx, a, &a->members.data[0]);
  cr_assert_not_null(obj);
  cr_assert_eq(error_count(), 0);
  cr_assert_str_eq(obj->path, "libx.a");
  cr_assert_str_eq(obj->member, "a.o");
  cr_assert_eq(obj->archive, a);
  cr_assert_eq(obj->size, la);
  cr_assert_eq(obj->nshdrs, 5);
  cr_assert_eq(obj->nsyms, 4);
  cr_assert_eq(obj->first_global, 2);
  cr_assert_str_eq(object_symbol_name(obj, 2), "foo");
  cr_assert_str_eq(object_symbol_name(obj, 3), "undef");
  cr_assert_str_eq(file_name(obj), "libx.a(a.o)");
  cr_assert_not_null(ctx->arch);
  cr_assert_eq(ctx->arch->machine, EM_X86_64);
  // Parsed once: the second call returns the same object.
  cr_assert_eq(a->members.data[0].obj, obj);
  cr_assert_eq(archive_member_object(ctx, a, &a->members.data[0]), obj);

  // A non-ELF member is listed but is not an object, and that is no error.
  cr_assert_null(archive_member_object(ctx, a, &a->members.data[1]));
  cr_assert_eq(error_count(), 0);
  cr_assert_null(a->members.data[1].obj);
}

Test(archive, bitcode_member_is_an_error) {
  static const uint8_t bc[8] = {'B', 'C', 0xc0, 0xde, 0x35, 0x14, 0, 0};
  Mem m[] = {{"lto.o", bc, sizeof bc}};
  Ar ar = build_gnu(false, IDX_NONE, NULL, 0, m, 1);
  Context *ctx = new_ctx();
  Archive *a = archive_open(ctx, "liblto.a", ar.data, ar.size);
  cr_assert_not_null(a);
  cr_assert_eq(error_count(), 0, "listing a bitcode member is fine");
  cr_assert_eq(a->armap.len, 0);
  cr_assert_null(archive_member_object(ctx, a, &a->members.data[0]));
  cr_assert_eq(error_count(), 1);
}

Test(archive, sym64_index) {
  size_t la, lb;
  GSym ga[] = {{"f1", true, 0}};
  GSym gb[] = {{"f2", true, 0}};
  uint8_t *oa = make_elf(ga, 1, &la), *ob = make_elf(gb, 1, &lb);
  Mem m[] = {{"one.o", oa, la}, {"two.o", ob, lb}};
  IdxEnt idx[] = {{"f2", 1}, {"f1", 0}, {"f1_alias", 0}};
  Ar ar = build_gnu(false, IDX_SYM64, idx, 3, m, 2);
  Context *ctx = new_ctx();
  Archive *a = archive_open(ctx, "lib64.a", ar.data, ar.size);
  cr_assert_not_null(a);
  cr_assert_eq(error_count(), 0);
  cr_assert_eq(a->armap.len, 3);
  assert_armap(a, 0, "f2", ar.off[1]);
  assert_armap(a, 1, "f1", ar.off[0]);
  assert_armap(a, 2, "f1_alias", ar.off[0]);
  cr_assert_eq(a->members.len, 2);
  assert_member(a, 0, "one.o", oa, la, ar.off[0]);
  assert_member(a, 1, "two.o", ob, lb, ar.off[1]);
}

Test(archive, sym64_offsets_above_4g_are_kept) {
  // Only the index: offsets are taken as they are (members are looked up
  // by header offset later).
  Buf body = {0}, b = {0};
  put_be64(&body, 2);
  put_be64(&body, 0x123456789aULL);
  put_be64(&body, 8);
  put(&body, "big\0small\0", 10);
  put_str(&b, "!<arch>\n");
  put_member(&b, "/SYM64/", body.d, body.len);
  Context *ctx = new_ctx();
  Archive *a = archive_open(ctx, "big.a", b.d, b.len);
  cr_assert_not_null(a);
  cr_assert_eq(a->armap.len, 2);
  assert_armap(a, 0, "big", 0x123456789aULL);
  assert_armap(a, 1, "small", 8);
  cr_assert_eq(a->members.len, 0);
}

Test(archive, index_built_from_members_without_symbol_table) {
  size_t la, lb;
  GSym ga[] = {{"alpha", true, 0}, {"needed", false, 0}, {"weakdef", true, STB_WEAK}};
  GSym gb[] = {{"beta", true, 0}, {"weakref", false, STB_WEAK}};
  uint8_t *oa = make_elf(ga, 3, &la), *ob = make_elf(gb, 2, &lb);
  Mem m[] = {{"a.o", oa, la}, {"lib.rmeta", rmeta, sizeof rmeta}, {"b_has_a_long_name.o", ob, lb}};
  Ar ar = build_gnu(false, IDX_NONE, NULL, 0, m, 3);
  Context *ctx = new_ctx();
  Archive *a = archive_open(ctx, "noidx.a", ar.data, ar.size);
  cr_assert_not_null(a);
  cr_assert_eq(error_count(), 0);
  cr_assert_eq(a->members.len, 3);
  assert_member(a, 2, "b_has_a_long_name.o", ob, lb, ar.off[2]);
  // Defined globals (weak ones too) in member order; undefined ones not.
  cr_assert_eq(a->armap.len, 3);
  assert_armap(a, 0, "alpha", ar.off[0]);
  assert_armap(a, 1, "weakdef", ar.off[0]);
  assert_armap(a, 2, "beta", ar.off[2]);
  // Building the index parsed the ELF members (and kept them), not the others.
  cr_assert_not_null(a->members.data[0].obj);
  cr_assert_null(a->members.data[1].obj);
  cr_assert_not_null(a->members.data[2].obj);
  cr_assert_str_eq(a->members.data[2].obj->member, "b_has_a_long_name.o");
}

Test(archive, empty_archive) {
  Context *ctx = new_ctx();
  Archive *a = archive_open(ctx, "empty.a", (const uint8_t *)"!<arch>\n", 8);
  cr_assert_not_null(a);
  cr_assert_eq(a->members.len, 0);
  cr_assert_eq(a->armap.len, 0);
  cr_assert_eq(error_count(), 0);
}

Test(archive, odd_sized_members_are_padded) {
  Mem m[] = {{"x.txt", "abc", 3}, {"y.txt", "de", 2}, {"z.txt", "f", 1}};
  Ar ar = build_gnu(false, IDX_NONE, NULL, 0, m, 3);
  // x at 8, body 3 bytes + 1 pad; y at 72; z at 134.
  cr_assert_eq(ar.off[0], 8);
  cr_assert_eq(ar.off[1], 72);
  cr_assert_eq(ar.off[2], 134);
  Context *ctx = new_ctx();
  Archive *a = archive_open(ctx, "pad.a", ar.data, ar.size);
  cr_assert_not_null(a);
  cr_assert_eq(a->members.len, 3);
  assert_member(a, 0, "x.txt", "abc", 3, 8);
  assert_member(a, 1, "y.txt", "de", 2, 72);
  assert_member(a, 2, "z.txt", "f", 1, 134);
  // Without the final pad byte the archive still parses.
  a = archive_open(ctx, "pad.a", ar.data, ar.size - 1);
  cr_assert_not_null(a);
  cr_assert_eq(a->members.len, 3);
  cr_assert_eq(error_count(), 0);
}

// ------------------------------------------------------------ tests: BSD

Test(archive, bsd_long_name_member) {
  size_t la;
  GSym ga[] = {{"bsdfn", true, 0}};
  uint8_t *oa = make_elf(ga, 1, &la);
  static const char name[] = "a_rather_long_bsd_name.o";  // 24 bytes, padded to 28 with NULs
  Buf b = {0};
  put_str(&b, "!<arch>\n");
  uint64_t off0 = b.len;
  put_member(&b, "short.o", "hi", 2);
  uint64_t off1 = b.len;
  Buf body = {0};
  put(&body, name, sizeof name - 1);
  put_zero(&body, 4);
  put(&body, oa, la);
  put_member(&b, "#1/28", body.d, body.len);
  Context *ctx = new_ctx();
  Archive *a = archive_open(ctx, "bsd.a", b.d, b.len);
  cr_assert_not_null(a);
  cr_assert_eq(error_count(), 0);
  cr_assert_eq(a->members.len, 2);
  assert_member(a, 0, "short.o", "hi", 2, off0);
  // The name is taken from the body and the data starts after it (a
  // misaligned ELF member is copied, so compare contents, not pointers).
  assert_member(a, 1, name, oa, la, off1);
  cr_assert_eq(memcmp(a->members.data[1].data, b.d + off1 + 60 + 28, la), 0);
  // No index: built from the BSD member's globals.
  cr_assert_eq(a->armap.len, 1);
  assert_armap(a, 0, "bsdfn", off1);
  ObjectFile *obj = archive_member_object(ctx, a, &a->members.data[1]);
  cr_assert_not_null(obj);
  cr_assert_str_eq(obj->member, name);
}

Test(archive, bsd_symdef_index) {
  // __.SYMDEF: ranlib array byte size, (name offset, member offset) pairs,
  // string table size, strings; all little-endian here.
  Buf b = {0}, sd = {0};
  put_str(&b, "!<arch>\n");
  static const char strs[] = "one\0two\0";
  put_le32(&sd, 16);
  put_le32(&sd, 0);
  put_le32(&sd, 0x100);
  put_le32(&sd, 4);
  put_le32(&sd, 0x200);
  put_le32(&sd, sizeof strs - 1);
  put(&sd, strs, sizeof strs - 1);
  Buf body = {0};
  put(&body, "__.SYMDEF\0\0\0", 12);
  put(&body, sd.d, sd.len);
  put_member(&b, "#1/12", body.d, body.len);
  uint64_t off = b.len;
  put_member(&b, "m.o", "data", 4);
  Context *ctx = new_ctx();
  Archive *a = archive_open(ctx, "bsdidx.a", b.d, b.len);
  cr_assert_not_null(a);
  cr_assert_eq(error_count(), 0);
  cr_assert_eq(a->armap.len, 2);
  assert_armap(a, 0, "one", 0x100);
  assert_armap(a, 1, "two", 0x200);
  cr_assert_eq(a->members.len, 1, "the index is not a member");
  assert_member(a, 0, "m.o", "data", 4, off);
}

Test(archive, bsd_name_longer_than_member_is_an_error) {
  Buf b = {0};
  put_str(&b, "!<arch>\n");
  put_member(&b, "#1/40", "short_body", 10);
  Context *ctx = new_ctx();
  int before = error_count();
  cr_assert_null(archive_open(ctx, "bsdbad.a", b.d, b.len));
  cr_assert_eq(error_count(), before + 1);
}

// ------------------------------------------------------------ tests: thin archives

Test(archive, thin_archive) {
  char dir[] = "/tmp/xld-ut-thinXXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  size_t la;
  GSym ga[] = {{"thinfn", true, 0}};
  uint8_t *oa = make_elf(ga, 1, &la);
  static const char other[] = "not an object\n";
  Mem m[] = {{"t.o", oa, la}, {"a_long_thin_member_name.txt", other, sizeof other - 1}, {"sub/s.txt", "sub", 3}};
  char p0[256], p1[256], p2[256], sub[256], arpath[256];
  snprintf(p0, sizeof p0, "%s/t.o", dir);
  snprintf(p1, sizeof p1, "%s/a_long_thin_member_name.txt", dir);
  snprintf(sub, sizeof sub, "%s/sub", dir);
  snprintf(p2, sizeof p2, "%s/sub/s.txt", dir);
  snprintf(arpath, sizeof arpath, "%s/libthin.a", dir);
  cr_assert_eq(mkdir(sub, 0700), 0);
  FILE *f = fopen(p0, "wb");
  cr_assert_not_null(f);
  fwrite(oa, 1, la, f);
  fclose(f);
  f = fopen(p1, "wb");
  cr_assert_not_null(f);
  fwrite(other, 1, sizeof other - 1, f);
  fclose(f);
  f = fopen(p2, "wb");
  cr_assert_not_null(f);
  fwrite("sub", 1, 3, f);
  fclose(f);

  IdxEnt idx[] = {{"thinfn", 0}};
  Ar ar = build_gnu(true, IDX_SYSV, idx, 1, m, 3);
  cr_assert_eq(memcmp(ar.data, "!<thin>\n", 8), 0);
  Context *ctx = new_ctx();
  Archive *a = archive_open(ctx, arpath, ar.data, ar.size);
  bool ok = a && a->members.len == 3 && a->armap.len == 1;
  ObjectFile *obj = ok ? archive_member_object(ctx, a, &a->members.data[0]) : NULL;
  unlink(p0);
  unlink(p1);
  unlink(p2);
  rmdir(sub);
  rmdir(dir);

  cr_assert_not_null(a);
  cr_assert_eq(error_count(), 0);
  cr_assert_eq(a->members.len, 3);
  // Members are files beside the archive; their names are those paths.
  assert_member(a, 0, p0, oa, la, ar.off[0]);
  assert_member(a, 1, p1, other, sizeof other - 1, ar.off[1]);
  assert_member(a, 2, p2, "sub", 3, ar.off[2]);
  cr_assert_eq(a->armap.len, 1);
  assert_armap(a, 0, "thinfn", ar.off[0]);
  // The member headers are back to back: no member data inline.
  cr_assert_eq(ar.off[1], ar.off[0] + 60);
  cr_assert_not_null(obj);
  cr_assert_str_eq(obj->member, p0);
}

Test(archive, thin_archive_missing_member_is_an_error) {
  Mem m[] = {{"does-not-exist.o", "", 100}};
  Ar ar = build_gnu(true, IDX_NONE, NULL, 0, m, 1);
  Context *ctx = new_ctx();
  int before = error_count();
  cr_assert_null(archive_open(ctx, "/nonexistent-dir-xld-ut/libthin.a", ar.data, ar.size));
  cr_assert_eq(error_count(), before + 1);
}

// ------------------------------------------------------------ tests: corrupt archives

static void expect_corrupt(const char *what, const uint8_t *data, size_t size) {
  Context *ctx = new_ctx();
  int before = error_count();
  Archive *a = archive_open(ctx, "bad.a", data, size);
  cr_assert_null(a, "%s: archive_open returns NULL", what);
  cr_assert_eq(error_count(), before + 1, "%s: one error reported", what);
}

Test(archive, truncated_header) {
  Buf b = {0};
  put_str(&b, "!<arch>\n");
  put_member(&b, "a.o", "abcd", 4);
  put_header(&b, "b.o", 4);
  expect_corrupt("truncated second header", b.d, b.len - 30);
  expect_corrupt("a header of one byte", b.d, 9);
}

Test(archive, bad_fmag) {
  Buf b = {0};
  put_str(&b, "!<arch>\n");
  put_header_raw(&b, "a.o/", "4", "`X");
  put(&b, "abcd", 4);
  expect_corrupt("bad fmag", b.d, b.len);
}

Test(archive, size_past_end) {
  Buf b = {0};
  put_str(&b, "!<arch>\n");
  put_member(&b, "a.o/", "abcd", 4);
  put_header(&b, "b.o/", 1000);
  put(&b, "tiny", 4);
  expect_corrupt("member size past end", b.d, b.len);
  // A member whose size is one byte more than the data there.
  Buf c = {0};
  put_str(&c, "!<arch>\n");
  put_header(&c, "c.o/", 5);
  put(&c, "abcd", 4);
  expect_corrupt("one byte short", c.d, c.len);
}

Test(archive, size_not_a_number) {
  Buf b = {0};
  put_str(&b, "!<arch>\n");
  put_header_raw(&b, "a.o/", "abc", "`\n");
  put(&b, "abcd", 4);
  expect_corrupt("size field is not a number", b.d, b.len);
}

Test(archive, negative_size) {
  Buf b = {0};
  put_str(&b, "!<arch>\n");
  put_header_raw(&b, "a.o/", "-1", "`\n");
  put(&b, "abcd", 4);
  expect_corrupt("size -1", b.d, b.len);
}

Test(archive, long_name_index_out_of_range) {
  Buf b = {0};
  put_str(&b, "!<arch>\n");
  put_member(&b, "//", "long_member_name.o/\n", 20);
  put_member(&b, "/20", "abcd", 4);
  expect_corrupt("long name offset == table size", b.d, b.len);

  Buf c = {0};
  put_str(&c, "!<arch>\n");
  put_member(&c, "//", "long_member_name.o/\n", 20);
  put_member(&c, "/99999", "abcd", 4);
  expect_corrupt("long name offset far past the table", c.d, c.len);

  Buf d = {0};
  put_str(&d, "!<arch>\n");
  put_member(&d, "/0", "abcd", 4);
  expect_corrupt("long name without a table", d.d, d.len);
}

Test(archive, long_name_in_range_is_found) {
  Buf b = {0};
  put_str(&b, "!<arch>\n");
  put_member(&b, "//", "first_long_name.o/\nsecond_long_name.o/\n", 40);
  uint64_t off = b.len;
  put_member(&b, "/19", "abcd", 4);
  Context *ctx = new_ctx();
  Archive *a = archive_open(ctx, "ok.a", b.d, b.len);
  cr_assert_not_null(a);
  cr_assert_eq(a->members.len, 1);
  assert_member(a, 0, "second_long_name.o", "abcd", 4, off);
}

Test(archive, armap_count_too_large) {
  Buf body = {0}, b = {0};
  put_be32(&body, 1000);  // 1000 entries would need 4000 bytes of offsets
  put_be32(&body, 8);
  put(&body, "foo\0", 4);
  put_str(&b, "!<arch>\n");
  put_member(&b, "/", body.d, body.len);
  put_member(&b, "a.o/", "abcd", 4);
  expect_corrupt("sysv count too large", b.d, b.len);

  Buf body64 = {0}, c = {0};
  put_be64(&body64, 0x2000000000000000ULL);  // n * 8 wraps around 64 bits
  put_be64(&body64, 8);
  put(&body64, "foo\0", 4);
  put_str(&c, "!<arch>\n");
  put_member(&c, "/SYM64/", body64.d, body64.len);
  expect_corrupt("sym64 count that overflows", c.d, c.len);
}

Test(archive, armap_names_run_past_the_index) {
  Buf body = {0}, b = {0};
  put_be32(&body, 2);
  put_be32(&body, 8);
  put_be32(&body, 8);
  put(&body, "foo\0bar", 7);  // the second name is not terminated
  put_str(&b, "!<arch>\n");
  put_member(&b, "/", body.d, body.len);
  expect_corrupt("unterminated armap name", b.d, b.len);

  Buf body2 = {0}, c = {0};
  put_be32(&body2, 2);
  put_be32(&body2, 8);
  put_be32(&body2, 8);
  put(&body2, "foo\0", 4);  // one name for two entries
  put_str(&c, "!<arch>\n");
  put_member(&c, "/", body2.d, body2.len);
  expect_corrupt("too few armap names", c.d, c.len);

  Buf d = {0};
  put_str(&d, "!<arch>\n");
  put_member(&d, "/", "\0\0", 2);  // not even a count
  expect_corrupt("armap shorter than its count", d.d, d.len);
}

Test(archive, bsd_symdef_corrupt) {
  Buf sd = {0}, b = {0};
  put_le32(&sd, 16);  // claims two entries, has one
  put_le32(&sd, 0);
  put_le32(&sd, 8);
  put_str(&b, "!<arch>\n");
  put_member(&b, "__.SYMDEF", sd.d, sd.len);
  expect_corrupt("ranlib array past the index", b.d, b.len);

  Buf sd2 = {0}, c = {0};
  put_le32(&sd2, 8);
  put_le32(&sd2, 50);  // name offset past the strings
  put_le32(&sd2, 8);
  put_le32(&sd2, 4);
  put(&sd2, "abc\0", 4);
  put_str(&c, "!<arch>\n");
  put_member(&c, "__.SYMDEF", sd2.d, sd2.len);
  expect_corrupt("ranlib name offset past the strings", c.d, c.len);
}

Test(archive, corrupt_elf_member_without_index_is_reported) {
  // A member that starts like ELF but is not: the index builder parses it,
  // which reports the member; the archive itself is still listed.
  uint8_t junk[80] = {0x7f, 'E', 'L', 'F', ELFCLASS64, ELFDATA2LSB, 1};
  Mem m[] = {{"broken.o", junk, sizeof junk}};
  Ar ar = build_gnu(false, IDX_NONE, NULL, 0, m, 1);
  Context *ctx = new_ctx();
  int before = error_count();
  Archive *a = archive_open(ctx, "broken.a", ar.data, ar.size);
  cr_assert_not_null(a);
  cr_assert_eq(a->members.len, 1);
  cr_assert_eq(a->armap.len, 0);
  cr_assert_eq(error_count(), before + 1);
}
