// AArch64 (AAELF64): relocation scan, application and relaxation for
// static and static-pie executables, and the IFUNC stub. TLS is variant 1:
// the thread pointer points at a 16-byte TCB that precedes the TLS block.
#include "arch.h"
#include "aarch64_insn.h"
#include "diag.h"
#include "reloc.h"
#include "symbols.h"
#include "thunks.h"
#include <stdio.h>

static const char *reloc_name(uint32_t type) {
  switch (type) {
#define N(x) case R_AARCH64_##x: return "R_AARCH64_" #x;
    N(NONE) N(ABS64) N(ABS32) N(ABS16) N(PREL64) N(PREL32) N(PREL16)
    N(MOVW_UABS_G0) N(MOVW_UABS_G0_NC) N(MOVW_UABS_G1) N(MOVW_UABS_G1_NC) N(MOVW_UABS_G2)
    N(MOVW_UABS_G2_NC) N(MOVW_UABS_G3) N(MOVW_SABS_G0) N(MOVW_SABS_G1) N(MOVW_SABS_G2)
    N(LD_PREL_LO19) N(ADR_PREL_LO21) N(ADR_PREL_PG_HI21) N(ADR_PREL_PG_HI21_NC) N(ADD_ABS_LO12_NC)
    N(LDST8_ABS_LO12_NC) N(TSTBR14) N(CONDBR19) N(JUMP26) N(CALL26) N(LDST16_ABS_LO12_NC)
    N(LDST32_ABS_LO12_NC) N(LDST64_ABS_LO12_NC) N(MOVW_PREL_G0) N(MOVW_PREL_G0_NC) N(MOVW_PREL_G1)
    N(MOVW_PREL_G1_NC) N(MOVW_PREL_G2) N(MOVW_PREL_G2_NC) N(MOVW_PREL_G3) N(LDST128_ABS_LO12_NC)
    N(GOTREL64) N(GOTREL32) N(GOT_LD_PREL19) N(LD64_GOTOFF_LO15) N(ADR_GOT_PAGE) N(LD64_GOT_LO12_NC)
    N(LD64_GOTPAGE_LO15) N(TLSGD_ADR_PREL21) N(TLSGD_ADR_PAGE21) N(TLSGD_ADD_LO12_NC)
    N(TLSGD_MOVW_G1) N(TLSGD_MOVW_G0_NC) N(TLSLD_ADR_PREL21) N(TLSLD_ADR_PAGE21) N(TLSLD_ADD_LO12_NC)
    N(TLSLD_ADD_DTPREL_HI12) N(TLSLD_ADD_DTPREL_LO12) N(TLSLD_ADD_DTPREL_LO12_NC)
    N(TLSLD_LDST8_DTPREL_LO12_NC) N(TLSLD_LDST16_DTPREL_LO12_NC) N(TLSLD_LDST32_DTPREL_LO12_NC)
    N(TLSLD_LDST64_DTPREL_LO12_NC) N(TLSIE_MOVW_GOTTPREL_G1) N(TLSIE_MOVW_GOTTPREL_G0_NC)
    N(TLSIE_ADR_GOTTPREL_PAGE21) N(TLSIE_LD64_GOTTPREL_LO12_NC) N(TLSIE_LD_GOTTPREL_PREL19)
    N(TLSLE_MOVW_TPREL_G2) N(TLSLE_MOVW_TPREL_G1) N(TLSLE_MOVW_TPREL_G1_NC) N(TLSLE_MOVW_TPREL_G0)
    N(TLSLE_MOVW_TPREL_G0_NC) N(TLSLE_ADD_TPREL_HI12) N(TLSLE_ADD_TPREL_LO12) N(TLSLE_ADD_TPREL_LO12_NC)
    N(TLSLE_LDST8_TPREL_LO12) N(TLSLE_LDST8_TPREL_LO12_NC) N(TLSLE_LDST16_TPREL_LO12)
    N(TLSLE_LDST16_TPREL_LO12_NC) N(TLSLE_LDST32_TPREL_LO12) N(TLSLE_LDST32_TPREL_LO12_NC)
    N(TLSLE_LDST64_TPREL_LO12) N(TLSLE_LDST64_TPREL_LO12_NC) N(TLSDESC_LD_PREL19) N(TLSDESC_ADR_PREL21)
    N(TLSDESC_ADR_PAGE21) N(TLSDESC_LD64_LO12) N(TLSDESC_ADD_LO12) N(TLSDESC_OFF_G1) N(TLSDESC_OFF_G0_NC)
    N(TLSDESC_LDR) N(TLSDESC_ADD) N(TLSDESC_CALL) N(TLSLE_LDST128_TPREL_LO12) N(TLSLE_LDST128_TPREL_LO12_NC)
    N(TLS_DTPREL) N(TLS_DTPMOD) N(TLS_TPREL) N(RELATIVE) N(IRELATIVE)
#undef N
  }
  static _Thread_local char buf[32];
  snprintf(buf, sizeof buf, "unknown (%u)", type);
  return buf;
}

// ------------------------------------------------------------ relaxation checks

static bool sym_is_relaxable(const Context *ctx, const Symbol *sym) {
  return symbol_is_defined(sym) && !symbol_is_absolute(ctx, sym) && !sym->is_preemptible;
}

