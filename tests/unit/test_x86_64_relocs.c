// x86-64 relocations (arch/x86_64.c through the Arch interface): the bytes
// each relocation writes, overflow checks and their messages, GOT and TLS
// relaxations, the relocation scan's decisions, and static-pie RELATIVE
// relocations.
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fake_link.h"


// TLS symbols sit below the thread pointer (variant 2).
static World *setup(bool pie) {
  World *w = world(EM_X86_64, "x86_64", pie, TP - 0x100);
  add_func_f(w);
  return w;
}

// Copies CODE into the input and output, then applies RELS.
static void apply(World *w, const void *code, size_t len, const Elf64_Rela *rels, size_t n) {
  cr_assert_leq(len, sizeof w->in);
  memset(w->in, 0xcc, sizeof w->in);
  memcpy(w->in, code, len);
  memcpy(w->out, w->in, sizeof w->in);
  w->isec.rels = rels;
  w->isec.nrels = (uint32_t)n;
  w->ctx->arch->apply_relocs(w->ctx, &w->t, rels, rels + n);
}

static void scan(World *w, const void *code, size_t len, const Elf64_Rela *rels, size_t n) {
  cr_assert_leq(len, sizeof w->in);
  memset(w->in, 0xcc, sizeof w->in);
  memcpy(w->in, code, len);
  w->isec.rels = rels;
  w->isec.nrels = (uint32_t)n;
  w->ctx->arch->scan_relocs(w->ctx, &w->isec);
}

#define ASSERT_BYTES(w, off, ...)                                                             \
  do {                                                                                        \
    const uint8_t want_[] = {__VA_ARGS__};                                                    \
    for (size_t k_ = 0; k_ < sizeof want_; k_++)                                              \
      cr_assert_eq((w)->out[(off) + k_], want_[k_], "byte %zu: 0x%02x, want 0x%02x",          \
                   (size_t)(off) + k_, (w)->out[(off) + k_], want_[k_]);                      \
  } while (0)

static uint32_t out32(World *w, size_t off) { return rd32(w->out + off); }
static uint64_t out64(World *w, size_t off) { return rd64(w->out + off); }

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

// ------------------------------------------------------------ absolute

Test(x86_64, arch_interface) {
  const Arch *a = arch_by_machine(EM_X86_64);
  cr_assert_not_null(a);
  cr_assert_eq(a->machine, EM_X86_64);
  cr_assert_eq(a->r_relative, R_X86_64_RELATIVE);
  cr_assert_eq(a->r_irelative, R_X86_64_IRELATIVE);
  cr_assert_not(a->tls_variant1);
  cr_assert_eq(arch_by_emulation("elf_x86_64"), a);
  cr_assert_null(arch_by_machine(EM_386));
  cr_assert_str_eq(a->reloc_name(R_X86_64_PC32), "R_X86_64_PC32");
  cr_assert_str_eq(a->reloc_name(R_X86_64_REX_GOTPCRELX), "R_X86_64_REX_GOTPCRELX");
  cr_assert_str_eq(a->reloc_name(R_X86_64_GOTPC32_TLSDESC), "R_X86_64_GOTPC32_TLSDESC");
  cr_assert_str_eq(a->reloc_name(1000), "unknown (1000)");
}

Test(x86_64, abs64) {
  World *w = setup(false);
  uint32_t foo = SYM(w, "foo", FOO);
  Elf64_Rela rels[] = {R(0, foo, R_X86_64_64, 0x10), R(8, foo, R_X86_64_64, -0x2000), R(16, foo, R_X86_64_64, 0)};
  apply(w, "", 0, rels, 3);
  cr_assert_eq(out64(w, 0), FOO + 0x10);
  cr_assert_eq(out64(w, 8), FOO - 0x2000);
  cr_assert_eq(out64(w, 16), FOO);
  cr_assert_eq(out32(w, 24), 0xcccccccc, "nothing written past the fields");
  cr_assert_eq(error_count(), 0);
}

Test(x86_64, none_is_ignored) {
  World *w = setup(false);
  uint32_t foo = SYM(w, "foo", FOO);
  Elf64_Rela rels[] = {R(0, foo, R_X86_64_NONE, 0x10)};
  apply(w, "", 0, rels, 1);
  cr_assert_eq(out64(w, 0), 0xccccccccccccccccULL);
}

Test(x86_64, abs32_and_32s) {
  World *w = setup(false);
  uint32_t foo = SYM(w, "foo", FOO);
  uint32_t neg = ABS(w, "neg", (uint64_t)-8);
  uint32_t top = ABS(w, "top", 0xffffffffULL);
  Elf64_Rela rels[] = {
      R(0, foo, R_X86_64_32, 4), R(4, foo, R_X86_64_32S, -4), R(8, neg, R_X86_64_32S, 0),
      R(12, top, R_X86_64_32, 0),  // the largest value that fits
      R(16, neg, R_X86_64_32S, -(0x80000000LL - 8)),  // INT32_MIN exactly
  };
  apply(w, "", 0, rels, ARRAY_SIZE(rels));
  cr_assert_eq(out32(w, 0), FOO + 4);
  cr_assert_eq(out32(w, 4), FOO - 4);
  cr_assert_eq(out32(w, 8), 0xfffffff8);
  cr_assert_eq(out32(w, 12), 0xffffffff);
  cr_assert_eq(out32(w, 16), 0x80000000);
  cr_assert_eq(error_count(), 0);
}

