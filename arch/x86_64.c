// x86-64 (psABI 1.0): relocation scan, application and relaxation for
// static and static-pie executables, and the IFUNC stub.
#include "arch.h"
#include "diag.h"
#include "reloc.h"
#include "symbols.h"
#include <stdio.h>

#define S32_MIN INT32_MIN
#define S32_MAX INT32_MAX

static const char *reloc_name(uint32_t type) {
  static const char *const names[] = {
      "R_X86_64_NONE", "R_X86_64_64", "R_X86_64_PC32", "R_X86_64_GOT32", "R_X86_64_PLT32",
      "R_X86_64_COPY", "R_X86_64_GLOB_DAT", "R_X86_64_JUMP_SLOT", "R_X86_64_RELATIVE",
      "R_X86_64_GOTPCREL", "R_X86_64_32", "R_X86_64_32S", "R_X86_64_16", "R_X86_64_PC16", "R_X86_64_8",
      "R_X86_64_PC8", "R_X86_64_DTPMOD64", "R_X86_64_DTPOFF64", "R_X86_64_TPOFF64", "R_X86_64_TLSGD",
      "R_X86_64_TLSLD", "R_X86_64_DTPOFF32", "R_X86_64_GOTTPOFF", "R_X86_64_TPOFF32", "R_X86_64_PC64",
      "R_X86_64_GOTOFF64", "R_X86_64_GOTPC32", "R_X86_64_GOT64", "R_X86_64_GOTPCREL64", "R_X86_64_GOTPC64",
      "R_X86_64_GOTPLT64", "R_X86_64_PLTOFF64", "R_X86_64_SIZE32", "R_X86_64_SIZE64",
      "R_X86_64_GOTPC32_TLSDESC", "R_X86_64_TLSDESC_CALL", "R_X86_64_TLSDESC", "R_X86_64_IRELATIVE",
      "R_X86_64_RELATIVE64", "39", "40", "R_X86_64_GOTPCRELX", "R_X86_64_REX_GOTPCRELX",
  };
  if (type < ARRAY_SIZE(names)) return names[type];
  static _Thread_local char buf[32];
  snprintf(buf, sizeof buf, "unknown (%u)", type);
  return buf;
}

// ------------------------------------------------------------ relaxation checks

// A GOT load can become a direct reference if the symbol has a fixed place
// in the image (absolute symbols and undefined weaks keep their GOT slot).
static bool sym_is_relaxable(const Context *ctx, const Symbol *sym) {
  return symbol_is_defined(sym) && !symbol_is_absolute(ctx, sym) && !sym->is_preemptible;
}

// GOTPCRELX: mov -> lea, call * -> addr32 call, jmp * -> jmp; nop.
static bool gotpcrelx_form(const InputSection *isec, const ElfRela *rel, bool rex) {
  uint64_t off = rel->r_offset;
  if (off < (rex ? 3u : 2u)) return false;
  const uint8_t *loc = isec->data + off;
  if (rex) return loc[-2] == 0x8b && (loc[-3] == 0x48 || loc[-3] == 0x4c);
  return loc[-2] == 0x8b || (loc[-2] == 0xff && (loc[-1] == 0x15 || loc[-1] == 0x25));
}

// "mov foo@gottpoff(%rip), %reg" and "add foo@gottpoff(%rip), %reg".
static bool gottpoff_form(const InputSection *isec, const ElfRela *rel) {
  uint64_t off = rel->r_offset;
  if (off < 3) return false;
  const uint8_t *loc = isec->data + off;
  return (loc[-3] == 0x48 || loc[-3] == 0x4c) && (loc[-2] == 0x8b || loc[-2] == 0x03) && (loc[-1] & 0xc7) == 0x05;
}

static bool is_tls_get_addr(const InputSection *isec, const ElfRela *rel) {
  const Symbol *s = reloc_symbol(isec, rel);
  return s && !strcmp(s->name, "__tls_get_addr");
}

