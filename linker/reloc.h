// Helpers shared by the target backends while scanning and applying
// relocations: symbol values, overflow reports and static-pie decisions.
#pragma once
#include "arch.h"
#include "context.h"

// S for a relocation. A section symbol of a merged section names a piece
// by S+A, so the addend is consumed here (*addend becomes 0).
uint64_t reloc_symbol_address(Context *ctx, const Symbol *sym, int64_t *addend);
// Reports "relocation R_X out of range" with the symbol and the place.
void reloc_overflow(Context *ctx, const InputSection *isec, const ElfRela *rel, int64_t value,
                    int64_t min, int64_t max);
void reloc_error(Context *ctx, const InputSection *isec, const ElfRela *rel, const char *what);
// Whether a 64-bit absolute word needs a RELATIVE relocation at run time.
bool needs_relative_reloc(Context *ctx, const Symbol *sym);

// How a 64-bit absolute word in ISEC that refers to SYM is resolved: at
// link time, by a RELATIVE relocation (PIE), or by a symbolic one that the
// loader binds (a shared library's symbol, in writable data). The scan and
// the write pass must agree, so both ask this.
typedef enum { ABS_STATIC, ABS_RELATIVE, ABS_SYMBOLIC } AbsKind;
AbsKind abs_reloc_kind(Context *ctx, const InputSection *isec, const Symbol *sym);
// -z pack-relative-relocs: a RELATIVE relocation at REL goes to .relr.dyn
// when its place is a whole word (known before layout: the section is
// 8-aligned and the offset a multiple of 8).
bool relr_eligible(Context *ctx, const InputSection *isec, const ElfRela *rel);
// Scan: an absolute word of ISEC refers to SYM; counts its dynamic
// relocation, or asks for a copy or canonical PLT entry, or reports a text
// relocation.
void scan_abs_reloc(Context *ctx, InputSection *isec, const ElfRela *rel, Symbol *sym);
// Scan: an absolute address narrower than a word, in code (x86-64's
// R_X86_64_32, aarch64's MOVW_UABS): refused in position-independent
// output, where it cannot move with the load address; else a preemptible
// symbol needs a fixed address (need_direct_access).
void scan_absolute_in_code(Context *ctx, InputSection *isec, const ElfRela *rel, Symbol *sym);
// Scan: local-exec TLS, which a shared library cannot use.
void check_local_exec(Context *ctx, const InputSection *isec, const ElfRela *rel);
// Scan: position-dependent code takes the address of (or reads) a
// preemptible SYM: in an executable a function gets a canonical PLT entry
// and data a copy; in a shared library it is an error.
void need_direct_access(Context *ctx, const InputSection *isec, const ElfRela *rel, Symbol *sym);
// Write: the dynamic relocation for an absolute word at REL (ABS_RELATIVE
// or ABS_SYMBOLIC), with VALUE = S + A for RELATIVE; none for a RELATIVE
// one that .relr.dyn covers.
void emit_abs_dynrel(Context *ctx, RelocTarget *t, AbsKind kind, const ElfRela *rel, const Symbol *sym, int64_t A,
                     uint64_t value);
// PIE: a PC-relative reference to an absolute symbol cannot be resolved
// at link time (the place moves, the symbol does not); reports it.
void check_pc_relative(Context *ctx, const InputSection *isec, const ElfRela *rel, const Symbol *sym);
// For debug sections: the symbol's section is not in the output.
bool symbol_is_dead(const Symbol *sym);
const char *reloc_symbol_name(const InputSection *isec, const ElfRela *rel);
const char *describe_site(InputSection *isec, uint64_t off);
// The same preceded by "file.c:LINE" and a ">>>" line indented to INDENT
// columns when the object's .debug_line knows the place.
const char *describe_site_with_source(InputSection *isec, uint64_t off, int indent);

// What a relocation in a non-allocated (debug) section computes; each
// target maps its relocation types onto these.
typedef enum {
  DEBUG_NONE, DEBUG_ABS64, DEBUG_ABS32, DEBUG_DTPOFF32, DEBUG_DTPOFF64,
  DEBUG_SIZE32, DEBUG_SIZE64, DEBUG_PC32, DEBUG_PC64, DEBUG_UNSUPPORTED,
} DebugReloc;

// Applies a debug section's relocations: absolute values; references to
// removed code get 0 (1 in .debug_ranges/.debug_loc, where 0 would end the
// list early).
void apply_debug_relocs(Context *ctx, RelocTarget *t, DebugReloc (*kind)(uint32_t type));

static inline void need(Symbol *sym, uint32_t flags) {
  atomic_fetch_or_explicit(&sym->needs, flags, memory_order_relaxed);
}

static inline Symbol *reloc_symbol(const InputSection *isec, const ElfRela *rel) {
  return isec->file->syms[ELF64_R_SYM(rel->r_info)];
}
// Relocations read their symbols (and, when applied, the sections those
// are defined in), anywhere in memory. A loop over one section of a few
// relocations (-ffunction-sections) cannot ask for them ahead in time, so
// a run of sections' are asked for before the run is handled: every
// symbol, then (if SECTIONS_TOO) every defining section. (Only SHF_ALLOC
// sections: debug sections' many relocations gained nothing from it.)
void prefetch_reloc_symbols(InputSection *const *secs, size_t n, bool sections_too);
static inline void require_range(Context *ctx, const InputSection *isec, const ElfRela *rel, int64_t v,
                                 int64_t min, int64_t max) {
  if (v < min || v > max) reloc_overflow(ctx, isec, rel, v, min, max);
}