typedef struct {
  World *w;
  Elf64_Rela *rels;
  size_t n;
  const void *code;
  size_t len;
} ApplyArgs;
static void apply_cb(void *p) {
  ApplyArgs *a = p;
  apply(a->w, a->code ? a->code : "", a->len, a->rels, a->n);
}

Test(x86_64, abs32_overflow) {
  World *w = setup(false);
  uint32_t big = ABS(w, "big", 0x100000000ULL);
  uint32_t neg = ABS(w, "neg", (uint64_t)-8);
  Elf64_Rela rels[] = {R(0, big, R_X86_64_32, 0), R(4, neg, R_X86_64_32, 0)};
  ApplyArgs args = {w, rels, 2, NULL, 0};
  const char *msg = capture_stderr(apply_cb, &args);
  cr_assert_eq(error_count(), 2, "both overflow");
  cr_assert_not_null(strstr(msg, "xld: error: t.o:(.text+0x0) in function f: relocation R_X86_64_32 out of range: "
                                 "4294967296 is not in [0, 4294967295]; references 'big'"),
                     "message: %s", msg);
  cr_assert_not_null(strstr(msg, "t.o:(.text+0x4) in function f: relocation R_X86_64_32 out of range: -8 is not in"),
                     "message: %s", msg);
}

Test(x86_64, abs32s_overflow) {
  World *w = setup(false);
  uint32_t s = ABS(w, "s", 0x80000000ULL);
  uint32_t lo = ABS(w, "lo", (uint64_t)INT32_MIN);
  Elf64_Rela rels[] = {R(0, s, R_X86_64_32S, 0), R(4, lo, R_X86_64_32S, -1), R(8, s, R_X86_64_32S, -1)};
  ApplyArgs args = {w, rels, 3, NULL, 0};
  const char *msg = capture_stderr(apply_cb, &args);
  cr_assert_eq(error_count(), 2);
  cr_assert_not_null(strstr(msg, "relocation R_X86_64_32S out of range: 2147483648 is not in [-2147483648, "
                                 "2147483647]; references 's'"),
                     "message: %s", msg);
  cr_assert_not_null(strstr(msg, "(.text+0x4)"), "message: %s", msg);
  cr_assert_null(strstr(msg, "(.text+0x8)"), "0x7fffffff fits: %s", msg);
  cr_assert_eq(out32(w, 8), 0x7fffffff);
}

Test(x86_64, abs16_and_8) {
  World *w = setup(false);
  uint32_t v = ABS(w, "v", 0xffff);
  uint32_t b = ABS(w, "b", 0x80);
  Elf64_Rela rels[] = {R(0, v, R_X86_64_16, 0), R(2, b, R_X86_64_8, 0x7f), R(3, v, R_X86_64_16, 1),
                       R(5, b, R_X86_64_8, 0x80)};
  apply(w, "", 0, rels, 4);
  cr_assert_eq(rd16(w->out), 0xffff);
  cr_assert_eq(w->out[2], 0xff);
  cr_assert_eq(error_count(), 2, "0x10000 and 0x100 overflow");
}

Test(x86_64, size32_and_size64) {
  World *w = setup(false);
  uint32_t foo = SYM(w, "foo", FOO);
  w->syms[foo]->size = 0x40;
  Elf64_Rela rels[] = {R(0, foo, R_X86_64_SIZE64, 8), R(8, foo, R_X86_64_SIZE32, -0x10), R(12, foo, R_X86_64_SIZE64, 0)};
  apply(w, "", 0, rels, 3);
  cr_assert_eq(out64(w, 0), 0x48);
  cr_assert_eq(out32(w, 8), 0x30);
  cr_assert_eq(out64(w, 12), 0x40);
}

// ------------------------------------------------------------ PC-relative

Test(x86_64, pc32_and_plt32) {
  World *w = setup(false);
  uint32_t foo = SYM(w, "foo", FOO);
  uint32_t back = SYM(w, "back", 0x400000);
  // call foo; call foo@PLT; lea back(%rip),%rax
  static const uint8_t code[] = {0xe8, 0, 0, 0, 0, 0xe8, 0, 0, 0, 0, 0x48, 0x8d, 0x05, 0, 0, 0, 0};
  Elf64_Rela rels[] = {R(1, foo, R_X86_64_PC32, -4), R(6, foo, R_X86_64_PLT32, -4), R(13, back, R_X86_64_PC32, -4)};
  apply(w, code, sizeof code, rels, 3);
  cr_assert_eq(out32(w, 1), (uint32_t)(FOO - 4 - (TEXT + 1)));
  cr_assert_eq(out32(w, 1), 0xffb);
  cr_assert_eq(out32(w, 6), (uint32_t)(FOO - 4 - (TEXT + 6)));
  cr_assert_eq(out32(w, 13), (uint32_t)(0x400000 - 4 - (TEXT + 13)));
  cr_assert_eq(out32(w, 13), 0xffffefef);
  ASSERT_BYTES(w, 0, 0xe8);
  ASSERT_BYTES(w, 5, 0xe8);
  ASSERT_BYTES(w, 10, 0x48, 0x8d, 0x05);
  cr_assert_eq(error_count(), 0);
}

