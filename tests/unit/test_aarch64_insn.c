// AArch64 instruction encoders (arch/aarch64_insn.h) and relocations
// (arch/aarch64.c through the Arch interface): the exact instruction words
// each writes, overflow and alignment checks and their messages, GOT and
// TLS relaxations, range-extension thunks, and static-pie RELATIVE
// relocations.
//
// Every expected instruction word was derived independently of xld, with
// GNU binutils for aarch64 (binutils-aarch64-linux-gnu): the instruction
// assembled by aarch64-linux-gnu-as, placed with aarch64-linux-gnu-ld
// -Ttext <place> --defsym=TGT=<target>, and read back with
// aarch64-linux-gnu-objdump -d. The comment beside each word is the
// instruction as objdump prints it (with the place for PC-relative ones).
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aarch64_insn.h"
#include "fake_link.h"
#include "thunks.h"

// ============================================================ encoders

// ADR/ADRP: the 21-bit immediate is split into immlo [30:29] (its low two
// bits) and immhi [23:5]; for ADRP it counts 4 KiB pages.
Test(aarch64_insn, adrp_pages) {
  // 400000: b0000000  adrp x0, 401000
  cr_assert_eq(insn_set_adr_imm(0x90000000, 1), 0xb0000000);
  // 400000: d0000005  adrp x5, 402000       (immlo = 2)
  cr_assert_eq(insn_set_adr_imm(0x90000005, 2), 0xd0000005);
  // 400000: f0000005  adrp x5, 403000       (immlo = 3)
  cr_assert_eq(insn_set_adr_imm(0x90000005, 3), 0xf0000005);
  // 400000: b0091a23  adrp x3, 12745000     (+0x12345 pages: immlo 1, immhi 0x48d1)
  cr_assert_eq(insn_set_adr_imm(0x90000003, 0x12345), 0xb0091a23);
  // 100000000: f07fffe2  adrp x2, 1fffff000  (the largest: +0xfffff pages)
  cr_assert_eq(insn_set_adr_imm(0x90000002, 0xfffff), 0xf07fffe2);
}

Test(aarch64_insn, adrp_negative_pages) {
  // 400000: f0fffff1  adrp x17, 3ff000      (-1 page)
  cr_assert_eq(insn_set_adr_imm(0x90000011, (uint64_t)-1), 0xf0fffff1);
  // The relocation code passes (page(S) - page(P)) >> 12 as uint64_t: the
  // logical shift leaves high bits set that the field must drop.
  cr_assert_eq(insn_set_adr_imm(0x90000011, (uint64_t)(0x3ff000LL - 0x400000LL) >> 12), 0xf0fffff1);
  // 40000000: f0f6e5c1  adrp x1, 2dcbb000   (-0x12345 pages)
  cr_assert_eq(insn_set_adr_imm(0x90000001, (uint64_t)-0x12345), 0xf0f6e5c1);
  cr_assert_eq(insn_set_adr_imm(0x90000001, (uint64_t)(0x2dcbb000LL - 0x40000000LL) >> 12), 0xf0f6e5c1);
  // 200000000: 90800002  adrp x2, 100000000 (the smallest: -0x100000 pages)
  cr_assert_eq(insn_set_adr_imm(0x90000002, (uint64_t)(-0x100000000LL) >> 12), 0x90800002);
}

Test(aarch64_insn, adr_bytes_and_field_replacement) {
  // 400000: 30000024  adr x4, 400005
  cr_assert_eq(insn_set_adr_imm(0x10000004, 5), 0x30000024);
  // 400000: 30ffffe4  adr x4, 3ffffd
  cr_assert_eq(insn_set_adr_imm(0x10000004, (uint64_t)-3), 0x30ffffe4);
  // An old immediate is replaced, not ORed into; Rd and op stay.
  cr_assert_eq(insn_set_adr_imm(0xf0fffff1, 1), 0xb0000011);  // adrp x17, +1 page
  cr_assert_eq(insn_set_adr_imm(0xf0f6e5c1, 0), 0x90000001);  // adrp x1, +0
}

// LDR/STR (unsigned offset) and ADD: imm12 [21:10]; loads and stores scale
// it by the access size, which the LO12 relocations do before calling.
Test(aarch64_insn, lo12_scaled) {
  // f943fc41  ldr x1, [x2, #2040]   (0x7f8 / 8 = 0xff)
  cr_assert_eq(insn_set_imm12(0xf9400041, 0x7f8 >> 3), 0xf943fc41);
  // b94ffc83  ldr w3, [x4, #4092]   (0xffc / 4)
  cr_assert_eq(insn_set_imm12(0xb9400083, 0xffc >> 2), 0xb94ffc83);
  // 795ffc83  ldrh w3, [x4, #4094]  (0xffe / 2)
  cr_assert_eq(insn_set_imm12(0x79400083, 0xffe >> 1), 0x795ffc83);
  // 393ffc83  strb w3, [x4, #4095]
  cr_assert_eq(insn_set_imm12(0x39000083, 0xfff), 0x393ffc83);
  // 3dc3fc20  ldr q0, [x1, #4080]   (0xff0 / 16)
  cr_assert_eq(insn_set_imm12(0x3dc00020, 0xff0 >> 4), 0x3dc3fc20);
  // 912af020  add x0, x1, #0xabc
  cr_assert_eq(insn_set_imm12(0x91000020, 0xabc), 0x912af020);
  // 91404800  add x0, x0, #0x12, lsl #12 (the shift bit is kept)
  cr_assert_eq(insn_set_imm12(0x91400000, 0x12), 0x91404800);
  // Replaces an old offset; only 12 bits are taken.
  cr_assert_eq(insn_set_imm12(0xf943fc41, 0), 0xf9400041);
  cr_assert_eq(insn_set_imm12(0x91000020, 0x1abc), 0x912af020);
}

