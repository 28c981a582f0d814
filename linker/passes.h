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
void check_output_path(Context *ctx);
void write_map_file(Context *ctx);
void write_output(Context *ctx);
void commit_output(Context *ctx);