Test(x86_64, pc32_overflow) {
  World *w = setup(false);
  uint32_t far = SYM(w, "far_away", TEXT + 0x80000000ULL + 4);
  uint32_t edge = SYM(w, "edge", TEXT + 0x7fffffffULL + 8);
  Elf64_Rela rels[] = {R(0, far, R_X86_64_PC32, -4), R(4, edge, R_X86_64_PLT32, -4)};
  ApplyArgs args = {w, rels, 2, NULL, 0};
  const char *msg = capture_stderr(apply_cb, &args);
  cr_assert_eq(error_count(), 1);
  cr_assert_not_null(strstr(msg, "relocation R_X86_64_PC32 out of range: 2147483648"), "message: %s", msg);
  cr_assert_not_null(strstr(msg, "references 'far_away'"), "message: %s", msg);
  cr_assert_eq(out32(w, 4), 0x7fffffff);
}

Test(x86_64, pc64_pc16_pc8) {
  World *w = setup(false);
  uint32_t foo = SYM(w, "foo", FOO);
  uint32_t near = SYM(w, "near", TEXT + 0x90);
  Elf64_Rela rels[] = {R(0, foo, R_X86_64_PC64, 0), R(8, near, R_X86_64_PC8, -9), R(9, near, R_X86_64_PC16, 0),
                       R(11, foo, R_X86_64_PC8, 0), R(12, near, R_X86_64_PC16, 0x10000)};
  apply(w, "", 0, rels, 5);
  cr_assert_eq(out64(w, 0), FOO - TEXT);
  cr_assert_eq(w->out[8], 0x7f, "0x90 - 9 - 8 = 127 fits");
  cr_assert_eq(rd16(w->out + 9), 0x87);
  cr_assert_eq(error_count(), 2, "PC8 of 0xff5 and PC16 of 0x10084 overflow");
}

// ------------------------------------------------------------ GOT

Test(x86_64, gotpcrelx_mov_relaxed_to_lea) {
  World *w = setup(false);
  uint32_t foo = SYM(w, "foo", FOO);
  // mov foo@GOTPCREL(%rip),%rax; mov foo@GOTPCREL(%rip),%r12; movl foo@GOTPCREL(%rip),%eax
  static const uint8_t code[] = {0x48, 0x8b, 0x05, 0, 0, 0, 0, 0x4c, 0x8b, 0x25, 0, 0, 0, 0, 0x8b, 0x05, 0, 0, 0, 0};
  Elf64_Rela rels[] = {R(3, foo, R_X86_64_REX_GOTPCRELX, -4), R(10, foo, R_X86_64_REX_GOTPCRELX, -4),
                       R(16, foo, R_X86_64_GOTPCRELX, -4)};
  apply(w, code, sizeof code, rels, 3);
  ASSERT_BYTES(w, 0, 0x48, 0x8d, 0x05);
  cr_assert_eq(out32(w, 3), (uint32_t)(FOO - 4 - (TEXT + 3)));
  cr_assert_eq(out32(w, 3), 0xff9);
  ASSERT_BYTES(w, 7, 0x4c, 0x8d, 0x25);
  cr_assert_eq(out32(w, 10), (uint32_t)(FOO - 4 - (TEXT + 10)));
  ASSERT_BYTES(w, 14, 0x8d, 0x05);
  cr_assert_eq(out32(w, 16), (uint32_t)(FOO - 4 - (TEXT + 16)));
  cr_assert_eq(error_count(), 0);
}

Test(x86_64, gotpcrelx_call_and_jmp_relaxed) {
  World *w = setup(false);
  uint32_t foo = SYM(w, "foo", FOO);
  // call *foo@GOTPCREL(%rip); jmp *foo@GOTPCREL(%rip)
  static const uint8_t code[] = {0xff, 0x15, 0, 0, 0, 0, 0xff, 0x25, 0, 0, 0, 0};
  Elf64_Rela rels[] = {R(2, foo, R_X86_64_GOTPCRELX, -4), R(8, foo, R_X86_64_GOTPCRELX, -4)};
  apply(w, code, sizeof code, rels, 2);
  // addr32 call foo
  ASSERT_BYTES(w, 0, 0x67, 0xe8);
  cr_assert_eq(out32(w, 2), (uint32_t)(FOO - 4 - (TEXT + 2)));
  // The call ends at TEXT+6 and lands on foo.
  cr_assert_eq(TEXT + 6 + (int32_t)out32(w, 2), FOO);
  // jmp foo; nop
  ASSERT_BYTES(w, 6, 0xe9);
  ASSERT_BYTES(w, 11, 0x90);
  cr_assert_eq(TEXT + 11 + (int32_t)out32(w, 7), FOO, "the 5-byte jmp at TEXT+6 lands on foo");
}

Test(x86_64, gotpcrelx_uses_got_slot_when_symbol_has_one) {
  World *w = setup(false);
  uint32_t foo = SYM(w, "foo", FOO);
  symbol_aux(w->ctx, w->syms[foo])->got_index = 2;
  static const uint8_t code[] = {0x48, 0x8b, 0x05, 0, 0, 0, 0, 0xff, 0x15, 0, 0, 0, 0};
  Elf64_Rela rels[] = {R(3, foo, R_X86_64_REX_GOTPCRELX, -4), R(9, foo, R_X86_64_GOTPCRELX, -4)};
  apply(w, code, sizeof code, rels, 2);
  ASSERT_BYTES(w, 0, 0x48, 0x8b, 0x05);  // still a load
  cr_assert_eq(out32(w, 3), (uint32_t)(GOT + 16 - 4 - (TEXT + 3)));
  ASSERT_BYTES(w, 7, 0xff, 0x15);
  cr_assert_eq(out32(w, 9), (uint32_t)(GOT + 16 - 4 - (TEXT + 9)));
}

