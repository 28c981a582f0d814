// Writing the output: a temporary file beside the destination is sized,
// mapped, filled in parallel and renamed over the destination at the end.
// On any error the temporary file is removed and the destination is
// untouched.
#include "arch.h"
#include "diag.h"
#include "eh_frame.h"
#include "input.h"
#include "layout.h"
#include "parallel.h"
#include "stats.h"
#include "passes.h"
#include "reloc.h"
#include "synthetic.h"
#include "thunks.h"
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <fcntl.h>
#include <libgen.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static char *tmp_path;
static int out_fd = -1;

static void remove_tmp(void) {
  if (tmp_path) unlink(tmp_path);
  tmp_path = NULL;
}

// Fails early, before any linking work, when the output cannot be written
// where asked or would overwrite one of the inputs.
void check_output_path(Context *ctx) {
  const char *out = ctx->cfg.output;
  struct stat st;
  if (stat(out, &st) == 0) {
    if (S_ISDIR(st.st_mode)) fatal("cannot open output file %s: Is a directory", out);
    if (is_input_file(&st)) fatal("output file %s is also an input; refusing to overwrite it", out);
  }
  char *d = xstrdup(out);
  const char *dir = dirname(d);
  if (stat(dir, &st) < 0) fatal("cannot open output file %s: %s", out, strerror(errno));
  if (!S_ISDIR(st.st_mode)) fatal("cannot open output file %s: %s is not a directory", out, dir);
  free(d);
}

enum { FLUSH_PIECE = 4 << 20 };

// How the output reaches the file: through a mapping of the temporary file,
// as an image in memory pwritten to it, or (a device or FIFO named by -o)
// as an image written into that file in order.
static enum { OUTPUT_MAPPED, OUTPUT_IMAGE, OUTPUT_IN_PLACE } output_mode;

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23  // Linux 5.14
#endif

// The output in FLUSH_PIECE pieces, for a parallel_for over them; failed
// holds the first error (an errno value, or 1).
typedef struct {
  uint8_t *base;
  uint64_t size;
  _Atomic int failed;
} PieceJob;

static void populate_piece(void *arg, size_t i) {
  PieceJob *job = arg;
  uint64_t off = (uint64_t)i * FLUSH_PIECE, n = MIN((uint64_t)FLUSH_PIECE, job->size - off);
  if (madvise(job->base + off, n, MADV_POPULATE_WRITE) < 0) atomic_store(&job->failed, 1);
}

// The output file mapped and its pages made present and writable up front,
// in parallel pieces: one madvise per 4 MiB instead of a page fault per
// 4 KiB, and no copy from a separate image. Populating also reserves the
// blocks, so a full disk shows here (as a failed madvise) rather than as a
// SIGBUS mid-write. NULL when the kernel cannot do it (before Linux 5.14).
static uint8_t *map_output_file(int fd, uint64_t size) {
  if (size == 0) return NULL;
  uint8_t *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED) return NULL;
  PieceJob job = {p, size, 0};
  parallel_for((size + FLUSH_PIECE - 1) / FLUSH_PIECE, populate_piece, &job);
  if (job.failed) {
    munmap(p, size);
    return NULL;
  }
  return p;
}

static void open_output(Context *ctx, uint64_t size) {
  const char *out = ctx->cfg.output;
  struct stat st;
  bool exists = stat(out, &st) == 0;
  if (exists && S_ISDIR(st.st_mode)) fatal("cannot open output file %s: Is a directory", out);
  // -o /dev/null (or a FIFO): written into, in order, as GNU ld does;
  // renaming a temporary file over it would replace the device.
  if (exists && !S_ISREG(st.st_mode)) {
    out_fd = open(out, O_WRONLY | O_CLOEXEC);
    if (out_fd < 0) fatal("cannot open output file %s: %s", out, strerror(errno));
    output_mode = OUTPUT_IN_PLACE;
    ctx->buf = huge_calloc(size);
    return;
  }
  char *d = xstrdup(out), *b = xstrdup(out);
  tmp_path = xasprintf("%s/.%s.xld-XXXXXX", dirname(d), basename(b));
  free(d);
  free(b);
  diag_on_exit(remove_tmp);
  int fd = mkstemp(tmp_path);
  if (fd < 0) {
    char *p = tmp_path;
    tmp_path = NULL;
    fatal("cannot open output file %s: %s (temporary file %s)", out, strerror(errno), p);
  }
  if (ftruncate(fd, (off_t)size) < 0) fatal("cannot size output file %s: %s", out, strerror(errno));
  // Blocks allocated up front: filling the mapping then finds them in
  // place, where otherwise every thread's first write to a page reserves
  // blocks under the file system's per-file lock (ext4: i_data_sem),
  // which serialised the threads. Where it is not supported, nothing lost.
  (void)fallocate(fd, 0, 0, (off_t)size);
  // An executable gets 0777 less the umask, as with GNU ld.
  mode_t mask = umask(0);
  umask(mask);
  fchmod(fd, 0777 & ~mask);
  out_fd = fd;
  ctx->buf = ctx->cfg.mmap_output ? map_output_file(fd, size) : NULL;
  output_mode = ctx->buf ? OUTPUT_MAPPED : OUTPUT_IMAGE;
  if (!ctx->buf) ctx->buf = huge_calloc(size);
}

