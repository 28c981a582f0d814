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

// One line program's file table: DW_AT_decl_file N of a unit whose
// DW_AT_stmt_list is OFFSET names files[file_base + N] (N counts from 1
// before DWARF 5; file_base's entry is then a placeholder).
typedef struct {
  uint64_t offset;   // of the unit in .debug_line
  size_t file_base;  // its first entry in LineTable.files
  size_t nfiles;
  uint16_t version;
} LineUnit;

typedef struct {
  LineRow *rows;
  size_t nrows;
  LineFile *files;
  size_t nfiles;
  LineUnit *units;
  size_t nunits;
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
// The file that DW_AT_decl_file FILE names in the unit at OFFSET; NULL if none.
const LineFile *line_table_decl_file(const LineTable *t, uint64_t offset, uint64_t file);

// "main.c:12", or "main.c:12 (src/main.c:12)" when the file has an include
// directory (lld's form); NULL when the object has no line for the place.
// Parses the object's .debug_line on first use and keeps it (thread-safe).
const char *source_location(ObjectFile *f, uint32_t shndx, uint64_t offset);
// The same form for line LINE of file FILE (a DW_AT_decl_file) of the
// line program at STMT_LIST in F's .debug_line; NULL if there is none.
const char *decl_location(ObjectFile *f, uint64_t stmt_list, uint64_t file, uint32_t line);
