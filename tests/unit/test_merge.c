// SHF_MERGE sections (linker/merge.c): splitting into pieces, deduplication
// across files, offsets and sizes of the merged chunk, piece lookup, symbols
// moved onto their pieces, and the error paths.
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "layout.h"
#include "passes.h"
#include "reloc.h"
#include "symbols.h"

#define STR_FLAGS (SHF_ALLOC | SHF_MERGE | SHF_STRINGS)
#define CST_FLAGS (SHF_ALLOC | SHF_MERGE)

// A fake object with up to 8 sections; section i is described by shdrs[i]
// (only sh_entsize is read by merge.c) and sections[i].
typedef struct {
  ObjectFile obj;
  Elf64_Shdr shdrs[8];
  InputSection *secs[8];
  Symbol *syms[8];
  ElfSym esyms[8];  // only st_shndx is read
} FakeObj;

static Context *new_ctx(void) {
  Context *ctx = calloc(1, sizeof(Context));
  cr_assert_not_null(ctx);
  return ctx;
}

static FakeObj *add_obj(Context *ctx, const char *path) {
  FakeObj *f = calloc(1, sizeof(FakeObj));
  cr_assert_not_null(f);
  f->obj.path = path;
  f->obj.shdrs = f->shdrs;
  f->obj.sections = f->secs;
  f->obj.syms = f->syms;
  f->obj.esyms = f->esyms;
  f->obj.nshdrs = 1;
  f->obj.nsyms = 1;  // index 0 is the null symbol
  f->obj.first_global = 1;
  f->obj.is_alive = true;
  vec_push(&ctx->objs, &f->obj);
  return f;
}

static InputSection *add_sec(FakeObj *f, const char *name, uint64_t flags, uint64_t entsize, uint8_t p2align,
                             const void *data, size_t size) {
  uint32_t i = f->obj.nshdrs++;
  cr_assert_lt(i, 8);
  f->shdrs[i] = (Elf64_Shdr){.sh_type = SHT_PROGBITS, .sh_flags = flags, .sh_entsize = entsize,
                             .sh_addralign = 1ULL << p2align, .sh_size = size};
  InputSection *isec = calloc(1, sizeof(InputSection));
  isec->file = &f->obj;
  isec->name = name;
  isec->data = data;
  isec->size = size;
  isec->flags = flags;
  isec->type = SHT_PROGBITS;
  isec->shndx = i;
  isec->p2align = p2align;
  isec->is_alive = true;
  f->secs[i] = isec;
  return isec;
}

static Symbol *add_sym(FakeObj *f, const char *name, InputSection *isec, uint64_t value, uint8_t type, bool local) {
  uint32_t k = f->obj.nsyms++;
  cr_assert_lt(k, 8);
  Symbol *s = calloc(1, sizeof(Symbol));
  s->name = name;
  s->namelen = (uint32_t)strlen(name);
  s->file = &f->obj;
  s->isec = isec;
  s->value = value;
  s->type = type;
  s->is_local = local;
  s->esym_index = k;
  s->def_rank = RANK_STRONG;
  f->syms[k] = s;
  f->esyms[k].st_shndx = isec ? (uint16_t)isec->shndx : SHN_UNDEF;
  return s;
}

static MergedChunk *merged_named(Context *ctx, const char *name, uint64_t entsize, uint64_t flags) {
  for (size_t i = 0; i < ctx->merged.len; i++) {
    MergedChunk *m = ctx->merged.data[i];
    if (!strcmp(m->chunk.name, name) && m->entsize == entsize && m->chunk.flags == flags) return m;
  }
  return NULL;
}

// Index of the piece starting at input offset OFF.
static Fragment *piece_at(const InputSection *isec, uint32_t off) {
  for (uint32_t i = 0; i < isec->npieces; i++)
    if (isec->piece_offsets[i] == off) return isec->pieces[i];
  cr_assert_fail("no piece starts at offset %u of %s", off, isec->name);
  return NULL;
}

// ------------------------------------------------------------ strings

