// A fake link for the relocation unit tests of each architecture: one
// object t.o with one section .text whose input bytes are IN and output
// bytes OUT, and up to 16 symbols. Symbol 1 is the local function "f"
// covering the whole section (so messages name it).
#pragma once
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "diag.h"
#include "layout.h"
#include "reloc.h"
#include "symbols.h"

#define TEXT 0x401000ULL  // address of the section being relocated
#define FOO 0x402000ULL   // a defined symbol
#define GOT 0x403000ULL
#define TP 0x405000ULL    // thread pointer

typedef struct {
  Context *ctx;
  ObjectFile obj;
  Elf64_Sym esyms[16];
  Symbol *syms[16];
  char strtab[256];
  size_t strtab_len;
  InputSection isec;
  uint8_t in[64], out[64];
  Elf64_Rela dynrel[8];
  RelocTarget t;
} World;

// MACHINE's link, static or static-pie; TLS_BEGIN is where the TLS block
// starts (below TP on x86-64, after the TCB above it on aarch64).
static World *world(uint16_t machine, const char *arch_name, bool pie, uint64_t tls_begin) {
  diag_set_error_limit(0);
  World *w = calloc(1, sizeof(World));
  cr_assert_not_null(w);
  Context *ctx = calloc(1, sizeof(Context));
  w->ctx = ctx;
  ctx->arch = arch_by_machine(machine);
  cr_assert_not_null(ctx->arch);
  cr_assert_str_eq(ctx->arch->name, arch_name);
  ctx->cfg.pie = pie;
  ctx->cfg.is_static = true;
  ctx->got = new_chunk(ctx, ".got", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, 8);
  ctx->got->addr = GOT;
  ctx->gotplt = new_chunk(ctx, ".got.plt", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, 8);
  ctx->gotplt->addr = GOT + 0x800;
  ctx->tp_addr = TP;
  ctx->tls_begin = tls_begin;

  w->obj.path = "t.o";
  w->obj.esyms = w->esyms;
  w->obj.syms = w->syms;
  w->obj.strtab = w->strtab;
  w->obj.nsyms = 1;
  w->obj.first_global = 2;
  w->obj.nshdrs = 2;
  w->strtab_len = 1;
  w->obj.strtab_size = 1;

  w->isec.file = &w->obj;
  w->isec.name = ".text";
  w->isec.shndx = 1;
  w->isec.flags = SHF_ALLOC | SHF_EXECINSTR;
  w->isec.type = SHT_PROGBITS;
  w->isec.is_alive = true;
  w->isec.data = w->in;
  w->isec.size = sizeof w->in;

  w->t.isec = &w->isec;
  w->t.base = w->out;
  w->t.addr = TEXT;

  return w;
}

// Adds symbol NAME; with a chunk at ADDR when REL, else absolute VALUE.
static uint32_t add_sym(World *w, const char *name, uint64_t addr, bool rel, uint8_t type) {
  uint32_t i = w->obj.nsyms++;
  cr_assert_lt(i, 16);
  size_t n = strlen(name) + 1;
  cr_assert_lt(w->strtab_len + n, sizeof w->strtab);
  memcpy(w->strtab + w->strtab_len, name, n);
  w->esyms[i] = (Elf64_Sym){.st_name = (uint32_t)w->strtab_len,
                            .st_info = ELF64_ST_INFO(i < w->obj.first_global ? STB_LOCAL : STB_GLOBAL, type),
                            .st_shndx = SHN_ABS, .st_value = addr};
  w->strtab_len += n;
  w->obj.strtab_size = w->strtab_len;
  Symbol *s = calloc(1, sizeof(Symbol));
  s->name = w->strtab + w->esyms[i].st_name;
  s->namelen = (uint32_t)n - 1;
  s->def_rank = RANK_STRONG;
  s->type = type;
  s->binding = STB_GLOBAL;
  s->esym_index = i;
  if (rel) {
    Chunk *c = new_chunk(w->ctx, type == STT_TLS ? ".tdata" : ".data", SHT_PROGBITS, SHF_ALLOC, 1);
    c->addr = addr;
    symbol_aux(w->ctx, s)->chunk = c;
  } else {
    s->value = addr;
  }
  w->syms[i] = s;
  return i;
}
#define SYM(w, name, addr) add_sym((w), (name), (addr), true, STT_OBJECT)
#define ABS(w, name, value) add_sym((w), (name), (value), false, STT_NOTYPE)
#define TLS(w, name, addr) add_sym((w), (name), (addr), true, STT_TLS)
#define FUNC(w, name, addr) add_sym((w), (name), (addr), true, STT_FUNC)

static void add_func_f(World *w) {
  uint32_t i = add_sym(w, "f", TEXT, true, STT_FUNC);
  cr_assert_eq(i, 1);
  w->esyms[i].st_shndx = 1;
  w->esyms[i].st_value = 0;
  w->esyms[i].st_size = sizeof w->in;
}

static Elf64_Rela R(uint64_t off, uint32_t sym, uint32_t type, int64_t addend) {
  return (Elf64_Rela){.r_offset = off, .r_info = ELF64_R_INFO(sym, type), .r_addend = addend};
}