static void flush_piece(void *arg, size_t i) {
  PieceJob *job = arg;
  uint64_t off = (uint64_t)i * FLUSH_PIECE, n = MIN((uint64_t)FLUSH_PIECE, job->size - off);
  while (n) {
    ssize_t w = pwrite(out_fd, job->base + off, n, (off_t)off);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      atomic_store(&job->failed, errno ? errno : EIO);
      return;
    }
    off += (uint64_t)w;
    n -= (uint64_t)w;
  }
}

static void flush_output(Context *ctx, uint64_t size) {
  if (output_mode == OUTPUT_IN_PLACE) {
    for (uint64_t off = 0; off < size;) {
      ssize_t w = write(out_fd, ctx->buf + off, MIN(size - off, (uint64_t)FLUSH_PIECE));
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) fatal("cannot write %s: %s", ctx->cfg.output, strerror(errno ? errno : EIO));
      off += (uint64_t)w;
    }
    huge_free(ctx->buf, size);
  } else if (output_mode == OUTPUT_MAPPED) {
    if (munmap(ctx->buf, size) < 0) fatal("cannot write %s: %s", ctx->cfg.output, strerror(errno));
  } else {
    PieceJob job = {ctx->buf, size, 0};
    parallel_for((size + FLUSH_PIECE - 1) / FLUSH_PIECE, flush_piece, &job);
    if (job.failed) fatal("cannot write %s: %s", ctx->cfg.output, strerror(job.failed));
    huge_free(ctx->buf, size);
  }
  if (close(out_fd) < 0) fatal("cannot write %s: %s", ctx->cfg.output, strerror(errno));
  out_fd = -1;
  ctx->buf = NULL;
}

// A synthetic chunk, or a run of an output section's input sections
// (a task per input section was 30 MB of tasks on the 1 GB link), or of
// a merged section's pieces.
typedef struct {
  Chunk *chunk;
  uint32_t begin, end;  // members (or pieces) [begin, end)
} WriteTask;

enum { SECTIONS_PER_TASK = 32, FRAGMENTS_PER_TASK = 4096 };

void write_input_section(Context *ctx, Chunk *c, InputSection *isec, uint8_t *dst) {
  uint64_t addr = c->addr + isec->offset;
  if (isec->is_eh_frame) {
    eh_frame_write_section(ctx, isec, dst, addr);
    return;
  }
  if (!isec->file && isec->thunks) {
    write_thunks(ctx, isec, dst, addr);
    return;
  }
  if (isec->type == SHT_NOBITS || c->type == SHT_NOBITS) return;
  memcpy(dst, isec->data, isec->size);
  RelocTarget t = {.isec = isec, .base = dst, .addr = addr};
  if (!(isec->flags & SHF_ALLOC)) {
    ctx->arch->apply_nonalloc_relocs(ctx, &t);
    return;
  }
  if (ctx->rela_dyn && isec->num_dynrel)
    t.dynrel = (ElfRela *)(ctx->buf + ctx->rela_dyn->offset) + ctx->num_got_dynrel + isec->dynrel_index;
  // (rels is NULL when there are none, and NULL + 0 is undefined)
  ctx->arch->apply_relocs(ctx, &t, isec->rels, isec->nrels ? isec->rels + isec->nrels : isec->rels);
}