// -mcmodel=large calls __tls_get_addr through a 64-bit PLT offset:
// "movabs $__tls_get_addr@pltoff,%rax; add %<got>,%rax; call *%rax" (15
// bytes) after the 7-byte lea whose 4-byte field is at `off`.
static bool large_model_tls_call(const InputSection *isec, const ElfRela *rel) {
  uint64_t off = rel->r_offset;
  if (off + 19 > isec->size || ELF64_R_TYPE(rel[1].r_info) != R_X86_64_PLTOFF64 || rel[1].r_offset != off + 6 ||
      !is_tls_get_addr(isec, rel + 1))
    return false;
  const uint8_t *loc = isec->data + off;
  bool add_to_rax = (loc[14] == 0x48 || loc[14] == 0x4c) && loc[15] == 0x01 && (loc[16] & 0xc7) == 0xc0;
  return loc[4] == 0x48 && loc[5] == 0xb8 && add_to_rax && loc[17] == 0xff && loc[18] == 0xd0;
}

enum { TLS_CALL_NONE, TLS_CALL_SMALL, TLS_CALL_GOT, TLS_CALL_LARGE };

// General dynamic: "data16 lea x@tlsgd(%rip),%rdi; data16 data16 rex64
// call __tls_get_addr" (16 bytes), or the large-model form (22 bytes), can
// become local exec.
static int tlsgd_form(const InputSection *isec, const ElfRela *rel, const ElfRela *end) {
  uint64_t off = rel->r_offset;
  if (rel + 1 >= end || off < 4 || off + 12 > isec->size) return TLS_CALL_NONE;
  const uint8_t *loc = isec->data + off;
  if (!memcmp(loc - 3, "\x48\x8d\x3d", 3) && large_model_tls_call(isec, rel)) return TLS_CALL_LARGE;
  uint32_t next = ELF64_R_TYPE(rel[1].r_info);
  if ((next != R_X86_64_PLT32 && next != R_X86_64_PC32) || rel[1].r_offset != off + 8 || !is_tls_get_addr(isec, rel + 1))
    return TLS_CALL_NONE;
  return !memcmp(loc - 4, "\x66\x48\x8d\x3d", 4) && !memcmp(loc + 4, "\x66\x66\x48\xe8", 4) ? TLS_CALL_SMALL
                                                                                           : TLS_CALL_NONE;
}

// Local dynamic: "lea x@tlsld(%rip),%rdi; call __tls_get_addr" (with a
// PLT32/PC32 call, an indirect call through the GOT, or the large-model
// call).
static int tlsld_form(const InputSection *isec, const ElfRela *rel, const ElfRela *end) {
  uint64_t off = rel->r_offset;
  if (rel + 1 >= end || off < 3 || off + 8 > isec->size || !is_tls_get_addr(isec, rel + 1)) return TLS_CALL_NONE;
  const uint8_t *loc = isec->data + off;
  if (memcmp(loc - 3, "\x48\x8d\x3d", 3)) return TLS_CALL_NONE;
  uint32_t next = ELF64_R_TYPE(rel[1].r_info);
  if ((next == R_X86_64_PLT32 || next == R_X86_64_PC32) && rel[1].r_offset == off + 5 && loc[4] == 0xe8)
    return TLS_CALL_SMALL;
  if ((next == R_X86_64_GOTPCRELX || next == R_X86_64_GOTPCREL) && rel[1].r_offset == off + 6 && off + 9 <= isec->size &&
      loc[4] == 0xff && loc[5] == 0x15)
    return TLS_CALL_GOT;
  if (large_model_tls_call(isec, rel)) return TLS_CALL_LARGE;
  return TLS_CALL_NONE;
}

// ------------------------------------------------------------ scan

