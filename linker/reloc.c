#include "reloc.h"
#include "debug_line.h"
#include "debug_info.h"
#include "diag.h"
#include "input.h"
#include "layout.h"

uint64_t reloc_symbol_address(Context *ctx, const Symbol *sym, int64_t *addend) {
  const InputSection *isec = sym->isec;
  if (isec && isec->is_merge && sym->type == STT_SECTION) {
    uint64_t off = sym->value + (uint64_t)*addend, poff;
    Fragment *f = merge_find_piece(isec, off, &poff);
    *addend = 0;
    return f->parent->chunk.addr + f->offset + (off - poff);
  }
  return symbol_address(ctx, sym);
}

static bool has_prefetched_relocs(const InputSection *isec) {
  return isec && isec->is_alive && isec->nrels && !isec->is_eh_frame && (isec->flags & SHF_ALLOC);
}

void prefetch_reloc_symbols(InputSection *const *secs, size_t n, bool sections_too) {
  for (size_t k = 0; k < n; k++)
    if (has_prefetched_relocs(secs[k]))
      for (uint32_t r = 0; r < secs[k]->nrels; r++) __builtin_prefetch(reloc_symbol(secs[k], &secs[k]->rels[r]));
  if (!sections_too) return;
  for (size_t k = 0; k < n; k++)
    if (has_prefetched_relocs(secs[k]))
      for (uint32_t r = 0; r < secs[k]->nrels; r++) {
        const Symbol *s = reloc_symbol(secs[k], &secs[k]->rels[r]);
        if (s && s->isec) __builtin_prefetch(&s->isec->osec);
      }
}

const char *reloc_symbol_name(const InputSection *isec, const ElfRela *rel) {
  const Symbol *s = reloc_symbol(isec, rel);
  if (s && s->type == STT_SECTION) return xasprintf("section %s", s->isec ? s->isec->name : "?");
  return s && s->name[0] ? demangle(s->name) : "<no symbol>";
}

void reloc_error(Context *ctx, const InputSection *isec, const ElfRela *rel, const char *what) {
  error("%s: %s against %s", describe_site((InputSection *)isec, rel->r_offset), what,
        reloc_symbol_name(isec, rel));
  (void)ctx;
}

// lld's form: the place, the type, the value and its range, the symbol;
// then the source line of the place and the file defining the symbol.
void reloc_overflow(Context *ctx, const InputSection *isec, const ElfRela *rel, int64_t value, int64_t min,
                    int64_t max) {
  // One error() call with its ">>>" lines: sections are relocated in
  // parallel, and separate notes could interleave with another thread's.
  const Symbol *s = reloc_symbol(isec, rel);
  const char *src = source_location(isec->file, isec->shndx, rel->r_offset);
  bool def = s && s->type != STT_SECTION && s->file;
  // With debug information, the definition's source line over its place,
  // as for duplicate symbols.
  const char *def_src = NULL, *def_at = def ? file_name(s->file) : "";
  if (def && s->isec && s->isec->file == s->file) {
    def_src = source_location(s->file, s->isec->shndx, s->value);
    if (!def_src) def_src = variable_location(s->file, s->isec->shndx, s->value, s->name);
    if (def_src)
      def_at = xasprintf("%s\n>>>            %s:(%s+0x%llx)", def_src, file_name(s->file), s->isec->name,
                         (unsigned long long)s->value);
  }
  error("%s: relocation %s out of range: %lld is not in [%lld, %lld]; references '%s'%s%s%s%s",
        describe_site((InputSection *)isec, rel->r_offset), ctx->arch->reloc_name(ELF64_R_TYPE(rel->r_info)),
        (long long)value, (long long)min, (long long)max, reloc_symbol_name(isec, rel),
        src ? "\n>>> referenced by " : "", src ? src : "", !def ? "" : def_src ? "\n>>> defined at " : "\n>>> defined in ",
        def_at);
}

bool needs_relative_reloc(Context *ctx, const Symbol *sym) {
  return ctx->cfg.pie && symbol_is_defined(sym) && !symbol_is_absolute(ctx, sym);
}

AbsKind abs_reloc_kind(Context *ctx, const InputSection *isec, const Symbol *sym) {
  if (sym->is_preemptible) return (isec->flags & SHF_WRITE) || ctx->cfg.pie ? ABS_SYMBOLIC : ABS_STATIC;
  return needs_relative_reloc(ctx, sym) ? ABS_RELATIVE : ABS_STATIC;
}

bool relr_eligible(Context *ctx, const InputSection *isec, const ElfRela *rel) {
  return ctx->relr && isec->p2align >= 3 && rel->r_offset % 8 == 0;
}

void need_direct_access(Context *ctx, const InputSection *isec, const ElfRela *rel, Symbol *sym) {
  if (!ctx->cfg.shared) {
    need(sym, NEEDS_COPY);
    return;
  }
  // A shared library cannot fix another module's address in its code.
  reloc_error(ctx, isec, rel,
              xasprintf("relocation %s cannot be used against preemptible symbol '%s' in a shared object; "
                        "recompile with -fPIC", ctx->arch->reloc_name(ELF64_R_TYPE(rel->r_info)), demangle(sym->name)));
}

void scan_absolute_in_code(Context *ctx, InputSection *isec, const ElfRela *rel, Symbol *sym) {
  bool shared = ctx->cfg.shared;
  if (ctx->cfg.pie && ((symbol_is_defined(sym) && !symbol_is_absolute(ctx, sym)) || sym->is_preemptible))
    reloc_error(ctx, isec, rel,
                xasprintf("relocation %s cannot be used in %s; recompile with %s",
                          ctx->arch->reloc_name(ELF64_R_TYPE(rel->r_info)),
                          shared ? "a shared object" : "a position-independent executable", shared ? "-fPIC" : "-fPIE"));
  else if (sym->is_preemptible)
    need_direct_access(ctx, isec, rel, sym);
}

