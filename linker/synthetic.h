// Chunks whose bytes the linker makes: headers, GOT, IFUNC stubs, dynamic
// relocations, .dynamic, notes, the symbol table and section names.
#pragma once
#include "context.h"

void compute_synthetic_sizes(Context *ctx);
void finalize_section_names(Context *ctx);
void write_section_headers(Context *ctx);
void write_build_id(Context *ctx);
// Number of RELATIVE relocations the GOT contributes (static-pie).
uint64_t got_relative_count(Context *ctx);