static void scan_relocs(Context *ctx, InputSection *isec) {
  const ElfRela *rels = isec->rels, *end = rels + isec->nrels;
  for (const ElfRela *rel = rels; rel < end; rel++) {
    uint32_t type = ELF64_R_TYPE(rel->r_info);
    if (type == R_X86_64_NONE) continue;
    Symbol *sym = reloc_symbol(isec, rel);
    if (!sym) continue;
    if (!symbol_is_defined(sym)) note_undefined_reference(isec, rel);
    // Preemptible symbols are bound by the loader; a shared library's TLS
    // cannot be relaxed to the executable's fixed offsets.
    bool preempt = sym->is_preemptible, shared = ctx->cfg.shared;
    if (symbol_is_ifunc(sym) && !preempt) need(sym, NEEDS_IPLT);
    switch (type) {
    case R_X86_64_64:
      scan_abs_reloc(ctx, isec, rel, sym);
      break;
    case R_X86_64_32:
    case R_X86_64_32S:
      scan_absolute_in_code(ctx, isec, rel, sym);
      break;
    case R_X86_64_PLT32:
      if (preempt) need(sym, NEEDS_PLT);
      check_pc_relative(ctx, isec, rel, sym);
      break;
    case R_X86_64_PC32: case R_X86_64_PC64: case R_X86_64_PC16: case R_X86_64_PC8:
      if (preempt) need_direct_access(ctx, isec, rel, sym);
      check_pc_relative(ctx, isec, rel, sym);
      break;
    case R_X86_64_TPOFF32: case R_X86_64_TPOFF64:
      check_local_exec(ctx, isec, rel);
      break;
    case R_X86_64_16: case R_X86_64_8: case R_X86_64_GOTPC32: case R_X86_64_GOTPC64: case R_X86_64_GOTOFF64:
    case R_X86_64_PLTOFF64: case R_X86_64_DTPOFF32:
    case R_X86_64_DTPOFF64: case R_X86_64_SIZE32: case R_X86_64_SIZE64: case R_X86_64_TLSDESC_CALL:
      break;
    case R_X86_64_GOTPCREL: case R_X86_64_GOTPCREL64: case R_X86_64_GOT64: case R_X86_64_GOTPLT64:
    case R_X86_64_GOT32:
      need(sym, NEEDS_GOT);
      break;
    case R_X86_64_GOTPCRELX:
    case R_X86_64_REX_GOTPCRELX:
      if (!(gotpcrelx_form(isec, rel, type == R_X86_64_REX_GOTPCRELX) && sym_is_relaxable(ctx, sym))) need(sym, NEEDS_GOT);
      break;
    case R_X86_64_GOTTPOFF:
      if (preempt || shared || !gottpoff_form(isec, rel)) need(sym, NEEDS_GOTTP);
      break;
    case R_X86_64_TLSGD:
      if (!preempt && !shared && tlsgd_form(isec, rel, end)) rel++;  // the __tls_get_addr call goes away
      else need(sym, NEEDS_TLSGD);
      break;
    case R_X86_64_GOTPC32_TLSDESC:
      if (shared) need(sym, NEEDS_TLSDESC);
      else if (preempt) need(sym, NEEDS_GOTTP);  // relaxed to initial exec
      break;
    case R_X86_64_TLSLD:
      if (shared) need(sym, NEEDS_TLSLD);
      else if (tlsld_form(isec, rel, end)) rel++;
      else reloc_error(ctx, isec, rel, "unsupported local-dynamic TLS code sequence");
      break;
    default:
      reloc_error(ctx, isec, rel, xasprintf("unsupported relocation %s", reloc_name(type)));
    }
  }
}

// ------------------------------------------------------------ apply

static uint64_t got_base(Context *ctx) { return ctx->gotplt->shndx ? ctx->gotplt->addr : ctx->got->addr; }

