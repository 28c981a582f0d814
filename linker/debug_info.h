// DWARF .debug_info (versions 2 to 5): where an object's global variables
// are declared (DW_AT_decl_file, DW_AT_decl_line), read only to put
// "a.c:3" into an error about a data symbol, which the line table cannot
// place. Nothing here runs in a link that reports no error. Every read is
// bounds checked: corrupt input loses the location, never crashes.
#pragma once
#include "context.h"

// A debug section's bytes and, in an object file, its relocations: reloc
// (may be NULL) returns true for a relocated field at OFFSET and gives its
// value (S + A) and the section index S is in (0 for none).
typedef struct {
  const uint8_t *data;
  size_t size;
  bool (*reloc)(void *arg, uint64_t offset, uint64_t *value, uint32_t *section);
  void *arg;
} DwarfSection;

typedef struct {
  DwarfSection info, abbrev, str, line_str, str_offsets, addr;
} InfoInputs;

// A DW_TAG_variable (or a static data member's declaration) of interest.
typedef struct {
  uint64_t die;           // offset of the entry in .debug_info
  uint64_t spec;          // DW_AT_specification/abstract_origin's entry; UINT64_MAX if none
  uint64_t addr;          // the address DW_AT_location gives (offset in SECTION)
  uint64_t stmt_list;     // the unit's DW_AT_stmt_list
  uint64_t decl_file;
  const char *name, *linkage_name;
  uint32_t section;       // section index of ADDR; 0 if absolute
  uint32_t decl_line;
  bool has_addr, has_file, has_stmt_list, declaration, external;
} DwarfVar;

typedef struct {
  DwarfVar *vars;  // in .debug_info order
  size_t nvars;
} VarTable;

// Where a variable is declared: DW_AT_decl_file FILE of the line program at
// STMT_LIST in .debug_line, line LINE.
typedef struct {
  uint64_t stmt_list, file;
  uint32_t line;
} VarDecl;

// Reads every unit of IN->info. A corrupt unit stops the parse; what was
// read before it is kept.
void var_table_parse(VarTable *t, const InfoInputs *in);
// The declaration of the variable whose DW_AT_location is ADDR in SECTION
// (one named NAME if several are), else of the defined, external variable
// whose linkage name (or, lacking one, name) is NAME. false if none.
bool var_table_find(const VarTable *t, uint32_t section, uint64_t addr, const char *name, VarDecl *out);
void var_table_free(VarTable *t);

// "a.c:3" (in source_location's form) for the variable defined at OFFSET
// in section SHNDX of F, named NAME; NULL when the object does not say.
// Parses the object's .debug_info on first use and keeps it (thread-safe).
const char *variable_location(ObjectFile *f, uint32_t shndx, uint64_t offset, const char *name);
