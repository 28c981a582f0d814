// The .debug_info reader behind "defined at a.c:3" for variables:
// hand-built DWARF 4 and 5 units (DW_OP_addr, DW_OP_addrx through
// .debug_addr, strx through .debug_str_offsets, DW_AT_specification,
// implicit_const, forms that must be skipped), and corrupt input.
#include <criterion/criterion.h>

#include "debug_info.h"
#include "dwarf_bytes.h"


// Relocated fields: offset -> (value, section), one table per section.
typedef struct {
  uint64_t offset[16], value[16];
  uint32_t section[16];
  size_t n;
} Relocs;

static void add_reloc(Relocs *r, uint64_t offset, uint64_t value, uint32_t section) {
  cr_assert(r->n < 16);
  r->offset[r->n] = offset, r->value[r->n] = value, r->section[r->n] = section;
  r->n++;
}
static bool lookup(void *arg, uint64_t offset, uint64_t *value, uint32_t *section) {
  Relocs *r = arg;
  for (size_t i = 0; i < r->n; i++)
    if (r->offset[i] == offset) {
      *value = r->value[i];
      *section = r->section[i];
      return true;
    }
  return false;
}

enum {
  DATA = 3,  // the section index the variables are in
  TAG_compile_unit = 0x11, TAG_variable = 0x34, TAG_member = 0x0d, TAG_base_type = 0x24, TAG_structure = 0x13,
  AT_location = 0x02, AT_name = 0x03, AT_stmt_list = 0x10, AT_decl_file = 0x3a, AT_decl_line = 0x3b,
  AT_declaration = 0x3c, AT_external = 0x3f, AT_specification = 0x47, AT_linkage_name = 0x6e,
  AT_str_offsets_base = 0x72, AT_addr_base = 0x73, AT_byte_size = 0x0b, AT_user = 0x2100,
};

typedef struct {
  Buf info, abbrev, str, str_offsets, addr;
  Relocs info_r, addr_r, stro_r;
  InfoInputs in;
} Fixture;

static void abbrev(Buf *a, uint64_t code, uint64_t tag, bool children, const uint64_t *specs) {
  uleb(a, code), uleb(a, tag), u8(a, children);
  for (; specs[0] || specs[1]; specs += 2) {
    uleb(a, specs[0]), uleb(a, specs[1]);
    if (specs[1] == 0x21) sleb(a, (int64_t)specs[2]), specs++;  // implicit_const
  }
  u8(a, 0), u8(a, 0);
}

static void inputs(Fixture *f) {
  f->in = (InfoInputs){
      .info = {f->info.b, f->info.n, lookup, &f->info_r},
      .abbrev = {f->abbrev.b, f->abbrev.n, NULL, NULL},
      .str = {f->str.b, f->str.n, NULL, NULL},
      .str_offsets = {f->str_offsets.b, f->str_offsets.n, lookup, &f->stro_r},
      .addr = {f->addr.b, f->addr.n, lookup, &f->addr_r},
  };
}

// A type entry whose attributes use the forms a reader must skip.
static const uint64_t skip_specs[] = {
    AT_name, 0x08 /* string */, AT_byte_size, 0x1e /* data16 */, AT_user, 0x0a /* block1 */,
    AT_user + 1, 0x03 /* block2 */, AT_user + 2, 0x04 /* block4 */, AT_user + 3, 0x07 /* data8 */,
    AT_user + 4, 0x0d /* sdata */, AT_user + 5, 0x0f /* udata */, AT_user + 6, 0x15 /* ref_udata */,
    AT_user + 7, 0x16 /* indirect */, AT_user + 8, 0x20 /* ref_sig8 */, AT_user + 9, 0x09 /* block */,
    AT_user + 10, 0x0c /* flag */, AT_user + 11, 0x19 /* flag_present */, 0, 0};
static const uint64_t skip_specs5[] = {
    AT_user, 0x27 /* strx3 */, AT_user + 1, 0x2c /* addrx4 */, AT_user + 2, 0x22 /* loclistx */,
    AT_user + 3, 0x23 /* rnglistx */, AT_user + 4, 0x1b /* addrx */, AT_user + 5, 0x1a /* strx */,
    AT_user + 6, 0x2a /* addrx2 */, AT_user + 7, 0x1c /* ref_sup4 */, AT_user + 8, 0x24 /* ref_sup8 */,
    AT_user + 9, 0x29 /* addrx1 */, AT_user + 10, 0x21, 99 /* implicit_const */, 0, 0};

