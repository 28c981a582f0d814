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
#include "output_pieces.h"
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

// How the output reaches the file: streamed (pieces built in thread
// buffers and pwritten, the rest through a sparse image in memory),
// through a mapping of the temporary file, as a whole image in memory
// pwritten to it, or (a device or FIFO named by -o) as an image written
// into that file in order.
static enum { WRITE_STREAMED, WRITE_MAPPED, WRITE_IMAGE, WRITE_IN_PLACE } output_mode;

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23  // Linux 5.14
#endif

// A mapping of the output made present in FLUSH_PIECE pieces, in
// parallel; failed is set when a piece could not be.
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

// [OFFSET, OFFSET + SIZE) of the output file (OFFSET page-aligned) mapped
// and its pages made present and writable up front, in parallel pieces:
// one madvise per 4 MiB instead of a page fault per 4 KiB, and no copy
// from a separate image. Populating also reserves the blocks, so a full
// disk shows here (as a failed madvise) rather than as a SIGBUS mid-write.
// NULL when the kernel cannot do it (before Linux 5.14).
static uint8_t *map_output_range(int fd, uint64_t offset, uint64_t size) {
  if (size == 0) return NULL;
  uint8_t *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)offset);
  if (p == MAP_FAILED) return NULL;
  PieceJob job = {p, size, 0};
  parallel_for((size + FLUSH_PIECE - 1) / FLUSH_PIECE, populate_piece, &job);
  if (job.failed) {
    munmap(p, size);
    return NULL;
  }
  return p;
}

// Streaming: the bytes that do not come in streamed pieces (headers,
// linker-made sections, .eh_frame) are built at their file offsets in a
// mapping that reserves the whole size but gets pages only where written.
// 4 KiB pages: a huge page would be mostly zeros here.
static uint8_t *sparse_image(uint64_t size) {
  if (size == 0) return NULL;
  uint8_t *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) fatal("out of memory mapping %llu bytes", (unsigned long long)size);
  madvise(p, size, MADV_NOHUGEPAGE);
  return p;
}

// Streaming the output is the faster way on few threads: on two, 20-30%
// less time writing LLVM's 90 MB (bench/README.md), as a page-cache page
// written by pwrite is not zeroed first and needs no page fault. But
// writes to one file take its inode lock in turn (ext4), which bounds
// them at one thread's speed, about 4 GB/s here, while filling a mapping
// scales with the threads; from about 8 threads the mapping should win.
// Not measured on many cores yet: the bound is a guess from that model.
enum { STREAM_MAX_THREADS = 4 };

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
    output_mode = WRITE_IN_PLACE;
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
  // Blocks allocated up front: a full disk fails here, before the work of
  // filling the file, and threads writing at once then find them in
  // place, where otherwise every first write to a page reserves blocks
  // under the file system's per-file lock (ext4: i_data_sem), which
  // serialised the threads. Where it is not supported, nothing lost.
  if (size && fallocate(fd, 0, 0, (off_t)size) < 0 && (errno == ENOSPC || errno == EDQUOT || errno == EFBIG))
    fatal("cannot write %s: %s", out, strerror(errno));
  // An executable gets 0777 less the umask, as with GNU ld.
  mode_t mask = umask(0);
  umask(mask);
  fchmod(fd, 0777 & ~mask);
  out_fd = fd;
  if (ctx->cfg.output_method == OUTPUT_AUTO && parallel_threads() <= STREAM_MAX_THREADS) {
    output_mode = WRITE_STREAMED;
    ctx->buf = sparse_image(size);
    return;
  }
  ctx->buf = ctx->cfg.output_method != OUTPUT_BUFFER ? map_output_range(fd, 0, size) : NULL;
  output_mode = ctx->buf ? WRITE_MAPPED : WRITE_IMAGE;
  if (!ctx->buf) ctx->buf = huge_calloc(size);
}

// All of [P, P + N) written at file offset OFF, in WRITE_SLICE pieces;
// 0 or an errno value.
enum { WRITE_SLICE = 256 << 10 };
static int pwrite_all(int fd, const uint8_t *p, uint64_t n, uint64_t off) {
  while (n) {
    ssize_t w = pwrite(fd, p, MIN(n, (uint64_t)WRITE_SLICE), (off_t)off);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return errno ? errno : EIO;
    p += w;
    off += (uint64_t)w;
    n -= (uint64_t)w;
  }
  return 0;
}

static void flush_output(Context *ctx, uint64_t size) {
  if (output_mode == WRITE_IN_PLACE) {
    for (uint64_t off = 0; off < size;) {
      ssize_t w = write(out_fd, ctx->buf + off, MIN(size - off, (uint64_t)FLUSH_PIECE));
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) fatal("cannot write %s: %s", ctx->cfg.output, strerror(errno ? errno : EIO));
      off += (uint64_t)w;
    }
    huge_free(ctx->buf, size);
  } else if (output_mode == WRITE_MAPPED) {
    if (munmap(ctx->buf, size) < 0) fatal("cannot write %s: %s", ctx->cfg.output, strerror(errno));
  } else if (output_mode == WRITE_IMAGE) {
    huge_free(ctx->buf, size);  // written piece by piece already
  } else if (ctx->buf) {
    munmap(ctx->buf, size);  // streamed: everything is written already
  }
  if (close(out_fd) < 0) fatal("cannot write %s: %s", ctx->cfg.output, strerror(errno));
  out_fd = -1;
  ctx->buf = NULL;
}