// "adrp xN, :got:sym; ldr xN, [xN, :got_lo12:sym]" -> "adrp; add" when the
// symbol has a fixed place in the image.
static bool got_pair_relaxable(const Context *ctx, const InputSection *isec, const ElfRela *rel, const ElfRela *end) {
  if (rel + 1 >= end || ELF64_R_TYPE(rel[1].r_info) != R_AARCH64_LD64_GOT_LO12_NC) return false;
  if (rel[1].r_offset != rel->r_offset + 4 || ELF64_R_SYM(rel[1].r_info) != ELF64_R_SYM(rel->r_info)) return false;
  if (rel->r_addend || rel[1].r_addend) return false;
  uint32_t adrp = rd32(isec->data + rel->r_offset), ldr = rd32(isec->data + rel[1].r_offset);
  uint32_t reg = adrp & 0x1f;
  return (adrp & 0x9f000000) == 0x90000000 && (ldr & 0xffc00000) == 0xf9400000 && (ldr & 0x1f) == reg &&
         ((ldr >> 5) & 0x1f) == reg && sym_is_relaxable(ctx, reloc_symbol(isec, rel));
}

// Traditional GD: "adrp x0; add x0, x0; bl __tls_get_addr; nop".
static bool tlsgd_relaxable(const Context *ctx, const InputSection *isec, const ElfRela *rel, const ElfRela *end) {
  if (ctx->cfg.shared) return false;
  if (rel + 2 >= end || ELF64_R_TYPE(rel[1].r_info) != R_AARCH64_TLSGD_ADD_LO12_NC) return false;
  uint32_t t2 = ELF64_R_TYPE(rel[2].r_info);
  if ((t2 != R_AARCH64_CALL26 && t2 != R_AARCH64_JUMP26) || rel[1].r_offset != rel->r_offset + 4 ||
      rel[2].r_offset != rel->r_offset + 8 || rel->r_offset + 16 > isec->size)
    return false;
  const Symbol *call = reloc_symbol(isec, rel + 2);
  return call && !strcmp(call->name, "__tls_get_addr") && rd32(isec->data + rel->r_offset + 12) == INSN_NOP &&
         !reloc_symbol(isec, rel)->is_preemptible;
}

// ------------------------------------------------------------ scan


