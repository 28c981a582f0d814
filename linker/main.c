// xld: the passes of a link, in order.
#include "arch.h"
#include "diag.h"
#include "dynamic.h"
#include "eh_frame.h"
#include "input.h"
#include "options.h"
#include "parallel.h"
#include "passes.h"
#include "reproduce.h"
#include "stats.h"
#include "symbols.h"
#include "version_script.h"

#if defined(__SANITIZE_ADDRESS__)
// The link's memory lives until exit by design (arenas, mapped inputs), as
// in lld and mold: leak reports would only list that.
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "detect_leaks=0"; }
#endif

// Target defaults that depend on the architecture the inputs chose.
static void apply_target_defaults(Context *ctx) {
  Config *cfg = &ctx->cfg;
  if (!cfg->max_page_size) cfg->max_page_size = ctx->arch->max_page_size;
  if (!cfg->common_page_size) cfg->common_page_size = MIN(ctx->arch->common_page_size, cfg->max_page_size);
  if (!cfg->image_base_set) cfg->image_base = cfg->pie ? 0 : ctx->arch->default_image_base;
  if (cfg->image_base % cfg->max_page_size)
    fatal("--image-base: 0x%llx is not a multiple of the page size 0x%llx", (unsigned long long)cfg->image_base,
          (unsigned long long)cfg->max_page_size);
}

static void select_emulation(Context *ctx) {
  if (!ctx->cfg.emulation) return;
  ctx->arch = arch_by_emulation(ctx->cfg.emulation);
  if (!ctx->arch)
    fatal("unknown emulation: %s (supported: %s)", ctx->cfg.emulation, arch_emulation_list());
}

int main(int argc, char **argv) {
  Context *ctx = xcalloc(1, sizeof(Context));
  parse_options(&ctx->cfg, argc, argv);
  if (ctx->cfg.version_only && !ctx->cfg.inputs.len) return 0;
  diag_set_error_limit(ctx->cfg.error_limit);
  parallel_init(ctx->cfg.threads);
  select_emulation(ctx);

  reproduce_start(ctx);
  PASS(ctx, "read inputs", read_inputs(ctx));
  PASS(ctx, "version scripts", read_version_scripts(ctx));
  PASS(ctx, "reproduce", write_reproduce(ctx));
  check_output_path(ctx);
  apply_target_defaults(ctx);
  PASS(ctx, "resolve symbols", resolve_symbols(ctx));
  PASS(ctx, "archive stats", write_archive_stats(ctx));
  PASS(ctx, "linker symbols", create_linker_symbols(ctx));
  PASS(ctx, "common symbols", allocate_commons(ctx));
  PASS(ctx, "preemptible symbols", mark_preemptible(ctx));
  PASS(ctx, "parse .eh_frame", parse_eh_frames(ctx));
  PASS(ctx, "gc sections", gc_sections(ctx));
  PASS(ctx, "decompress sections", decompress_sections(ctx));
  PASS(ctx, "merge sections", split_merge_sections(ctx));
  PASS(ctx, "synthetic sections", create_synthetic_chunks(ctx));
  PASS(ctx, "scan relocations", scan_relocations(ctx));
  PASS(ctx, "undefined symbols", check_undefined(ctx));
  PASS(ctx, "dynamic symbols", create_dynamic_symbols(ctx));
  PASS(ctx, "finish .eh_frame", eh_frame_finalize(ctx));
  PASS(ctx, "output sections", create_output_sections(ctx));
  PASS(ctx, "layout", layout_output(ctx));
  PASS(ctx, "compress debug sections", compress_debug_sections(ctx));
  PASS(ctx, "map file", write_map_file(ctx));
  PASS(ctx, "release symbol table", symtab_release(ctx));
  PASS(ctx, "write output", write_output(ctx));
  PASS(ctx, "commit output", commit_output(ctx));
  stats_print(ctx);
  return 0;
}