static void skip_values(Buf *i) {
  str(i, "long");
  for (int k = 0; k < 16; k++) u8(i, (uint8_t)k);  // data16
  u8(i, 2), u16(i, 0xffff);                          // block1
  u16(i, 1), u8(i, 0);                               // block2
  u32(i, 3), u8(i, 1), u8(i, 2), u8(i, 3);           // block4
  u64(i, ~0ULL);                                     // data8
  sleb(i, -300);                                     // sdata
  uleb(i, 1ULL << 40);                               // udata
  uleb(i, 5);                                        // ref_udata
  uleb(i, 0x05), u16(i, 77);                         // indirect: data2
  u64(i, 0x1234);                                    // ref_sig8
  uleb(i, 2), u8(i, 0), u8(i, 0);                    // block
  u8(i, 1);                                          // flag
}

static void skip_values5(Buf *i) {
  u8(i, 0), u8(i, 0), u8(i, 0);  // strx3
  u32(i, 7);                     // addrx4
  uleb(i, 1000), uleb(i, 1001);  // loclistx, rnglistx
  uleb(i, 0), uleb(i, 0);        // addrx, strx
  u16(i, 0);                     // addrx2
  u32(i, 0), u64(i, 0);          // ref_sup4, ref_sup8
  u8(i, 0);                      // addrx1
}

// DWARF 4: x at DATA+0x10 (line 7 of file 1); S::m declared as a
// DW_TAG_member at line 3 of file 2 and defined by a variable that names
// it with DW_AT_specification (line 9, its own) at DATA+0x20; y a
// definition whose location is unknown to the reader (found by name).
static void build_v4(Fixture *f) {
  *f = (Fixture){0};
  const uint64_t cu[] = {AT_name, 0x08, AT_stmt_list, 0x17, 0, 0};
  const uint64_t var[] = {AT_name, 0x08, AT_decl_file, 0x0b, AT_decl_line, 0x0b, AT_external, 0x19,
                          AT_location, 0x18, 0, 0};
  const uint64_t member[] = {AT_name, 0x0e /* strp */, AT_linkage_name, 0x0e, AT_decl_file, 0x0b,
                             AT_decl_line, 0x05, AT_external, 0x19, AT_declaration, 0x19, 0, 0};
  const uint64_t def[] = {AT_specification, 0x13 /* ref4 */, AT_decl_line, 0x21, 9, AT_location, 0x0a /* block1 */, 0, 0};
  abbrev(&f->abbrev, 1, TAG_compile_unit, true, cu);
  abbrev(&f->abbrev, 2, TAG_variable, false, var);
  abbrev(&f->abbrev, 3, TAG_structure, true, (const uint64_t[]){AT_name, 0x08, 0, 0});
  abbrev(&f->abbrev, 4, TAG_member, false, member);
  abbrev(&f->abbrev, 5, TAG_variable, false, def);
  abbrev(&f->abbrev, 6, TAG_base_type, false, skip_specs);
  u8(&f->abbrev, 0);
  str(&f->str, "");
  size_t m_name = f->str.n;
  str(&f->str, "m");
  size_t m_link = f->str.n;
  str(&f->str, "_ZN1S1mE");

  Buf *i = &f->info;
  u32(i, 0);  // unit_length, patched
  u16(i, 4);
  u32(i, 0);  // debug_abbrev_offset
  u8(i, 8);
  uleb(i, 1), str(i, "a.c"), u32(i, 0);  // the unit's .debug_line offset
  uleb(i, 6), skip_values(i);
  uleb(i, 2), str(i, "x"), u8(i, 1), u8(i, 7), uleb(i, 9), u8(i, 0x03);
  add_reloc(&f->info_r, i->n, 0x10, DATA);
  u64(i, 0);
  uleb(i, 3), str(i, "S");
  uint32_t member_die = (uint32_t)i->n;
  uleb(i, 4), u32(i, (uint32_t)m_name), u32(i, (uint32_t)m_link), u8(i, 2), u16(i, 3);
  u8(i, 0);  // end of S's children
  uleb(i, 5), u32(i, member_die), u8(i, 9), u8(i, 0x03);
  add_reloc(&f->info_r, i->n, 0x20, DATA);
  u64(i, 0);
  uleb(i, 2), str(i, "y"), u8(i, 1), u8(i, 12), uleb(i, 1), u8(i, 0x9c);  // DW_OP_call_frame_cfa
  u8(i, 0);  // end of the unit's children
  uint32_t len = (uint32_t)(i->n - 4);
  memcpy(i->b, &len, 4);
  inputs(f);
}

