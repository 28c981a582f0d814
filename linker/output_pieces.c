// Splitting the output into pieces (output_pieces.h) and building a
// streamed piece's bytes.
#include "output_pieces.h"
#include "diag.h"
#include "passes.h"
#include "reloc.h"
#include <stdlib.h>
#include <string.h>

// A streamed piece's target size: a few hundred KiB stays in a core's
// cache from being built to being hashed and written, and writes of this
// size get small page-cache folios, which a VM hands out faster than 2 MiB
// ones (bench/README.md). Image pieces are hashed and written 1 MiB at a
// time.
enum { WINDOW = 256 << 10, IMAGE_PIECE = 1 << 20 };
// Symbols are prefetched for this many input sections at a time.
enum { PREFETCH_RUN = 32 };

bool chunk_is_streamed(const Context *ctx, const Chunk *c) {
  if (c->size == 0 || c->type == SHT_NOBITS) return false;
  if (c->compressed) return true;
  if (c->kind == CHUNK_MERGED) return true;
  return c->kind == CHUNK_OUTPUT_SECTION && c->members.len && c != ctx->eh_frame;
}

static void push_piece(OutputPieces *v, PieceKind kind, Chunk *c, uint64_t begin_off, uint64_t end_off, uint32_t b,
                       uint32_t e) {
  vec_push(v, ((OutputPiece){.offset = begin_off, .size = end_off - begin_off, .chunk = c, .begin = b, .end = e,
                             .kind = kind}));
}

// Runs of N items whose start offsets (within the chunk) START gives, cut
// where a run reaches WINDOW bytes; the first run starts at the chunk's
// start and the last ends at its end, so padding belongs to a piece.
static void push_runs(OutputPieces *v, PieceKind kind, Chunk *c, size_t n, uint64_t (*start)(Chunk *, size_t)) {
  for (size_t k = 1; k < n; k++)
    if (start(c, k) < start(c, k - 1)) {  // not in offset order: one piece
      push_piece(v, kind, c, c->offset, c->offset + c->size, 0, (uint32_t)n);
      return;
    }
  uint64_t from = c->offset, end_of_chunk = c->offset + c->size;
  uint32_t b = 0;
  for (size_t k = 1; k <= n; k++) {
    uint64_t to = k == n ? end_of_chunk : c->offset + start(c, k);
    if (k == n && to == from && b > 0) {
      v->data[v->len - 1].end = (uint32_t)n;  // empty items at the very end: no piece of their own
    } else if (k == n || to - from >= WINDOW) {
      push_piece(v, kind, c, from, to, b, (uint32_t)k);
      b = (uint32_t)k;
      from = to;
    }
  }
}

static uint64_t member_start(Chunk *c, size_t k) { return c->members.data[k]->offset; }
static uint64_t fragment_start(Chunk *c, size_t k) { return c->merged->order.data[k]->offset; }

static void push_chunk_pieces(OutputPieces *v, Chunk *c) {
  if (c->compressed) {
    for (uint64_t off = 0; off < c->size; off += IMAGE_PIECE)
      push_piece(v, PIECE_COMPRESSED, c, c->offset + off, c->offset + MIN(off + IMAGE_PIECE, c->size), 0, 0);
  } else if (c->kind == CHUNK_MERGED) {
    if (c->merged->order.len) push_runs(v, PIECE_FRAGMENTS, c, c->merged->order.len, fragment_start);
    else push_piece(v, PIECE_FRAGMENTS, c, c->offset, c->offset + c->size, 0, 0);
  } else {
    push_runs(v, PIECE_MEMBERS, c, c->members.len, member_start);
  }
}

static void push_image(OutputPieces *v, uint64_t from, uint64_t to) {
  for (uint64_t off = from; off < to; off += IMAGE_PIECE)
    push_piece(v, PIECE_IMAGE, NULL, off, MIN(off + IMAGE_PIECE, to), 0, 0);
}

static int by_offset(const void *a, const void *b) {
  const Chunk *x = *(Chunk *const *)a, *y = *(Chunk *const *)b;
  return x->offset < y->offset ? -1 : x->offset > y->offset;
}

OutputPieces output_pieces(Context *ctx, uint64_t filesize) {
  VEC(Chunk *) streamed = {0};
  for (size_t i = 0; i < ctx->chunks.len; i++)
    if (chunk_is_streamed(ctx, ctx->chunks.data[i])) vec_push(&streamed, ctx->chunks.data[i]);
  if (streamed.len) qsort(streamed.data, streamed.len, sizeof(Chunk *), by_offset);
  OutputPieces v = {0};
  uint64_t cursor = 0;
  for (size_t i = 0; i < streamed.len; i++) {
    Chunk *c = streamed.data[i];
    if (c->offset < cursor || c->offset + c->size > filesize)
      fatal("internal error: output section %s at file offset 0x%llx overlaps another", c->name,
            (unsigned long long)c->offset);
    push_image(&v, cursor, c->offset);
    push_chunk_pieces(&v, c);
    cursor = c->offset + c->size;
  }
  push_image(&v, cursor, filesize);
  vec_free(&streamed);
  return v;
}

static void fill_members(Context *ctx, const OutputPiece *p, uint8_t *dst) {
  Chunk *c = p->chunk;
  for (uint32_t k = p->begin; k < p->end; k += PREFETCH_RUN) {
    uint32_t end = MIN(k + PREFETCH_RUN, p->end);
    prefetch_reloc_symbols(c->members.data + k, end - k, true);
    for (uint32_t j = k; j < end; j++) {
      InputSection *isec = c->members.data[j];
      write_input_section(ctx, c, isec, dst + (c->offset + isec->offset - p->offset));
    }
  }
}

// Pieces [BEGIN, END) of merged chunk C at DST, which holds the chunk's
// bytes from offset FROM.
static void write_fragments(const Chunk *c, uint8_t *dst, uint64_t from, uint32_t begin, uint32_t end) {
  for (uint32_t k = begin; k < end; k++) {
    Fragment *f = c->merged->order.data[k];
    memcpy(dst + (f->offset - from), f->data, f->size);
  }
}

void write_merged_chunk(Chunk *c, uint8_t *dst) { write_fragments(c, dst, 0, 0, (uint32_t)c->merged->order.len); }

void fill_piece(Context *ctx, const OutputPiece *p, uint8_t *dst, bool zeroed) {
  if (!zeroed && p->kind != PIECE_COMPRESSED) memset(dst, 0, p->size);
  switch (p->kind) {
  case PIECE_MEMBERS: fill_members(ctx, p, dst); break;
  case PIECE_FRAGMENTS: write_fragments(p->chunk, dst, p->offset - p->chunk->offset, p->begin, p->end); break;
  case PIECE_COMPRESSED: memcpy(dst, piece_bytes_in_place(p), p->size); break;
  case PIECE_IMAGE: break;
  }
}