Test(x86_64, gotpcrel_plain_and_64) {
  World *w = setup(false);
  uint32_t foo = SYM(w, "foo", FOO);
  symbol_aux(w->ctx, w->syms[foo])->got_index = 5;
  static const uint8_t code[] = {0x48, 0x8b, 0x05, 0, 0, 0, 0};
  Elf64_Rela rels[] = {R(3, foo, R_X86_64_GOTPCREL, -4), R(8, foo, R_X86_64_GOTPCREL64, 0),
                       R(16, foo, R_X86_64_GOT64, 0), R(24, foo, R_X86_64_GOTOFF64, 0),
                       R(32, foo, R_X86_64_GOTPC32, 0), R(36, foo, R_X86_64_GOTPC64, 0)};
  apply(w, code, sizeof code, rels, ARRAY_SIZE(rels));
  ASSERT_BYTES(w, 0, 0x48, 0x8b, 0x05);  // GOTPCREL is never relaxed
  cr_assert_eq(out32(w, 3), (uint32_t)(GOT + 40 - 4 - (TEXT + 3)));
  cr_assert_eq(out64(w, 8), GOT + 40 - (TEXT + 8));
  // Without a .got.plt section the GOT base is .got.
  cr_assert_eq(out64(w, 16), 40);
  cr_assert_eq(out64(w, 24), FOO - GOT);
  cr_assert_eq(out32(w, 32), (uint32_t)(GOT - (TEXT + 32)));
  cr_assert_eq(out64(w, 36), GOT - (TEXT + 36));
}

Test(x86_64, got_base_is_gotplt_when_it_is_output) {
  World *w = setup(false);
  uint32_t foo = SYM(w, "foo", FOO);
  w->ctx->gotplt->shndx = 7;
  Elf64_Rela rels[] = {R(0, foo, R_X86_64_GOTOFF64, 0), R(8, foo, R_X86_64_GOTPC32, 0)};
  apply(w, "", 0, rels, 2);
  cr_assert_eq(out64(w, 0), FOO - (GOT + 0x800));
  cr_assert_eq(out32(w, 8), (uint32_t)(GOT + 0x800 - (TEXT + 8)));
}

// ------------------------------------------------------------ TLS

Test(x86_64, tpoff32_and_64) {
  World *w = setup(false);
  uint32_t x = TLS(w, "x", TP - 0x10);
  // mov %fs:x@tpoff,%eax is 64 8b 04 25 <tpoff32>
  static const uint8_t code[] = {0x64, 0x8b, 0x04, 0x25, 0, 0, 0, 0};
  Elf64_Rela rels[] = {R(4, x, R_X86_64_TPOFF32, 0), R(8, x, R_X86_64_TPOFF32, 4), R(16, x, R_X86_64_TPOFF64, 0)};
  apply(w, code, sizeof code, rels, 3);
  ASSERT_BYTES(w, 0, 0x64, 0x8b, 0x04, 0x25);
  cr_assert_eq(out32(w, 4), 0xfffffff0);
  cr_assert_eq(out32(w, 8), 0xfffffff4);
  cr_assert_eq(out64(w, 16), (uint64_t)-0x10);
}

Test(x86_64, gottpoff_mov_relaxed_to_mov_imm) {
  World *w = setup(false);
  uint32_t x = TLS(w, "x", TP - 0x20);
  // mov x@gottpoff(%rip),%rax; mov x@gottpoff(%rip),%r12; mov x@gottpoff(%rip),%rcx
  static const uint8_t code[] = {0x48, 0x8b, 0x05, 0, 0, 0, 0, 0x4c, 0x8b, 0x25, 0, 0, 0, 0,
                                 0x48, 0x8b, 0x0d, 0, 0, 0, 0};
  Elf64_Rela rels[] = {R(3, x, R_X86_64_GOTTPOFF, -4), R(10, x, R_X86_64_GOTTPOFF, -4),
                       R(17, x, R_X86_64_GOTTPOFF, -4)};
  apply(w, code, sizeof code, rels, 3);
  ASSERT_BYTES(w, 0, 0x48, 0xc7, 0xc0, 0xe0, 0xff, 0xff, 0xff);  // mov $-0x20,%rax
  ASSERT_BYTES(w, 7, 0x49, 0xc7, 0xc4, 0xe0, 0xff, 0xff, 0xff);  // mov $-0x20,%r12
  ASSERT_BYTES(w, 14, 0x48, 0xc7, 0xc1, 0xe0, 0xff, 0xff, 0xff); // mov $-0x20,%rcx
  cr_assert_eq(error_count(), 0);
}

