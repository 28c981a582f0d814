// Fuzz target over the readers of untrusted input: ELF objects (headers,
// sections, symbols, relocations, groups, then the per-object preparation
// that the link runs on every loaded file), archives (headers, name tables,
// symbol indexes, each member as an object), shared libraries (dynamic
// symbols, versions, .dynamic) and linker scripts. An object
// is then linked on its own, through every pass main() runs (resolution,
// .eh_frame, gc, decompression, merging, relocation scan, layout, and the
// copying and relocating of each section into an image in memory). Any
// input must give errors, never a crash, hang or sanitizer report.
//
// Built with libFuzzer by -DXLD_FUZZ=ON (clang), and without it as
// fuzz-replay, which runs the inputs named on its command line (files or
// folders): ctest replays tests/fuzz/corpus that way. See tests/fuzz/README.md.
// (memmem: the build defines _GNU_SOURCE)
#include "../../arch/arch.h"
#include "../../linker/context.h"
#include "../../linker/diag.h"
#include "../../linker/eh_frame.h"
#include "../../linker/input.h"
#include "../../linker/options.h"
#include "../../linker/parallel.h"
#include "../../linker/output_pieces.h"
#include "../../linker/passes.h"
#include "../../linker/symbols.h"
#include "../../linker/synthetic.h"
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// The readers keep what they allocate until the link ends (arenas, the
// Context's vectors); xld never frees them either, so leaks are not bugs.
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "detect_leaks=0"; }

static Context *new_context(void) {
  Context *ctx = xcalloc(1, sizeof(Context));
  char *argv[] = {"xld", "-static", "--unresolved-symbols=ignore-all", "--build-id", "-o", "/dev/null", NULL};
  parse_options(&ctx->cfg, 6, argv);
  ctx->cfg.error_limit = 0;
  diag_set_error_limit(0);
  return ctx;
}

static void read_object(Context *ctx, const char *name, const uint8_t *data, size_t size) {
  ObjectFile *obj = object_new(ctx, name, NULL, data, size);
  if (obj && object_parse_headers(ctx, obj)) object_prepare(ctx, obj);
}

// The symbol table's arrays are the largest thing a link keeps outside the
// arenas: freed after each input, so that long runs do not grow.
static void free_context(Context *ctx) {
  free_table(ctx->symtab_slots, ctx->symtab_hashes, ctx->symtab_cap);
  free_table(ctx->comdat_slots, ctx->comdat_hashes, ctx->comdat_cap);
  for (size_t i = 0; i < ctx->dsos.len; i++) free(ctx->dsos.data[i]->shared->version_names);
  vec_free(&ctx->dsos);
  vec_free(&ctx->symbols_in_order);
  vec_free(&ctx->sym_aux);
  vec_free(&ctx->inputs);
  vec_free(&ctx->objs);
  vec_free(&ctx->chunks);
  free(ctx);
}

// A fatal error (or a checkpoint after errors) ends the link here instead
// of exiting the process.
static jmp_buf stop_link;
static void stop(void) { longjmp(stop_link, 1); }
static uint8_t *image;  // the output image, freed even after a stop
static bool scanned;    // the relocation scan has run (and noted undefined references)

// Larger outputs (a section aligned to 1 TiB, say) are laid out but not
// written: the linker would write them, and that is not a bug.
enum { MAX_IMAGE = 64 << 20 };

// write_output without the file: every chunk copied and relocated into
// an image in memory, then the section headers and the build-id.
static void write_image(Context *ctx) {
  uint32_t shnum = 1;
  for (size_t i = 0; i < ctx->chunks.len; i++) shnum += ctx->chunks.data[i]->shndx != 0;
  uint64_t size = ctx->filesize + (uint64_t)shnum * sizeof(ElfShdr);
  if (size > MAX_IMAGE) return;
  image = ctx->buf = calloc(1, size ? size : 1);
  // As write_output does, without a file: streamed pieces and the
  // linker-made chunks at their offsets, then the build-id's pieces.
  OutputPieces pieces = output_pieces(ctx, size);
  for (size_t i = 0; i < ctx->chunks.len; i++) {
    Chunk *c = ctx->chunks.data[i];
    if (c == ctx->eh_frame_hdr || chunk_is_streamed(ctx, c)) continue;
    if (c->kind == CHUNK_OUTPUT_SECTION)
      for (size_t k = 0; k < c->members.len; k++)
        write_input_section(ctx, c, c->members.data[k], ctx->buf + c->offset + c->members.data[k]->offset);
    else if (c->kind == CHUNK_MERGED) write_merged_chunk(c, ctx->buf + c->offset);
    else if (c->write) c->write(ctx, c, ctx->buf + c->offset);
  }
  for (size_t i = 0; i < pieces.len; i++)
    if (pieces.data[i].kind != PIECE_IMAGE) fill_piece(ctx, &pieces.data[i], ctx->buf + pieces.data[i].offset, true);
  if (ctx->eh_frame_hdr && ctx->eh_frame_hdr->shndx)
    ctx->eh_frame_hdr->write(ctx, ctx->eh_frame_hdr, ctx->buf + ctx->eh_frame_hdr->offset);
  write_section_headers(ctx);
  checkpoint();
  size_t leaf = build_id_leaf_size(ctx);
  uint8_t *leaves = leaf ? calloc(pieces.len ? pieces.len : 1, leaf) : NULL;
  for (size_t i = 0; leaves && i < pieces.len; i++)
    build_id_hash_leaf(ctx, ctx->buf + pieces.data[i].offset, pieces.data[i].size, leaves + i * leaf);
  write_build_id(ctx, leaves, pieces.len);
  free(leaves);
  vec_free(&pieces);
}

