// The output file as a list of pieces in file order, covering every byte
// once: the unit of writing and of the build-id's tree hash.
//
// A streamed piece is a run of one output section's input sections (or of
// a merged section's strings, or a slice of a compressed section) about
// WINDOW bytes long, which a thread can build in a buffer small enough to
// stay in its cache, hash, and pwrite. Image pieces are the rest: headers,
// linker-made sections, .eh_frame (which .eh_frame_hdr reads back) and
// padding, built in memory first.
#pragma once
#include "context.h"

typedef enum {
  PIECE_IMAGE,       // bytes in ctx->buf
  PIECE_MEMBERS,     // chunk's input sections [begin, end)
  PIECE_FRAGMENTS,   // merged chunk's pieces in order [begin, end)
  PIECE_COMPRESSED,  // a slice of chunk->compressed
} PieceKind;

typedef struct {
  uint64_t offset, size;  // file range
  Chunk *chunk;
  uint32_t begin, end;
  PieceKind kind;
} OutputPiece;

typedef VEC(OutputPiece) OutputPieces;

// Above this a streamed piece (one large input section) is written through
// a mapping of its file range rather than a buffer of its own.
enum { BIG_PIECE = 8 << 20 };

// Whether the chunk's bytes come in streamed pieces (not through ctx->buf).
bool chunk_is_streamed(const Context *ctx, const Chunk *c);
OutputPieces output_pieces(Context *ctx, uint64_t filesize);
// Writes a streamed piece's bytes at DST (its size); DST is all zero
// already when ZEROED, else its padding is cleared.
void fill_piece(Context *ctx, const OutputPiece *p, uint8_t *dst, bool zeroed);
// A compressed slice's bytes as they are, without a copy.
static inline const uint8_t *piece_bytes_in_place(const OutputPiece *p) {
  return p->kind == PIECE_COMPRESSED ? p->chunk->compressed + (p->offset - p->chunk->offset) : NULL;
}