Test(x86_64, gottpoff_add_relaxed_to_add_imm) {
  World *w = setup(false);
  uint32_t x = TLS(w, "x", TP - 0x20);
  // add x@gottpoff(%rip),%rax; add x@gottpoff(%rip),%r12
  static const uint8_t code[] = {0x48, 0x03, 0x05, 0, 0, 0, 0, 0x4c, 0x03, 0x25, 0, 0, 0, 0};
  Elf64_Rela rels[] = {R(3, x, R_X86_64_GOTTPOFF, -4), R(10, x, R_X86_64_GOTTPOFF, -4)};
  apply(w, code, sizeof code, rels, 2);
  ASSERT_BYTES(w, 0, 0x48, 0x81, 0xc0, 0xe0, 0xff, 0xff, 0xff);
  ASSERT_BYTES(w, 7, 0x49, 0x81, 0xc4, 0xe0, 0xff, 0xff, 0xff);
}

Test(x86_64, gottpoff_with_got_slot) {
  World *w = setup(false);
  uint32_t x = TLS(w, "x", TP - 0x20);
  symbol_aux(w->ctx, w->syms[x])->gottp_index = 3;
  static const uint8_t code[] = {0x48, 0x8b, 0x05, 0, 0, 0, 0};
  Elf64_Rela rels[] = {R(3, x, R_X86_64_GOTTPOFF, -4)};
  apply(w, code, sizeof code, rels, 1);
  ASSERT_BYTES(w, 0, 0x48, 0x8b, 0x05);
  cr_assert_eq(out32(w, 3), (uint32_t)(GOT + 24 - 4 - (TEXT + 3)));
}

static const uint8_t tlsgd_seq[16] = {
    0x66, 0x48, 0x8d, 0x3d, 0, 0, 0, 0,  // data16 lea x@tlsgd(%rip),%rdi
    0x66, 0x66, 0x48, 0xe8, 0, 0, 0, 0,  // data16 data16 rex64 call __tls_get_addr@PLT
};

Test(x86_64, tlsgd_relaxed_to_local_exec) {
  World *w = setup(false);
  uint32_t x = TLS(w, "x", TP - 0x30);
  uint32_t tga = SYM(w, "__tls_get_addr", 0x409000);
  Elf64_Rela rels[] = {R(4, x, R_X86_64_TLSGD, -4), R(12, tga, R_X86_64_PLT32, -4)};
  apply(w, tlsgd_seq, sizeof tlsgd_seq, rels, 2);
  // mov %fs:0,%rax; lea x@tpoff(%rax),%rax
  ASSERT_BYTES(w, 0, 0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0, 0x48, 0x8d, 0x80, 0xd0, 0xff, 0xff, 0xff);
  cr_assert_eq(w->out[16], 0xcc, "nothing past the sequence");
  cr_assert_eq(error_count(), 0);
}

Test(x86_64, tlsgd_with_got_slot_keeps_the_call) {
  World *w = setup(false);
  uint32_t x = TLS(w, "x", TP - 0x30);
  uint32_t tga = SYM(w, "__tls_get_addr", 0x409000);
  symbol_aux(w->ctx, w->syms[x])->tlsgd_index = 4;
  Elf64_Rela rels[] = {R(4, x, R_X86_64_TLSGD, -4), R(12, tga, R_X86_64_PLT32, -4)};
  apply(w, tlsgd_seq, sizeof tlsgd_seq, rels, 2);
  ASSERT_BYTES(w, 0, 0x66, 0x48, 0x8d, 0x3d);
  cr_assert_eq(out32(w, 4), (uint32_t)(GOT + 32 - 4 - (TEXT + 4)));
  ASSERT_BYTES(w, 8, 0x66, 0x66, 0x48, 0xe8);
  cr_assert_eq(out32(w, 12), (uint32_t)(0x409000 - 4 - (TEXT + 12)));
}

Test(x86_64, tlsld_relaxed) {
  World *w = setup(false);
  uint32_t x = TLS(w, "x", TP - 0x40);
  uint32_t tga = SYM(w, "__tls_get_addr", 0x409000);
  // lea x@tlsld(%rip),%rdi; call __tls_get_addr@PLT; lea x@dtpoff(%rax),%rcx
  static const uint8_t code[] = {0x48, 0x8d, 0x3d, 0, 0, 0, 0, 0xe8, 0, 0, 0, 0, 0x48, 0x8d, 0x88, 0, 0, 0, 0};
  Elf64_Rela rels[] = {R(3, x, R_X86_64_TLSLD, -4), R(8, tga, R_X86_64_PLT32, -4), R(15, x, R_X86_64_DTPOFF32, 0)};
  apply(w, code, sizeof code, rels, 3);
  ASSERT_BYTES(w, 0, 0x66, 0x66, 0x66, 0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0);
  ASSERT_BYTES(w, 12, 0x48, 0x8d, 0x88, 0xc0, 0xff, 0xff, 0xff);
}

Test(x86_64, tlsdesc_relaxed_to_local_exec) {
  World *w = setup(false);
  uint32_t x = TLS(w, "x", TP - 0x40);
  // lea x@tlsdesc(%rip),%rax; call *x@tlscall(%rax)
  static const uint8_t code[] = {0x48, 0x8d, 0x05, 0, 0, 0, 0, 0xff, 0x10,
                                 // and with %r12 as the descriptor register
                                 0x4c, 0x8d, 0x25, 0, 0, 0, 0};
  Elf64_Rela rels[] = {R(3, x, R_X86_64_GOTPC32_TLSDESC, -4), R(7, x, R_X86_64_TLSDESC_CALL, 0),
                       R(12, x, R_X86_64_GOTPC32_TLSDESC, -4)};
  apply(w, code, sizeof code, rels, 3);
  ASSERT_BYTES(w, 0, 0x48, 0xc7, 0xc0, 0xc0, 0xff, 0xff, 0xff);  // mov $-0x40,%rax
  ASSERT_BYTES(w, 7, 0x66, 0x90);                                // xchg %ax,%ax
  ASSERT_BYTES(w, 9, 0x49, 0xc7, 0xc4, 0xc0, 0xff, 0xff, 0xff);  // mov $-0x40,%r12
  cr_assert_eq(error_count(), 0);
}

