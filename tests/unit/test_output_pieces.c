// The output's pieces (linker/output_pieces.c): every byte of the file in
// exactly one piece, in order; output sections cut only between input
// sections; linker-made chunks, .eh_frame and padding in image pieces;
// and a streamed piece built in a dirty buffer has the bytes the whole
// output section would have in zeroed memory.
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "../../arch/arch.h"
#include "output_pieces.h"
#include "passes.h"

typedef struct {
  Context ctx;
  InputSection *secs;
  uint8_t *data;
} Fixture;

// An output section of N input sections of pseudo-random sizes (up to
// MAX_SIZE bytes) and alignments, placed from file offset OFFSET.
static Chunk *add_section(Fixture *f, const char *name, uint64_t offset, size_t n, uint32_t max_size, uint32_t seed) {
  Chunk *c = calloc(1, sizeof(Chunk));
  c->name = name;
  c->kind = CHUNK_OUTPUT_SECTION;
  c->type = SHT_PROGBITS;
  c->offset = offset;
  c->members.data = calloc(n, sizeof(InputSection *));
  c->members.len = c->members.cap = n;
  InputSection *secs = calloc(n, sizeof(InputSection));
  uint64_t off = 0;
  uint32_t r = seed;
  for (size_t k = 0; k < n; k++) {
    r = r * 1103515245u + 12345u;
    secs[k].size = 1 + (r >> 8) % max_size;
    secs[k].p2align = (uint8_t)((r >> 4) % 5);
    secs[k].type = SHT_PROGBITS;
    secs[k].flags = SHF_ALLOC;
    off = (off + (1u << secs[k].p2align) - 1) & ~(uint64_t)((1u << secs[k].p2align) - 1);
    secs[k].offset = off;
    uint8_t *bytes = malloc(secs[k].size);
    for (uint64_t i = 0; i < secs[k].size; i++) bytes[i] = (uint8_t)(k * 7 + i + 1) | 1;  // never zero
    secs[k].data = bytes;
    off += secs[k].size;
    c->members.data[k] = &secs[k];
  }
  c->size = off + 3;  // tail padding
  vec_push(&f->ctx.chunks, c);
  return c;
}

static Chunk *add_synthetic(Fixture *f, const char *name, uint64_t offset, uint64_t size) {
  Chunk *c = calloc(1, sizeof(Chunk));
  c->name = name;
  c->kind = CHUNK_SYNTHETIC;
  c->type = SHT_PROGBITS;
  c->offset = offset;
  c->size = size;
  vec_push(&f->ctx.chunks, c);
  return c;
}

static void check_cover(const OutputPieces *v, uint64_t filesize) {
  uint64_t at = 0;
  for (size_t i = 0; i < v->len; i++) {
    const OutputPiece *p = &v->data[i];
    cr_assert_eq(p->offset, at, "piece %zu starts at 0x%lx, want 0x%lx", i, p->offset, at);
    cr_assert_gt(p->size, 0, "piece %zu is empty", i);
    if (p->kind == PIECE_IMAGE) cr_assert_leq(p->size, 1 << 20, "image piece %zu: %lu bytes", i, p->size);
    at += p->size;
  }
  cr_assert_eq(at, filesize, "pieces end at 0x%lx, file at 0x%lx", at, filesize);
}

// Streamed pieces of C start at the chunk or at an input section and end
// at the next piece's first input section or at the chunk's end.
static void check_cuts(const OutputPieces *v, const Chunk *c) {
  uint32_t next = 0;
  for (size_t i = 0; i < v->len; i++) {
    const OutputPiece *p = &v->data[i];
    if (p->chunk != c) continue;
    cr_assert_eq(p->kind, PIECE_MEMBERS);
    cr_assert_eq(p->begin, next, "%s: piece begins at member %u, want %u", c->name, p->begin, next);
    uint64_t start = next == 0 ? c->offset : c->offset + c->members.data[p->begin]->offset;
    uint64_t end = p->end == c->members.len ? c->offset + c->size : c->offset + c->members.data[p->end]->offset;
    cr_assert_eq(p->offset, start);
    cr_assert_eq(p->offset + p->size, end);
    next = p->end;
  }
  cr_assert_eq(next, c->members.len, "%s: members up to %u in pieces, of %zu", c->name, next, c->members.len);
}