static void scan_relocs(Context *ctx, InputSection *isec) {
  const ElfRela *end = isec->rels + isec->nrels;
  for (const ElfRela *rel = isec->rels; rel < end; rel++) {
    uint32_t type = ELF64_R_TYPE(rel->r_info);
    if (type == R_AARCH64_NONE || type == 256) continue;
    Symbol *sym = reloc_symbol(isec, rel);
    if (!sym) continue;
    if (!symbol_is_defined(sym)) note_undefined_reference(isec, rel);
    // Preemptible symbols are bound by the loader; a shared library's TLS
    // cannot be relaxed to the executable's fixed offsets.
    bool preempt = sym->is_preemptible, shared = ctx->cfg.shared;
    if (symbol_is_ifunc(sym) && !preempt) need(sym, NEEDS_IPLT);
    switch (type) {
    case R_AARCH64_ABS64:
      scan_abs_reloc(ctx, isec, rel, sym);
      break;
    case R_AARCH64_ABS32: case R_AARCH64_ABS16:
    case R_AARCH64_MOVW_UABS_G0: case R_AARCH64_MOVW_UABS_G0_NC: case R_AARCH64_MOVW_UABS_G1:
    case R_AARCH64_MOVW_UABS_G1_NC: case R_AARCH64_MOVW_UABS_G2: case R_AARCH64_MOVW_UABS_G2_NC:
    case R_AARCH64_MOVW_UABS_G3: case R_AARCH64_MOVW_SABS_G0: case R_AARCH64_MOVW_SABS_G1:
    case R_AARCH64_MOVW_SABS_G2:
      scan_absolute_in_code(ctx, isec, rel, sym);
      break;
    case R_AARCH64_ADD_ABS_LO12_NC: case R_AARCH64_LDST8_ABS_LO12_NC: case R_AARCH64_LDST16_ABS_LO12_NC:
    case R_AARCH64_LDST32_ABS_LO12_NC: case R_AARCH64_LDST64_ABS_LO12_NC: case R_AARCH64_LDST128_ABS_LO12_NC:
      // page offsets: position-independent with their ADRP
      if (preempt) need_direct_access(ctx, isec, rel, sym);
      break;
    case R_AARCH64_PREL64: case R_AARCH64_PREL32: case R_AARCH64_PREL16: case R_AARCH64_LD_PREL_LO19:
    case R_AARCH64_ADR_PREL_LO21: case R_AARCH64_ADR_PREL_PG_HI21: case R_AARCH64_ADR_PREL_PG_HI21_NC:
      if (preempt) need_direct_access(ctx, isec, rel, sym);
      check_pc_relative(ctx, isec, rel, sym);
      break;
    case R_AARCH64_JUMP26: case R_AARCH64_CALL26: case R_AARCH64_TSTBR14: case R_AARCH64_CONDBR19:
      if (preempt) need(sym, NEEDS_PLT);
      break;
    case R_AARCH64_MOVW_PREL_G0: case R_AARCH64_MOVW_PREL_G0_NC: case R_AARCH64_MOVW_PREL_G1:
    case R_AARCH64_MOVW_PREL_G1_NC: case R_AARCH64_MOVW_PREL_G2: case R_AARCH64_MOVW_PREL_G2_NC:
    case R_AARCH64_MOVW_PREL_G3:
      break;
    case R_AARCH64_ADR_GOT_PAGE:
      if (got_pair_relaxable(ctx, isec, rel, end)) rel++;
      else need(sym, NEEDS_GOT);
      break;
    case R_AARCH64_LD64_GOT_LO12_NC: case R_AARCH64_LD64_GOTPAGE_LO15: case R_AARCH64_GOT_LD_PREL19:
    case R_AARCH64_LD64_GOTOFF_LO15:
      need(sym, NEEDS_GOT);
      break;
    case R_AARCH64_TLSLE_MOVW_TPREL_G2: case R_AARCH64_TLSLE_MOVW_TPREL_G1: case R_AARCH64_TLSLE_MOVW_TPREL_G1_NC:
    case R_AARCH64_TLSLE_MOVW_TPREL_G0: case R_AARCH64_TLSLE_MOVW_TPREL_G0_NC: case R_AARCH64_TLSLE_ADD_TPREL_HI12:
    case R_AARCH64_TLSLE_ADD_TPREL_LO12: case R_AARCH64_TLSLE_ADD_TPREL_LO12_NC:
    case R_AARCH64_TLSLE_LDST8_TPREL_LO12: case R_AARCH64_TLSLE_LDST8_TPREL_LO12_NC:
    case R_AARCH64_TLSLE_LDST16_TPREL_LO12: case R_AARCH64_TLSLE_LDST16_TPREL_LO12_NC:
    case R_AARCH64_TLSLE_LDST32_TPREL_LO12: case R_AARCH64_TLSLE_LDST32_TPREL_LO12_NC:
    case R_AARCH64_TLSLE_LDST64_TPREL_LO12: case R_AARCH64_TLSLE_LDST64_TPREL_LO12_NC:
    case R_AARCH64_TLSLE_LDST128_TPREL_LO12: case R_AARCH64_TLSLE_LDST128_TPREL_LO12_NC:
      check_local_exec(ctx, isec, rel);
      break;
    case R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21: case R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC:
      // Initial exec stays for a preemptible symbol or in a shared library.
      if (preempt || shared) need(sym, NEEDS_GOTTP);
      break;
    case R_AARCH64_TLSDESC_ADR_PAGE21: case R_AARCH64_TLSDESC_LD64_LO12: case R_AARCH64_TLSDESC_ADD_LO12:
      // Descriptors stay in a shared library, and relax to initial exec
      // for a shared library's symbol in an executable.
      if (shared) need(sym, NEEDS_TLSDESC);
      else if (preempt) need(sym, NEEDS_GOTTP);
      break;
    case R_AARCH64_TLSDESC_CALL:
    case R_AARCH64_TLSLD_ADD_DTPREL_HI12: case R_AARCH64_TLSLD_ADD_DTPREL_LO12:
    case R_AARCH64_TLSLD_ADD_DTPREL_LO12_NC: case R_AARCH64_TLSLD_LDST8_DTPREL_LO12_NC:
    case R_AARCH64_TLSLD_LDST16_DTPREL_LO12_NC: case R_AARCH64_TLSLD_LDST32_DTPREL_LO12_NC:
    case R_AARCH64_TLSLD_LDST64_DTPREL_LO12_NC: case R_AARCH64_TLS_DTPREL:
      break;  // initial-exec and descriptors relax to local exec
    case R_AARCH64_TLSIE_LD_GOTTPREL_PREL19: case R_AARCH64_TLSIE_MOVW_GOTTPREL_G1:
    case R_AARCH64_TLSIE_MOVW_GOTTPREL_G0_NC:
      need(sym, NEEDS_GOTTP);
      break;
    case R_AARCH64_TLSGD_ADR_PAGE21:
      if (tlsgd_relaxable(ctx, isec, rel, end)) rel += 2;  // the __tls_get_addr call goes away
      else need(sym, NEEDS_TLSGD);
      break;
    case R_AARCH64_TLSGD_ADD_LO12_NC:
      need(sym, NEEDS_TLSGD);
      break;
    case R_AARCH64_TLSLD_ADR_PAGE21: case R_AARCH64_TLSLD_ADD_LO12_NC:
      need(sym, NEEDS_TLSLD);
      break;
    default:
      reloc_error(ctx, isec, rel, xasprintf("unsupported relocation %s", reloc_name(type)));
    }
  }
}

// ------------------------------------------------------------ apply

static inline uint64_t page(uint64_t v) { return v & ~(uint64_t)0xfff; }

static uint64_t tlsdesc_slot(Context *ctx, const Symbol *sym) {
  return ctx->got->addr + (uint64_t)symbol_tlsdesc_index(ctx, sym) * 8;
}

