// .eh_frame: split into CIE and FDE records so that FDEs of removed code
// are dropped, and decoded again to build .eh_frame_hdr.
#pragma once
#include "context.h"

// One record per CIE or FDE of every input .eh_frame (one per function
// in most programs): 48 bytes.
typedef struct EhRecord {
  // FDE: the CIE written for it, possibly an identical one of another file.
  InputSection *out_cie_isec;
  InputSection *target;           // FDE: the code it describes
  uint32_t in_offset, size;       // size includes the length field
  uint32_t rel_begin, rel_end;    // relocations inside the record
  uint32_t cie_index;             // FDE: index of its CIE in eh_records
  uint32_t out_cie_index;
  uint32_t out_offset;            // within the section's output bytes
  bool is_cie;
  bool is_alive;
} EhRecord;

// The .eh_frame input sections that reach the output.
static inline bool eh_frame_is_output(const InputSection *isec) {
  return isec && isec->is_alive && isec->is_eh_frame;
}

// Drops FDEs of dead code and assigns output offsets; counts the FDEs
// that reach the output (ctx->num_fdes, .eh_frame_hdr's size).
void eh_frame_finalize(Context *ctx);
void eh_frame_write_section(Context *ctx, InputSection *isec, uint8_t *out, uint64_t addr);
void write_eh_frame_hdr(Context *ctx, Chunk *c, uint8_t *buf);
uint64_t eh_frame_translate_offset(const InputSection *isec, uint64_t in_off);
// Marks sections an FDE of a live section refers to (LSDA); for gc. Files
// are read in parallel: MARK must be thread-safe. Returns whether any.
bool eh_frame_mark_lsda(Context *ctx, void (*mark)(InputSection *));
