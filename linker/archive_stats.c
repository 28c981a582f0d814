// --print-archive-stats=FILE, in lld's format: a header line, then per
// archive (in command-line order) its member count, how many members the
// link loaded (--whole-archive ones included) and its path.
#include "diag.h"
#include "reproduce.h"
#include <errno.h>
#include <stdio.h>

void write_archive_stats(Context *ctx) {
  const char *path = ctx->cfg.print_archive_stats;
  if (!path) return;
  FILE *f = strcmp(path, "-") ? fopen(path, "w") : stdout;
  if (!f) fatal("cannot open --print-archive-stats file %s: %s", path, strerror(errno));
  fputs("members\textracted\tarchive\n", f);
  for (size_t i = 0; i < ctx->inputs.len; i++) {
    const Input *in = &ctx->inputs.data[i];
    if (in->kind != INPUT_ARCHIVE) continue;
    const Archive *ar = in->archive;
    size_t extracted = 0;
    for (size_t k = 0; k < ar->members.len; k++) {
      const ArchiveMember *m = &ar->members.data[k];
      if (m->extracted && m->obj && m->obj->is_alive) extracted++;
    }
    fprintf(f, "%zu\t%zu\t%s\n", ar->members.len, extracted, ar->path);
  }
  if (f != stdout && fclose(f)) fatal("cannot write %s: %s", path, strerror(errno));
}
