// DWARF .debug_line (versions 2 to 5): the line table of an object file,
// read only to put "file.c:12" into an error message. Nothing here runs in
// a link that reports no error. Every read is bounds checked: a corrupt
// table loses the location, never crashes.
#pragma once
#include "context.h"

typedef struct {
  const char *name;  // as written in the table ("main.c", "bits/stdio.h")
  const char *dir;   // its include directory, NULL for the compilation directory
} LineFile;

typedef struct {
  uint64_t addr;     // offset in SECTION (an object's addresses are section-relative)
  uint32_t section;  // section index the sequence's DW_LNE_set_address referred to; 0 if absolute
  uint32_t file;     // index into LineTable.files
  uint32_t line;
  bool end_sequence;
  bool is_stmt;      // a recommended breakpoint: the statement's own row
} LineRow;

typedef struct {
  LineRow *rows;
  size_t nrows;
  LineFile *files;
  size_t nfiles;
} LineTable;

// What the parser needs from around the .debug_line bytes. In an object
// file the DW_LNE_set_address operands and the DW_FORM_line_strp/strp
// offsets are fields that relocations fill in; reloc (may be NULL) returns
// true for a relocated field at OFFSET in .debug_line and gives the value
// it gets (S + A) and the section index S is in (0 for none).
typedef struct {
  bool (*reloc)(void *arg, uint64_t offset, uint64_t *value, uint32_t *section);
  void *arg;
  const uint8_t *line_str;  // .debug_line_str
  size_t line_str_size;
  const uint8_t *str;       // .debug_str
  size_t str_size;
} LineInputs;

// Parses every line program in DATA. Units that turn out corrupt stop the
// parse; what was read before them is kept. Never fails otherwise.
void line_table_parse(LineTable *t, const uint8_t *data, size_t size, const LineInputs *in);
// The row covering ADDR in SECTION; NULL if none. Of several rows at one
// address, the last is_stmt one (gcc puts the next line's non-statement
// row at the same address, which would name the wrong line).
const LineRow *line_table_find(const LineTable *t, uint32_t section, uint64_t addr);
void line_table_free(LineTable *t);

// "main.c:12", or "main.c:12 (src/main.c:12)" when the file has an include
// directory (lld's form); NULL when the object has no line for the place.
// Parses the object's .debug_line on first use and keeps it (thread-safe).
const char *source_location(ObjectFile *f, uint32_t shndx, uint64_t offset);