static void apply_relocs(Context *ctx, RelocTarget *t, const ElfRela *begin, const ElfRela *end) {
  InputSection *isec = t->isec;
  for (const ElfRela *rel = begin; rel < end; rel++) {
    uint32_t type = ELF64_R_TYPE(rel->r_info);
    if (type == R_X86_64_NONE) continue;
    Symbol *sym = reloc_symbol(isec, rel);
    if (!sym) continue;
    uint8_t *loc = t->base + rel->r_offset;
    uint64_t P = t->addr + rel->r_offset;
    int64_t A = rel->r_addend;
    uint64_t S = reloc_symbol_address(ctx, sym, &A);
    int32_t got_index = symbol_got_index(ctx, sym);
    uint64_t got_slot = got_index >= 0 ? ctx->got->addr + (uint64_t)got_index * 8 : 0;
    // An undefined weak TLS symbol has offset 0 (its code is never reached).
    uint64_t tp = symbol_is_defined(sym) ? ctx->tp_addr : S;
    // x@dtpoff: from the thread pointer once local dynamic is relaxed to
    // local exec; from the module's TLS block in a shared library.
    uint64_t dtp = ctx->cfg.shared ? ctx->tls_begin : tp;

#define CHECK_S32(v) require_range(ctx, isec, rel, (int64_t)(v), S32_MIN, S32_MAX)
    switch (type) {
    case R_X86_64_64:
      emit_abs_dynrel(ctx, t, abs_reloc_kind(ctx, isec, sym), rel, sym, A, S + A);
      wr64(loc, S + A);
      break;
    case R_X86_64_32: {
      uint64_t v = S + A;
      require_range(ctx, isec, rel, (int64_t)v, 0, UINT32_MAX);
      wr32(loc, (uint32_t)v);
      break;
    }
    case R_X86_64_32S: CHECK_S32(S + A); wr32(loc, (uint32_t)(S + A)); break;
    case R_X86_64_16: require_range(ctx, isec, rel, (int64_t)(S + A), INT16_MIN, UINT16_MAX); wr16(loc, (uint16_t)(S + A)); break;
    case R_X86_64_8: require_range(ctx, isec, rel, (int64_t)(S + A), INT8_MIN, UINT8_MAX); *loc = (uint8_t)(S + A); break;
    case R_X86_64_PC32:
    case R_X86_64_PLT32: CHECK_S32(S + A - P); wr32(loc, (uint32_t)(S + A - P)); break;
    case R_X86_64_PC16: require_range(ctx, isec, rel, (int64_t)(S + A - P), INT16_MIN, INT16_MAX); wr16(loc, (uint16_t)(S + A - P)); break;
    case R_X86_64_PC8: require_range(ctx, isec, rel, (int64_t)(S + A - P), INT8_MIN, INT8_MAX); *loc = (uint8_t)(S + A - P); break;
    case R_X86_64_PC64: wr64(loc, S + A - P); break;
    case R_X86_64_GOTPCREL: CHECK_S32(got_slot + A - P); wr32(loc, (uint32_t)(got_slot + A - P)); break;
    case R_X86_64_GOTPCREL64: wr64(loc, got_slot + A - P); break;
    case R_X86_64_GOT32: CHECK_S32(got_slot + A - got_base(ctx)); wr32(loc, (uint32_t)(got_slot + A - got_base(ctx))); break;
    case R_X86_64_GOT64:
    case R_X86_64_GOTPLT64: wr64(loc, got_slot + A - got_base(ctx)); break;
    case R_X86_64_GOTPCRELX:
    case R_X86_64_REX_GOTPCRELX: {
      bool rex = type == R_X86_64_REX_GOTPCRELX;
      if (got_index >= 0 || !gotpcrelx_form(isec, rel, rex) || !sym_is_relaxable(ctx, sym)) {
        CHECK_S32(got_slot + A - P);
        wr32(loc, (uint32_t)(got_slot + A - P));
        break;
      }
      int64_t v = (int64_t)(S + A - P);
      CHECK_S32(v);
      if (loc[-2] == 0x8b) {
        loc[-2] = 0x8d;  // mov foo@GOTPCREL(%rip) -> lea foo(%rip)
        wr32(loc, (uint32_t)v);
      } else if (loc[-1] == 0x15) {
        loc[-2] = 0x67;  // call *foo@GOTPCREL(%rip) -> addr32 call foo
        loc[-1] = 0xe8;
        wr32(loc, (uint32_t)v);
      } else {
        loc[-2] = 0xe9;  // jmp *foo@GOTPCREL(%rip) -> jmp foo; nop
        wr32(loc - 1, (uint32_t)(v + 1));
        loc[3] = 0x90;
      }
      break;
    }
    case R_X86_64_GOTPC32: CHECK_S32(got_base(ctx) + A - P); wr32(loc, (uint32_t)(got_base(ctx) + A - P)); break;
    case R_X86_64_GOTPC64: wr64(loc, got_base(ctx) + A - P); break;
    case R_X86_64_GOTOFF64:
    case R_X86_64_PLTOFF64: wr64(loc, S + A - got_base(ctx)); break;
    case R_X86_64_TPOFF32: CHECK_S32(S + A - tp); wr32(loc, (uint32_t)(S + A - tp)); break;
    case R_X86_64_TPOFF64: wr64(loc, S + A - tp); break;
    case R_X86_64_DTPOFF32: CHECK_S32(S + A - dtp); wr32(loc, (uint32_t)(S + A - dtp)); break;
    case R_X86_64_DTPOFF64: wr64(loc, S + A - dtp); break;
    case R_X86_64_GOTTPOFF: {
      int32_t gottp_index = symbol_gottp_index(ctx, sym);
      if (gottp_index >= 0) {
        uint64_t slot = ctx->got->addr + (uint64_t)gottp_index * 8;
        CHECK_S32(slot + A - P);
        wr32(loc, (uint32_t)(slot + A - P));
        break;
      }
      // mov/add foo@gottpoff(%rip), %reg -> mov/add $tpoff, %reg
      if (loc[-3] == 0x4c) loc[-3] = 0x49;
      loc[-1] = 0xc0 | ((loc[-1] >> 3) & 7);
      loc[-2] = loc[-2] == 0x8b ? 0xc7 : 0x81;
      CHECK_S32(S + A + 4 - tp);
      wr32(loc, (uint32_t)(S + A + 4 - tp));
      break;
    }
    case R_X86_64_TLSGD: {
      int32_t tlsgd_index = symbol_tlsgd_index(ctx, sym);
      if (tlsgd_index >= 0) {
        uint64_t slot = ctx->got->addr + (uint64_t)tlsgd_index * 8;
        CHECK_S32(slot + A - P);
        wr32(loc, (uint32_t)(slot + A - P));
        break;
      }
      // -> mov %fs:0,%rax; lea x@tpoff(%rax),%rax (and a 6-byte nop for the
      // large-model sequence)
      CHECK_S32(S - tp);
      if (tlsgd_form(isec, rel, end) == TLS_CALL_LARGE) {
        memcpy(loc - 3, "\x64\x48\x8b\x04\x25\x00\x00\x00\x00\x48\x8d\x80\0\0\0\0\x66\x0f\x1f\x44\x00\x00", 22);
        wr32(loc + 9, (uint32_t)(S - tp));
      } else {
        memcpy(loc - 4, "\x64\x48\x8b\x04\x25\x00\x00\x00\x00\x48\x8d\x80", 12);
        wr32(loc + 8, (uint32_t)(S - tp));
      }
      rel++;
      break;
    }
    case R_X86_64_TLSLD:
      if (ctx->cfg.shared) {
        uint64_t slot = ctx->got->addr + (uint64_t)ctx->tlsld_index * 8;
        CHECK_S32(slot + A - P);
        wr32(loc, (uint32_t)(slot + A - P));
        break;
      }
      // -> mov %fs:0,%rax (padded with prefixes or a nop to the same length)
      switch (tlsld_form(isec, rel, end)) {
      case TLS_CALL_SMALL: memcpy(loc - 3, "\x66\x66\x66\x64\x48\x8b\x04\x25\x00\x00\x00\x00", 12); break;
      case TLS_CALL_GOT: memcpy(loc - 3, "\x66\x66\x66\x64\x48\x8b\x04\x25\x00\x00\x00\x00\x90", 13); break;
      default:
        memcpy(loc - 3, "\x66\x66\x66\x64\x48\x8b\x04\x25\x00\x00\x00\x00\x66\x2e\x0f\x1f\x84\x00\x00\x00\x00\x00", 22);
      }
      rel++;
      break;
    case R_X86_64_GOTPC32_TLSDESC: {
      if (rel->r_offset < 3 || (loc[-3] != 0x48 && loc[-3] != 0x4c) || loc[-2] != 0x8d || (loc[-1] & 0xc7) != 0x05) {
        reloc_error(ctx, isec, rel, "unsupported TLS descriptor code sequence");
        break;
      }
      int32_t tlsdesc_index = symbol_tlsdesc_index(ctx, sym);
      if (tlsdesc_index >= 0) {  // the descriptor itself
        uint64_t slot = ctx->got->addr + (uint64_t)tlsdesc_index * 8;
        CHECK_S32(slot + A - P);
        wr32(loc, (uint32_t)(slot + A - P));
        break;
      }
      int32_t gottp_index = symbol_gottp_index(ctx, sym);
      if (gottp_index >= 0) {
        // lea x@tlsdesc(%rip), %reg -> mov x@gottpoff(%rip), %reg
        uint64_t slot = ctx->got->addr + (uint64_t)gottp_index * 8;
        loc[-2] = 0x8b;
        CHECK_S32(slot + A - P);
        wr32(loc, (uint32_t)(slot + A - P));
        break;
      }
      // lea x@tlsdesc(%rip), %reg -> mov $tpoff, %reg
      uint8_t reg = (loc[-1] >> 3) & 7;
      loc[-3] = loc[-3] == 0x4c ? 0x49 : 0x48;
      loc[-2] = 0xc7;
      loc[-1] = 0xc0 | reg;
      CHECK_S32(S - tp);
      wr32(loc, (uint32_t)(S - tp));
      break;
    }
    case R_X86_64_TLSDESC_CALL:
      if (symbol_tlsdesc_index(ctx, sym) >= 0) break;  // the call stays
      loc[0] = 0x66;  // call *x@tlscall(%rax) -> xchg %ax,%ax
      loc[1] = 0x90;
      break;
    case R_X86_64_SIZE32: wr32(loc, (uint32_t)(sym->size + A)); break;
    case R_X86_64_SIZE64: wr64(loc, sym->size + A); break;
    default: break;  // reported by the scan
    }
#undef CHECK_S32
  }
}