// A linker-made chunk, or a run of .eh_frame's input sections.
typedef struct {
  Chunk *chunk;
  uint32_t begin, end;  // members [begin, end)
} WriteTask;

enum { SECTIONS_PER_TASK = 32 };

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

// The write pass's shared state: the image tasks, then the pieces (the
// streamed ones are built by the same parallel_for), each piece's
// build-id digest, and the first write error.
typedef struct {
  Context *ctx;
  WriteTask *tasks;
  size_t ntasks;
  OutputPieces pieces;
  uint8_t *leaves;  // build-id digests, leaf_size bytes per piece; NULL: none
  size_t leaf_size;
  struct {
    uint8_t *p;
    size_t cap;
  } *buffers;  // per thread, for streamed pieces
  _Atomic int failed;
} WriteJob;

static void run_task(Context *ctx, const WriteTask *t) {
  if (t->end > t->begin) {
    prefetch_reloc_symbols(t->chunk->members.data + t->begin, t->end - t->begin, true);
    for (uint32_t k = t->begin; k < t->end; k++) {
      InputSection *isec = t->chunk->members.data[k];
      write_input_section(ctx, t->chunk, isec, ctx->buf + t->chunk->offset + isec->offset);
    }
  } else if (t->chunk->write) t->chunk->write(ctx, t->chunk, ctx->buf + t->chunk->offset);
}

static void hash_leaf(WriteJob *job, size_t i, const uint8_t *p) {
  if (job->leaves) build_id_hash_leaf(job->ctx, p, job->pieces.data[i].size, job->leaves + i * job->leaf_size);
}

static void fail_with(WriteJob *job, int err) {
  int none = 0;
  if (err) atomic_compare_exchange_strong(&job->failed, &none, err);
}

static uint8_t *thread_buffer(WriteJob *job, size_t size) {
  int w = parallel_worker_index();
  if (w < 0) w = 0;
  if (!job->buffers[w].p || job->buffers[w].cap < size) {
    free(job->buffers[w].p);
    job->buffers[w].cap = MAX(size, (size_t)512 << 10);
    job->buffers[w].p = xmalloc(job->buffers[w].cap);
  }
  return job->buffers[w].p;
}

// A streamed piece larger than BIG_PIECE (one large input section): built
// in a mapping of its file range, which starts zeroed, so it needs no
// buffer of its size. Pages are made present first, which also shows a
// full disk as an error instead of a SIGBUS; where that fails, a buffer.
static void stream_big_piece(WriteJob *job, size_t i, const OutputPiece *p) {
  uint64_t lo = p->offset & ~(uint64_t)(sysconf(_SC_PAGESIZE) - 1), len = p->offset + p->size - lo;
  uint8_t *m = map_output_range(out_fd, lo, len);
  if (m) {
    fill_piece(job->ctx, p, m + (p->offset - lo), true);
    hash_leaf(job, i, m + (p->offset - lo));
    munmap(m, len);
    return;
  }
  uint8_t *buf = xmalloc(p->size);
  fill_piece(job->ctx, p, buf, false);
  hash_leaf(job, i, buf);
  fail_with(job, pwrite_all(out_fd, buf, p->size, p->offset));
  free(buf);
}

// A streamed piece: built in this thread's buffer (where it stays in
// cache), hashed, written. Without streaming, built in ctx->buf.
static void stream_piece(WriteJob *job, size_t i) {
  const OutputPiece *p = &job->pieces.data[i];
  if (p->kind == PIECE_IMAGE) return;
  if (output_mode != WRITE_STREAMED) {
    fill_piece(job->ctx, p, job->ctx->buf + p->offset, true);
    return;
  }
  if (p->size > BIG_PIECE) {
    stream_big_piece(job, i, p);
    return;
  }
  const uint8_t *src = piece_bytes_in_place(p);
  if (!src) {
    uint8_t *buf = thread_buffer(job, p->size);
    fill_piece(job->ctx, p, buf, false);
    src = buf;
  }
  hash_leaf(job, i, src);
  fail_with(job, pwrite_all(out_fd, src, p->size, p->offset));
}

static void copy_and_relocate(void *arg, size_t i) {
  WriteJob *job = arg;
  if (i < job->ntasks) run_task(job->ctx, &job->tasks[i]);
  else stream_piece(job, i - job->ntasks);
}

// Whether the finish pass writes the pieces from ctx->buf (the image of
// the linker-made bytes when streaming, the whole output as an image).
static bool written_in_pieces(void) { return output_mode == WRITE_STREAMED || output_mode == WRITE_IMAGE; }