static void apply_relocs(Context *ctx, RelocTarget *t, const ElfRela *begin, const ElfRela *end) {
  InputSection *isec = t->isec;
  for (const ElfRela *rel = begin; rel < end; rel++) {
    uint32_t type = ELF64_R_TYPE(rel->r_info);
    if (type == R_AARCH64_NONE || type == 256) continue;
    Symbol *sym = reloc_symbol(isec, rel);
    if (!sym) continue;
    uint8_t *loc = t->base + rel->r_offset;
    uint64_t P = t->addr + rel->r_offset;
    int64_t A = rel->r_addend;
    uint64_t S = reloc_symbol_address(ctx, sym, &A);
    int32_t got_index = symbol_got_index(ctx, sym);
    uint64_t G = got_index >= 0 ? ctx->got->addr + (uint64_t)got_index * 8 : 0;
    // An undefined weak TLS symbol has offset 0 (its code is never reached).
    uint64_t tp = symbol_is_defined(sym) ? ctx->tp_addr : S + A;
    uint32_t insn = rd32(loc);
    int64_t v;
#define RANGE(val, lo, hi) require_range(ctx, isec, rel, (int64_t)(val), (lo), (hi))
#define ALIGNED(val, n)                                                                  \
  do {                                                                                   \
    if ((val) & ((1u << (n)) - 1)) reloc_error(ctx, isec, rel, xasprintf("%s: target 0x%llx is not %u-byte aligned", \
                                                 reloc_name(type), (unsigned long long)(val), 1u << (n))); \
  } while (0)
    switch (type) {
    case R_AARCH64_ABS64:
      emit_abs_dynrel(ctx, t, abs_reloc_kind(ctx, isec, sym), rel, sym, A, S + A);
      wr64(loc, S + A);
      break;
    case R_AARCH64_ABS32: RANGE(S + A, INT32_MIN, UINT32_MAX); wr32(loc, (uint32_t)(S + A)); break;
    case R_AARCH64_ABS16: RANGE(S + A, INT16_MIN, UINT16_MAX); wr16(loc, (uint16_t)(S + A)); break;
    case R_AARCH64_PREL64: wr64(loc, S + A - P); break;
    case R_AARCH64_PREL32: RANGE(S + A - P, INT32_MIN, UINT32_MAX); wr32(loc, (uint32_t)(S + A - P)); break;
    case R_AARCH64_PREL16: RANGE(S + A - P, INT16_MIN, UINT16_MAX); wr16(loc, (uint16_t)(S + A - P)); break;
    case R_AARCH64_CALL26:
    case R_AARCH64_JUMP26:
      // A call to an undefined weak symbol becomes a branch to the next
      // instruction; a far one goes through a range-extension thunk.
      if (thunk_address(ctx, isec, sym, &S)) A = 0;
      v = !symbol_is_defined(sym) ? 4 : (int64_t)(S + A - P);
      RANGE(v, -(1LL << 27), (1LL << 27) - 4);
      ALIGNED((uint64_t)v, 2);
      wr32(loc, insn_set_imm26(insn, (uint64_t)v >> 2));
      break;
    case R_AARCH64_CONDBR19:
    case R_AARCH64_LD_PREL_LO19:
      v = (int64_t)(S + A - P);
      RANGE(v, -(1LL << 20), (1LL << 20) - 4);
      ALIGNED((uint64_t)v, 2);
      wr32(loc, insn_set_imm19(insn, (uint64_t)v >> 2));
      break;
    case R_AARCH64_TSTBR14:
      v = (int64_t)(S + A - P);
      RANGE(v, -(1LL << 15), (1LL << 15) - 4);
      ALIGNED((uint64_t)v, 2);
      wr32(loc, insn_set_imm14(insn, (uint64_t)v >> 2));
      break;
    case R_AARCH64_ADR_PREL_LO21:
      v = (int64_t)(S + A - P);
      RANGE(v, -(1LL << 20), (1LL << 20) - 1);
      wr32(loc, insn_set_adr_imm(insn, (uint64_t)v));
      break;
    case R_AARCH64_ADR_PREL_PG_HI21:
    case R_AARCH64_ADR_PREL_PG_HI21_NC:
      v = (int64_t)(page(S + A) - page(P));
      if (type == R_AARCH64_ADR_PREL_PG_HI21) RANGE(v, -(1LL << 32), (1LL << 32) - 1);
      wr32(loc, insn_set_adr_imm(insn, (uint64_t)v >> 12));
      break;
    case R_AARCH64_ADD_ABS_LO12_NC: wr32(loc, insn_set_imm12(insn, (S + A) & 0xfff)); break;
    case R_AARCH64_LDST8_ABS_LO12_NC: wr32(loc, insn_set_imm12(insn, (S + A) & 0xfff)); break;
    case R_AARCH64_LDST16_ABS_LO12_NC: ALIGNED(S + A, 1); wr32(loc, insn_set_imm12(insn, ((S + A) & 0xfff) >> 1)); break;
    case R_AARCH64_LDST32_ABS_LO12_NC: ALIGNED(S + A, 2); wr32(loc, insn_set_imm12(insn, ((S + A) & 0xfff) >> 2)); break;
    case R_AARCH64_LDST64_ABS_LO12_NC: ALIGNED(S + A, 3); wr32(loc, insn_set_imm12(insn, ((S + A) & 0xfff) >> 3)); break;
    case R_AARCH64_LDST128_ABS_LO12_NC: ALIGNED(S + A, 4); wr32(loc, insn_set_imm12(insn, ((S + A) & 0xfff) >> 4)); break;
    case R_AARCH64_MOVW_UABS_G0: RANGE(S + A, 0, 0xffff); /* fall through */
    case R_AARCH64_MOVW_UABS_G0_NC: wr32(loc, insn_set_imm16(insn, (S + A) & 0xffff)); break;
    case R_AARCH64_MOVW_UABS_G1: RANGE(S + A, 0, 0xffffffffLL); /* fall through */
    case R_AARCH64_MOVW_UABS_G1_NC: wr32(loc, insn_set_imm16(insn, ((S + A) >> 16) & 0xffff)); break;
    case R_AARCH64_MOVW_UABS_G2: RANGE(S + A, 0, 0xffffffffffffLL); /* fall through */
    case R_AARCH64_MOVW_UABS_G2_NC: wr32(loc, insn_set_imm16(insn, ((S + A) >> 32) & 0xffff)); break;
    case R_AARCH64_MOVW_UABS_G3: wr32(loc, insn_set_imm16(insn, ((S + A) >> 48) & 0xffff)); break;
    case R_AARCH64_MOVW_SABS_G0: RANGE(S + A, -0xffffLL, 0xffff); wr32(loc, insn_set_movnz(insn, (int64_t)(S + A), 0)); break;
    case R_AARCH64_MOVW_SABS_G1: RANGE(S + A, -0xffffffffLL, 0xffffffffLL); wr32(loc, insn_set_movnz(insn, (int64_t)(S + A), 16)); break;
    case R_AARCH64_MOVW_SABS_G2: RANGE(S + A, -0xffffffffffffLL, 0xffffffffffffLL); wr32(loc, insn_set_movnz(insn, (int64_t)(S + A), 32)); break;
    case R_AARCH64_MOVW_PREL_G0: RANGE(S + A - P, -0xffffLL, 0xffff); wr32(loc, insn_set_movnz(insn, (int64_t)(S + A - P), 0)); break;
    case R_AARCH64_MOVW_PREL_G0_NC: wr32(loc, insn_set_imm16(insn, (S + A - P) & 0xffff)); break;
    case R_AARCH64_MOVW_PREL_G1: RANGE(S + A - P, -0xffffffffLL, 0xffffffffLL); wr32(loc, insn_set_movnz(insn, (int64_t)(S + A - P), 16)); break;
    case R_AARCH64_MOVW_PREL_G1_NC: wr32(loc, insn_set_imm16(insn, ((S + A - P) >> 16) & 0xffff)); break;
    case R_AARCH64_MOVW_PREL_G2: RANGE(S + A - P, -0xffffffffffffLL, 0xffffffffffffLL); wr32(loc, insn_set_movnz(insn, (int64_t)(S + A - P), 32)); break;
    case R_AARCH64_MOVW_PREL_G2_NC: wr32(loc, insn_set_imm16(insn, ((S + A - P) >> 32) & 0xffff)); break;
    case R_AARCH64_MOVW_PREL_G3: wr32(loc, insn_set_imm16(insn, ((S + A - P) >> 48) & 0xffff)); break;
    case R_AARCH64_ADR_GOT_PAGE:
      if (got_index < 0 && rel + 1 < end && got_pair_relaxable(ctx, isec, rel, end)) {
        // adrp xN, :got:sym; ldr xN, [xN, :got_lo12:sym] -> adrp xN, sym; add xN, xN, :lo12:sym
        v = (int64_t)(page(S + A) - page(P));
        RANGE(v, -(1LL << 32), (1LL << 32) - 1);
        wr32(loc, insn_set_adr_imm(insn, (uint64_t)v >> 12));
        uint32_t reg = insn & 0x1f;
        wr32(loc + 4, insn_add_imm(reg, reg, (S + A) & 0xfff));
        rel++;
        break;
      }
      v = (int64_t)(page(G + A) - page(P));
      RANGE(v, -(1LL << 32), (1LL << 32) - 1);
      wr32(loc, insn_set_adr_imm(insn, (uint64_t)v >> 12));
      break;
    case R_AARCH64_LD64_GOT_LO12_NC: wr32(loc, insn_set_imm12(insn, ((G + A) & 0xfff) >> 3)); break;
    case R_AARCH64_LD64_GOTPAGE_LO15:
      v = (int64_t)(G + A - page(ctx->got->addr));
      RANGE(v, 0, (1LL << 15) - 8);
      wr32(loc, insn_set_imm12(insn, (uint64_t)v >> 3));
      break;
    case R_AARCH64_LD64_GOTOFF_LO15:
      v = (int64_t)(G + A - ctx->got->addr);
      RANGE(v, 0, (1LL << 15) - 8);
      wr32(loc, insn_set_imm12(insn, (uint64_t)v >> 3));
      break;
    case R_AARCH64_GOT_LD_PREL19:
      v = (int64_t)(G + A - P);
      RANGE(v, -(1LL << 20), (1LL << 20) - 4);
      wr32(loc, insn_set_imm19(insn, (uint64_t)v >> 2));
      break;
    // Local exec, and initial exec / descriptors relaxed to it.
    case R_AARCH64_TLSLE_MOVW_TPREL_G2: wr32(loc, insn_set_movnz(insn, (int64_t)(S + A - tp), 32)); break;
    case R_AARCH64_TLSLE_MOVW_TPREL_G1: wr32(loc, insn_set_movnz(insn, (int64_t)(S + A - tp), 16)); break;
    case R_AARCH64_TLSLE_MOVW_TPREL_G1_NC: wr32(loc, insn_set_imm16(insn, ((S + A - tp) >> 16) & 0xffff)); break;
    case R_AARCH64_TLSLE_MOVW_TPREL_G0: wr32(loc, insn_set_movnz(insn, (int64_t)(S + A - tp), 0)); break;
    case R_AARCH64_TLSLE_MOVW_TPREL_G0_NC: wr32(loc, insn_set_imm16(insn, (S + A - tp) & 0xffff)); break;
    case R_AARCH64_TLSLE_ADD_TPREL_HI12:
      RANGE(S + A - tp, 0, (1LL << 24) - 1);
      wr32(loc, insn_set_imm12(insn, ((S + A - tp) >> 12) & 0xfff));
      break;
    case R_AARCH64_TLSLE_ADD_TPREL_LO12: RANGE(S + A - tp, 0, 0xfff); /* fall through */
    case R_AARCH64_TLSLE_ADD_TPREL_LO12_NC: wr32(loc, insn_set_imm12(insn, (S + A - tp) & 0xfff)); break;
    case R_AARCH64_TLSLE_LDST8_TPREL_LO12: case R_AARCH64_TLSLE_LDST8_TPREL_LO12_NC:
      wr32(loc, insn_set_imm12(insn, (S + A - tp) & 0xfff)); break;
    case R_AARCH64_TLSLE_LDST16_TPREL_LO12: case R_AARCH64_TLSLE_LDST16_TPREL_LO12_NC:
      wr32(loc, insn_set_imm12(insn, ((S + A - tp) & 0xfff) >> 1)); break;
    case R_AARCH64_TLSLE_LDST32_TPREL_LO12: case R_AARCH64_TLSLE_LDST32_TPREL_LO12_NC:
      wr32(loc, insn_set_imm12(insn, ((S + A - tp) & 0xfff) >> 2)); break;
    case R_AARCH64_TLSLE_LDST64_TPREL_LO12: case R_AARCH64_TLSLE_LDST64_TPREL_LO12_NC:
      wr32(loc, insn_set_imm12(insn, ((S + A - tp) & 0xfff) >> 3)); break;
    case R_AARCH64_TLSLE_LDST128_TPREL_LO12: case R_AARCH64_TLSLE_LDST128_TPREL_LO12_NC:
      wr32(loc, insn_set_imm12(insn, ((S + A - tp) & 0xfff) >> 4)); break;
    case R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21:
    case R_AARCH64_TLSDESC_ADR_PAGE21:
      if (symbol_tlsdesc_index(ctx, sym) >= 0 && type == R_AARCH64_TLSDESC_ADR_PAGE21) {
        v = (int64_t)(page(tlsdesc_slot(ctx, sym)) - page(P));  // the descriptor itself
        RANGE(v, -(1LL << 32), (1LL << 32) - 1);
        wr32(loc, insn_set_adr_imm(insn, (uint64_t)v >> 12));
        break;
      }
      if (symbol_gottp_index(ctx, sym) >= 0) {
        // adrp xN, :gottprel:sym (a descriptor's adrp x0 the same)
        uint64_t slot = ctx->got->addr + (uint64_t)symbol_gottp_index(ctx, sym) * 8;
        v = (int64_t)(page(slot) - page(P));
        RANGE(v, -(1LL << 32), (1LL << 32) - 1);
        wr32(loc, insn_set_adr_imm(type == R_AARCH64_TLSDESC_ADR_PAGE21 ? 0x90000000 : insn, (uint64_t)v >> 12));
        break;
      }
      // adrp xN -> movz xN, #tpoff_g1, lsl #16
      v = (int64_t)(S + A - tp);
      RANGE(v, 0, 0xffffffffLL);
      wr32(loc, insn_movz(type == R_AARCH64_TLSDESC_ADR_PAGE21 ? 0 : insn & 0x1f, ((uint64_t)v >> 16) & 0xffff, 16));
      break;
    case R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC:
    case R_AARCH64_TLSDESC_LD64_LO12:
      if (symbol_tlsdesc_index(ctx, sym) >= 0 && type == R_AARCH64_TLSDESC_LD64_LO12) {
        wr32(loc, insn_set_imm12(insn, (tlsdesc_slot(ctx, sym) & 0xfff) >> 3));
        break;
      }
      if (symbol_gottp_index(ctx, sym) >= 0) {
        // ldr xN, [xN, :gottprel_lo12:sym] (a descriptor's "ldr x1, [x0]" becomes "ldr x0, [x0]")
        uint64_t slot = ctx->got->addr + (uint64_t)symbol_gottp_index(ctx, sym) * 8;
        wr32(loc, insn_set_imm12(type == R_AARCH64_TLSDESC_LD64_LO12 ? 0xf9400000 : insn, (slot & 0xfff) >> 3));
        break;
      }
      // ldr xN, [...] -> movk xN, #tpoff_g0
      wr32(loc, insn_movk(type == R_AARCH64_TLSDESC_LD64_LO12 ? 0 : insn & 0x1f, (S + A - tp) & 0xffff, 0));
      break;
    case R_AARCH64_TLSDESC_ADD_LO12:
      if (symbol_tlsdesc_index(ctx, sym) >= 0) wr32(loc, insn_set_imm12(insn, tlsdesc_slot(ctx, sym) & 0xfff));
      else wr32(loc, INSN_NOP);
      break;
    case R_AARCH64_TLSDESC_CALL:
      if (symbol_tlsdesc_index(ctx, sym) < 0) wr32(loc, INSN_NOP);  // else the call stays
      break;
    case R_AARCH64_TLSIE_LD_GOTTPREL_PREL19: {
      uint64_t slot = ctx->got->addr + (uint64_t)symbol_gottp_index(ctx, sym) * 8;
      v = (int64_t)(slot + A - P);
      RANGE(v, -(1LL << 20), (1LL << 20) - 4);
      wr32(loc, insn_set_imm19(insn, (uint64_t)v >> 2));
      break;
    }
    case R_AARCH64_TLSIE_MOVW_GOTTPREL_G1:
    case R_AARCH64_TLSIE_MOVW_GOTTPREL_G0_NC: {
      uint64_t off = ctx->got->addr + (uint64_t)symbol_gottp_index(ctx, sym) * 8 + A - ctx->got->addr;
      wr32(loc, insn_set_imm16(insn, (type == R_AARCH64_TLSIE_MOVW_GOTTPREL_G1 ? off >> 16 : off) & 0xffff));
      break;
    }
    case R_AARCH64_TLSGD_ADR_PAGE21:
      if (tlsgd_relaxable(ctx, isec, rel, end)) {
        // adrp; add; bl __tls_get_addr; nop ->
        // movz x0, #hi, lsl 16; movk x0, #lo; mrs x1, tpidr_el0; add x0, x1, x0
        v = (int64_t)(S + A - tp);
        RANGE(v, 0, 0xffffffffLL);
        wr32(loc, insn_movz(0, ((uint64_t)v >> 16) & 0xffff, 16));
        wr32(loc + 4, insn_movk(0, (uint64_t)v & 0xffff, 0));
        wr32(loc + 8, INSN_MRS_X1_TPIDR_EL0);
        wr32(loc + 12, INSN_ADD_X0_X1_X0);
        rel += 2;
        break;
      }
      v = (int64_t)(page(ctx->got->addr + (uint64_t)symbol_tlsgd_index(ctx, sym) * 8 + A) - page(P));
      wr32(loc, insn_set_adr_imm(insn, (uint64_t)v >> 12));
      break;
    case R_AARCH64_TLSGD_ADD_LO12_NC:
      wr32(loc, insn_set_imm12(insn, (ctx->got->addr + (uint64_t)symbol_tlsgd_index(ctx, sym) * 8 + A) & 0xfff));
      break;
    case R_AARCH64_TLSLD_ADR_PAGE21:
      v = (int64_t)(page(ctx->got->addr + (uint64_t)ctx->tlsld_index * 8 + A) - page(P));
      wr32(loc, insn_set_adr_imm(insn, (uint64_t)v >> 12));
      break;
    case R_AARCH64_TLSLD_ADD_LO12_NC:
      wr32(loc, insn_set_imm12(insn, (ctx->got->addr + (uint64_t)ctx->tlsld_index * 8 + A) & 0xfff));
      break;
    // Local dynamic keeps __tls_get_addr (module 1, offset 0): offsets are
    // from the start of the TLS block.
    case R_AARCH64_TLSLD_ADD_DTPREL_HI12:
      wr32(loc, insn_set_imm12(insn, ((S + A - ctx->tls_begin) >> 12) & 0xfff)); break;
    case R_AARCH64_TLSLD_ADD_DTPREL_LO12: case R_AARCH64_TLSLD_ADD_DTPREL_LO12_NC:
    case R_AARCH64_TLSLD_LDST8_DTPREL_LO12_NC:
      wr32(loc, insn_set_imm12(insn, (S + A - ctx->tls_begin) & 0xfff)); break;
    case R_AARCH64_TLSLD_LDST16_DTPREL_LO12_NC: wr32(loc, insn_set_imm12(insn, ((S + A - ctx->tls_begin) & 0xfff) >> 1)); break;
    case R_AARCH64_TLSLD_LDST32_DTPREL_LO12_NC: wr32(loc, insn_set_imm12(insn, ((S + A - ctx->tls_begin) & 0xfff) >> 2)); break;
    case R_AARCH64_TLSLD_LDST64_DTPREL_LO12_NC: wr32(loc, insn_set_imm12(insn, ((S + A - ctx->tls_begin) & 0xfff) >> 3)); break;
    case R_AARCH64_TLS_DTPREL: wr64(loc, S + A - ctx->tls_begin); break;
    default: break;  // reported by the scan
    }
#undef RANGE
#undef ALIGNED
  }
}

