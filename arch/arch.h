// The interface every target implements. linker/ talks to a target only
// through this struct; adding an architecture means adding one file here
// and one line to arch_table in arch.c.
#pragma once
#include "context.h"

// Where one run of relocations writes: the output bytes and the address
// that correspond to input offset 0 of the section being relocated.
typedef struct {
  InputSection *isec;
  uint8_t *base;
  uint64_t addr;
  ElfRela *dynrel;   // next free .rela.dyn slot for this section (static-pie)
} RelocTarget;

struct Arch {
  const char *name;            // "x86_64"
  const char *emulation;       // the -m name GNU ld prints: "elf_x86_64"
  const char *const *emulation_aliases;
  uint16_t machine;
  uint64_t default_image_base;
  uint64_t max_page_size;
  uint64_t common_page_size;
  uint32_t iplt_entry_size, iplt_entry_size_landing_pad;
  // _GLOBAL_OFFSET_TABLE_ names .got.plt (x86-64) or .got (aarch64, whose
  // first .got entry then holds the link-time address of _DYNAMIC).
  bool got_symbol_is_gotplt;
  // .note.gnu.property type AND-merged across inputs (CET, BTI/PAC bits).
  uint32_t feature_1_and_property;
  uint32_t r_relative, r_irelative;
  // Dynamic links: relocation types for the loader, and the loader itself.
  uint32_t r_abs64, r_glob_dat, r_jump_slot, r_copy, r_tpoff64, r_dtpmod64, r_dtpoff64, r_tlsdesc;
  const char *dynamic_linker;
  // The lazy PLT: a header of plt0_size bytes, then one entry per function.
  uint32_t plt0_size, plt_entry_size;
  // A PLT whose entries start with landing pads (BTI, IBT), written when
  // every input has the .note.gnu.property bit plt_landing_pad_feature; its
  // sizes, and where in an entry callers enter (x86-64's IBT entry is a
  // lazy half, then the half that calls go to).
  uint32_t plt_landing_pad_feature, plt0_size_landing_pad, plt_entry_size_landing_pad;
  uint32_t plt_call_offset_landing_pad;
  // TLS: variant 1 (aarch64) puts a TCB of tls_tcb_size before the block;
  // variant 2 (x86-64) puts the block right below the thread pointer.
  bool tls_variant1;
  uint64_t tls_tcb_size;
  // Local-dynamic code relaxed to local exec: whether x@dtpoff becomes x's
  // offset from the thread pointer (x86-64, whose relaxed traditional
  // sequence leaves the thread pointer itself as the base), which puts
  // _TLS_MODULE_BASE_ (the TLS-descriptor base) at the thread pointer too.
  bool dtpoff_relaxes_to_tpoff;

  // Records what each relocation of ISEC needs (GOT, TLS or IFUNC slots)
  // in sym->needs, and counts ISEC's dynamic relocations.
  void (*scan_relocs)(Context *ctx, InputSection *isec);
  // Applies relocations [begin, end) of an allocated section.
  void (*apply_relocs)(Context *ctx, RelocTarget *t, const ElfRela *begin, const ElfRela *end);
  // Applies the relocations of a non-allocated (debug) section.
  void (*apply_nonalloc_relocs)(Context *ctx, RelocTarget *t);
  // Writes one IFUNC stub that jumps through the .got.plt slot at GOT_SLOT,
  // starting with a landing pad (BTI, IBT) when asked: a stub is the
  // function's address, so indirect calls land on it.
  void (*write_iplt_entry)(uint8_t *buf, uint64_t entry_addr, uint64_t got_slot, bool landing_pad);
  const char *(*reloc_name)(uint32_t type);
  // Writes the PLT header (pushes .got.plt[1], jumps to .got.plt[2]) and
  // entry INDEX (starting at ENTRY_ADDR), which jumps through SLOT;
  // lazy_slot_value is what SLOT holds before the loader binds it.
  void (*write_plt0)(uint8_t *buf, uint64_t plt_addr, uint64_t gotplt_addr, bool landing_pad);
  void (*write_plt_entry)(uint8_t *buf, uint64_t entry_addr, uint64_t slot, uint64_t plt_addr, uint32_t index,
                          bool landing_pad);
  uint64_t (*lazy_slot_value)(uint64_t plt_addr, uint64_t entry_addr, bool landing_pad);

  // Range-extension thunks (0 when branches reach everywhere): branch
  // relocations of these types reach +-branch_range; a thunk of thunk_size
  // bytes reaches any address.
  uint64_t branch_range;
  uint32_t thunk_size;
  bool (*is_branch_reloc)(uint32_t type);
  void (*write_thunk)(uint8_t *buf, uint64_t thunk_addr, uint64_t target);
};

const Arch *arch_by_machine(uint16_t machine);
const Arch *arch_by_emulation(const char *emulation);
// Lists the supported emulations, for messages.
const char *arch_emulation_list(void);