Test(x86_64, tlsdesc_unknown_sequence_is_an_error) {
  World *w = setup(false);
  uint32_t x = TLS(w, "x", TP - 0x40);
  static const uint8_t code[] = {0x48, 0x8b, 0x05, 0, 0, 0, 0};  // a mov, not a lea
  Elf64_Rela rels[] = {R(3, x, R_X86_64_GOTPC32_TLSDESC, -4)};
  ApplyArgs args = {w, rels, 1, code, sizeof code};
  const char *msg = capture_stderr(apply_cb, &args);
  cr_assert_eq(error_count(), 1);
  ASSERT_BYTES(w, 0, 0x48, 0x8b, 0x05, 0, 0, 0, 0);  // left as it was
  cr_assert_not_null(strstr(msg, "unsupported TLS descriptor code sequence against x"), "message: %s", msg);
}

// ------------------------------------------------------------ static-pie

Test(x86_64, static_pie_abs64_writes_relative) {
  World *w = setup(true);
  uint32_t foo = SYM(w, "foo", FOO);
  uint32_t a = ABS(w, "absolute", 0x1234);
  w->t.dynrel = w->dynrel;
  Elf64_Rela rels[] = {R(0, foo, R_X86_64_64, 8), R(8, a, R_X86_64_64, 0), R(16, foo, R_X86_64_64, -8)};
  apply(w, "", 0, rels, 3);
  cr_assert_eq(w->t.dynrel, w->dynrel + 2, "one RELATIVE per non-absolute word");
  cr_assert_eq(w->dynrel[0].r_offset, TEXT);
  cr_assert_eq(ELF64_R_TYPE(w->dynrel[0].r_info), R_X86_64_RELATIVE);
  cr_assert_eq(ELF64_R_SYM(w->dynrel[0].r_info), 0);
  cr_assert_eq(w->dynrel[0].r_addend, (int64_t)(FOO + 8));
  cr_assert_eq(w->dynrel[1].r_offset, TEXT + 16);
  cr_assert_eq(w->dynrel[1].r_addend, (int64_t)(FOO - 8));
  // The words hold the link-time values too.
  cr_assert_eq(out64(w, 0), FOO + 8);
  cr_assert_eq(out64(w, 8), 0x1234);
  cr_assert_eq(out64(w, 16), FOO - 8);
}

Test(x86_64, non_pie_abs64_writes_no_relative) {
  World *w = setup(false);
  uint32_t foo = SYM(w, "foo", FOO);
  w->t.dynrel = w->dynrel;
  Elf64_Rela rels[] = {R(0, foo, R_X86_64_64, 0)};
  apply(w, "", 0, rels, 1);
  cr_assert_eq(w->t.dynrel, w->dynrel);
  cr_assert_eq(out64(w, 0), FOO);
}

// ------------------------------------------------------------ scan

Test(x86_64, scan_counts_relative_relocs_in_pie) {
  World *w = setup(true);
  uint32_t foo = SYM(w, "foo", FOO);
  uint32_t a = ABS(w, "absolute", 0x1234);
  Elf64_Rela rels[] = {R(0, foo, R_X86_64_64, 0), R(8, a, R_X86_64_64, 0), R(16, foo, R_X86_64_64, 0),
                       R(24, foo, R_X86_64_PC32, 0)};
  scan(w, "", 0, rels, 4);
  cr_assert_eq(w->isec.num_dynrel, 2);
  cr_assert_eq(error_count(), 0);
  World *n = setup(false);
  foo = SYM(n, "foo", FOO);
  Elf64_Rela r2[] = {R(0, foo, R_X86_64_64, 0)};
  scan(n, "", 0, r2, 1);
  cr_assert_eq(n->isec.num_dynrel, 0);
}

Test(x86_64, scan_rejects_abs32_in_pie) {
  World *w = setup(true);
  uint32_t foo = SYM(w, "foo", FOO);
  uint32_t a = ABS(w, "absolute", 0x1234);
  Elf64_Rela rels[] = {R(0, foo, R_X86_64_32S, 0), R(4, a, R_X86_64_32, 0)};
  scan(w, "", 0, rels, 2);
  cr_assert_eq(error_count(), 1, "only the non-absolute reference is an error");
}