static DebugReloc debug_reloc_kind(uint32_t type) {
  switch (type) {
  case R_AARCH64_NONE: case 256: return DEBUG_NONE;
  case R_AARCH64_ABS64: return DEBUG_ABS64;
  case R_AARCH64_ABS32: return DEBUG_ABS32;
  case R_AARCH64_PREL32: return DEBUG_PC32;
  case R_AARCH64_PREL64: return DEBUG_PC64;
  case R_AARCH64_TLS_DTPREL: return DEBUG_DTPOFF64;
  default: return DEBUG_UNSUPPORTED;
  }
}

static void apply_nonalloc_relocs(Context *ctx, RelocTarget *t) { apply_debug_relocs(ctx, t, debug_reloc_kind); }

enum { INSN_BTI_C = 0xd503245f };

// [bti c;] adrp x16, slot; ldr x17, [x16, :lo12:slot];
// add x16, x16, :lo12:slot; br x17 [; nop]
static void write_iplt_entry(uint8_t *buf, uint64_t entry, uint64_t slot, bool bti) {
  if (bti) {
    wr32(buf, INSN_BTI_C);
    buf += 4, entry += 4;
  }
  wr32(buf, insn_set_adr_imm(0x90000010, (page(slot) - page(entry)) >> 12));
  wr32(buf + 4, insn_set_imm12(0xf9400211, (slot & 0xfff) >> 3));
  wr32(buf + 8, insn_add_imm(16, 16, slot & 0xfff));
  wr32(buf + 12, 0xd61f0220);
  if (bti) wr32(buf + 16, INSN_NOP);
}