static DebugReloc debug_reloc_kind(uint32_t type) {
  switch (type) {
  case R_X86_64_NONE: return DEBUG_NONE;
  case R_X86_64_64: return DEBUG_ABS64;
  case R_X86_64_32: case R_X86_64_32S: return DEBUG_ABS32;
  case R_X86_64_DTPOFF32: return DEBUG_DTPOFF32;
  case R_X86_64_DTPOFF64: return DEBUG_DTPOFF64;
  case R_X86_64_SIZE32: return DEBUG_SIZE32;
  case R_X86_64_SIZE64: return DEBUG_SIZE64;
  case R_X86_64_PC32: return DEBUG_PC32;
  case R_X86_64_PC64: return DEBUG_PC64;
  default: return DEBUG_UNSUPPORTED;
  }
}

static void apply_nonalloc_relocs(Context *ctx, RelocTarget *t) { apply_debug_relocs(ctx, t, debug_reloc_kind); }

// [endbr64;] jmp *slot(%rip), padded to 16 bytes with a long nop.
static void write_iplt_entry(uint8_t *buf, uint64_t entry, uint64_t slot, bool ibt) {
  if (ibt) {
    memcpy(buf, "\xf3\x0f\x1e\xfa\xff\x25\0\0\0\0\x66\x0f\x1f\x44\x00\x00", 16);
    wr32(buf + 6, (uint32_t)(slot - (entry + 10)));
    return;
  }
  memcpy(buf, "\xff\x25\0\0\0\0\x66\x0f\x1f\x84\x00\x00\x00\x00\x00\x90", 16);
  wr32(buf + 2, (uint32_t)(slot - (entry + 6)));
}