static const char s1[] = "hello\0world";          // 12 bytes with the final NUL
static const char s2[] = "world\0foo\0hello";     // 16 bytes
static const char s3[] = "world\0x";              // 8 bytes, aligned to 8

// Distinct pieces of a merged chunk.
static int compare_pointers(const void *a, const void *b) {
  uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;
  return x < y ? -1 : x > y;
}

static size_t unique_pieces(const MergedChunk *m) {
  size_t total = 0, n = 0;
  for (size_t k = 0; k < m->members.len; k++) total += m->members.data[k]->npieces;
  Fragment **all = malloc((total ? total : 1) * sizeof *all);
  for (size_t k = 0; k < m->members.len; k++)
    for (uint32_t j = 0; j < m->members.data[k]->npieces; j++) all[n++] = m->members.data[k]->pieces[j];
  qsort(all, n, sizeof *all, compare_pointers);
  size_t distinct = 0;
  for (size_t i = 0; i < n; i++) distinct += i == 0 || all[i] != all[i - 1];
  free(all);
  return distinct;
}

Test(merge, identical_strings_across_files_share_a_fragment) {
  Context *ctx = new_ctx();
  FakeObj *a = add_obj(ctx, "a.o"), *b = add_obj(ctx, "b.o");
  InputSection *ia = add_sec(a, ".rodata.str1.1", STR_FLAGS, 1, 0, s1, sizeof s1);
  InputSection *ib = add_sec(b, ".rodata.str1.1", STR_FLAGS, 1, 0, s2, sizeof s2);
  split_merge_sections(ctx);

  cr_assert_eq(ctx->merged.len, 1);
  MergedChunk *m = ctx->merged.data[0];
  cr_assert_str_eq(m->chunk.name, ".rodata");
  cr_assert_eq(m->chunk.kind, CHUNK_MERGED);
  cr_assert_eq(m->chunk.flags, STR_FLAGS);
  cr_assert_eq(m->entsize, 1);
  cr_assert_eq(unique_pieces(m), 3);
  cr_assert_eq(m->order.len, 3);

  cr_assert_eq(ia->npieces, 2);
  cr_assert_eq(ia->piece_offsets[0], 0);
  cr_assert_eq(ia->piece_offsets[1], 6);
  cr_assert_eq(ib->npieces, 3);
  cr_assert_eq(ib->piece_offsets[0], 0);
  cr_assert_eq(ib->piece_offsets[1], 6);
  cr_assert_eq(ib->piece_offsets[2], 10);
  cr_assert_eq(ia->osec, &m->chunk);
  cr_assert_eq(ib->osec, &m->chunk);

  Fragment *hello = piece_at(ia, 0), *world = piece_at(ia, 6), *foo = piece_at(ib, 6);
  cr_assert_eq(piece_at(ib, 0), world, "\"world\" from b.o is the fragment from a.o");
  cr_assert_eq(piece_at(ib, 10), hello, "\"hello\" from b.o is the fragment from a.o");
  cr_assert_neq(hello, world);
  cr_assert_neq(foo, world);
  cr_assert_neq(foo, hello);

  // Pieces include their terminator; offsets in first-seen order.
  cr_assert_eq(hello->size, 6);
  cr_assert_eq(world->size, 6);
  cr_assert_eq(foo->size, 4);
  cr_assert_eq(memcmp(hello->data, "hello", 6), 0);
  cr_assert_eq(memcmp(foo->data, "foo", 4), 0);
  cr_assert_eq(hello->offset, 0);
  cr_assert_eq(world->offset, 6);
  cr_assert_eq(foo->offset, 12);
  cr_assert_eq(m->chunk.size, 16);
  cr_assert_eq(m->chunk.align, 1);
  cr_assert_eq(hello->parent, m);
  cr_assert_eq(error_count(), 0);
}