// B/BL: imm26 [25:0] in words.
Test(aarch64_insn, imm26) {
  // 401000: 94000400  bl 402000
  cr_assert_eq(insn_set_imm26(0x94000000, 0x1000 >> 2), 0x94000400);
  // 401000: 97ffffff  bl 400ffc
  cr_assert_eq(insn_set_imm26(0x94000000, (uint64_t)-4 >> 2), 0x97ffffff);
  // 10000000: 15ffffff  b 17fffffc      (+128 MiB - 4, the farthest forward)
  cr_assert_eq(insn_set_imm26(0x14000000, ((1ULL << 27) - 4) >> 2), 0x15ffffff);
  // 10000000: 96000000  bl 8000000      (-128 MiB, the farthest back)
  cr_assert_eq(insn_set_imm26(0x94000000, (uint64_t)(-(1LL << 27)) >> 2), 0x96000000);
  // The opcode stays, an old offset goes.
  cr_assert_eq(insn_set_imm26(0x97ffffff, 1), 0x94000001);
}

// B.cond, CBZ/CBNZ, LDR (literal): imm19 [23:5] in words.
Test(aarch64_insn, imm19) {
  // 401000: 54000041  b.ne 401008
  cr_assert_eq(insn_set_imm19(0x54000001, 8 >> 2), 0x54000041);
  // 10000000: b4800003  cbz x3, ff00000   (-1 MiB)
  cr_assert_eq(insn_set_imm19(0xb4000003, (uint64_t)(-(1LL << 20)) >> 2), 0xb4800003);
  // 10000000: 587fffe5  ldr x5, 100ffffc  (+1 MiB - 4)
  cr_assert_eq(insn_set_imm19(0x58000005, ((1ULL << 20) - 4) >> 2), 0x587fffe5);
  cr_assert_eq(insn_set_imm19(0x587fffe5, 0), 0x58000005);
}

// TBZ/TBNZ: imm14 [18:5] in words; the bit number (b5:b40) stays.
Test(aarch64_insn, imm14) {
  // 401000: 36180101  tbz w1, #3, 401020
  cr_assert_eq(insn_set_imm14(0x36180001, 0x20 >> 2), 0x36180101);
  // 409000: b7440009  tbnz x9, #40, 401000  (-32 KiB)
  cr_assert_eq(insn_set_imm14(0xb7400009, (uint64_t)(-0x8000LL) >> 2), 0xb7440009);
  // 401000: b6fbffe0  tbz x0, #63, 408ffc   (+32 KiB - 4)
  cr_assert_eq(insn_set_imm14(0xb6f80000, (0x8000 - 4) >> 2), 0xb6fbffe0);
  cr_assert_eq(insn_set_imm14(0xb6fbffe0, 0), 0xb6f80000);
}

// Signed MOVW relocations: MOVZ #v for v >= 0, MOVN #~v for v < 0, whatever
// the compiler wrote; the shift (hw) and the register stay.
Test(aarch64_insn, movnz_positive_is_movz) {
  // d2824680  mov x0, #0x1234 (movz)
  cr_assert_eq(insn_set_movnz(0xd2800000, 0x1234, 0), 0xd2824680);
  // from a MOVN: 52800109  mov w9, #0x8 (movz w9, #8)
  cr_assert_eq(insn_set_movnz(0x12800009, 8, 0), 0x52800109);
  // from movn x2, #0, lsl #32: d2c000a2  mov x2, #0x500000000
  cr_assert_eq(insn_set_movnz(0x92c00002, 0x500000000LL, 32), 0xd2c000a2);
  // d2a24683  mov x3, #0x12340000 (movz x3, #0x1234, lsl #16)
  cr_assert_eq(insn_set_movnz(0xd2a00003, 0x12345678, 16), 0xd2a24683);
}

Test(aarch64_insn, movnz_negative_is_movn) {
  // 92800000  mov x0, #0xffffffffffffffff (movn x0, #0): v = -1
  cr_assert_eq(insn_set_movnz(0xd2800000, -1, 0), 0x92800000);
  // 928000e0  mov x0, #0xfffffffffffffff8 (movn x0, #7): v = -8
  cr_assert_eq(insn_set_movnz(0xd2800000, -8, 0), 0x928000e0);
  // 929fffe0  mov x0, #0xffffffffffff0000 (movn x0, #0xffff): v = -0x10000
  cr_assert_eq(insn_set_movnz(0xd2800000, -0x10000, 0), 0x929fffe0);
  // 92a24680  mov x0, #0xffffffffedcbffff (movn x0, #0x1234, lsl #16)
  cr_assert_eq(insn_set_movnz(0xd2a00000, -0x12340001LL, 16), 0x92a24680);
  // 128000e9  mov w9, #0xfffffff8 (movn w9, #7), from movz w9
  cr_assert_eq(insn_set_movnz(0x52800009, -8, 0), 0x128000e9);
  // 92c000a2  mov x2, #0xfffffffaffffffff (movn x2, #5, lsl #32)
  cr_assert_eq(insn_set_movnz(0xd2c00002, -0x500000001LL, 32), 0x92c000a2);
  // A MOVN stays a MOVN.
  cr_assert_eq(insn_set_movnz(0x92800000, -8, 0), 0x928000e0);
}