// PLT header: push .got.plt[1]; jmp *.got.plt[2]; nop
// (The header is reached by direct jumps only: no landing pad needed.)
static void write_plt0(uint8_t *buf, uint64_t plt, uint64_t gotplt, bool landing_pad) {
  (void)landing_pad;
  memcpy(buf, "\xff\x35\0\0\0\0\xff\x25\0\0\0\0\x0f\x1f\x40\x00", 16);
  wr32(buf + 2, (uint32_t)(gotplt + 8 - (plt + 6)));
  wr32(buf + 8, (uint32_t)(gotplt + 16 - (plt + 12)));
}

// jmp *slot(%rip); push $index; jmp header. The slot first points at the
// push, so the first call goes through the loader's resolver.
static void write_plt_entry(uint8_t *buf, uint64_t entry, uint64_t slot, uint64_t plt, uint32_t index,
                            bool landing_pad) {
  if (landing_pad) {
    // IBT: a lazy half "endbr64; push $index; jmp header; nop", which the
    // slot first points at, then the half calls go to:
    // "endbr64; jmp *slot(%rip); nopw 0(%rax,%rax)".
    memcpy(buf, "\xf3\x0f\x1e\xfa\x68\0\0\0\0\xe9\0\0\0\0\x66\x90", 16);
    wr32(buf + 5, index);
    wr32(buf + 10, (uint32_t)(plt - (entry + 14)));
    memcpy(buf + 16, "\xf3\x0f\x1e\xfa\xff\x25\0\0\0\0\x66\x0f\x1f\x44\x00\x00", 16);
    wr32(buf + 22, (uint32_t)(slot - (entry + 16 + 10)));
    return;
  }
  memcpy(buf, "\xff\x25\0\0\0\0\x68\0\0\0\0\xe9\0\0\0\0", 16);
  wr32(buf + 2, (uint32_t)(slot - (entry + 6)));
  wr32(buf + 7, index);
  wr32(buf + 12, (uint32_t)(plt - (entry + 16)));
}