Test(merge, alignment_raises_piece_offsets_and_chunk_size) {
  Context *ctx = new_ctx();
  FakeObj *a = add_obj(ctx, "a.o"), *b = add_obj(ctx, "b.o"), *c = add_obj(ctx, "c.o");
  add_sec(a, ".rodata.str1.1", STR_FLAGS, 1, 0, s1, sizeof s1);
  add_sec(b, ".rodata.str1.1", STR_FLAGS, 1, 0, s2, sizeof s2);
  // c.o's copy of "world" is 8-aligned: the shared piece takes the larger
  // alignment, and "x" is 8-aligned too.
  InputSection *ic = add_sec(c, ".rodata.str1.8", STR_FLAGS, 1, 3, s3, sizeof s3);
  split_merge_sections(ctx);

  cr_assert_eq(ctx->merged.len, 1, "same name after mapping, flags and entsize: one chunk");
  MergedChunk *m = ctx->merged.data[0];
  cr_assert_eq(m->order.len, 4);
  Fragment *world = piece_at(ic, 0), *x = piece_at(ic, 6);
  cr_assert_eq(world->p2align, 3);
  cr_assert_eq(x->p2align, 3);
  // hello@0 (6), world@8 (6), foo@14 (4), x@24 (2).
  cr_assert_eq(m->order.data[0]->offset, 0);
  cr_assert_eq(world->offset, 8);
  cr_assert_eq(m->order.data[2]->offset, 14);
  cr_assert_eq(x->offset, 24);
  cr_assert_eq(m->chunk.size, 26);
  cr_assert_eq(m->chunk.align, 8);
}

Test(merge, distinct_strings_get_distinct_offsets) {
  Context *ctx = new_ctx();
  static const char many[] = "a\0b\0ab\0ba\0\0abc\0b\0a";  // "", and repeats
  FakeObj *a = add_obj(ctx, "a.o");
  InputSection *isec = add_sec(a, ".rodata.str1.1", STR_FLAGS, 1, 0, many, sizeof many);
  split_merge_sections(ctx);
  // Pieces: "a" "b" "ab" "ba" "" "abc" "b" "a" -> 6 unique.
  cr_assert_eq(isec->npieces, 8);
  MergedChunk *m = ctx->merged.data[0];
  cr_assert_eq(m->order.len, 6);
  cr_assert_eq(isec->pieces[0], isec->pieces[7]);
  cr_assert_eq(isec->pieces[1], isec->pieces[6]);
  cr_assert_eq(isec->pieces[4]->size, 1, "the empty string is a 1-byte piece");
  for (size_t i = 0; i < m->order.len; i++)
    for (size_t j = i + 1; j < m->order.len; j++)
      cr_assert_neq(m->order.data[i]->offset, m->order.data[j]->offset);
  // 2 + 2 + 3 + 3 + 1 + 4 bytes.
  cr_assert_eq(m->chunk.size, 15);
  // Pieces in the output do not overlap: each offset is the end of the previous.
  uint64_t off = 0;
  for (size_t i = 0; i < m->order.len; i++) {
    cr_assert_eq(m->order.data[i]->offset, off);
    off += m->order.data[i]->size;
  }
}

Test(merge, wide_strings) {
  // UTF-32 strings: L"ab", L"\u0100" (bytes 00 01 00 00: no 4-byte zero
  // unit inside), L"" and again L"ab" in the second file.
  static const uint32_t w1[] = {'a', 'b', 0, 0x100, 0, 0};
  static const uint32_t w2[] = {0x100, 0, 'a', 'b', 0};
  Context *ctx = new_ctx();
  FakeObj *a = add_obj(ctx, "a.o"), *b = add_obj(ctx, "b.o");
  InputSection *ia = add_sec(a, ".rodata.str4.4", STR_FLAGS, 4, 2, w1, sizeof w1);
  InputSection *ib = add_sec(b, ".rodata.str4.4", STR_FLAGS, 4, 2, w2, sizeof w2);
  split_merge_sections(ctx);

  MergedChunk *m = merged_named(ctx, ".rodata", 4, STR_FLAGS);
  cr_assert_not_null(m);
  cr_assert_eq(ia->npieces, 3);
  cr_assert_eq(ia->piece_offsets[0], 0);
  cr_assert_eq(ia->piece_offsets[1], 12);
  cr_assert_eq(ia->piece_offsets[2], 20);
  cr_assert_eq(ia->pieces[0]->size, 12);
  cr_assert_eq(ia->pieces[1]->size, 8);
  cr_assert_eq(ia->pieces[2]->size, 4);
  cr_assert_eq(ib->npieces, 2);
  cr_assert_eq(ib->pieces[0], ia->pieces[1]);
  cr_assert_eq(ib->pieces[1], ia->pieces[0]);
  cr_assert_eq(m->order.len, 3);
  cr_assert_eq(m->chunk.size, 24);
  cr_assert_eq(m->chunk.align, 4);
  cr_assert_eq(ia->pieces[1]->offset, 12);
}

