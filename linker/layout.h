// Output sections, their order, segments and addresses.
#pragma once
#include "context.h"

const char *output_section_name(const char *name, uint64_t flags);
Chunk *new_chunk(Context *ctx, const char *name, uint32_t type, uint64_t flags, uint64_t align);
// Gives C's members their offsets, in order, each at its alignment; sets
// C's size and raises its alignment to theirs.
void place_members(Chunk *c);
Fragment *merge_find_piece(const InputSection *isec, uint64_t off, uint64_t *piece_off);
// File offsets for the non-allocated chunks (after the allocated ones) and
// the file size; called again when compression changes their sizes.
void place_nonalloc_chunks(Context *ctx);
