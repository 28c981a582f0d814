// The .debug_line reader behind "referenced by main.c:12": hand-built
// DWARF 4 and 5 line programs, relocated fields, and corrupt input.
#include <criterion/criterion.h>

#include "debug_line.h"
#include "dwarf_bytes.h"


enum { LINE_BASE = -5, LINE_RANGE = 14, OPCODE_BASE = 13 };
static const uint8_t std_lengths[12] = {0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1};

static void common_fields(Buf *b) {
  u8(b, 1);  // minimum_instruction_length
  u8(b, 1);  // maximum_operations_per_instruction
  u8(b, 1);  // default_is_stmt
  u8(b, (uint8_t)LINE_BASE);
  u8(b, LINE_RANGE);
  u8(b, OPCODE_BASE);
  put(b, std_lengths, sizeof std_lengths);
}

static uint8_t special(int line_inc, unsigned addr_adv) {
  return (uint8_t)((line_inc - LINE_BASE) + LINE_RANGE * addr_adv + OPCODE_BASE);
}

// The program both versions share; returns the offset of set_address's operand.
static size_t program(Buf *b, uint64_t start, bool set_file_0) {
  u8(b, 0), uleb(b, 9), u8(b, 2);  // DW_LNE_set_address
  size_t operand = b->n;
  u64(b, start);
  if (set_file_0) u8(b, 4), uleb(b, 0);  // set_file 0 (DWARF 5 files count from 0)
  u8(b, 3), sleb(b, 9);   // advance_line: 10
  u8(b, 1);               // copy: start, line 10
  u8(b, special(2, 4));   // start+4, line 12
  u8(b, 4), uleb(b, set_file_0 ? 1 : 2);  // set_file: the header
  u8(b, 2), uleb(b, 8);   // advance_pc: start+12
  u8(b, 1);               // copy: start+12, line 12 of the header
  u8(b, 5), uleb(b, 7);   // set_column (an operand to skip)
  u8(b, 3), sleb(b, -2);  // advance_line: 10
  u8(b, 8);               // const_add_pc: +17
  u8(b, 1);               // copy: start+29, line 10 of the header
  u8(b, 2), uleb(b, 3);   // advance_pc: start+32
  u8(b, 0), uleb(b, 1), u8(b, 1);  // end_sequence
  return operand;
}

// unit_length and header_length are patched in at the end.
static void finish(Buf *b, size_t header_length_at, size_t header_end) {
  uint32_t unit = (uint32_t)(b->n - 4), hl = (uint32_t)(header_end - header_length_at - 4);
  memcpy(b->b, &unit, 4);
  memcpy(b->b + header_length_at, &hl, 4);
}

static Buf v4_table(void) {
  Buf b = {0};
  u32(&b, 0);
  u16(&b, 4);
  size_t hl = b.n;
  u32(&b, 0);
  common_fields(&b);
  str(&b, "inc"), str(&b, "");  // include_directories
  str(&b, "main.c"), uleb(&b, 0), uleb(&b, 0), uleb(&b, 0);
  str(&b, "x.h"), uleb(&b, 1), uleb(&b, 0), uleb(&b, 0);
  str(&b, "");
  size_t he = b.n;
  program(&b, 0x1000, false);
  finish(&b, hl, he);
  return b;
}

static const char line_str[] = "/comp\0inc";  // offsets 0 and 6

static Buf v5_table(size_t *operand) {
  Buf b = {0};
  u32(&b, 0);
  u16(&b, 5);
  u8(&b, 8), u8(&b, 0);  // address_size, segment_selector_size
  size_t hl = b.n;
  u32(&b, 0);
  common_fields(&b);
  u8(&b, 1), uleb(&b, 1), uleb(&b, 0x1f);   // directories: DW_LNCT_path as line_strp
  uleb(&b, 2), u32(&b, 0), u32(&b, 6);
  u8(&b, 2), uleb(&b, 1), uleb(&b, 0x08), uleb(&b, 2), uleb(&b, 0x0f);  // files: path string, directory udata
  uleb(&b, 2);
  str(&b, "a.c"), uleb(&b, 0);
  str(&b, "b.h"), uleb(&b, 1);
  size_t he = b.n;
  *operand = program(&b, 0, true);
  finish(&b, hl, he);
  return b;
}

static void expect(const LineTable *t, uint32_t section, uint64_t addr, const char *file, const char *dir,
                   uint32_t line) {
  const LineRow *r = line_table_find(t, section, addr);
  if (!file) {
    cr_assert_null(r, "0x%llx should have no line", (unsigned long long)addr);
    return;
  }
  cr_assert_not_null(r, "no row for 0x%llx", (unsigned long long)addr);
  cr_assert_lt(r->file, t->nfiles);
  cr_assert_str_eq(t->files[r->file].name, file, "file at 0x%llx", (unsigned long long)addr);
  if (dir) cr_assert_str_eq(t->files[r->file].dir, dir);
  else cr_assert_null(t->files[r->file].dir, "file at 0x%llx has a directory", (unsigned long long)addr);
  cr_assert_eq(r->line, line, "line at 0x%llx: %u, want %u", (unsigned long long)addr, r->line, line);
}