Test(merge, different_entsize_or_flags_get_separate_chunks) {
  static const uint32_t w[] = {'h', 'i', 0};
  static const char n[] = "hi";
  Context *ctx = new_ctx();
  FakeObj *a = add_obj(ctx, "a.o");
  InputSection *i1 = add_sec(a, ".rodata.str1.1", STR_FLAGS, 1, 0, n, sizeof n);
  InputSection *i4 = add_sec(a, ".rodata.str4.4", STR_FLAGS, 4, 2, w, sizeof w);
  InputSection *ic = add_sec(a, ".comment", SHF_MERGE | SHF_STRINGS, 1, 0, n, sizeof n);
  split_merge_sections(ctx);
  cr_assert_eq(ctx->merged.len, 3);
  cr_assert_neq(i1->osec, i4->osec);
  cr_assert_neq(i1->osec, ic->osec);
  cr_assert_str_eq(ic->osec->name, ".comment", "non-alloc names are kept");
  cr_assert_eq(ic->osec->size, 3);
  cr_assert_eq(i4->osec->size, 12);
}

// ------------------------------------------------------------ fixed-size constants

Test(merge, fixed_size_constants) {
  static const double c1[] = {1.0, 2.0, 1.0};
  static const double c2[] = {2.0, 3.0};
  Context *ctx = new_ctx();
  FakeObj *a = add_obj(ctx, "a.o"), *b = add_obj(ctx, "b.o");
  InputSection *ia = add_sec(a, ".rodata.cst8", CST_FLAGS, 8, 3, c1, sizeof c1);
  InputSection *ib = add_sec(b, ".rodata.cst8", CST_FLAGS, 8, 3, c2, sizeof c2);
  split_merge_sections(ctx);
  MergedChunk *m = merged_named(ctx, ".rodata", 8, CST_FLAGS);
  cr_assert_not_null(m);
  cr_assert_eq(m->entsize, 8);
  cr_assert_eq(ia->npieces, 3);
  cr_assert_eq(ia->piece_offsets[2], 16);
  cr_assert_eq(ia->pieces[0], ia->pieces[2]);
  cr_assert_eq(ib->pieces[0], ia->pieces[1]);
  cr_assert_neq(ib->pieces[1], ia->pieces[0]);
  cr_assert_eq(m->order.len, 3);
  cr_assert_eq(ia->pieces[0]->offset, 0);
  cr_assert_eq(ia->pieces[1]->offset, 8);
  cr_assert_eq(ib->pieces[1]->offset, 16);
  cr_assert_eq(ib->pieces[1]->size, 8);
  cr_assert_eq(m->chunk.size, 24);
  cr_assert_eq(m->chunk.align, 8);
  double v;
  memcpy(&v, ib->pieces[1]->data, 8);
  cr_assert_eq(v, 3.0);
}

Test(merge, constants_size_not_multiple_of_entsize_is_error, .exit_code = 1) {
  static const uint8_t c[12] = {0};
  Context *ctx = new_ctx();
  FakeObj *a = add_obj(ctx, "a.o");
  add_sec(a, ".rodata.cst8", CST_FLAGS, 8, 3, c, sizeof c);
  split_merge_sections(ctx);  // error(), then checkpoint() exits with 1
}