Test(x86_64, scan_got_decisions) {
  World *w = setup(false);
  uint32_t foo = SYM(w, "foo", FOO);
  uint32_t a = ABS(w, "absolute", 0x1234);
  uint32_t g = SYM(w, "plain", FOO + 8);
  uint32_t t = SYM(w, "test_form", FOO + 16);
  // 0: mov foo@GOTPCREL(%rip),%rax (relaxable)
  // 7: mov absolute@GOTPCREL(%rip),%rax (absolute: keeps its GOT slot)
  // 14: mov plain@GOTPCREL(%rip),%rax with a plain GOTPCREL
  // 21: test %rax,test_form@GOTPCREL(%rip): not a relaxable form here
  static const uint8_t code[] = {0x48, 0x8b, 0x05, 0, 0, 0, 0, 0x48, 0x8b, 0x05, 0, 0, 0, 0,
                                 0x48, 0x8b, 0x05, 0, 0, 0, 0, 0x48, 0x85, 0x05, 0, 0, 0, 0};
  Elf64_Rela rels[] = {R(3, foo, R_X86_64_REX_GOTPCRELX, -4), R(10, a, R_X86_64_REX_GOTPCRELX, -4),
                       R(17, g, R_X86_64_GOTPCREL, -4), R(24, t, R_X86_64_REX_GOTPCRELX, -4)};
  scan(w, code, sizeof code, rels, 4);
  cr_assert_eq(w->syms[foo]->needs, 0);
  cr_assert_eq(w->syms[a]->needs, NEEDS_GOT);
  cr_assert_eq(w->syms[g]->needs, NEEDS_GOT);
  cr_assert_eq(w->syms[t]->needs, NEEDS_GOT);
  cr_assert_eq(error_count(), 0);
}

Test(x86_64, scan_tls_decisions) {
  World *w = setup(false);
  uint32_t x = TLS(w, "x", TP - 0x10);
  uint32_t y = TLS(w, "y", TP - 0x20);
  uint32_t z = TLS(w, "z", TP - 0x30);
  uint32_t tga = SYM(w, "__tls_get_addr", 0x409000);
  uint8_t code[48];
  memset(code, 0x90, sizeof code);
  memcpy(code, tlsgd_seq, 16);                        // 0: relaxable GD sequence for x
  memcpy(code + 16, "\x48\x8b\x05\0\0\0\0", 7);       // 16: mov y@gottpoff(%rip),%rax
  memcpy(code + 23, "\x48\x8d\x05\0\0\0\0", 7);       // 23: lea: not a GOTTPOFF form
  memcpy(code + 30, "\x66\x48\x8d\x3d\0\0\0\0", 8);   // 30: GD for z without its call
  Elf64_Rela rels[] = {R(4, x, R_X86_64_TLSGD, -4),      R(12, tga, R_X86_64_PLT32, -4),
                       R(19, y, R_X86_64_GOTTPOFF, -4),  R(26, z, R_X86_64_GOTTPOFF, -4),
                       R(34, z, R_X86_64_TLSGD, -4)};
  scan(w, code, sizeof code, rels, ARRAY_SIZE(rels));
  cr_assert_eq(w->syms[x]->needs, 0, "relaxed GD needs nothing");
  cr_assert_eq(w->syms[tga]->needs, 0);
  cr_assert_eq(w->syms[y]->needs, 0, "relaxed IE needs nothing");
  cr_assert_eq(w->syms[z]->needs, NEEDS_GOTTP | NEEDS_TLSGD);
  cr_assert_eq(error_count(), 0);
}

Test(x86_64, scan_ifunc_needs_iplt) {
  World *w = setup(false);
  uint32_t fn = add_sym(w, "resolver_fn", FOO, true, STT_GNU_IFUNC);
  Elf64_Rela rels[] = {R(1, fn, R_X86_64_PLT32, -4)};
  scan(w, "\xe8\0\0\0\0", 5, rels, 1);
  cr_assert_eq(w->syms[fn]->needs, NEEDS_IPLT);
}

Test(x86_64, scan_rejects_unsupported_relocations) {
  World *w = setup(false);
  uint32_t foo = SYM(w, "foo", FOO);
  Elf64_Rela rels[] = {R(0, foo, R_X86_64_COPY, 0), R(8, foo, R_X86_64_TLSLD, -4), R(16, foo, 60, 0)};
  scan(w, "", 0, rels, 3);
  cr_assert_eq(error_count(), 3);
}

// ------------------------------------------------------------ IPLT entry

Test(x86_64, iplt_entry) {
  const Arch *a = arch_by_machine(EM_X86_64);
  uint8_t buf[16];
  a->write_iplt_entry(buf, 0x401000, 0x404018, false);
  static const uint8_t want[16] = {0xff, 0x25, 0x12, 0x30, 0x00, 0x00, 0x66, 0x0f,
                                   0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00, 0x90};
  cr_assert_arr_eq(buf, want, 16);
  cr_assert_eq(a->iplt_entry_size, 16);
  // IBT: endbr64 first (an IFUNC's address is its stub); the jump's
  // displacement counts from its own end, 10 bytes in.
  a->write_iplt_entry(buf, 0x401000, 0x404018, true);
  static const uint8_t want_ibt[16] = {0xf3, 0x0f, 0x1e, 0xfa, 0xff, 0x25, 0x0e, 0x30,
                                       0x00, 0x00, 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00};
  cr_assert_arr_eq(buf, want_ibt, 16);
  cr_assert_eq(a->iplt_entry_size_landing_pad, 16);
}

// ------------------------------------------------------------ relaxation limits