// After the linker-made bytes are in ctx->buf: the pieces not hashed yet
// are hashed, and (streaming) the image pieces written.
static void finish_piece(void *arg, size_t i) {
  WriteJob *job = arg;
  const OutputPiece *p = &job->pieces.data[i];
  if (output_mode == WRITE_STREAMED && p->kind != PIECE_IMAGE) return;  // hashed and written already
  hash_leaf(job, i, job->ctx->buf + p->offset);
  if (written_in_pieces()) fail_with(job, pwrite_all(out_fd, job->ctx->buf + p->offset, p->size, p->offset));
}

// Streaming: the image's pages that will be written are made present up
// front, in parallel (one call per piece instead of a fault per page).
static void populate_image_piece(void *arg, size_t i) {
  WriteJob *job = arg;
  const OutputPiece *p = &job->pieces.data[i];
  if (p->kind != PIECE_IMAGE) return;
  uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
  uint64_t lo = p->offset & ~(page - 1), hi = (p->offset + p->size + page - 1) & ~(page - 1);
  (void)madvise(job->ctx->buf + lo, hi - lo, MADV_POPULATE_WRITE);  // an optimisation only
}

static void check_written(Context *ctx, WriteJob *job) {
  if (job->failed) fatal("cannot write %s: %s", ctx->cfg.output, strerror(job->failed));
}

// One task per run of .eh_frame's input sections and per linker-made
// chunk; the other output sections come as streamed pieces.
// .eh_frame_hdr reads the finished .eh_frame, so it runs afterwards;
// .symtab's writer is parallel itself, so it runs on its own (a
// parallel_for inside a task would run on that task's thread alone).
static void collect_image_tasks(Context *ctx, WriteJob *job) {
  VEC(WriteTask) tasks = {0};
  for (size_t i = 0; i < ctx->chunks.len; i++) {
    Chunk *c = ctx->chunks.data[i];
    if (c == ctx->eh_frame_hdr || c == ctx->symtab || chunk_is_streamed(ctx, c)) continue;
    if (c->kind == CHUNK_OUTPUT_SECTION) {
      for (size_t k = 0; k < c->members.len; k += SECTIONS_PER_TASK)
        vec_push(&tasks, ((WriteTask){c, (uint32_t)k, (uint32_t)MIN(k + SECTIONS_PER_TASK, c->members.len)}));
    } else if (c->kind == CHUNK_SYNTHETIC) {
      vec_push(&tasks, ((WriteTask){c, 0, 0}));
    }
  }
  job->tasks = tasks.data;
  job->ntasks = tasks.len;
}

void write_output(Context *ctx) {
  uint32_t shnum = 1;
  for (size_t i = 0; i < ctx->chunks.len; i++) shnum += ctx->chunks.data[i]->shndx != 0;
  uint64_t size = ctx->filesize + (uint64_t)shnum * sizeof(ElfShdr);
  WriteJob job = {.ctx = ctx, .pieces = output_pieces(ctx, size), .leaf_size = build_id_leaf_size(ctx)};
  PASS(ctx, "  open output file", open_output(ctx, size));
  if (output_mode == WRITE_STREAMED) PASS(ctx, "  populate image", parallel_for(job.pieces.len, populate_image_piece, &job));
  if (job.leaf_size) job.leaves = xcalloc(job.pieces.len ? job.pieces.len : 1, job.leaf_size);
  job.buffers = xcalloc((size_t)parallel_threads(), sizeof *job.buffers);
  collect_image_tasks(ctx, &job);
  PASS(ctx, "  copy and relocate", parallel_for(job.ntasks + job.pieces.len, copy_and_relocate, &job));
  check_written(ctx, &job);
  for (int w = 0; w < parallel_threads(); w++) free(job.buffers[w].p);
  free(job.buffers);
  free(job.tasks);
  if (ctx->symtab) PASS(ctx, "  .symtab", ctx->symtab->write(ctx, ctx->symtab, ctx->buf + ctx->symtab->offset));
  if (ctx->eh_frame_hdr && ctx->eh_frame_hdr->shndx)
    PASS(ctx, "  .eh_frame_hdr", ctx->eh_frame_hdr->write(ctx, ctx->eh_frame_hdr, ctx->buf + ctx->eh_frame_hdr->offset));
  finish_rela_dyn(ctx);
  write_section_headers(ctx);
  checkpoint();
  if (job.leaves || written_in_pieces())
    PASS(ctx, "  build-id and flush", parallel_for(job.pieces.len, finish_piece, &job));
  check_written(ctx, &job);
  write_build_id(ctx, job.leaves, job.pieces.len);
  if (written_in_pieces() && ctx->build_id) {
    const Chunk *note = ctx->build_id;
    fail_with(&job, pwrite_all(out_fd, ctx->buf + note->offset, note->size, note->offset));
    check_written(ctx, &job);
  }
  free(job.leaves);
  vec_free(&job.pieces);
  PASS(ctx, "  close output", flush_output(ctx, size));
}

void commit_output(Context *ctx) {
  if (output_mode == WRITE_IN_PLACE) return;
  if (rename(tmp_path, ctx->cfg.output) < 0) fatal("cannot write %s: %s", ctx->cfg.output, strerror(errno));
  free(tmp_path);
  tmp_path = NULL;
}