// ------------------------------------------------------------ what is left alone

Test(merge, sections_with_relocations_are_left_whole) {
  static const uint64_t ptrs[] = {0, 0};
  static const Elf64_Rela rela = {.r_offset = 0, .r_info = ELF64_R_INFO(1, R_X86_64_64)};
  Context *ctx = new_ctx();
  FakeObj *a = add_obj(ctx, "a.o");
  InputSection *isec = add_sec(a, ".rodata.cst8", CST_FLAGS, 8, 3, ptrs, sizeof ptrs);
  isec->rels = &rela;
  isec->nrels = 1;
  InputSection *dead = add_sec(a, ".rodata.cst8", CST_FLAGS, 8, 3, ptrs, sizeof ptrs);
  dead->is_alive = false;
  InputSection *noent = add_sec(a, ".rodata.str", STR_FLAGS, 0, 0, "x", 2);
  split_merge_sections(ctx);
  cr_assert_eq(ctx->merged.len, 0);
  cr_assert_eq(isec->npieces, 0);
  cr_assert_null(isec->pieces);
  cr_assert_null(isec->osec);
  cr_assert_null(dead->pieces);
  cr_assert_null(noent->pieces, "entsize 0 is not split");
  cr_assert_eq(error_count(), 0);
}

Test(merge, unterminated_string_is_error, .exit_code = 1) {
  static const char bad[] = {'o', 'k', 0, 'b', 'a', 'd'};
  Context *ctx = new_ctx();
  FakeObj *a = add_obj(ctx, "a.o");
  add_sec(a, ".rodata.str1.1", STR_FLAGS, 1, 0, bad, sizeof bad);
  split_merge_sections(ctx);  // error(), then checkpoint() exits with 1
}

Test(merge, wide_string_with_partial_terminator_is_error, .exit_code = 1) {
  // 'a' then a 2-byte tail: there is no 4-byte zero unit.
  static const uint8_t bad[] = {'a', 0, 0, 0, 0, 0};
  Context *ctx = new_ctx();
  FakeObj *a = add_obj(ctx, "a.o");
  add_sec(a, ".rodata.str4.4", STR_FLAGS, 4, 2, bad, sizeof bad);
  split_merge_sections(ctx);
}

// ------------------------------------------------------------ lookup and symbols

Test(merge, find_piece_in_the_middle_of_a_string) {
  Context *ctx = new_ctx();
  FakeObj *b = add_obj(ctx, "b.o");
  InputSection *ib = add_sec(b, ".rodata.str1.1", STR_FLAGS, 1, 0, s2, sizeof s2);
  split_merge_sections(ctx);
  struct { uint64_t off, piece_off; uint32_t idx; } cases[] = {
      {0, 0, 0}, {3, 0, 0}, {5, 0, 0}, {6, 6, 1}, {8, 6, 1}, {9, 6, 1}, {10, 10, 2}, {15, 10, 2},
  };
  for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
    uint64_t poff = 12345;
    Fragment *f = merge_find_piece(ib, cases[i].off, &poff);
    cr_assert_eq(f, ib->pieces[cases[i].idx], "piece for offset %llu", (unsigned long long)cases[i].off);
    cr_assert_eq(poff, cases[i].piece_off, "piece start for offset %llu", (unsigned long long)cases[i].off);
  }
  // An unsplit section has no pieces.
  InputSection empty = {0};
  uint64_t poff = 7;
  cr_assert_null(merge_find_piece(&empty, 0, &poff));
  cr_assert_eq(poff, 7);
}