Test(debug_line, version4) {
  Buf b = v4_table();
  LineTable t = {0};
  line_table_parse(&t, b.b, b.n, NULL);
  expect(&t, 0, 0xfff, NULL, NULL, 0);
  expect(&t, 0, 0x1000, "main.c", NULL, 10);
  expect(&t, 0, 0x1003, "main.c", NULL, 10);
  expect(&t, 0, 0x1004, "main.c", NULL, 12);
  expect(&t, 0, 0x100b, "main.c", NULL, 12);
  expect(&t, 0, 0x100c, "x.h", "inc", 12);
  expect(&t, 0, 0x101c, "x.h", "inc", 12);
  expect(&t, 0, 0x101d, "x.h", "inc", 10);
  expect(&t, 0, 0x101f, "x.h", "inc", 10);
  expect(&t, 0, 0x1020, NULL, NULL, 0);  // end of the sequence
  expect(&t, 1, 0x1000, NULL, NULL, 0);  // another section
  line_table_free(&t);
}

// In an object, set_address's operand is 0 and a relocation against the
// section gives it; directories come from .debug_line_str.
static bool reloc_cb(void *arg, uint64_t offset, uint64_t *value, uint32_t *section) {
  if (offset != *(size_t *)arg) return false;
  *value = 0x40;
  *section = 3;
  return true;
}

Test(debug_line, version5_relocated) {
  size_t operand;
  Buf b = v5_table(&operand);
  LineInputs in = {.reloc = reloc_cb, .arg = &operand, .line_str = (const uint8_t *)line_str,
                   .line_str_size = sizeof line_str};
  LineTable t = {0};
  line_table_parse(&t, b.b, b.n, &in);
  expect(&t, 3, 0x40, "a.c", NULL, 10);  // directory 0 is the compilation directory
  expect(&t, 3, 0x47, "a.c", NULL, 12);
  expect(&t, 3, 0x4c, "b.h", "inc", 12);
  expect(&t, 3, 0x60, NULL, NULL, 0);
  expect(&t, 0, 0x40, NULL, NULL, 0);  // the address is in section 3, not absolute
  line_table_free(&t);
}

Test(debug_line, two_units) {
  Buf a = v4_table(), both = a;
  put(&both, a.b, a.n);
  // The second unit's sequence starts elsewhere.
  uint64_t start = 0x5000;
  size_t op = 0;  // the second unit's DW_LNE_set_address operand
  for (size_t i = a.n; i + 3 < both.n; i++)
    if (both.b[i] == 0 && both.b[i + 1] == 9 && both.b[i + 2] == 2) {
      op = i + 3;
      break;
    }
  cr_assert_gt(op, a.n);
  memcpy(both.b + op, &start, 8);
  LineTable t = {0};
  line_table_parse(&t, both.b, both.n, NULL);
  expect(&t, 0, 0x1004, "main.c", NULL, 12);
  expect(&t, 0, 0x500c, "x.h", "inc", 12);
  cr_assert_eq(t.nfiles, 6, "each unit has its files (3 each, counting v4's unused 0)");
  line_table_free(&t);
}

// Every truncation and many corruptions of both versions: no crash, no
// read out of bounds (the sanitizer build checks), rows only from what
// could be read.
Test(debug_line, corrupt) {
  size_t operand;
  Buf tables[2] = {v4_table(), v5_table(&operand)};
  LineInputs in = {.line_str = (const uint8_t *)line_str, .line_str_size = sizeof line_str};
  for (int k = 0; k < 2; k++) {
    Buf *b = &tables[k];
    for (size_t n = 0; n < b->n; n++) {
      uint8_t *copy = malloc(n ? n : 1);  // exactly N bytes, so ASan sees overruns
      memcpy(copy, b->b, n);
      LineTable t = {0};
      line_table_parse(&t, copy, n, &in);
      for (size_t r = 0; r < t.nrows; r++) cr_assert(t.rows[r].end_sequence || t.rows[r].file == UINT32_MAX || t.rows[r].file < t.nfiles, "row %zu file %u nfiles %zu k %d", r, t.rows[r].file, t.nfiles, k);
      line_table_find(&t, 0, 0x1004);
      line_table_free(&t);
      free(copy);
    }
    uint32_t seed = 12345;
    for (int round = 0; round < 4000; round++) {
      uint8_t *copy = malloc(b->n);
      memcpy(copy, b->b, b->n);
      for (int flips = 1 + round % 4; flips--;) {
        seed = seed * 1103515245 + 12345;
        copy[(seed >> 8) % b->n] = (uint8_t)(seed >> 20);
      }
      LineTable t = {0};
      line_table_parse(&t, copy, b->n, &in);
      for (size_t r = 0; r < t.nrows; r++) cr_assert(t.rows[r].end_sequence || t.rows[r].file == UINT32_MAX || t.rows[r].file < t.nfiles, "row %zu file %u nfiles %zu k %d", r, t.rows[r].file, t.nfiles, k);
      line_table_find(&t, 0, 0x1004);
      line_table_free(&t);
      free(copy);
    }
  }
}