static void write_fragments(Chunk *c, uint8_t *dst, size_t begin, size_t end) {
  MergedChunk *m = c->merged;
  for (size_t i = begin; i < end; i++) {
    Fragment *f = m->order.data[i];
    memcpy(dst + f->offset, f->data, f->size);
  }
}

void write_merged_chunk(Chunk *c, uint8_t *dst) { write_fragments(c, dst, 0, c->merged->order.len); }

static void run_task(void *arg, size_t i) {
  Context *ctx = ((void **)arg)[0];
  WriteTask *tasks = ((void **)arg)[1];
  WriteTask *t = &tasks[i];
  if (t->chunk->compressed) memcpy(ctx->buf + t->chunk->offset, t->chunk->compressed, t->chunk->size);
  else if (t->chunk->kind == CHUNK_MERGED) write_fragments(t->chunk, ctx->buf + t->chunk->offset, t->begin, t->end);
  else if (t->end > t->begin) {
    prefetch_reloc_symbols(t->chunk->members.data + t->begin, t->end - t->begin, true);
    for (uint32_t k = t->begin; k < t->end; k++) {
      InputSection *isec = t->chunk->members.data[k];
      write_input_section(ctx, t->chunk, isec, ctx->buf + t->chunk->offset + isec->offset);
    }
  } else if (t->chunk->write) t->chunk->write(ctx, t->chunk, ctx->buf + t->chunk->offset);
}

void write_output(Context *ctx) {
  uint32_t shnum = 1;
  for (size_t i = 0; i < ctx->chunks.len; i++) shnum += ctx->chunks.data[i]->shndx != 0;
  uint64_t size = ctx->filesize + (uint64_t)shnum * sizeof(ElfShdr);
  PASS(ctx, "  map output file", open_output(ctx, size));

  // One task per run of input sections and per synthetic chunk.
  // .eh_frame_hdr reads the finished .eh_frame, so it runs afterwards;
  // .symtab's writer is parallel itself, so it runs on its own (a
  // parallel_for inside a task would run on that task's thread alone).
  VEC(WriteTask) tasks = {0};
  for (size_t i = 0; i < ctx->chunks.len; i++) {
    Chunk *c = ctx->chunks.data[i];
    if (c == ctx->eh_frame_hdr || c == ctx->symtab) continue;
    if (c->kind == CHUNK_OUTPUT_SECTION && !c->compressed) {
      for (size_t k = 0; k < c->members.len; k += SECTIONS_PER_TASK)
        vec_push(&tasks, ((WriteTask){c, (uint32_t)k, (uint32_t)MIN(k + SECTIONS_PER_TASK, c->members.len)}));
    } else if (c->kind == CHUNK_MERGED && !c->compressed) {
      // 40 MB of strings on the 1 GB link: one task would keep one thread
      // busy while the others wait.
      size_t n = c->merged->order.len;
      for (size_t k = 0; k < n; k += FRAGMENTS_PER_TASK)
        vec_push(&tasks, ((WriteTask){c, (uint32_t)k, (uint32_t)MIN(k + FRAGMENTS_PER_TASK, n)}));
    } else {
      vec_push(&tasks, ((WriteTask){c, 0, 0}));
    }
  }
  void *args[2] = {ctx, tasks.data};
  PASS(ctx, "  copy and relocate", parallel_for(tasks.len, run_task, args));
  vec_free(&tasks);
  if (ctx->symtab) PASS(ctx, "  .symtab", ctx->symtab->write(ctx, ctx->symtab, ctx->buf + ctx->symtab->offset));
  if (ctx->eh_frame_hdr && ctx->eh_frame_hdr->shndx)
    PASS(ctx, "  .eh_frame_hdr", ctx->eh_frame_hdr->write(ctx, ctx->eh_frame_hdr, ctx->buf + ctx->eh_frame_hdr->offset));
  finish_rela_dyn(ctx);
  write_section_headers(ctx);
  checkpoint();
  PASS(ctx, "  build-id", write_build_id(ctx));
  PASS(ctx, "  flush output", flush_output(ctx, size));
}

void commit_output(Context *ctx) {
  if (output_mode == OUTPUT_IN_PLACE) return;
  if (rename(tmp_path, ctx->cfg.output) < 0) fatal("cannot write %s: %s", ctx->cfg.output, strerror(errno));
  free(tmp_path);
  tmp_path = NULL;
}