Test(aarch64_insn, movz_movk) {
  cr_assert_eq(insn_movz(0, 0x1234, 0), 0xd2824680);      // movz x0, #0x1234
  cr_assert_eq(insn_movz(0, 1, 16), 0xd2a00020);           // movz x0, #0x1, lsl #16
  cr_assert_eq(insn_movz(3, 0x1234, 16), 0xd2a24683);      // movz x3, #0x1234, lsl #16
  cr_assert_eq(insn_movz(7, 0xffff, 32), 0xd2dfffe7);      // movz x7, #0xffff, lsl #32
  cr_assert_eq(insn_movz(0, 0, 0), 0xd2800000);            // movz x0, #0
  cr_assert_eq(insn_movz(0, 0x11234, 0), 0xd2824680, "only 16 bits of the immediate");
  cr_assert_eq(insn_movk(0, 0x2345, 0), 0xf28468a0);       // movk x0, #0x2345
  cr_assert_eq(insn_movk(5, 0xbeef, 0), 0xf297dde5);       // movk x5, #0xbeef
  cr_assert_eq(insn_movk(3, 0x5678, 0), 0xf28acf03);       // movk x3, #0x5678
  cr_assert_eq(insn_movk(3, 0, 16), 0xf2a00003);           // movk x3, #0x0, lsl #16
  cr_assert_eq(insn_movk(1, 0xffff, 48), 0xf2ffffe1);      // movk x1, #0xffff, lsl #48
  cr_assert_eq(insn_movk(0, 0, 0), 0xf2800000);            // movk x0, #0x0
}

Test(aarch64_insn, add_imm) {
  cr_assert_eq(insn_add_imm(0, 1, 0xabc), 0x912af020);     // add x0, x1, #0xabc
  cr_assert_eq(insn_add_imm(16, 16, 0xabc), 0x912af210);   // add x16, x16, #0xabc
  cr_assert_eq(insn_add_imm(8, 8, 0xabc), 0x912af108);     // add x8, x8, #0xabc
  cr_assert_eq(insn_add_imm(0, 1, 0), 0x91000020);         // add x0, x1, #0x0
  cr_assert_eq(insn_add_imm(0, 0, 0), 0x91000000);         // add x0, x0, #0x0
  cr_assert_eq(insn_add_imm(30, 31, 0xfff), 0x913ffffe);   // add x30, sp, #0xfff
  cr_assert_eq(insn_add_imm(0, 1, 0x1abc), 0x912af020, "only 12 bits of the immediate");
}

Test(aarch64_insn, constants) {
  cr_assert_eq(INSN_NOP, 0xd503201f);               // nop
  cr_assert_eq(INSN_MRS_X1_TPIDR_EL0, 0xd53bd041);  // mrs x1, tpidr_el0
  cr_assert_eq(INSN_ADD_X0_X1_X0, 0x8b000020);      // add x0, x1, x0
}

// ============================================================ relocations

// TLS symbols sit above the thread pointer, after the 16-byte TCB (variant 1).
static World *setup(bool pie) {
  World *w = world(EM_AARCH64, "aarch64", pie, TP + 16);
  add_func_f(w);
  return w;
}

// Copies the instruction words CODE into the input and output (the rest
// is 0xcc), then applies RELS.
static void apply(World *w, const uint32_t *code, size_t n_insns, const Elf64_Rela *rels, size_t n) {
  cr_assert_leq(n_insns * 4, sizeof w->in);
  memset(w->in, 0xcc, sizeof w->in);
  for (size_t k = 0; k < n_insns; k++) wr32(w->in + 4 * k, code[k]);
  memcpy(w->out, w->in, sizeof w->in);
  w->isec.rels = rels;
  w->isec.nrels = (uint32_t)n;
  w->ctx->arch->apply_relocs(w->ctx, &w->t, rels, rels + n);
}

static void scan(World *w, const uint32_t *code, size_t n_insns, const Elf64_Rela *rels, size_t n) {
  cr_assert_leq(n_insns * 4, sizeof w->in);
  memset(w->in, 0xcc, sizeof w->in);
  for (size_t k = 0; k < n_insns; k++) wr32(w->in + 4 * k, code[k]);
  w->isec.rels = rels;
  w->isec.nrels = (uint32_t)n;
  w->ctx->arch->scan_relocs(w->ctx, &w->isec);
}

static uint32_t out32(World *w, size_t off) { return rd32(w->out + off); }
static uint64_t out64(World *w, size_t off) { return rd64(w->out + off); }

#define ASSERT_INSN(w, off, want)                                                                     \
  cr_assert_eq(out32((w), (off)), (uint32_t)(want), "insn at +0x%zx: 0x%08x, want 0x%08x", (size_t)(off), \
               out32((w), (off)), (uint32_t)(want))

// Runs FN with stderr sent to a file and returns what it wrote.
static char captured[4096];
static const char *capture_stderr(void (*fn)(void *), void *arg) {
  fflush(stderr);
  FILE *tmp = tmpfile();
  cr_assert_not_null(tmp);
  int saved = dup(2);
  dup2(fileno(tmp), 2);
  fn(arg);
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  rewind(tmp);
  size_t n = fread(captured, 1, sizeof captured - 1, tmp);
  captured[n] = 0;
  fclose(tmp);
  return captured;
}