// DWARF 5 as clang 14 writes it: strx1 names, DW_OP_addrx locations
// through .debug_addr, both tables found through the unit's bases.
static void build_v5(Fixture *f) {
  *f = (Fixture){0};
  const uint64_t cu[] = {AT_name, 0x25, AT_str_offsets_base, 0x17, AT_stmt_list, 0x17, AT_addr_base, 0x17, 0, 0};
  const uint64_t var[] = {AT_name, 0x25, AT_decl_file, 0x0b, AT_decl_line, 0x0b, AT_external, 0x19,
                          AT_location, 0x18, AT_linkage_name, 0x26 /* strx2 */, 0, 0};
  const uint64_t decl[] = {AT_name, 0x25, AT_linkage_name, 0x25, AT_decl_file, 0x0b, AT_decl_line, 0x0b,
                           AT_declaration, 0x19, AT_external, 0x19, 0, 0};
  const uint64_t def[] = {AT_specification, 0x11 /* ref1 */, AT_location, 0x18, 0, 0};
  abbrev(&f->abbrev, 1, TAG_compile_unit, true, cu);
  abbrev(&f->abbrev, 2, TAG_variable, false, var);
  abbrev(&f->abbrev, 3, TAG_variable, false, decl);
  abbrev(&f->abbrev, 4, TAG_variable, false, def);
  abbrev(&f->abbrev, 7, TAG_base_type, false, skip_specs5);  // (codes need not be dense)
  u8(&f->abbrev, 0);

  const char *strings[] = {"b.c", "counter", "_ZN2ns7counterE", "member", "_ZN1S6memberE"};
  u32(&f->str_offsets, 4 * 5 + 4), u16(&f->str_offsets, 5), u16(&f->str_offsets, 0);  // header
  for (int k = 0; k < 5; k++) {
    add_reloc(&f->stro_r, f->str_offsets.n, f->str.n, 0);
    u32(&f->str_offsets, 0);
    str(&f->str, strings[k]);
  }
  u32(&f->addr, 4 + 16), u16(&f->addr, 5), u8(&f->addr, 8), u8(&f->addr, 0);  // header
  add_reloc(&f->addr_r, f->addr.n, 0x40, DATA), u64(&f->addr, 0);
  add_reloc(&f->addr_r, f->addr.n, 0x48, DATA), u64(&f->addr, 0);

  Buf *i = &f->info;
  u32(i, 0);
  u16(i, 5);
  u8(i, 1);  // DW_UT_compile
  u8(i, 8);
  u32(i, 0);
  uleb(i, 1), u8(i, 0), u32(i, 8), u32(i, 0x30), u32(i, 8);
  uleb(i, 7), skip_values5(i);
  uleb(i, 2), u8(i, 1), u8(i, 0), u8(i, 4), uleb(i, 2), u8(i, 0xa1), uleb(i, 0), u16(i, 2);
  size_t decl_die = i->n;
  uleb(i, 3), u8(i, 3), u8(i, 4), u8(i, 1), u8(i, 21);
  uleb(i, 4), u8(i, (uint8_t)decl_die), uleb(i, 2), u8(i, 0xa1), uleb(i, 1);
  u8(i, 0);
  uint32_t len = (uint32_t)(i->n - 4);
  memcpy(i->b, &len, 4);
  inputs(f);
}

static void want(const VarTable *t, uint64_t addr, const char *name, uint64_t file, uint32_t line, uint64_t stmt) {
  VarDecl d;
  cr_assert(var_table_find(t, DATA, addr, name, &d), "nothing for %s at 0x%llx", name, (unsigned long long)addr);
  cr_assert_eq(d.file, file, "%s: file %llu", name, (unsigned long long)d.file);
  cr_assert_eq(d.line, line, "%s: line %u", name, d.line);
  cr_assert_eq(d.stmt_list, stmt, "%s: stmt_list 0x%llx", name, (unsigned long long)d.stmt_list);
}

Test(debug_info, version4) {
  Fixture f;
  build_v4(&f);
  VarTable t = {0};
  var_table_parse(&t, &f.in);
  want(&t, 0x10, "x", 1, 7, 0);
  want(&t, 0x10, "other_name_same_place", 1, 7, 0);
  // The definition's own line, the declaration's file.
  want(&t, 0x20, "_ZN1S1mE", 2, 9, 0);
  // No usable location: by name, a defined external variable.
  want(&t, 0x99, "y", 1, 12, 0);
  VarDecl d;
  cr_assert_not(var_table_find(&t, DATA, 0x30, "nothing", &d));
  cr_assert_not(var_table_find(&t, DATA + 1, 0x10, "m", &d), "a declaration is not a definition");
  var_table_free(&t);
}

