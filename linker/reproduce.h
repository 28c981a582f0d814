// --reproduce=FILE.tar (reproduce.c) and --print-archive-stats=FILE
// (archive_stats.c).
#pragma once
#include "context.h"

// Starts recording the files map_file opens when --reproduce is given.
void reproduce_start(Context *ctx);
// map_file's hook: PATH was opened and mapped at DATA.
void reproduce_record(const char *path, const uint8_t *data, size_t size);
// Writes the tarball: every input opened, response.txt and version.txt.
void write_reproduce(Context *ctx);
// Writes lld's archive statistics: members, extracted members, path.
void write_archive_stats(Context *ctx);