typedef struct {
  World *w;
  const Elf64_Rela *rels;
  size_t n;
  const uint32_t *code;
  size_t n_insns;
} ApplyArgs;
static void apply_cb(void *p) {
  ApplyArgs *a = p;
  apply(a->w, a->code, a->n_insns, a->rels, a->n);
}
static void scan_cb(void *p) {
  ApplyArgs *a = p;
  scan(a->w, a->code, a->n_insns, a->rels, a->n);
}

// ------------------------------------------------------------ interface

Test(aarch64, arch_interface) {
  const Arch *a = arch_by_machine(EM_AARCH64);
  cr_assert_not_null(a);
  cr_assert_eq(a->machine, EM_AARCH64);
  cr_assert_eq(a->r_relative, R_AARCH64_RELATIVE);
  cr_assert_eq(a->r_irelative, R_AARCH64_IRELATIVE);
  cr_assert(a->tls_variant1);
  cr_assert_eq(a->tls_tcb_size, 16);
  cr_assert_eq(arch_by_emulation("aarch64linux"), a);
  cr_assert_eq(arch_by_emulation("aarch64elf"), a);
  cr_assert_eq(a->branch_range, 128u << 20, "B/BL reach +-128 MiB");
  cr_assert(a->is_branch_reloc(R_AARCH64_CALL26));
  cr_assert(a->is_branch_reloc(R_AARCH64_JUMP26));
  cr_assert_not(a->is_branch_reloc(R_AARCH64_CONDBR19));
  cr_assert_str_eq(a->reloc_name(R_AARCH64_CALL26), "R_AARCH64_CALL26");
  cr_assert_str_eq(a->reloc_name(R_AARCH64_TLSDESC_ADR_PAGE21), "R_AARCH64_TLSDESC_ADR_PAGE21");
  cr_assert_str_eq(a->reloc_name(R_AARCH64_LD64_GOT_LO12_NC), "R_AARCH64_LD64_GOT_LO12_NC");
  cr_assert_str_eq(a->reloc_name(1000), "unknown (1000)");
}

// ------------------------------------------------------------ branches

Test(aarch64, call26_and_jump26_in_range) {
  World *w = setup(false);
  uint32_t foo = FUNC(w, "foo", FOO);
  uint32_t back = FUNC(w, "back", TEXT);
  uint32_t edge = FUNC(w, "edge", TEXT + 8 + (1ULL << 27) - 4);
  // bl foo; bl back; b edge
  static const uint32_t code[] = {0x94000000, 0x94000000, 0x14000000};
  Elf64_Rela rels[] = {R(0, foo, R_AARCH64_CALL26, 0), R(4, back, R_AARCH64_CALL26, 0),
                       R(8, edge, R_AARCH64_JUMP26, 0)};
  apply(w, code, 3, rels, 3);
  ASSERT_INSN(w, 0, 0x94000400);  // 401000: bl 402000
  ASSERT_INSN(w, 4, 0x97ffffff);  // 401004: bl 401000
  ASSERT_INSN(w, 8, 0x15ffffff);  // 401008: b 9401004 (+128 MiB - 4: the farthest)
  cr_assert_eq(out32(w, 12), 0xcccccccc, "nothing written past the instructions");
  cr_assert_eq(error_count(), 0);
}

Test(aarch64, call26_backward_limit) {
  World *w = setup(false);
  w->t.addr = 0x10000000;
  uint32_t low = FUNC(w, "low", 0x10000000 - (1ULL << 27));
  static const uint32_t code[] = {0x94000000};
  Elf64_Rela rels[] = {R(0, low, R_AARCH64_CALL26, 0)};
  apply(w, code, 1, rels, 1);
  ASSERT_INSN(w, 0, 0x96000000);  // 10000000: bl 8000000 (-128 MiB)
  cr_assert_eq(error_count(), 0);
}

Test(aarch64, call26_out_of_range_is_an_error) {
  World *w = setup(false);
  uint32_t far = FUNC(w, "far_away", TEXT + (1ULL << 27));
  uint32_t low = FUNC(w, "far_below", TEXT + 4 - (1ULL << 27) - 4);
  static const uint32_t code[] = {0x94000000, 0x14000000};
  Elf64_Rela rels[] = {R(0, far, R_AARCH64_CALL26, 0), R(4, low, R_AARCH64_JUMP26, 0)};
  ApplyArgs args = {w, rels, 2, code, 2};
  const char *msg = capture_stderr(apply_cb, &args);
  cr_assert_eq(error_count(), 2, "both branches are out of reach; message: %s", msg);
  cr_assert_not_null(strstr(msg, "xld: error: t.o:(.text+0x0) in function f: relocation R_AARCH64_CALL26 out of "
                                 "range: 134217728 is not in [-134217728, 134217724]; references 'far_away'"),
                     "message: %s", msg);
  cr_assert_not_null(strstr(msg, "t.o:(.text+0x4) in function f: relocation R_AARCH64_JUMP26 out of range: "
                                 "-134217732 is not in"),
                     "message: %s", msg);
  cr_assert_not_null(strstr(msg, "references 'far_below'"), "message: %s", msg);
}

