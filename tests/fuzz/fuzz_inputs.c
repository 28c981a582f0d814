// Fuzz target over the readers of untrusted input: ELF objects (headers,
// sections, symbols, relocations, groups, then the per-object preparation
// that the link runs on every loaded file), archives (headers, name tables,
// symbol indexes, each member as an object) and linker scripts. Any input
// must give errors, never a crash, hang or sanitizer report.
//
// Built with libFuzzer by -DXLD_FUZZ=ON (clang), and without it as
// fuzz-replay, which runs the inputs named on its command line (files or
// folders): ctest replays tests/fuzz/corpus that way. See tests/fuzz/README.md.
#include "../../linker/context.h"
#include "../../linker/diag.h"
#include "../../linker/input.h"
#include "../../linker/options.h"
#include "../../linker/parallel.h"
#include <stdint.h>
#include <string.h>

// The readers keep what they allocate until the link ends (arenas, the
// Context's vectors); xld never frees them either, so leaks are not bugs.
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "detect_leaks=0"; }

static Context *new_context(void) {
  Context *ctx = xcalloc(1, sizeof(Context));
  char *argv[] = {"xld", "-o", "/dev/null", NULL};
  parse_options(&ctx->cfg, 3, argv);
  ctx->cfg.error_limit = 0;
  diag_set_error_limit(0);
  return ctx;
}

static void read_object(Context *ctx, const char *name, const uint8_t *data, size_t size) {
  ObjectFile *obj = object_new(ctx, name, NULL, data, size);
  if (obj && object_parse_headers(ctx, obj)) object_prepare(ctx, obj);
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
  Context *ctx = new_context();
  if (size >= 4 && !memcmp(data, "\177ELF", 4)) {
    read_object(ctx, "fuzz.o", data, size);
  } else if (size >= 8 && (!memcmp(data, "!<arch>\n", 8) || !memcmp(data, "!<thin>\n", 8))) {
    read_archive(ctx, data, size);
  } else {
    InputArg arg = {0};
    script_read(ctx, "fuzz.ld", data, size, false, &arg);
  }
  arena_release_all();
  free(ctx);
  return 0;
}