Test(debug_info, version5_addrx_strx) {
  Fixture f;
  build_v5(&f);
  VarTable t = {0};
  var_table_parse(&t, &f.in);
  want(&t, 0x40, "_ZN2ns7counterE", 0, 4, 0x30);
  // The definition has only a DW_AT_specification: all from the declaration.
  want(&t, 0x48, "_ZN1S6memberE", 1, 21, 0x30);
  want(&t, 0x1000, "_ZN1S6memberE", 1, 21, 0x30);  // and by its linkage name
  VarDecl d;
  cr_assert_not(var_table_find(&t, DATA, 0x1000, "member", &d), "C++ variables match by linkage name");
  var_table_free(&t);
  // Without .debug_addr the locations are lost, not misread.
  f.in.addr = (DwarfSection){0};
  var_table_parse(&t, &f.in);
  cr_assert_not(var_table_find(&t, DATA, 0x48, "elsewhere", &d));
  var_table_free(&t);
}

Test(debug_info, two_units_dwarf64) {
  // A 64-bit DWARF 4 unit after the first one: offsets are 8 bytes.
  Fixture f;
  build_v4(&f);
  Buf *i = &f.info;
  size_t start = i->n;
  u32(i, 0xffffffff), u64(i, 0);
  u16(i, 4);
  u64(i, 0);
  u8(i, 8);
  uleb(i, 1), str(i, "c.c"), u64(i, 0x77);
  uleb(i, 2), str(i, "z"), u8(i, 3), u8(i, 30), uleb(i, 9), u8(i, 0x03);
  add_reloc(&f.info_r, i->n, 0x50, DATA);
  u64(i, 0);
  u8(i, 0);
  uint64_t len = i->n - start - 12;
  memcpy(i->b + start + 4, &len, 8);
  inputs(&f);
  VarTable t = {0};
  var_table_parse(&t, &f.in);
  want(&t, 0x10, "x", 1, 7, 0);
  want(&t, 0x50, "z", 3, 30, 0x77);
  var_table_free(&t);
}

static void parse_and_query(const InfoInputs *in) {
  VarTable t = {0};
  var_table_parse(&t, in);
  VarDecl d;
  for (uint64_t a = 0; a <= 0x50; a += 8) var_table_find(&t, DATA, a, "x", &d);
  var_table_find(&t, DATA, 0, "_ZN1S1mE", &d);
  var_table_free(&t);
}

Test(debug_info, corrupt) {
  for (int v = 4; v <= 5; v++) {
    Fixture f;
    if (v == 4) build_v4(&f);
    else build_v5(&f);
    // Every truncation of every section, each copied to a buffer of its
    // own size so that ASan sees a read past the end.
    DwarfSection *secs[] = {&f.in.info, &f.in.abbrev, &f.in.str, &f.in.str_offsets, &f.in.addr};
    for (size_t s = 0; s < 5; s++) {
      DwarfSection orig = *secs[s];
      for (size_t n = 0; n <= orig.size; n++) {
        uint8_t *copy = malloc(n ? n : 1);
        if (n) memcpy(copy, orig.data, n);
        secs[s]->data = copy;
        secs[s]->size = n;
        parse_and_query(&f.in);
        free(copy);
      }
      *secs[s] = orig;
    }
    // Random bytes flipped in the unit and the abbreviations.
    srand(1234 + v);
    for (int k = 0; k < 4000; k++) {
      Fixture g = f;
      inputs(&g);
      Buf *b = k & 1 ? &g.abbrev : &g.info;
      int flips = 1 + rand() % 4;
      for (int j = 0; j < flips; j++) b->b[rand() % b->n] = (uint8_t)rand();
      uint8_t *info = malloc(g.info.n), *abbrev = malloc(g.abbrev.n);
      memcpy(info, g.info.b, g.info.n), memcpy(abbrev, g.abbrev.b, g.abbrev.n);
      g.in.info.data = info, g.in.abbrev.data = abbrev;
      parse_and_query(&g.in);
      free(info), free(abbrev);
    }
  }
}

Test(debug_info, empty) {
  InfoInputs in = {0};
  VarTable t = {0};
  var_table_parse(&t, &in);
  cr_assert_eq(t.nvars, 0);
  VarDecl d;
  cr_assert_not(var_table_find(&t, DATA, 0, "x", &d));
  var_table_free(&t);
}