Test(aarch64, call26_to_undefined_weak_is_next_instruction) {
  World *w = setup(false);
  uint32_t weak = FUNC(w, "weak_fn", 0);
  w->syms[weak]->def_rank = RANK_UNDEF;
  symbol_aux(w->ctx, w->syms[weak])->chunk = NULL;
  w->syms[weak]->binding = STB_WEAK;
  static const uint32_t code[] = {0x94000000};
  Elf64_Rela rels[] = {R(0, weak, R_AARCH64_CALL26, 0)};
  apply(w, code, 1, rels, 1);
  ASSERT_INSN(w, 0, 0x94000001);  // bl .+4
  cr_assert_eq(error_count(), 0);
}

Test(aarch64, condbr19_and_tstbr14) {
  World *w = setup(false);
  uint32_t t8 = FUNC(w, "t8", TEXT + 8);
  uint32_t t20 = FUNC(w, "t20", TEXT + 4 + 0x20);
  static const uint32_t code[] = {0x54000001, 0x36180001};  // b.ne .; tbz w1, #3, .
  Elf64_Rela rels[] = {R(0, t8, R_AARCH64_CONDBR19, 0), R(4, t20, R_AARCH64_TSTBR14, 0)};
  apply(w, code, 2, rels, 2);
  ASSERT_INSN(w, 0, 0x54000041);  // 401000: b.ne 401008
  ASSERT_INSN(w, 4, 0x36180101);  // 401004: tbz w1, #3, 401024
  cr_assert_eq(error_count(), 0);
}

