// --compress-debug-sections=zlib|zstd: each .debug_* output section is
// written out (copied and relocated, or its merged strings), compressed,
// and stored as an SHF_COMPRESSED section (an Elf64_Chdr, then the data).
// Debug sections are not allocated, so only the file offsets after them
// move. zstd compresses fixed 1 MiB pieces in parallel as separate frames
// (one zstd stream may hold several), so big sections use every thread and
// the bytes do not depend on the thread count; zlib makes one stream per
// section, the sections in parallel.
#include "diag.h"
#include "layout.h"
#include "parallel.h"
#include "passes.h"
#include <zlib.h>
#include <zstd.h>

enum { ZSTD_PIECE = 1 << 20, ZSTD_LEVEL = 3, ZLIB_LEVEL = 1 };

typedef struct {
  Chunk *chunk;
  uint8_t *raw;  // the uncompressed contents
} DebugSection;

// One unit of rendering: a member of a section, or a whole merged section.
typedef struct {
  DebugSection *sec;
  InputSection *isec;  // NULL: the merged section's pieces
} RenderTask;

typedef struct {
  Context *ctx;
  DebugSection *secs;
  RenderTask *tasks;
  // zstd: each section's first piece and each piece's section; the
  // compressed pieces (zlib: one per section).
  size_t *first_piece, *piece_section;
  uint8_t **piece_out;
  size_t *piece_size;
} CompressJob;

static bool is_compressible(const Chunk *c) {
  return !(c->flags & SHF_ALLOC) && c->shndx && c->size && c->type == SHT_PROGBITS && !strncmp(c->name, ".debug", 6) &&
         (c->kind == CHUNK_OUTPUT_SECTION || c->kind == CHUNK_MERGED);
}

// Writes one task's uncompressed bytes: input sections are copied and
// relocated in parallel, so the biggest section (.debug_info) does not
// fall to one thread.
static void render_task(void *arg, size_t i) {
  CompressJob *job = arg;
  RenderTask *t = &job->tasks[i];
  Chunk *c = t->sec->chunk;
  if (t->isec) write_input_section(job->ctx, c, t->isec, t->sec->raw + t->isec->offset);
  else write_merged_chunk(c, t->sec->raw);
}

static void compress_zstd_piece(void *arg, size_t p) {
  CompressJob *job = arg;
  size_t i = job->piece_section[p];
  DebugSection *s = &job->secs[i];
  uint64_t off = (uint64_t)(p - job->first_piece[i]) * ZSTD_PIECE;
  size_t n = (size_t)MIN((uint64_t)ZSTD_PIECE, s->chunk->size - off);
  size_t cap = ZSTD_compressBound(n);
  job->piece_out[p] = xmalloc(cap);
  size_t r = ZSTD_compress(job->piece_out[p], cap, s->raw + off, n, ZSTD_LEVEL);
  if (ZSTD_isError(r)) fatal("cannot compress %s: %s", s->chunk->name, ZSTD_getErrorName(r));
  job->piece_size[p] = r;
}

static void compress_zlib_section(void *arg, size_t i) {
  CompressJob *job = arg;
  DebugSection *s = &job->secs[i];
  uLongf cap = compressBound((uLong)s->chunk->size);
  job->piece_out[i] = xmalloc(cap);
  if (compress2(job->piece_out[i], &cap, s->raw, (uLong)s->chunk->size, ZLIB_LEVEL) != Z_OK)
    fatal("cannot compress %s with zlib", s->chunk->name);
  job->piece_size[i] = cap;
}

// Header plus the compressed pieces [first, end), replacing the contents.
static void finish_section(Context *ctx, DebugSection *s, uint8_t **pieces, size_t *sizes, size_t first,
                           size_t end) {
  Chunk *c = s->chunk;
  size_t total = sizeof(Elf64_Chdr);
  for (size_t p = first; p < end; p++) total += sizes[p];
  uint8_t *out = xmalloc(total);
  Elf64_Chdr ch = {.ch_type = (Elf64_Word)ctx->cfg.compress_debug, .ch_size = c->size, .ch_addralign = c->align};
  memcpy(out, &ch, sizeof ch);
  size_t at = sizeof ch;
  for (size_t p = first; p < end; p++) {
    memcpy(out + at, pieces[p], sizes[p]);
    at += sizes[p];
    free(pieces[p]);
  }
  free(s->raw);
  c->compressed = out;
  c->size = total;
  c->align = 8;  // the Elf64_Chdr's
  c->flags |= SHF_COMPRESSED;
}

void compress_debug_sections(Context *ctx) {
  if (!ctx->cfg.compress_debug) return;
  VEC(DebugSection) secs = {0};
  for (size_t i = 0; i < ctx->chunks.len; i++)
    if (is_compressible(ctx->chunks.data[i])) vec_push(&secs, ((DebugSection){ctx->chunks.data[i], NULL}));
  if (!secs.len) return;
  VEC(RenderTask) tasks = {0};
  for (size_t i = 0; i < secs.len; i++) {
    DebugSection *sec = &secs.data[i];
    sec->raw = xcalloc(1, sec->chunk->size);  // zero: the gaps between members
    if (sec->chunk->kind == CHUNK_MERGED) vec_push(&tasks, ((RenderTask){sec, NULL}));
    for (size_t k = 0; k < sec->chunk->members.len; k++)
      vec_push(&tasks, ((RenderTask){sec, sec->chunk->members.data[k]}));
  }
  CompressJob job = {.ctx = ctx, .secs = secs.data, .tasks = tasks.data};
  parallel_for(tasks.len, render_task, &job);
  vec_free(&tasks);
  checkpoint();  // relocation errors in debug sections

  size_t npieces = secs.len;
  if (ctx->cfg.compress_debug == ELFCOMPRESS_ZSTD) {
    job.first_piece = xmalloc((secs.len + 1) * sizeof(size_t));
    npieces = 0;
    for (size_t i = 0; i < secs.len; i++) {
      job.first_piece[i] = npieces;
      npieces += (secs.data[i].chunk->size + ZSTD_PIECE - 1) / ZSTD_PIECE;
    }
    job.first_piece[secs.len] = npieces;
    job.piece_section = xmalloc(npieces * sizeof(size_t));
    for (size_t i = 0; i < secs.len; i++)
      for (size_t p = job.first_piece[i]; p < job.first_piece[i + 1]; p++) job.piece_section[p] = i;
  }
  job.piece_out = xmalloc(npieces * sizeof(uint8_t *));
  job.piece_size = xmalloc(npieces * sizeof(size_t));
  if (ctx->cfg.compress_debug == ELFCOMPRESS_ZSTD) {
    parallel_for(npieces, compress_zstd_piece, &job);
    for (size_t i = 0; i < secs.len; i++)
      finish_section(ctx, &secs.data[i], job.piece_out, job.piece_size, job.first_piece[i], job.first_piece[i + 1]);
    free(job.first_piece);
    free(job.piece_section);
  } else {
    parallel_for(secs.len, compress_zlib_section, &job);
    for (size_t i = 0; i < secs.len; i++) finish_section(ctx, &secs.data[i], job.piece_out, job.piece_size, i, i + 1);
  }
  free(job.piece_out);
  free(job.piece_size);
  vec_free(&secs);
  place_nonalloc_chunks(ctx);
}
