// Chunks whose bytes the linker makes: headers, GOT, IFUNC stubs, dynamic
// relocations, .dynamic, notes, the symbol table and section names.
#pragma once
#include "context.h"

void compute_synthetic_sizes(Context *ctx);
void finalize_section_names(Context *ctx);
void write_section_headers(Context *ctx);
// The build-id (synthetic.c): the size of one piece's digest (0 when the
// id is not a hash of the output), a piece's digest, and the id itself
// written into the note in ctx->buf from the pieces' digests in order.
size_t build_id_leaf_size(const Context *ctx);
void build_id_hash_leaf(const Context *ctx, const uint8_t *p, size_t n, uint8_t *out);
void write_build_id(Context *ctx, const uint8_t *leaves, size_t nleaves);
// Number of .rela.dyn entries the GOT contributes.
uint64_t got_dynrel_count(Context *ctx);
// After the write pass: RELATIVE relocations first, and DT_RELACOUNT.
void finish_rela_dyn(Context *ctx);
// A linker-made chunk whose bytes WRITE fills in, appended to the output.
Chunk *add_synthetic_chunk(Context *ctx, const char *name, uint32_t type, uint64_t flags, uint64_t align,
                           void (*write)(Context *, Chunk *, uint8_t *));
