// Range-extension thunks for targets whose branches reach only so far
// (aarch64 B/BL: +-128 MiB). Thunk sections are placed after every
// stretch of code that branches can cross, and a branch whose target is
// out of reach jumps to a thunk in the section that follows its caller.
#pragma once
#include "context.h"

typedef struct ThunkGroup {
  InputSection *isec;     // the synthetic section holding the thunks
  VEC(Symbol *) targets;  // in first-use order
  Symbol **slots;         // open-addressed set: target -> index
  uint32_t *indices;
  size_t nslots;
} ThunkGroup;

// Adds thunks where needed; returns true if layout must be redone.
bool create_range_thunks(Context *ctx);
// The thunk a branch from ISEC to SYM should use, if any.
bool thunk_address(Context *ctx, const InputSection *isec, const Symbol *sym, uint64_t *addr);
void write_thunks(Context *ctx, InputSection *isec, uint8_t *buf, uint64_t addr);
