// .relr.dyn (relr.c): packed RELATIVE relocations, -z pack-relative-relocs.
#pragma once
#include "context.h"

// Whether a GOT slot's RELATIVE relocation is packed into .relr.dyn.
bool got_slot_is_relr(Context *ctx, const Symbol *s);
// Lists the places .relr.dyn relocates (after layout) in ctx->relr_addrs.
void collect_relr(Context *ctx);
// Collects the places and returns the section's size for them.
uint64_t relr_size(Context *ctx);
void write_relr(Context *ctx, Chunk *c, uint8_t *buf);