static uint64_t lazy_slot_value(uint64_t plt, uint64_t entry, bool ibt) {
  (void)plt;
  return ibt ? entry : entry + 6;  // the IBT entry's lazy half, or the push
}

static const char *const aliases[] = {"elf_x86_64_sol2", NULL};

const Arch arch_x86_64 = {
    .name = "x86_64",
    .emulation = "elf_x86_64",
    .emulation_aliases = aliases,
    .machine = EM_X86_64,
    .default_image_base = 0x400000,
    .max_page_size = 4096,
    .common_page_size = 4096,
    .iplt_entry_size = 16,
    .iplt_entry_size_landing_pad = 16,
    .got_symbol_is_gotplt = true,
    .feature_1_and_property = GNU_PROPERTY_X86_FEATURE_1_AND,
    .r_relative = R_X86_64_RELATIVE,
    .r_irelative = R_X86_64_IRELATIVE,
    .r_abs64 = R_X86_64_64,
    .r_glob_dat = R_X86_64_GLOB_DAT,
    .r_jump_slot = R_X86_64_JUMP_SLOT,
    .r_copy = R_X86_64_COPY,
    .r_tpoff64 = R_X86_64_TPOFF64,
    .r_dtpmod64 = R_X86_64_DTPMOD64,
    .r_dtpoff64 = R_X86_64_DTPOFF64,
    .r_tlsdesc = R_X86_64_TLSDESC,
    .dynamic_linker = "/lib64/ld-linux-x86-64.so.2",
    .plt0_size = 16,
    .plt_entry_size = 16,
    .plt_landing_pad_feature = GNU_PROPERTY_X86_FEATURE_1_IBT,
    .plt0_size_landing_pad = 16,
    .plt_entry_size_landing_pad = 32,
    .plt_call_offset_landing_pad = 16,
    .tls_variant1 = false,
    .tls_tcb_size = 0,
    .dtpoff_relaxes_to_tpoff = true,
    .scan_relocs = scan_relocs,
    .apply_relocs = apply_relocs,
    .apply_nonalloc_relocs = apply_nonalloc_relocs,
    .write_iplt_entry = write_iplt_entry,
    .reloc_name = reloc_name,
    .write_plt0 = write_plt0,
    .write_plt_entry = write_plt_entry,
    .lazy_slot_value = lazy_slot_value,
};