Test(merge, symbols_move_onto_their_pieces) {
  static const double c[] = {1.0, 2.0, 1.0};
  Context *ctx = new_ctx();
  FakeObj *a = add_obj(ctx, "a.o"), *b = add_obj(ctx, "b.o");
  add_sec(a, ".rodata.str1.1", STR_FLAGS, 1, 0, s1, sizeof s1);
  InputSection *ib = add_sec(b, ".rodata.str1.1", STR_FLAGS, 1, 0, s2, sizeof s2);
  InputSection *ic = add_sec(b, ".rodata.cst8", CST_FLAGS, 8, 3, c, sizeof c);
  Symbol *secsym = add_sym(b, "", ib, 0, STT_SECTION, true);
  Symbol *mid = add_sym(b, "mid_of_foo", ib, 8, STT_OBJECT, true);      // "foo"+2
  Symbol *third = add_sym(b, "third_const", ic, 16, STT_OBJECT, false);  // the second 1.0
  Symbol *other = add_sym(b, "owned_elsewhere", ib, 10, STT_OBJECT, false);
  other->esym_index = 99;  // resolved to another entry of the table: left alone
  split_merge_sections(ctx);

  cr_assert_eq(secsym->isec, ib, "section symbols keep their section");
  cr_assert_null(secsym->frag);
  cr_assert_eq(other->isec, ib);
  cr_assert_null(other->frag);

  cr_assert_null(mid->isec);
  cr_assert_eq(mid->frag, ib->pieces[1]);
  cr_assert_eq(mid->value, 2);
  cr_assert_null(third->isec);
  cr_assert_eq(third->frag, ic->pieces[0], "the duplicate constant resolves to the first copy");
  cr_assert_eq(third->value, 0);

  // Addresses once the merged chunks are placed.
  MergedChunk *ms = ib->osec->merged, *mc = ic->osec->merged;
  ms->chunk.addr = 0x1000;
  mc->chunk.addr = 0x2000;
  cr_assert_eq(symbol_address(ctx, mid), 0x1000 + 12 + 2, "foo is at 12 after hello and world");
  cr_assert_eq(symbol_address(ctx, third), 0x2000);

  // A relocation against the section symbol names a piece by S+A and
  // consumes the addend: .rodata.str1.1+8 is "foo"+2 in b.o.
  int64_t addend = 8;
  cr_assert_eq(reloc_symbol_address(ctx, secsym, &addend), 0x1000 + 12 + 2);
  cr_assert_eq(addend, 0);
  addend = 0;
  cr_assert_eq(reloc_symbol_address(ctx, secsym, &addend), 0x1000 + 6, "b.o's \"world\" is a.o's");
  addend = 10;
  cr_assert_eq(reloc_symbol_address(ctx, secsym, &addend), 0x1000 + 0);
}

Test(merge, many_pieces_survive_table_growth) {
  // 3000 strings in a.o, the odd half of them again (in reverse) in b.o.
  enum { N = 3000 };
  char *da = malloc(N * 8), *db = malloc(N * 8);
  size_t na = 0, nb = 0;
  for (int i = 0; i < N; i++) na += (size_t)sprintf(da + na, "s%05d", i) + 1;
  for (int i = N - 1; i >= 0; i -= 2) nb += (size_t)sprintf(db + nb, "s%05d", i) + 1;
  Context *ctx = new_ctx();
  FakeObj *a = add_obj(ctx, "a.o"), *b = add_obj(ctx, "b.o");
  InputSection *ia = add_sec(a, ".rodata.str1.1", STR_FLAGS, 1, 0, da, na);
  InputSection *ib = add_sec(b, ".rodata.str1.1", STR_FLAGS, 1, 0, db, nb);
  split_merge_sections(ctx);
  MergedChunk *m = ctx->merged.data[0];
  cr_assert_eq(ia->npieces, N);
  cr_assert_eq(ib->npieces, N / 2);
  cr_assert_eq(unique_pieces(m), N);
  cr_assert_eq(m->order.len, N);
  cr_assert_eq(m->chunk.size, (uint64_t)N * 7);
  for (uint32_t k = 0; k < ib->npieces; k++) {
    int i = N - 1 - 2 * (int)k;
    cr_assert_eq(ib->pieces[k], ia->pieces[i], "b.o piece %u is a.o's s%05d", k, i);
    cr_assert_eq(ib->pieces[k]->offset, (uint64_t)i * 7);
  }
}