// [bti c;] stp x16, x30, [sp, #-16]!; adrp x16, .got.plt[2];
// ldr x17, [x16, :lo12:.got.plt[2]]; add x16, x16, :lo12:.got.plt[2]; br x17;
// nops to 32 bytes
static void write_plt0(uint8_t *buf, uint64_t plt, uint64_t gotplt, bool bti) {
  uint64_t slot = gotplt + 16;
  uint32_t at = bti ? 4 : 0;
  if (bti) wr32(buf, INSN_BTI_C);
  wr32(buf + at, 0xa9bf7bf0);
  uint64_t adrp = plt + at + 4;
  wr32(buf + at + 4, insn_set_adr_imm(0x90000010, (page(slot) - page(adrp)) >> 12));
  wr32(buf + at + 8, insn_set_imm12(0xf9400211, (slot & 0xfff) >> 3));
  wr32(buf + at + 12, insn_add_imm(16, 16, slot & 0xfff));
  wr32(buf + at + 16, 0xd61f0220);
  for (uint32_t i = at + 20; i < 32; i += 4) wr32(buf + i, INSN_NOP);
}

// [bti c;] then the same jump through the slot as an IFUNC stub [; nop].
// The slot first holds the header's address (x16 tells the resolver which
// slot it was).
static void write_plt_entry(uint8_t *buf, uint64_t entry, uint64_t slot, uint64_t plt, uint32_t index, bool bti) {
  (void)plt, (void)index;
  write_iplt_entry(buf, entry, slot, bti);
}