Test(x86_64, relaxed_gotpcrelx_out_of_range_is_an_error_not_truncated) {
  // The scan relaxed this load (no GOT slot), but the symbol ended up more
  // than 2 GiB away: the displacement must be reported, never truncated.
  // (lld and GNU ld keep the GOT load in this case; xld decides before
  // layout and can only report it.)
  World *w = setup(false);
  uint32_t far = SYM(w, "far_data", TEXT + 0x100000000ULL);
  static const uint8_t code[] = {0x48, 0x8b, 0x05, 0, 0, 0, 0};
  Elf64_Rela rels[] = {R(3, far, R_X86_64_REX_GOTPCRELX, -4)};
  scan(w, code, sizeof code, rels, 1);
  cr_assert_eq(w->syms[far]->needs, 0);
  ApplyArgs args = {w, rels, 1, code, sizeof code};
  const char *msg = capture_stderr(apply_cb, &args);
  cr_assert_eq(error_count(), 1);
  cr_assert_not_null(strstr(msg, "relocation R_X86_64_REX_GOTPCRELX out of range"), "message: %s", msg);
  cr_assert_not_null(strstr(msg, "references 'far_data'"), "message: %s", msg);
}

// In a (static-)PIE, P moves with the load address and an absolute S does
// not, so S - P cannot be computed at link time: an error, as in lld.
Test(x86_64, pie_pc32_against_absolute_symbol_is_an_error) {
  World *w = setup(true);
  uint32_t a = ABS(w, "abs_sym", 0x1000);
  static const uint8_t code[] = {0x48, 0x8d, 0x05, 0, 0, 0, 0};  // lea abs_sym(%rip),%rax
  Elf64_Rela rels[] = {R(3, a, R_X86_64_PC32, -4)};
  scan(w, code, sizeof code, rels, 1);
  cr_assert_eq(error_count(), 1);
}

// ------------------------------------------------------------ non-allocated sections

Test(x86_64, debug_section_relocations) {
  World *w = setup(false);
  uint32_t foo = SYM(w, "foo", FOO);
  uint32_t x = TLS(w, "x", TP - 0x100 + 0x18);  // 0x18 into the TLS block
  InputSection gone = {.is_alive = false, .name = ".text.gone"};
  uint32_t dead = SYM(w, "dead_fn", 0x409000);
  symbol_aux(w->ctx, w->syms[dead])->chunk = NULL;
  w->syms[dead]->isec = &gone;
  w->isec.name = ".debug_info";
  w->isec.flags = 0;
  Elf64_Rela rels[] = {R(0, foo, R_X86_64_64, 4), R(8, foo, R_X86_64_32, 1), R(12, dead, R_X86_64_64, 0),
                       R(20, x, R_X86_64_DTPOFF32, 0), R(24, dead, R_X86_64_32, 0)};
  memset(w->out, 0xcc, sizeof w->out);
  w->isec.rels = rels;
  w->isec.nrels = ARRAY_SIZE(rels);
  w->ctx->arch->apply_nonalloc_relocs(w->ctx, &w->t);
  cr_assert_eq(out64(w, 0), FOO + 4);
  cr_assert_eq(out32(w, 8), FOO + 1);
  cr_assert_eq(out64(w, 12), 0, "references to removed code become 0");
  cr_assert_eq(out32(w, 20), 0x18, "DTPOFF is relative to the TLS block");
  cr_assert_eq(out32(w, 24), 0);

  // In .debug_ranges and .debug_loc, 0 would end the list: use 1.
  w->isec.name = ".debug_ranges";
  w->ctx->arch->apply_nonalloc_relocs(w->ctx, &w->t);
  cr_assert_eq(out64(w, 12), 1);
  cr_assert_eq(out32(w, 24), 1);
  cr_assert_eq(out64(w, 0), FOO + 4);
  cr_assert_eq(error_count(), 0);
}

// ------------------------------------------------------------ IFUNC

Test(x86_64, ifunc_references_go_through_the_iplt) {
  World *w = setup(true);
  uint32_t fn = add_sym(w, "ifn", FOO, true, STT_GNU_IFUNC);
  symbol_aux(w->ctx, w->syms[fn])->iplt_index = 2;
  w->ctx->iplt = new_chunk(w->ctx, ".iplt", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, 16);
  w->ctx->iplt->addr = 0x406000;
  w->t.dynrel = w->dynrel;
  // call ifn; mov ifn@GOTPCREL(%rip),%rax; .quad ifn
  static const uint8_t code[] = {0xe8, 0, 0, 0, 0, 0x48, 0x8b, 0x05, 0, 0, 0, 0};
  Elf64_Rela rels[] = {R(1, fn, R_X86_64_PLT32, -4), R(8, fn, R_X86_64_REX_GOTPCRELX, -4), R(16, fn, R_X86_64_64, 0)};
  apply(w, code, sizeof code, rels, 3);
  uint64_t stub = 0x406000 + 2 * 16;
  cr_assert_eq(TEXT + 5 + (int32_t)out32(w, 1), stub, "the call lands on the IPLT stub");
  ASSERT_BYTES(w, 5, 0x48, 0x8d, 0x05);  // the address of an IFUNC is its stub
  cr_assert_eq(TEXT + 12 + (int32_t)out32(w, 8), stub);
  cr_assert_eq(out64(w, 16), stub);
  cr_assert_eq(w->t.dynrel, w->dynrel + 1);
  cr_assert_eq(w->dynrel[0].r_addend, (int64_t)stub);
  cr_assert_eq(ELF64_R_TYPE(w->dynrel[0].r_info), R_X86_64_RELATIVE);
}