// main()'s passes over one object, as if it were the only input.
static void link_object(Context *ctx, const uint8_t *data, size_t size) {
  ObjectFile *obj = object_new(ctx, "fuzz.o", NULL, data, size);
  if (!obj) return;
  vec_push(&ctx->inputs, ((Input){.kind = INPUT_OBJECT, .obj = obj}));
  choose_arch_from_inputs(ctx);
  prepare_objects(ctx);
  Config *cfg = &ctx->cfg;
  cfg->max_page_size = ctx->arch->max_page_size;
  cfg->common_page_size = MIN(ctx->arch->common_page_size, cfg->max_page_size);
  cfg->image_base = ctx->arch->default_image_base;
  resolve_symbols(ctx);
  checkpoint();
  create_linker_symbols(ctx);
  allocate_commons(ctx);
  parse_eh_frames(ctx);
  checkpoint();
  gc_sections(ctx);
  decompress_sections(ctx);
  checkpoint();
  split_merge_sections(ctx);
  checkpoint();
  create_synthetic_chunks(ctx);
  scanned = true;
  scan_relocations(ctx);
  checkpoint();
  check_undefined(ctx);
  eh_frame_finalize(ctx);
  checkpoint();
  create_output_sections(ctx);
  layout_output(ctx);
  checkpoint();
  write_image(ctx);
}

// A shared library: its dynamic symbols, versions and DT_SONAME/DT_NEEDED,
// loaded into the symbol table, then the checks of what it leaves undefined.
static void read_shared(Context *ctx, const uint8_t *data, size_t size) {
  InputArg arg = {.kind = ARG_FILE, .name = "fuzz.so"};
  ObjectFile *obj = shared_open(ctx, "fuzz.so", data, size, &arg);
  if (!obj) return;
  shared_load(ctx, obj);
  shared_finish(ctx);
  checkpoint();
}

static void read_archive(Context *ctx, const uint8_t *data, size_t size) {
  Archive *ar = archive_open(ctx, "fuzz.a", data, size);
  if (!ar) return;
  for (size_t i = 0; i < ar->members.len; i++) {
    ObjectFile *obj = archive_member_object(ctx, ar, &ar->members.data[i]);
    if (obj) object_prepare(ctx, obj);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static bool started;
  if (!started) {
    parallel_init(1);
    started = true;
  }
  bool elf = size >= 4 && !memcmp(data, "\177ELF", 4);
  bool shared = elf && size >= 18 && rd16(data + 16) == ET_DYN;
  Context *ctx = new_context();
  diag_reset();
  diag_on_exit(stop);
  if (!setjmp(stop_link)) {
    if (shared) {
      read_shared(ctx, data, size);
    } else if (elf) {
      read_object(ctx, "fuzz.o", data, size);
    } else if (size >= 8 && (!memcmp(data, "!<arch>\n", 8) || !memcmp(data, "!<thin>\n", 8))) {
      read_archive(ctx, data, size);
    } else {
      InputArg arg = {0};
      script_read(ctx, "fuzz.ld", data, size, false, &arg);
    }
  }
  free_context(ctx);
  // Not linked: objects that name .debug_line or .debug_info. Error
  // messages look source lines and variables up in them through caches
  // keyed by the ObjectFile's address (debug_line.c, debug_info.c), which
  // a process that links once never sees go stale; here a later link's
  // object can get the same address, and the cache's entry would point
  // into an earlier, freed input. (Other .debug_* sections, compressed or
  // not, are linked.)
  if (elf && !shared && !memmem(data, size, ".debug_line", 11) && !memmem(data, size, ".debug_info", 11)) {
    Context *link = new_context();
    diag_reset();
    scanned = false;
    if (!setjmp(stop_link)) link_object(link, data, size);
    // A link stopped between the scan and check_undefined leaves the
    // undefined references it noted in resolve.c's list (a process would
    // exit there): check_undefined, with every reference ignored, drops them.
    else if (scanned && !setjmp(stop_link)) check_undefined(link);
    free(image);
    image = NULL;
    free_context(link);
  }
  arena_release_all();
  return 0;
}