static uint64_t lazy_slot_value(uint64_t plt, uint64_t entry, bool bti) {
  (void)entry, (void)bti;
  return plt;
}

static bool is_branch_reloc(uint32_t type) { return type == R_AARCH64_CALL26 || type == R_AARCH64_JUMP26; }

// adrp x16, target; add x16, x16, :lo12:target; br x16 (x16 is IP0, free
// for veneers by the procedure call standard).
static void write_thunk(uint8_t *buf, uint64_t at, uint64_t target) {
  wr32(buf, insn_set_adr_imm(0x90000010, (page(target) - page(at)) >> 12));
  wr32(buf + 4, insn_add_imm(16, 16, target & 0xfff));
  wr32(buf + 8, 0xd61f0200);
}

static const char *const aliases[] = {"aarch64elf", "aarch64linux", NULL};

const Arch arch_aarch64 = {
    .name = "aarch64",
    .emulation = "aarch64linux",
    .emulation_aliases = aliases,
    .machine = EM_AARCH64,
    .default_image_base = 0x400000,
    .max_page_size = 65536,
    .common_page_size = 4096,
    .iplt_entry_size = 16,
    .iplt_entry_size_landing_pad = 24,
    .feature_1_and_property = GNU_PROPERTY_AARCH64_FEATURE_1_AND,
    .r_relative = R_AARCH64_RELATIVE,
    .r_irelative = R_AARCH64_IRELATIVE,
    .r_abs64 = R_AARCH64_ABS64,
    .r_glob_dat = R_AARCH64_GLOB_DAT,
    .r_jump_slot = R_AARCH64_JUMP_SLOT,
    .r_copy = R_AARCH64_COPY,
    .r_tpoff64 = R_AARCH64_TLS_TPREL,
    .r_dtpmod64 = R_AARCH64_TLS_DTPMOD,
    .r_dtpoff64 = R_AARCH64_TLS_DTPREL,
    .r_tlsdesc = R_AARCH64_TLSDESC,
    .dynamic_linker = "/lib/ld-linux-aarch64.so.1",
    .plt0_size = 32,
    .plt_entry_size = 16,
    .plt_landing_pad_feature = GNU_PROPERTY_AARCH64_FEATURE_1_BTI,
    .plt0_size_landing_pad = 32,
    .plt_entry_size_landing_pad = 24,
    .plt_call_offset_landing_pad = 0,
    .tls_variant1 = true,
    .tls_tcb_size = 16,
    .dtpoff_relaxes_to_tpoff = false,
    .scan_relocs = scan_relocs,
    .apply_relocs = apply_relocs,
    .apply_nonalloc_relocs = apply_nonalloc_relocs,
    .write_iplt_entry = write_iplt_entry,
    .reloc_name = reloc_name,
    .write_plt0 = write_plt0,
    .write_plt_entry = write_plt_entry,
    .lazy_slot_value = lazy_slot_value,
    .branch_range = 128 << 20,
    .thunk_size = 12,
    .is_branch_reloc = is_branch_reloc,
    .write_thunk = write_thunk,
};
