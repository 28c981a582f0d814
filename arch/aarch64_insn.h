// AArch64 instruction-field encoders used by relocations and stubs. Pure
// functions of their inputs, unit-tested in tests/unit.
#pragma once
#include <stdint.h>

enum {
  INSN_NOP = 0xd503201f,
  INSN_MRS_X1_TPIDR_EL0 = 0xd53bd041,
  INSN_ADD_X0_X1_X0 = 0x8b000020,
};

// ADR/ADRP: 21-bit immediate split into immlo [30:29] and immhi [23:5].
static inline uint32_t insn_set_adr_imm(uint32_t insn, uint64_t imm) {
  return (insn & 0x9f00001f) | (uint32_t)(imm & 3) << 29 | (uint32_t)((imm >> 2) & 0x7ffff) << 5;
}
// B/BL: imm26 [25:0].
static inline uint32_t insn_set_imm26(uint32_t insn, uint64_t imm) {
  return (insn & 0xfc000000) | (uint32_t)(imm & 0x3ffffff);
}
// B.cond, CBZ, LDR literal: imm19 [23:5].
static inline uint32_t insn_set_imm19(uint32_t insn, uint64_t imm) {
  return (insn & 0xff00001f) | (uint32_t)(imm & 0x7ffff) << 5;
}
// TBZ/TBNZ: imm14 [18:5].
static inline uint32_t insn_set_imm14(uint32_t insn, uint64_t imm) {
  return (insn & 0xfff8001f) | (uint32_t)(imm & 0x3fff) << 5;
}
// ADD immediate and LDR/STR unsigned offset: imm12 [21:10].
static inline uint32_t insn_set_imm12(uint32_t insn, uint64_t imm) {
  return (insn & 0xffc003ff) | (uint32_t)(imm & 0xfff) << 10;
}
// MOVZ/MOVK/MOVN: imm16 [20:5].
static inline uint32_t insn_set_imm16(uint32_t insn, uint64_t imm) {
  return (insn & 0xffe0001f) | (uint32_t)(imm & 0xffff) << 5;
}
// Signed MOVW relocations pick MOVZ for v >= 0 and MOVN (of ~v) otherwise.
static inline uint32_t insn_set_movnz(uint32_t insn, int64_t v, int shift) {
  uint64_t imm = v < 0 ? ~(uint64_t)v : (uint64_t)v;
  insn = v < 0 ? (insn & ~0x60000000u) : (insn | 0x40000000u);
  return insn_set_imm16(insn, (imm >> shift) & 0xffff);
}
static inline uint32_t insn_movz(uint32_t rd, uint64_t imm16, int shift) {
  return 0xd2800000 | (uint32_t)(shift / 16) << 21 | (uint32_t)(imm16 & 0xffff) << 5 | (rd & 0x1f);
}
static inline uint32_t insn_movk(uint32_t rd, uint64_t imm16, int shift) {
  return 0xf2800000 | (uint32_t)(shift / 16) << 21 | (uint32_t)(imm16 & 0xffff) << 5 | (rd & 0x1f);
}
// add xd, xn, #imm12
static inline uint32_t insn_add_imm(uint32_t rd, uint32_t rn, uint64_t imm12) {
  return 0x91000000 | (uint32_t)(imm12 & 0xfff) << 10 | (rn & 0x1f) << 5 | (rd & 0x1f);
}
