// Layout options that place or order sections: --section-start and
// -Ttext/-Tdata/-Tbss, --sort-section, --sort-common, and the checks and
// orderings that fixed addresses need (section_order.c).
#pragma once
#include "context.h"

// Whether the allocated chunk at position I of ctx->chunks was given an
// address on the command line; the first chunk of a name takes it.
bool section_start_address(Context *ctx, size_t i, uint64_t *addr);
// --sort-section=name|alignment: reorders C's input sections.
void sort_section_members(Context *ctx, Chunk *c);
// --sort-common: orders the COMMON symbols' sections by alignment.
void sort_commons(Context *ctx);
// PT_LOAD entries in ascending address order, as the ELF spec requires
// (a fixed address can place a later section below an earlier one).
void sort_load_phdrs(Context *ctx);
// An error, as lld's, for each pair of allocated sections whose address
// ranges overlap (only fixed addresses can make them).
void check_section_overlaps(Context *ctx);
