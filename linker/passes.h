// The passes main() runs, in order, each over one Context.
#pragma once
#include "context.h"

void gc_sections(Context *ctx);
void parse_eh_frames(Context *ctx);
void decompress_sections(Context *ctx);
void split_merge_sections(Context *ctx);
void scan_relocations(Context *ctx);
void create_synthetic_chunks(Context *ctx);
void create_output_sections(Context *ctx);
void layout_output(Context *ctx);
void compress_debug_sections(Context *ctx);
void check_output_path(Context *ctx);
void write_map_file(Context *ctx);
void write_output(Context *ctx);
// A chunk's contents written at DST: one input section (copied and
// relocated), or a merged chunk's pieces. write_output and the debug
// section compression use them.
void write_input_section(Context *ctx, Chunk *c, InputSection *isec, uint8_t *dst);
void write_merged_chunk(Chunk *c, uint8_t *dst);
void commit_output(Context *ctx);
