// Dynamic executables: .interp, .dynsym and its hash and version tables,
// copy relocations and the .dynamic entries (dynamic.c).
#pragma once
#include "context.h"

typedef struct DynamicInfo DynamicInfo;

// Decides which symbols are preemptible and which a shared library exports
// (before the relocation scan).
void mark_preemptible(Context *ctx);
// Creates the chunks a dynamically linked executable adds (before the scan).
void create_dynamic_chunks(Context *ctx);
// After the relocation scan: copies, the .dynsym order, and every table
// that depends only on names.
void create_dynamic_symbols(Context *ctx);
void write_dynsym(Context *ctx, Chunk *c, uint8_t *buf);
// The .dynamic entries, written to OUT when it is not NULL; returns the count.
size_t dynamic_entries(Context *ctx, Elf64_Dyn *out);
const char *dynamic_linker_path(Context *ctx);
// Address of .got.plt slot I of the PLT (IFUNC slots follow the PLT's).
uint64_t gotplt_slot(Context *ctx, uint32_t i);
// The .gnu.version index of a symbol the output defines and exports
// (its object's foo@V / foo@@V, else the version script's node; 0x8000
// marks a hidden version), or VERSION_LOCAL.
int symbol_output_version(Context *ctx, const Symbol *s);