void check_local_exec(Context *ctx, const InputSection *isec, const ElfRela *rel) {
  if (ctx->cfg.shared)
    reloc_error(ctx, isec, rel,
                xasprintf("relocation %s (local-exec TLS) cannot be used in a shared object; recompile with -fPIC",
                          ctx->arch->reloc_name(ELF64_R_TYPE(rel->r_info))));
}

void scan_abs_reloc(Context *ctx, InputSection *isec, const ElfRela *rel, Symbol *sym) {
  AbsKind k = abs_reloc_kind(ctx, isec, sym);
  if (k == ABS_STATIC) {
    if (sym->is_preemptible) need_direct_access(ctx, isec, rel, sym);
    return;
  }
  // A dynamic relocation in a read-only section is a text relocation: the
  // loader must make the segment writable first (DT_TEXTREL), which only
  // -z notext allows.
  if (!(isec->flags & SHF_WRITE) && ctx->is_dynamic) {
    if (!ctx->cfg.z_notext) {
      reloc_error(ctx, isec, rel,
                  xasprintf("relocation %s in read-only section %s needs a dynamic relocation (a text "
                            "relocation); recompile with -fPIC, or link with -z notext",
                            ctx->arch->reloc_name(ELF64_R_TYPE(rel->r_info)), isec->name));
      return;
    }
    atomic_store_explicit(&ctx->has_textrel, true, memory_order_relaxed);
  }
  if (k == ABS_RELATIVE && relr_eligible(ctx, isec, rel)) {
    isec->has_relr = true;  // written by .relr.dyn, not .rela.dyn
    return;
  }
  isec->num_dynrel++;
}

void emit_abs_dynrel(Context *ctx, RelocTarget *t, AbsKind kind, const ElfRela *rel, const Symbol *sym, int64_t A,
                     uint64_t value) {
  if (kind == ABS_STATIC || !t->dynrel) return;
  uint64_t P = t->addr + rel->r_offset;
  if (kind == ABS_RELATIVE && relr_eligible(ctx, t->isec, rel)) return;
  if (kind == ABS_RELATIVE)
    *t->dynrel++ = (ElfRela){.r_offset = P, .r_info = ELF64_R_INFO(0, ctx->arch->r_relative), .r_addend = (int64_t)value};
  else
    *t->dynrel++ = (ElfRela){.r_offset = P,
                             .r_info = ELF64_R_INFO((uint32_t)symbol_dynsym_index(ctx, sym), ctx->arch->r_abs64),
                             .r_addend = A};
}

void check_pc_relative(Context *ctx, const InputSection *isec, const ElfRela *rel, const Symbol *sym) {
  if (ctx->cfg.pie && symbol_is_absolute(ctx, sym))
    reloc_error(ctx, isec, rel,
                xasprintf("relocation %s cannot refer to absolute symbol %s in a position-independent executable",
                          ctx->arch->reloc_name(ELF64_R_TYPE(rel->r_info)), sym->name));
}

bool symbol_is_dead(const Symbol *sym) {
  if (sym->is_discarded) return true;
  if (sym->isec && !sym->isec->is_alive) return true;
  if (!symbol_is_defined(sym)) return true;
  return false;
}

void apply_debug_relocs(Context *ctx, RelocTarget *t, DebugReloc (*kind)(uint32_t type)) {
  InputSection *isec = t->isec;
  bool is_range_list = !strcmp(isec->name, ".debug_ranges") || !strcmp(isec->name, ".debug_loc");
  for (uint32_t i = 0; i < isec->nrels; i++) {
    const ElfRela *rel = &isec->rels[i];
    DebugReloc k = kind(ELF64_R_TYPE(rel->r_info));
    Symbol *sym = reloc_symbol(isec, rel);
    if (!sym || k == DEBUG_NONE) continue;
    uint8_t *loc = t->base + rel->r_offset;
    int64_t A = rel->r_addend;
    bool dead = (sym->isec && !sym->isec->is_alive) || sym->is_discarded ||
                (!symbol_is_defined(sym) && sym->type != STT_SECTION);
    // Debug information describes the code itself, not a PLT entry or an
    // IFUNC stub in front of it.
    uint64_t S = dead || symbol_is_imported(sym) ? 0
                 : sym->type == STT_SECTION         ? reloc_symbol_address(ctx, sym, &A)
                                                    : symbol_definition_address(ctx, sym);
    uint64_t tomb = is_range_list ? 1 : 0, P = t->addr + rel->r_offset;
    switch (k) {
    case DEBUG_ABS64: wr64(loc, dead ? tomb : S + A); break;
    case DEBUG_ABS32: wr32(loc, (uint32_t)(dead ? tomb : S + A)); break;
    case DEBUG_DTPOFF32: wr32(loc, (uint32_t)(dead ? 0 : S + A - ctx->tls_begin)); break;
    case DEBUG_DTPOFF64: wr64(loc, dead ? 0 : S + A - ctx->tls_begin); break;
    case DEBUG_SIZE32: wr32(loc, (uint32_t)(sym->size + A)); break;
    case DEBUG_SIZE64: wr64(loc, sym->size + A); break;
    case DEBUG_PC32: wr32(loc, (uint32_t)(S + A - P)); break;
    case DEBUG_PC64: wr64(loc, S + A - P); break;
    default:
      reloc_error(ctx, isec, rel,
                  xasprintf("unsupported relocation %s in a non-allocated section",
                            ctx->arch->reloc_name(ELF64_R_TYPE(rel->r_info))));
    }
  }
}