Test(output_pieces, cover_the_file_and_cut_between_sections) {
  Fixture f = {0};
  add_synthetic(&f, "headers", 0, 0x200);
  Chunk *text = add_section(&f, ".text", 0x1000, 5000, 900, 1);
  uint64_t at = (text->offset + text->size + 0xfff) & ~0xfffull;
  Chunk *eh = add_section(&f, ".eh_frame", at, 300, 60, 2);
  f.ctx.eh_frame = eh;
  Chunk *data = add_section(&f, ".data", eh->offset + eh->size + 5, 40, 100, 3);
  Chunk *bss = add_synthetic(&f, ".bss", data->offset + data->size, 1 << 20);
  bss->type = SHT_NOBITS;
  Chunk *symtab = add_synthetic(&f, ".symtab", data->offset + data->size + 8, 3 << 20);
  uint64_t filesize = symtab->offset + symtab->size + 64;

  OutputPieces v = output_pieces(&f.ctx, filesize);
  check_cover(&v, filesize);
  check_cuts(&v, text);
  check_cuts(&v, data);
  size_t text_pieces = 0;
  for (size_t i = 0; i < v.len; i++) {
    cr_assert(v.data[i].chunk != eh && v.data[i].chunk != bss, "not streamed: %s", v.data[i].chunk->name);
    text_pieces += v.data[i].chunk == text;
  }
  cr_assert_gt(text_pieces, 2, ".text (%lu bytes) in %zu pieces", text->size, text_pieces);
  vec_free(&v);
}

Test(output_pieces, out_of_order_members_make_one_piece) {
  Fixture f = {0};
  Chunk *c = add_section(&f, ".text", 0x40, 3000, 500, 4);
  InputSection *t = c->members.data[10];
  c->members.data[10] = c->members.data[11];
  c->members.data[11] = t;
  OutputPieces v = output_pieces(&f.ctx, c->offset + c->size);
  check_cover(&v, c->offset + c->size);
  cr_assert_eq(v.len, 2);  // the bytes before it, and it
  cr_assert_eq(v.data[1].begin, 0);
  cr_assert_eq(v.data[1].end, 3000);
  vec_free(&v);
}

// Empty input sections at the very end of a section, just past a cut:
// they go with the last piece, which is never empty.
Test(output_pieces, empty_sections_at_the_end_make_no_empty_piece) {
  Fixture f = {0};
  Chunk *c = add_section(&f, ".data", 0, 3, 1, 6);
  for (size_t k = 0; k < 3; k++) c->members.data[k]->p2align = 0;
  c->members.data[0]->size = 300 << 10;  // one cut after it: a piece of its own
  c->members.data[1]->offset = 300 << 10;
  c->members.data[1]->size = 0;
  c->members.data[2]->offset = 300 << 10;
  c->members.data[2]->size = 0;
  c->size = 300 << 10;
  OutputPieces v = output_pieces(&f.ctx, c->size);
  check_cover(&v, c->size);
  check_cuts(&v, c);
  vec_free(&v);
}

// Every streamed piece built in a buffer full of garbage equals the same
// range of the section written whole into zeroed memory.
Test(output_pieces, pieces_built_apart_match_the_whole) {
  Fixture f = {0};
  f.ctx.arch = arch_by_machine(EM_X86_64);
  Chunk *c = add_section(&f, ".rodata", 0x80, 4000, 700, 5);
  uint64_t filesize = c->offset + c->size;
  uint8_t *whole = calloc(1, filesize);
  for (size_t k = 0; k < c->members.len; k++)
    write_input_section(&f.ctx, c, c->members.data[k], whole + c->offset + c->members.data[k]->offset);
  OutputPieces v = output_pieces(&f.ctx, filesize);
  for (size_t i = 0; i < v.len; i++) {
    const OutputPiece *p = &v.data[i];
    if (p->kind == PIECE_IMAGE) continue;
    uint8_t *buf = malloc(p->size);
    memset(buf, 0xa5, p->size);
    fill_piece(&f.ctx, p, buf, false);
    cr_assert(!memcmp(buf, whole + p->offset, p->size), "piece %zu at 0x%lx differs", i, p->offset);
    free(buf);
  }
  vec_free(&v);
  free(whole);
}