// A branch whose target is in its section's thunk group goes to the thunk.
Test(aarch64, call26_through_thunk) {
  World *w = setup(false);
  uint32_t far = FUNC(w, "far_fn", TEXT + (1ULL << 30));
  Chunk *text = new_chunk(w->ctx, ".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, 4);
  text->addr = TEXT;
  InputSection thunk_isec = {.name = ".text.thunk", .osec = text, .offset = 0x2000, .is_alive = true};
  ThunkGroup g = {.isec = &thunk_isec};
  Symbol *targets[2] = {w->syms[1], w->syms[far]};  // thunk 0 (for f), thunk 1 = far_fn
  g.targets.data = targets;
  g.targets.len = g.targets.cap = 2;
  Symbol *slots[4] = {0};
  uint32_t indices[4] = {0};
  for (uint32_t k = 0; k < 2; k++) {
    size_t h = ((uintptr_t)targets[k] >> 4) & 3;
    while (slots[h]) h = (h + 1) & 3;
    slots[h] = targets[k];
    indices[h] = k;
  }
  g.slots = slots;
  g.indices = indices;
  g.nslots = 4;
  w->isec.thunk_group = &g;
  static const uint32_t code[] = {0x94000000, 0x14000000};
  Elf64_Rela rels[] = {R(0, far, R_AARCH64_CALL26, 0), R(4, far, R_AARCH64_JUMP26, 0)};
  apply(w, code, 2, rels, 2);
  // Thunk 1 is at TEXT + 0x2000 + 12.
  ASSERT_INSN(w, 0, 0x94000803);  // 401000: bl 40300c
  ASSERT_INSN(w, 4, 0x14000802);  // 401004: b 40300c
  cr_assert_eq(error_count(), 0);
}

Test(aarch64, thunk_and_iplt_entry) {
  const Arch *a = arch_by_machine(EM_AARCH64);
  uint8_t buf[24];
  cr_assert_eq(a->thunk_size, 12);
  a->write_thunk(buf, 0x401000, 0x9000abc);
  cr_assert_eq(rd32(buf), 0xf0045ff0);      // 401000: adrp x16, 9000000
  cr_assert_eq(rd32(buf + 4), 0x912af210);  // add x16, x16, #0xabc
  cr_assert_eq(rd32(buf + 8), 0xd61f0200);  // br x16
  a->write_thunk(buf, 0x9000000, 0x401234);
  cr_assert_eq(rd32(buf), 0xb0fba010);      // 9000000: adrp x16, 401000
  cr_assert_eq(rd32(buf + 4), 0x9108d210);  // add x16, x16, #0x234
  cr_assert_eq(rd32(buf + 8), 0xd61f0200);
  cr_assert_eq(a->iplt_entry_size, 16);
  a->write_iplt_entry(buf, 0x400200, 0x420018, false);
  cr_assert_eq(rd32(buf), 0x90000110);       // 400200: adrp x16, 420000
  cr_assert_eq(rd32(buf + 4), 0xf9400e11);   // ldr x17, [x16, #24]
  cr_assert_eq(rd32(buf + 8), 0x91006210);   // add x16, x16, #0x18
  cr_assert_eq(rd32(buf + 12), 0xd61f0220);  // br x17
  // With BTI: a landing pad first (an IFUNC's address is its stub), 24 bytes.
  cr_assert_eq(a->iplt_entry_size_landing_pad, 24);
  a->write_iplt_entry(buf, 0x400ffc, 0x420018, true);
  cr_assert_eq(rd32(buf), 0xd503245f);       // 400ffc: bti c
  cr_assert_eq(rd32(buf + 4), 0xf00000f0);   // 401000: adrp x16, 420000 (from the next page)
  cr_assert_eq(rd32(buf + 8), 0xf9400e11);   // ldr x17, [x16, #24]
  cr_assert_eq(rd32(buf + 12), 0x91006210);  // add x16, x16, #0x18
  cr_assert_eq(rd32(buf + 16), 0xd61f0220);  // br x17
  cr_assert_eq(rd32(buf + 20), 0xd503201f);  // nop
}

// ------------------------------------------------------------ pages and page offsets

Test(aarch64, adr_prel_pg_hi21_across_pages) {
  World *w = setup(false);
  // Input offset 0x38 is at 0x401ff8 and 0x3c at 0x401ffc, the last word
  // of page 0x401000.
  w->t.addr = TEXT + 0xfc0;
  uint32_t next = SYM(w, "next_page", 0x402000);
  uint32_t same = SYM(w, "same_page", 0x401ff8);
  uint32_t code[16];
  for (int k = 0; k < 16; k++) code[k] = 0x90000000;  // adrp x0, .
  Elf64_Rela rels[] = {R(0x3c, next, R_AARCH64_ADR_PREL_PG_HI21, 0), R(0x38, same, R_AARCH64_ADR_PREL_PG_HI21, 0),
                       R(0x34, same, R_AARCH64_ADR_PREL_PG_HI21, 8)};
  apply(w, code, 16, rels, 3);
  ASSERT_INSN(w, 0x3c, 0xb0000000);  // 401ffc: adrp x0, 402000 (4 bytes on, one page on)
  ASSERT_INSN(w, 0x38, 0x90000000);  // 401ff8: adrp x0, 401000
  ASSERT_INSN(w, 0x34, 0xb0000000);  // 401ff4: adrp x0, 402000 (S + A = 0x402000)
  cr_assert_eq(error_count(), 0);
}

Test(aarch64, adr_prel_pg_hi21_far_and_backward) {
  World *w = setup(false);
  uint32_t far = SYM(w, "far", TEXT + 0x12345000 + 0x123);
  uint32_t below = SYM(w, "below", 0x400ff0);
  static const uint32_t code[] = {0x90000003, 0x90000011};  // adrp x3, .; adrp x17, .
  Elf64_Rela rels[] = {R(0, far, R_AARCH64_ADR_PREL_PG_HI21, 0), R(4, below, R_AARCH64_ADR_PREL_PG_HI21, 0)};
  apply(w, code, 2, rels, 2);
  ASSERT_INSN(w, 0, 0xb0091a23);  // 401000: adrp x3, 12746000 (+0x12345 pages)
  ASSERT_INSN(w, 4, 0xf0fffff1);  // 401004: adrp x17, 400000 (-1 page)
  cr_assert_eq(error_count(), 0);
}

Test(aarch64, adr_prel_pg_hi21_out_of_range) {
  World *w = setup(false);
  uint32_t far = SYM(w, "beyond_4g", TEXT + 0x100000000ULL);
  static const uint32_t code[] = {0x90000000, 0x90000000};
  Elf64_Rela rels[] = {R(0, far, R_AARCH64_ADR_PREL_PG_HI21, 0), R(4, far, R_AARCH64_ADR_PREL_PG_HI21_NC, 0)};
  ApplyArgs args = {w, rels, 2, code, 2};
  const char *msg = capture_stderr(apply_cb, &args);
  cr_assert_eq(error_count(), 1, "only the checked form is an error: %s", msg);
  cr_assert_not_null(strstr(msg, "relocation R_AARCH64_ADR_PREL_PG_HI21 out of range: 4294967296 is not in "
                                 "[-4294967296, 4294967295]; references 'beyond_4g'"),
                     "message: %s", msg);
}

Test(aarch64, lo12_relocations_scale_by_access_size) {
  World *w = setup(false);
  uint32_t d64 = SYM(w, "d64", 0x4027f8);
  uint32_t d32 = SYM(w, "d32", 0x402ffc);
  uint32_t d16 = SYM(w, "d16", 0x402ffe);
  uint32_t d8 = SYM(w, "d8", 0x402fff);
  uint32_t d128 = SYM(w, "d128", 0x402ff0);
  uint32_t a = SYM(w, "a", 0x402abc);
  // ldr x1, [x2]; ldr w3, [x4]; ldrh w3, [x4]; strb w3, [x4]; ldr q0, [x1]; add x0, x1, #0
  static const uint32_t code[] = {0xf9400041, 0xb9400083, 0x79400083, 0x39000083, 0x3dc00020, 0x91000020};
  Elf64_Rela rels[] = {R(0, d64, R_AARCH64_LDST64_ABS_LO12_NC, 0),  R(4, d32, R_AARCH64_LDST32_ABS_LO12_NC, 0),
                       R(8, d16, R_AARCH64_LDST16_ABS_LO12_NC, 0),  R(12, d8, R_AARCH64_LDST8_ABS_LO12_NC, 0),
                       R(16, d128, R_AARCH64_LDST128_ABS_LO12_NC, 0), R(20, a, R_AARCH64_ADD_ABS_LO12_NC, 0)};
  apply(w, code, 6, rels, 6);
  ASSERT_INSN(w, 0, 0xf943fc41);   // ldr x1, [x2, #2040]
  ASSERT_INSN(w, 4, 0xb94ffc83);   // ldr w3, [x4, #4092]
  ASSERT_INSN(w, 8, 0x795ffc83);   // ldrh w3, [x4, #4094]
  ASSERT_INSN(w, 12, 0x393ffc83);  // strb w3, [x4, #4095]
  ASSERT_INSN(w, 16, 0x3dc3fc20);  // ldr q0, [x1, #4080]
  ASSERT_INSN(w, 20, 0x912af020);  // add x0, x1, #0xabc
  cr_assert_eq(error_count(), 0);
}

Test(aarch64, ldst64_lo12_misaligned_is_an_error) {
  World *w = setup(false);
  uint32_t odd = SYM(w, "odd_data", 0x4027fc);
  static const uint32_t code[] = {0xf9400041};  // ldr x1, [x2, #:lo12:odd_data]
  Elf64_Rela rels[] = {R(0, odd, R_AARCH64_LDST64_ABS_LO12_NC, 0)};
  ApplyArgs args = {w, rels, 1, code, 1};
  const char *msg = capture_stderr(apply_cb, &args);
  cr_assert_eq(error_count(), 1, "message: %s", msg);
  cr_assert_not_null(strstr(msg, "xld: error: t.o:(.text+0x0) in function f:"), "message: %s", msg);
  cr_assert_not_null(strstr(msg, "R_AARCH64_LDST64_ABS_LO12_NC"), "the message names the relocation: %s", msg);
  cr_assert_not_null(strstr(msg, "0x4027fc is not 8-byte aligned"), "message: %s", msg);
  cr_assert_not_null(strstr(msg, "odd_data"), "the message names the symbol: %s", msg);
}

Test(aarch64, movw_sabs_negative_is_movn) {
  World *w = setup(false);
  uint32_t neg = ABS(w, "neg", (uint64_t)-8);
  uint32_t pos = ABS(w, "pos", 0x1234);
  static const uint32_t code[] = {0xd2800000, 0xd2800000};  // movz x0, #0 twice
  Elf64_Rela rels[] = {R(0, neg, R_AARCH64_MOVW_SABS_G0, 0), R(4, pos, R_AARCH64_MOVW_SABS_G0, 0)};
  apply(w, code, 2, rels, 2);
  ASSERT_INSN(w, 0, 0x928000e0);  // movn x0, #7 (x0 = -8)
  ASSERT_INSN(w, 4, 0xd2824680);  // movz x0, #0x1234
  cr_assert_eq(error_count(), 0);
}

// ------------------------------------------------------------ GOT

static const uint32_t got_pair[] = {0x90000008, 0xf9400108};  // adrp x8, .; ldr x8, [x8]

Test(aarch64, adr_got_page_relaxed_to_adrp_add) {
  World *w = setup(false);
  uint32_t foo = SYM(w, "foo", 0x402abc);
  Elf64_Rela rels[] = {R(0, foo, R_AARCH64_ADR_GOT_PAGE, 0), R(4, foo, R_AARCH64_LD64_GOT_LO12_NC, 0)};
  scan(w, got_pair, 2, rels, 2);
  cr_assert_eq(w->syms[foo]->needs, 0, "a relaxed pair needs no GOT slot");
  cr_assert_eq(error_count(), 0);
  apply(w, got_pair, 2, rels, 2);
  ASSERT_INSN(w, 0, 0xb0000008);  // 401000: adrp x8, 402000
  ASSERT_INSN(w, 4, 0x912af108);  // add x8, x8, #0xabc
  cr_assert_eq(error_count(), 0);
}

Test(aarch64, adr_got_page_keeps_got_slot) {
  // An absolute symbol keeps its GOT slot in a PIE (and its value must not
  // move): no relaxation.
  World *w = setup(true);
  uint32_t a = ABS(w, "absolute", 0x1234);
  Elf64_Rela rels[] = {R(0, a, R_AARCH64_ADR_GOT_PAGE, 0), R(4, a, R_AARCH64_LD64_GOT_LO12_NC, 0)};
  scan(w, got_pair, 2, rels, 2);
  cr_assert_eq(w->syms[a]->needs, NEEDS_GOT);
  symbol_aux(w->ctx, w->syms[a])->got_index = 2;  // GOT + 16 = 0x403010
  apply(w, got_pair, 2, rels, 2);
  ASSERT_INSN(w, 0, 0xd0000008);  // 401000: adrp x8, 403000
  ASSERT_INSN(w, 4, 0xf9400908);  // ldr x8, [x8, #16]
  cr_assert_eq(error_count(), 0);
}

Test(aarch64, adr_got_page_not_a_pair) {
  // Another register in the load: not the relaxable pattern.
  World *w = setup(false);
  uint32_t foo = SYM(w, "foo", 0x402abc);
  static const uint32_t code[] = {0x90000008, 0xf9400101};  // adrp x8; ldr x1, [x8]
  Elf64_Rela rels[] = {R(0, foo, R_AARCH64_ADR_GOT_PAGE, 0), R(4, foo, R_AARCH64_LD64_GOT_LO12_NC, 0)};
  scan(w, code, 2, rels, 2);
  cr_assert_eq(w->syms[foo]->needs, NEEDS_GOT);
}

// ------------------------------------------------------------ TLS

Test(aarch64, tlsdesc_relaxed_to_local_exec) {
  World *w = setup(false);
  uint32_t x = TLS(w, "x", TP + 0x12345);
  // adrp x0, :tlsdesc:x; ldr x1, [x0, :tlsdesc_lo12:x]; add x0, x0, :tlsdesc_lo12:x; blr x1
  static const uint32_t code[] = {0x90000000, 0xf9400001, 0x91000000, 0xd63f0020};
  Elf64_Rela rels[] = {R(0, x, R_AARCH64_TLSDESC_ADR_PAGE21, 0), R(4, x, R_AARCH64_TLSDESC_LD64_LO12, 0),
                       R(8, x, R_AARCH64_TLSDESC_ADD_LO12, 0), R(12, x, R_AARCH64_TLSDESC_CALL, 0)};
  scan(w, code, 4, rels, 4);
  cr_assert_eq(w->syms[x]->needs, 0, "relaxed descriptors need no GOT slots");
  apply(w, code, 4, rels, 4);
  ASSERT_INSN(w, 0, 0xd2a00020);   // movz x0, #0x1, lsl #16
  ASSERT_INSN(w, 4, 0xf28468a0);   // movk x0, #0x2345
  ASSERT_INSN(w, 8, 0xd503201f);   // nop
  ASSERT_INSN(w, 12, 0xd503201f);  // nop
  cr_assert_eq(out32(w, 16), 0xcccccccc);
  cr_assert_eq(error_count(), 0);
}

Test(aarch64, tlsie_relaxed_to_movz_movk) {
  World *w = setup(false);
  uint32_t x = TLS(w, "x", TP + 0x12345678);
  // adrp x3, :gottprel:x; ldr x3, [x3, :gottprel_lo12:x]
  static const uint32_t code[] = {0x90000003, 0xf9400063};
  Elf64_Rela rels[] = {R(0, x, R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21, 0),
                       R(4, x, R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC, 0)};
  scan(w, code, 2, rels, 2);
  cr_assert_eq(w->syms[x]->needs, 0);
  apply(w, code, 2, rels, 2);
  ASSERT_INSN(w, 0, 0xd2a24683);  // movz x3, #0x1234, lsl #16
  ASSERT_INSN(w, 4, 0xf28acf03);  // movk x3, #0x5678
  cr_assert_eq(error_count(), 0);
}

Test(aarch64, tlsle_add_hi12_lo12) {
  World *w = setup(false);
  uint32_t x = TLS(w, "x", TP + 0x12abc);
  // add x0, x0, :tprel_hi12:x, lsl #12; add x0, x0, :tprel_lo12_nc:x
  static const uint32_t code[] = {0x91400000, 0x91000000};
  Elf64_Rela rels[] = {R(0, x, R_AARCH64_TLSLE_ADD_TPREL_HI12, 0), R(4, x, R_AARCH64_TLSLE_ADD_TPREL_LO12_NC, 0)};
  apply(w, code, 2, rels, 2);
  ASSERT_INSN(w, 0, 0x91404800);  // add x0, x0, #0x12, lsl #12
  ASSERT_INSN(w, 4, 0x912af000);  // add x0, x0, #0xabc
  cr_assert_eq(error_count(), 0);
}

// ------------------------------------------------------------ static-pie

Test(aarch64, static_pie_abs64_writes_relative) {
  World *w = setup(true);
  uint32_t foo = SYM(w, "foo", FOO);
  uint32_t a = ABS(w, "absolute", 0x1234);
  w->t.dynrel = w->dynrel;
  Elf64_Rela rels[] = {R(0, foo, R_AARCH64_ABS64, 8), R(8, a, R_AARCH64_ABS64, 0), R(16, foo, R_AARCH64_ABS64, -8)};
  scan(w, NULL, 0, rels, 3);
  cr_assert_eq(w->isec.num_dynrel, 2, "the scan counts one RELATIVE per non-absolute word");
  apply(w, NULL, 0, rels, 3);
  cr_assert_eq(w->t.dynrel, w->dynrel + 2, "one RELATIVE per non-absolute word");
  cr_assert_eq(w->dynrel[0].r_offset, TEXT);
  cr_assert_eq(ELF64_R_TYPE(w->dynrel[0].r_info), R_AARCH64_RELATIVE);
  cr_assert_eq(ELF64_R_SYM(w->dynrel[0].r_info), 0);
  cr_assert_eq(w->dynrel[0].r_addend, (int64_t)(FOO + 8));
  cr_assert_eq(w->dynrel[1].r_offset, TEXT + 16);
  cr_assert_eq(ELF64_R_TYPE(w->dynrel[1].r_info), R_AARCH64_RELATIVE);
  cr_assert_eq(w->dynrel[1].r_addend, (int64_t)(FOO - 8));
  cr_assert_eq(out64(w, 0), FOO + 8);
  cr_assert_eq(out64(w, 8), 0x1234);
  cr_assert_eq(out64(w, 16), FOO - 8);
  cr_assert_eq(error_count(), 0);
}

Test(aarch64, non_pie_abs64_writes_no_relative) {
  World *w = setup(false);
  uint32_t foo = SYM(w, "foo", FOO);
  w->t.dynrel = w->dynrel;
  Elf64_Rela rels[] = {R(0, foo, R_AARCH64_ABS64, 0)};
  apply(w, NULL, 0, rels, 1);
  cr_assert_eq(w->t.dynrel, w->dynrel);
  cr_assert_eq(out64(w, 0), FOO);
}

Test(aarch64, static_pie_rejects_absolute_movw) {
  World *w = setup(true);
  uint32_t foo = SYM(w, "foo", FOO);
  static const uint32_t code[] = {0xd2800000};
  Elf64_Rela rels[] = {R(0, foo, R_AARCH64_MOVW_UABS_G0_NC, 0)};
  ApplyArgs args = {w, rels, 1, code, 1};
  const char *msg = capture_stderr(scan_cb, &args);
  cr_assert_eq(error_count(), 1);
  cr_assert_not_null(strstr(msg, "R_AARCH64_MOVW_UABS_G0_NC cannot be used in a position-independent executable"),
                     "message: %s", msg);
}
