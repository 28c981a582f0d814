// Output sections, their order, segments and addresses.
#pragma once
#include "context.h"

const char *output_section_name(const char *name, uint64_t flags);
Chunk *new_chunk(Context *ctx, const char *name, uint32_t type, uint64_t flags, uint64_t align);
// Gives C's members their offsets, in order, each at its alignment; sets
// C's size and raises its alignment to theirs.
void place_members(Chunk *c);

// Laying out items in order, each at the next multiple of its alignment,
// in parallel runs: a run laid out from 0 ends where it would from any
// start that is a multiple of its largest alignment A, shifted by that
// start, and so does everything from its first item aligned to A (its
// anchor) on. So each run is measured from 0 (aligned_run_add, item by
// item); then, run after run, only the items before the anchor are laid
// out from the run's real start, and aligned_run_end gives where the run
// ends; then every run is laid out from its start. The result is that of
// one pass in order.
typedef struct {
  uint64_t end_from_0, anchor_from_0;
  size_t anchor;    // the anchor's index in the run
  uint8_t p2align;  // the largest alignment
  bool any;         // the run has items
} AlignedRun;

static inline void aligned_run_add(AlignedRun *r, size_t index, uint64_t size, uint8_t p2align) {
  uint64_t off = align_up(r->end_from_0, 1ULL << p2align);
  if (!r->any || p2align > r->p2align) {
    r->any = true;
    r->p2align = p2align;
    r->anchor = index;
    r->anchor_from_0 = off;
  }
  r->end_from_0 = off + size;
}

// Where run R ends when its items before the anchor, laid out from the
// run's start, end at PREFIX_END.
static inline uint64_t aligned_run_end(const AlignedRun *r, uint64_t prefix_end) {
  if (!r->any) return prefix_end;
  return align_up(prefix_end, 1ULL << r->p2align) + (r->end_from_0 - r->anchor_from_0);
}
Fragment *merge_find_piece(const InputSection *isec, uint64_t off, uint64_t *piece_off);
// File offsets for the non-allocated chunks (after the allocated ones) and
// the file size; called again when compression changes their sizes.
void place_nonalloc_chunks(Context *ctx);
