// Command-line parsing in GNU ld's syntax: long options with one or two
// dashes, "--opt=val" and "--opt val", short options with attached or
// separate values, and @response files.
#include "options.h"
#include "context.h"
#include "diag.h"
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

typedef struct {
  VEC(char *) v;
  size_t i;
} ArgList;

// Splits a response file the way GNU ld does: whitespace separates
// arguments, quotes group, backslash escapes one character.
static void read_response_file(ArgList *out, const char *path, int depth);

static void expand_arg(ArgList *out, char *arg, int depth) {
  if (arg[0] == '@' && arg[1]) {
    read_response_file(out, arg + 1, depth + 1);
    return;
  }
  vec_push(&out->v, arg);
}

static void read_response_file(ArgList *out, const char *path, int depth) {
  if (depth > 32) fatal("@%s: response files nested too deeply (does one include itself?)", path);
  FILE *f = fopen(path, "rb");
  if (!f) fatal("cannot open response file %s: %s", path, strerror(errno));
  struct stat st;
  if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) fatal("@%s: is a directory", path);
  VEC(char) cur = {0};
  bool in_arg = false;
  int quote = 0;
  for (int c; (c = fgetc(f)) != EOF;) {
    if (c == '\\') {
      int d = fgetc(f);
      if (d == EOF) break;
      vec_push(&cur, (char)d);
      in_arg = true;
    } else if (quote) {
      if (c == quote) quote = 0;
      else vec_push(&cur, (char)c);
    } else if (c == '"' || c == '\'') {
      quote = c;
      in_arg = true;
    } else if (isspace(c)) {
      if (in_arg) {
        vec_push(&cur, '\0');
        expand_arg(out, xstrdup(cur.data), depth);
        cur.len = 0;
        in_arg = false;
      }
    } else {
      vec_push(&cur, (char)c);
      in_arg = true;
    }
  }
  if (in_arg) {
    vec_push(&cur, '\0');
    expand_arg(out, xstrdup(cur.data), depth);
  }
  vec_free(&cur);
  fclose(f);
}

// "-name" or "--name", exactly.
static bool flag(ArgList *a, const char *name) {
  const char *s = a->v.data[a->i];
  if (s[0] != '-') return false;
  s += (s[1] == '-') ? 2 : 1;
  return strcmp(s, name) == 0;
}

// "-name=V", "--name=V", "-name V" or "--name V".
static bool with_arg(ArgList *a, const char *name, const char **val) {
  const char *s = a->v.data[a->i];
  if (s[0] != '-') return false;
  s += (s[1] == '-') ? 2 : 1;
  size_t n = strlen(name);
  if (strncmp(s, name, n) != 0) return false;
  if (s[n] == '=') {
    *val = s + n + 1;
    return true;
  }
  if (s[n] != '\0') return false;
  if (a->i + 1 >= a->v.len) fatal("missing argument to option: %s", a->v.data[a->i]);
  *val = a->v.data[++a->i];
  return true;
}

// "-name=V" or "--name=V" only: the value of an optional-value option
// never comes from the next argument.
static bool joined_arg(ArgList *a, const char *name, const char **val) {
  const char *s = a->v.data[a->i];
  if (s[0] != '-') return false;
  s += (s[1] == '-') ? 2 : 1;
  size_t n = strlen(name);
  if (strncmp(s, name, n) != 0 || s[n] != '=') return false;
  *val = s + n + 1;
  return true;
}

// "--name" only: GNU ld's EXACTLY_TWO_DASHES options (--omagic,
// --no-omagic, --output, --[no-]undefined-version). With one dash they
// read as short options: "-omagic" is "-o magic".
static bool flag2(ArgList *a, const char *name) {
  const char *s = a->v.data[a->i];
  return s[0] == '-' && s[1] == '-' && !strcmp(s + 2, name);
}

// "--name=V" or "--name V" only (see flag2).
static bool with_arg2(ArgList *a, const char *name, const char **val) {
  const char *s = a->v.data[a->i];
  return s[0] == '-' && s[1] == '-' && with_arg(a, name, val);
}

// Short option "-cVAL" or "-c VAL".
static bool short_arg(ArgList *a, char c, const char **val) {
  const char *s = a->v.data[a->i];
  if (s[0] != '-' || s[1] != c) return false;
  if (s[2]) {
    *val = s + 2;
    return true;
  }
  if (a->i + 1 >= a->v.len) fatal("missing argument to option: -%c", c);
  *val = a->v.data[++a->i];
  return true;
}

// GNU ld reads -Ttext, --section-start and -Ttext-segment addresses in
// hexadecimal, with or without "0x".
static uint64_t parse_hex(const char *opt, const char *s) {
  const char *p = (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? s + 2 : s;
  char *end;
  errno = 0;
  unsigned long long v = strtoull(p, &end, 16);
  if (errno || end == p || *end || *p == '-' || *p == '+') fatal("invalid hexadecimal address for %s: %s", opt, s);
  return v;
}

static void add_section_start(Config *cfg, const char *name, uint64_t addr) {
  for (size_t i = 0; i < cfg->section_starts.len; i++)
    if (!strcmp(cfg->section_starts.data[i].name, name)) {
      cfg->section_starts.data[i].addr = addr;  // the last one wins, as in GNU ld
      return;
    }
  SectionStart ss = {name, addr};
  vec_push(&cfg->section_starts, ss);
}

// --reproduce: the argument just parsed holds a path at VAL (joined to the
// option or the next argument) that the response file must rewrite.
static void repro_mark(Config *cfg, ArgList *a, const char *val, ReproKind kind) {
  const char *s = a->v.data[a->i];
  ReproArg r = {(uint32_t)a->i, (uint32_t)(val - s), kind};
  vec_push(&cfg->repro_args, r);
}

static uint64_t parse_number(const char *opt, const char *s) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 0);
  if (errno || end == s || *end) fatal("invalid number for %s: %s", opt, s);
  return v;
}

static void parse_build_id(Config *cfg, const char *v) {
  if (!v || !strcmp(v, "sha1") || !strcmp(v, "tree")) cfg->build_id = BUILD_ID_SHA1;
  else if (!strcmp(v, "md5")) cfg->build_id = BUILD_ID_MD5;
  else if (!strcmp(v, "fast")) cfg->build_id = BUILD_ID_FAST;
  else if (!strcmp(v, "uuid")) cfg->build_id = BUILD_ID_UUID;
  else if (!strcmp(v, "none")) cfg->build_id = BUILD_ID_NONE;
  else if (v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
    const char *h = v + 2;
    size_t n = strlen(h);
    if (n == 0 || n % 2 || n / 2 > sizeof(cfg->build_id_hex)) fatal("invalid --build-id: %s", v);
    for (size_t i = 0; i < n / 2; i++) {
      unsigned byte;
      if (!isxdigit((unsigned char)h[2 * i]) || !isxdigit((unsigned char)h[2 * i + 1]) ||
          sscanf(h + 2 * i, "%2x", &byte) != 1)
        fatal("invalid --build-id: %s", v);
      cfg->build_id_hex[i] = (uint8_t)byte;
    }
    cfg->build_id_hex_len = n / 2;
    cfg->build_id = BUILD_ID_HEX;
  } else
    fatal("unknown --build-id style: %s", v);
}

static void parse_z(Config *cfg, const char *kw) {
  const char *v;
  if (!strcmp(kw, "relro")) cfg->relro = true;
  else if (!strcmp(kw, "norelro")) cfg->relro = false;
  else if (!strcmp(kw, "now")) cfg->z_now = true;
  else if (!strcmp(kw, "lazy")) cfg->z_now = false;
  else if (!strcmp(kw, "execstack")) cfg->execstack = cfg->execstack_set = true;
  else if (!strcmp(kw, "noexecstack")) cfg->execstack = false, cfg->execstack_set = true;
  else if (!strcmp(kw, "muldefs")) cfg->allow_multiple_definition = true;
  else if (!strcmp(kw, "separate-code")) cfg->separate_code = true;
  else if (!strcmp(kw, "noseparate-code")) cfg->separate_code = false;
  else if (!strcmp(kw, "origin")) cfg->z_origin = true;
  else if (!strcmp(kw, "pack-relative-relocs")) cfg->pack_relative_relocs = true;
  else if (!strcmp(kw, "nopack-relative-relocs")) cfg->pack_relative_relocs = false;
  else if (!strcmp(kw, "notext") || !strcmp(kw, "textoff")) cfg->z_notext = true;
  else if (!strcmp(kw, "text")) cfg->z_notext = false;
  else if (!strncmp(kw, "max-page-size=", 14)) {
    v = kw + 14;
    cfg->max_page_size = parse_number("-z max-page-size", v);
    if (!is_pow2(cfg->max_page_size)) fatal("-z max-page-size: value is not a power of two: %s", v);
  } else if (!strncmp(kw, "common-page-size=", 17)) {
    v = kw + 17;
    cfg->common_page_size = parse_number("-z common-page-size", v);
    if (!is_pow2(cfg->common_page_size)) fatal("-z common-page-size: value is not a power of two: %s", v);
  }
  // Accepted and without effect on a static link (see README "Ignored options").
  else if (!strcmp(kw, "defs")) cfg->no_undefined = true;
  else if (!strcmp(kw, "undefs")) cfg->no_undefined = false;
  else if (!strcmp(kw, "nodelete")) cfg->dt_flags_1 |= DF_1_NODELETE;
  else if (!strcmp(kw, "nodlopen")) cfg->dt_flags_1 |= DF_1_NOOPEN;
  else if (!strcmp(kw, "initfirst")) cfg->dt_flags_1 |= DF_1_INITFIRST;
  else if (!strcmp(kw, "global")) cfg->dt_flags_1 |= DF_1_GLOBAL;
  else if (!strcmp(kw, "interpose")) cfg->dt_flags_1 |= DF_1_INTERPOSE;
  else if (!strcmp(kw, "combreloc") || !strcmp(kw, "nocombreloc") || !strcmp(kw, "ibt") ||
           !strcmp(kw, "shstk") || !strcmp(kw, "ibtplt") || !strncmp(kw, "cet-report=", 11) ||
           !strcmp(kw, "keep-text-section-prefix") || !strcmp(kw, "nokeep-text-section-prefix") ||
           !strncmp(kw, "start-stop-visibility=", 22) || !strcmp(kw, "noexecheap") ||
           !strcmp(kw, "nocopyreloc") ||
           !strcmp(kw, "rodynamic") || !strcmp(kw, "dynamic-undefined-weak") ||
           !strcmp(kw, "nodynamic-undefined-weak") || !strcmp(kw, "report-relative-reloc") ||
           !strncmp(kw, "x86-64-", 7) || !strcmp(kw, "unique-symbol") ||
           !strcmp(kw, "nounique-symbol") || !strcmp(kw, "noextern-protected-data"))
    ;
  else
    warn("unknown -z value: %s", kw);
}

static void push_input(Config *cfg, ArgKind kind, const char *name, const InputState *st) {
  InputArg in = {.kind = kind, .name = name, .whole_archive = st->whole_archive,
                 .as_needed = st->as_needed, .link_static = st->link_static};
  vec_push(&cfg->inputs, in);
}

void parse_options(Config *cfg, int argc, char **argv) {
  ArgList a = {0};
  for (int i = 1; i < argc; i++) expand_arg(&a, argv[i], 0);
  for (size_t i = 0; i < a.v.len; i++) vec_push(&cfg->args, a.v.data[i]);

  cfg->relro = true;
  cfg->eh_frame_hdr = false;
  cfg->new_dtags = true;
  cfg->hash_style = HASH_STYLE_SYSV | HASH_STYLE_GNU;
  cfg->threads = 0;
  cfg->error_limit = 20;
  InputState st = {0};
  VEC(InputState) state_stack = {0};
  int group_depth = 0;
  const char *v;

  for (a.i = 0; a.i < a.v.len; a.i++) {
    const char *arg = a.v.data[a.i];
    size_t opt_start = a.i;
    if (arg[0] != '-' || arg[1] == '\0') {
      repro_mark(cfg, &a, arg, REPRO_PATH);
      push_input(cfg, ARG_FILE, arg, &st);
      continue;
    }
    // As GNU ld: "-lNAME" is always -l, even when it spells a long option
    // ("-library-path" is -l ibrary-path).
    if (arg[1] == 'l' && arg[2]) {
      push_input(cfg, ARG_LIB, arg + 2, &st);
      continue;
    }
    // Inputs and their position-dependent state.
    if (flag(&a, "start-group") || !strcmp(arg, "-(")) {
      if (group_depth++) fatal("nested --start-group");
      push_input(cfg, ARG_GROUP_START, NULL, &st);
    } else if (flag(&a, "end-group") || !strcmp(arg, "-)")) {
      if (!group_depth--) fatal("--end-group without --start-group");
      push_input(cfg, ARG_GROUP_END, NULL, &st);
    } else if (flag(&a, "whole-archive")) st.whole_archive = true;
    else if (flag(&a, "no-whole-archive")) st.whole_archive = false;
    else if (flag(&a, "as-needed")) st.as_needed = true;
    else if (flag(&a, "no-as-needed")) st.as_needed = false;
    else if (flag(&a, "Bstatic") || flag(&a, "dn") || flag(&a, "non_shared") || flag(&a, "static")) {
      st.link_static = true;
      if (flag(&a, "static")) cfg->is_static = true;
    } else if (flag(&a, "Bdynamic") || flag(&a, "dy") || flag(&a, "call_shared"))
      st.link_static = false;
    else if (flag(&a, "push-state")) vec_push(&state_stack, st);
    else if (flag(&a, "pop-state")) {
      if (!state_stack.len) fatal("--pop-state without --push-state");
      st = state_stack.data[--state_stack.len];
    } else if (with_arg(&a, "library", &v)) push_input(cfg, ARG_LIB, v, &st);
    else if (with_arg(&a, "library-path", &v)) {
      repro_mark(cfg, &a, v, REPRO_PATH);
      vec_push(&cfg->lib_paths, v);
    }
    // Output kind.
    else if (flag(&a, "pie") || flag(&a, "pic-executable")) cfg->pie = true;
    else if (flag(&a, "no-pie") || flag(&a, "no-pic-executable")) cfg->pie = false;
    else if (flag(&a, "static-pie")) cfg->pie = cfg->is_static = st.link_static = true;
    else if (flag(&a, "shared") || flag(&a, "Bshareable")) cfg->shared = cfg->pie = true;
    else if (flag(&a, "r") || flag(&a, "relocatable"))
      fatal("-r: relocatable output is not supported");
    else if (with_arg2(&a, "output", &v)) {
      repro_mark(cfg, &a, v, REPRO_BASENAME);
      cfg->output = v;
    }
    else if (with_arg(&a, "entry", &v)) cfg->entry = v;
    else if (with_arg(&a, "undefined", &v)) vec_push(&cfg->undefined, v);
    else if (with_arg(&a, "require-defined", &v)) vec_push(&cfg->require_defined, v);
    else if (with_arg(&a, "defsym", &v)) {
      const char *eq = strchr(v, '=');
      if (!eq || eq == v) fatal("--defsym: syntax error: %s", v);
      Defsym d = {arena_strndup(v, (size_t)(eq - v)), eq + 1};
      vec_push(&cfg->defsyms, d);
    } else if (with_arg(&a, "sysroot", &v)) {
      repro_mark(cfg, &a, v, REPRO_PATH);
      cfg->sysroot = v;
    }
    else if (flag(&a, "no-dynamic-linker")) cfg->dynamic_linker = NULL;
    else if (with_arg(&a, "dynamic-linker", &v)) cfg->dynamic_linker = v;
    else if (flag(&a, "gc-sections")) cfg->gc_sections = true;
    else if (flag(&a, "no-gc-sections")) cfg->gc_sections = false;
    else if (flag(&a, "print-gc-sections")) cfg->print_gc_sections = true;
    else if (flag(&a, "no-print-gc-sections")) cfg->print_gc_sections = false;
    else if (flag(&a, "strip-all")) cfg->strip_all = true;
    else if (flag(&a, "strip-debug")) cfg->strip_debug = true;
    else if (flag(&a, "eh-frame-hdr")) cfg->eh_frame_hdr = true;
    else if (flag(&a, "no-eh-frame-hdr")) cfg->eh_frame_hdr = false;
    else if (flag(&a, "build-id")) parse_build_id(cfg, NULL);
    else if (with_arg(&a, "build-id", &v)) parse_build_id(cfg, v);
    else if (with_arg(&a, "image-base", &v)) {
      cfg->image_base = parse_number("--image-base", v);
      cfg->image_base_set = true;
    } else if (with_arg(&a, "Ttext-segment", &v)) {
      cfg->image_base = parse_hex("-Ttext-segment", v);
      cfg->image_base_set = true;
    } else if (with_arg(&a, "Ttext", &v)) add_section_start(cfg, ".text", parse_hex("-Ttext", v));
    else if (with_arg(&a, "Tdata", &v)) add_section_start(cfg, ".data", parse_hex("-Tdata", v));
    else if (with_arg(&a, "Tbss", &v)) add_section_start(cfg, ".bss", parse_hex("-Tbss", v));
    else if (with_arg(&a, "section-start", &v)) {
      const char *eq = strrchr(v, '=');
      if (!eq || eq == v) fatal("--section-start: expected SECTION=ADDRESS: %s", v);
      add_section_start(cfg, arena_strndup(v, (size_t)(eq - v)), parse_hex("--section-start", eq + 1));
    } else if (flag(&a, "N") || flag2(&a, "omagic")) {
      cfg->omagic = true;
      cfg->nmagic = false;
      st.link_static = true;  // as GNU ld: no shared libraries
    } else if (flag(&a, "n") || flag(&a, "nmagic")) {
      cfg->nmagic = true;
      cfg->omagic = false;
      st.link_static = true;
    } else if (flag2(&a, "no-omagic")) cfg->omagic = cfg->nmagic = false;
    else if (with_arg(&a, "sort-section", &v)) {
      if (!strcmp(v, "name")) cfg->sort_section = SORT_SECTION_NAME;
      else if (!strcmp(v, "alignment")) cfg->sort_section = SORT_SECTION_ALIGNMENT;
      else fatal("--sort-section: unknown rule '%s' (name or alignment)", v);
    } else if (flag(&a, "sort-common")) cfg->sort_common = 1;
    else if (joined_arg(&a, "sort-common", &v)) {
      if (!strcmp(v, "descending")) cfg->sort_common = 1;
      else if (!strcmp(v, "ascending")) cfg->sort_common = 2;
      else fatal("--sort-common: unknown order '%s' (ascending or descending)", v);
    } else if (with_arg(&a, "reproduce", &v)) {
      cfg->reproduce = v;
      for (size_t k = opt_start; k <= a.i; k++) {
        ReproArg r = {(uint32_t)k, 0, REPRO_DROP};
        vec_push(&cfg->repro_args, r);
      }
    } else if (with_arg(&a, "print-archive-stats", &v)) {
      repro_mark(cfg, &a, v, REPRO_BASENAME);
      cfg->print_archive_stats = v;
    } else if (with_arg(&a, "Map", &v)) {
      repro_mark(cfg, &a, v, REPRO_BASENAME);
      cfg->map_file = v;
    } else if (with_arg(&a, "why-extract", &v)) {
      repro_mark(cfg, &a, v, REPRO_BASENAME);
      cfg->why_extract = v;
    }
    else if (with_arg(&a, "trace-symbol", &v)) vec_push(&cfg->trace_symbols, v);
    else if (with_arg(&a, "wrap", &v)) vec_push(&cfg->wrap_symbols, v);
    else if (flag(&a, "compress-debug-sections")) cfg->compress_debug = ELFCOMPRESS_ZLIB;  // GNU ld's default
    else if (joined_arg(&a, "compress-debug-sections", &v)) {
      if (!strcmp(v, "none")) cfg->compress_debug = 0;
      else if (!strcmp(v, "zlib") || !strcmp(v, "zlib-gabi")) cfg->compress_debug = ELFCOMPRESS_ZLIB;
      else if (!strcmp(v, "zstd")) cfg->compress_debug = ELFCOMPRESS_ZSTD;
      else fatal("unknown --compress-debug-sections value '%s' (none, zlib or zstd)", v);
    }
    else if (joined_arg(&a, "time-trace-file", &v) || joined_arg(&a, "time-trace", &v)) cfg->time_trace = v;
    else if (flag(&a, "time-trace")) cfg->time_trace = "";
    else if (flag(&a, "M") || flag(&a, "print-map")) cfg->map_file = "-";
    else if (with_arg(&a, "threads", &v)) cfg->threads = (int)parse_number("--threads", v);
    else if (flag(&a, "no-threads")) cfg->threads = 1;
    else if (flag(&a, "mmap-output-file")) cfg->output_method = OUTPUT_MMAP;
    else if (flag(&a, "no-mmap-output-file")) cfg->output_method = OUTPUT_BUFFER;
    else if (with_arg(&a, "error-limit", &v)) cfg->error_limit = (int)parse_number("--error-limit", v);
    else if (flag(&a, "allow-multiple-definition")) cfg->allow_multiple_definition = true;
    else if (flag(&a, "fatal-warnings")) diag_set_fatal_warnings(true);
    else if (flag(&a, "no-fatal-warnings")) diag_set_fatal_warnings(false);
    else if (flag(&a, "noinhibit-exec")) cfg->noinhibit_exec = true;
    else if (flag(&a, "demangle")) diag_set_demangle(true);
    else if (flag(&a, "no-demangle")) diag_set_demangle(false);
    else if (flag(&a, "color-diagnostics")) diag_set_color(DIAG_COLOR_ALWAYS);  // lld: bare means always
    else if (flag(&a, "no-color-diagnostics")) diag_set_color(DIAG_COLOR_NEVER);
    else if (joined_arg(&a, "color-diagnostics", &v)) {
      if (!strcmp(v, "always")) diag_set_color(DIAG_COLOR_ALWAYS);
      else if (!strcmp(v, "never")) diag_set_color(DIAG_COLOR_NEVER);
      else if (!strcmp(v, "auto")) diag_set_color(DIAG_COLOR_AUTO);
      else fatal("unknown --color-diagnostics value '%s' (always, never or auto)", v);
    } else if (with_arg(&a, "unresolved-symbols", &v)) {
      if (!strcmp(v, "ignore-all") || !strcmp(v, "ignore-in-object-files")) cfg->unresolved_symbols = UNRESOLVED_IGNORE;
      else if (!strcmp(v, "report-all") || !strcmp(v, "ignore-in-shared-libs")) cfg->unresolved_symbols = UNRESOLVED_REPORT;
      else fatal("unknown --unresolved-symbols value '%s' (ignore-all, report-all, ignore-in-object-files or "
                 "ignore-in-shared-libs)", v);
    } else if (flag(&a, "warn-unresolved-symbols")) cfg->warn_unresolved_symbols = true;
    else if (flag(&a, "error-unresolved-symbols")) cfg->warn_unresolved_symbols = false;
    else if (flag(&a, "stats") || flag(&a, "print-stats")) cfg->print_stats = true;
    else if (flag(&a, "warn-common")) cfg->warn_common = true;
    else if (flag(&a, "version") || !strcmp(arg, "-v") || !strcmp(arg, "-V")) {
      printf("xld %s (compatible with GNU linkers)\n", XLD_VERSION);
      cfg->version_only = true;
      // As GNU ld and lld: --version exits at once, even with inputs, so
      // `cc -Wl,--version` (configure's linker check) succeeds; -v links on.
      if (flag(&a, "version")) exit(0);
    } else if (flag(&a, "help")) {
      print_help();
      exit(0);
    } else if (with_arg(&a, "hash-style", &v)) {
      if (!strcmp(v, "sysv")) cfg->hash_style = HASH_STYLE_SYSV;
      else if (!strcmp(v, "gnu")) cfg->hash_style = HASH_STYLE_GNU;
      else if (!strcmp(v, "both")) cfg->hash_style = HASH_STYLE_SYSV | HASH_STYLE_GNU;
      else fatal("--hash-style: unknown style '%s' (sysv, gnu or both)", v);
    } else if (with_arg(&a, "rpath", &v) || with_arg(&a, "R", &v)) {
      // -R DIR names a directory to search at run time; -R FILE (a file's
      // symbols only) is not supported.
      vec_push(&cfg->rpaths, v);
    } else if (flag(&a, "export-dynamic") || flag(&a, "E")) cfg->export_dynamic = true;
    else if (flag(&a, "no-export-dynamic")) cfg->export_dynamic = false;
    else if (flag(&a, "enable-new-dtags")) cfg->new_dtags = true;
    else if (flag(&a, "disable-new-dtags")) cfg->new_dtags = false;
    else if (with_arg(&a, "plugin", &v) ||
               with_arg(&a, "plugin-opt", &v) ||
               with_arg(&a, "rpath-link", &v) ||
               with_arg(&a, "dependency-file", &v) ||
               with_arg(&a, "package-metadata", &v) || with_arg(&a, "thread-count", &v))
      ;  // accepted; no effect on a static link (README: "Ignored options")
    else if (with_arg(&a, "soname", &v)) cfg->soname = v;
    else if (with_arg(&a, "init", &v)) cfg->init_symbol = v;
    else if (with_arg(&a, "fini", &v)) cfg->fini_symbol = v;
    else if (with_arg(&a, "export-dynamic-symbol", &v)) vec_push(&cfg->export_dynamic_symbols, v);
    else if (with_arg(&a, "dynamic-list", &v)) {
      repro_mark(cfg, &a, v, REPRO_PATH);
      vec_push(&cfg->dynamic_lists, v);
    }
    else if (with_arg(&a, "version-script", &v)) {
      repro_mark(cfg, &a, v, REPRO_PATH);
      vec_push(&cfg->version_scripts, v);
    }
    else if (flag(&a, "no-undefined")) cfg->no_undefined = true;
    else if (flag(&a, "Bsymbolic")) cfg->bsymbolic = BSYMBOLIC_ALL;
    else if (flag(&a, "Bsymbolic-functions")) cfg->bsymbolic = BSYMBOLIC_FUNCTIONS;
    else if (flag(&a, "Bno-symbolic")) cfg->bsymbolic = BSYMBOLIC_NONE;
    else if (with_arg(&a, "exclude-libs", &v)) {
      // Comma- or colon-separated archive names, or ALL.
      for (const char *p = v; *p;) {
        size_t n = strcspn(p, ",:");
        if (n) vec_push(&cfg->exclude_libs, xasprintf("%.*s", (int)n, p));
        p += n + (p[n] != 0);
      }
    } else if (flag(&a, "allow-shlib-undefined")) cfg->shlib_undefined = SHLIB_UNDEFINED_ALLOW;
    else if (flag(&a, "no-allow-shlib-undefined")) cfg->shlib_undefined = SHLIB_UNDEFINED_REPORT;
    else if (flag(&a, "no-copy-dt-needed-entries") ||
             flag(&a, "copy-dt-needed-entries") || flag(&a, "relax") || flag(&a, "no-relax") ||
             flag(&a, "Bsymbolic-non-weak-functions") ||
             flag(&a, "no-warn-mismatch") || flag(&a, "warn-once") ||
             flag(&a, "nostdlib") || flag(&a, "EL") || flag(&a, "discard-locals") ||
             flag(&a, "discard-all") || flag(&a, "discard-none") || flag(&a, "X") || flag(&a, "x") ||
             flag(&a, "g") || flag2(&a, "no-undefined-version") || flag2(&a, "undefined-version") ||
             flag(&a, "warn-shared-textrel") || flag(&a, "warn-execstack") ||
             flag(&a, "no-warn-execstack") || flag(&a, "warn-rwx-segments") ||
             flag(&a, "no-warn-rwx-segments") ||
             flag(&a, "gdb-index") || flag(&a, "no-gdb-index") || flag(&a, "fix-cortex-a53-843419") ||
             flag(&a, "fix-cortex-a53-835769") || flag(&a, "no-keep-memory") ||
             flag(&a, "reduce-memory-overheads") || flag(&a, "build-id=none") ||
             flag(&a, "as-needed-report") || flag(&a, "fatal-warnings=no"))
      ;  // accepted; no effect (README: "Ignored options")
    else if (short_arg(&a, 'o', &v)) {
      repro_mark(cfg, &a, v, REPRO_BASENAME);
      cfg->output = v;
    } else if (short_arg(&a, 'L', &v)) {
      repro_mark(cfg, &a, v, REPRO_PATH);
      vec_push(&cfg->lib_paths, v);
    }
    else if (short_arg(&a, 'l', &v)) push_input(cfg, ARG_LIB, v, &st);
    else if (short_arg(&a, 'e', &v)) cfg->entry = v;
    else if (short_arg(&a, 'u', &v)) vec_push(&cfg->undefined, v);
    else if (short_arg(&a, 'm', &v)) cfg->emulation = v;
    else if (short_arg(&a, 'z', &v)) parse_z(cfg, v);
    else if (!strcmp(arg, "-s")) cfg->strip_all = true;
    else if (!strcmp(arg, "-S")) cfg->strip_debug = true;
    else if (short_arg(&a, 'O', &v)) (void)v;  // optimisation level: nothing to tune
    else if (short_arg(&a, 'I', &v)) cfg->dynamic_linker = v;
    else if (short_arg(&a, 'y', &v)) vec_push(&cfg->trace_symbols, v);
    else if (short_arg(&a, 'h', &v)) cfg->soname = v;
    else if (short_arg(&a, 'T', &v))
      fatal("-T %s: linker scripts given with -T are not supported yet", v);
    else
      fatal("unknown argument: %s", arg);
  }
  if (group_depth) fatal("--start-group without --end-group");
  if (cfg->omagic || cfg->nmagic) cfg->relro = false;  // nothing is page-aligned to protect
  vec_free(&state_stack);
  if (!cfg->output) cfg->output = "a.out";
}

void print_help(void) {
  fputs(
      "Usage: xld [options] file...\n"
      "xld is an ELF linker for x86-64 and aarch64 with GNU ld's command line.\n\n"
      "Input files:\n"
      "  -l LIB, --library=LIB       Search libLIB.a (and libLIB.so unless -Bstatic); -l:FILE searches FILE\n"
      "  -L DIR, --library-path=DIR  Add DIR to the library search path ('=' prefix: under --sysroot)\n"
      "  --start-group, -(  ... --end-group, -)  Rescan the archives in between until nothing changes\n"
      "  --whole-archive, --no-whole-archive     Load every member of the following archives\n"
      "  --as-needed, --no-as-needed  DT_NEEDED only for the following shared libraries that are used\n"
      "  -Bstatic, -dn, -non_shared, -Bdynamic, -dy, -call_shared  Library search mode\n"
      "  --push-state, --pop-state   Save and restore the mode options above\n"
      "  --sysroot=DIR               Root for '=' paths and absolute paths in linker scripts\n"
      "  @FILE                       Read options from FILE\n\n"
      "Output:\n"
      "  -o FILE, --output=FILE      Output file (default a.out)\n"
      "  -static                     Static executable (ET_EXEC)\n"
      "  -pie, -static-pie           Position-independent executable (ET_DYN): dynamically linked, or\n"
      "                              with -static (implied by -static-pie) relocating itself\n"
      "  -no-pie                     Position-dependent executable (ET_EXEC)\n"
      "  -shared, -Bshareable        Shared library\n"
      "  -m EMULATION                elf_x86_64, aarch64linux (deduced from the first object if absent)\n"
      "  -e SYM, --entry=SYM         Entry point (default _start)\n"
      "  --image-base=ADDR, -Ttext-segment=ADDR  Address of the first segment (the ELF header);\n"
      "                              -Ttext-segment reads ADDR in hex\n"
      "  -N, --omagic                Text writable, nothing page-aligned: one RWX PT_LOAD (implies -Bstatic)\n"
      "  -n, --nmagic                No page alignment but for the data, which starts on a fresh page;\n"
      "                              one RWX PT_LOAD (implies -Bstatic)\n"
      "  --no-omagic                 Undo -N and -n (page-aligned, read-only text)\n"
      "  --build-id[=sha1|md5|fast|uuid|0xHEX|none]  Write a .note.gnu.build-id (default sha1)\n"
      "  --eh-frame-hdr              Write .eh_frame_hdr and PT_GNU_EH_FRAME\n"
      "  -s, --strip-all             Omit .symtab and .strtab\n"
      "  -S, --strip-debug           Omit debug sections\n"
      "  --compress-debug-sections[=none|zlib|zstd]  Compress .debug_* output sections (bare: zlib)\n"
      "  -Map=FILE, -M, --print-map  Write a link map (output and input sections, symbols) to FILE or stdout\n"
      "  --reproduce=FILE.tar        Write a tarball of the inputs and a response.txt that replays the link\n\n"
      "Dynamic linking:\n"
      "  --dynamic-linker=FILE, -I FILE  Program interpreter (--no-dynamic-linker: none)\n"
      "  -rpath DIR, -R DIR          Run-time library search path\n"
      "  --enable-new-dtags, --disable-new-dtags  Record it as DT_RUNPATH (default) or DT_RPATH\n"
      "  --hash-style=sysv|gnu|both  Symbol hash tables of the executable (default both)\n"
      "  --export-dynamic, -E, --no-export-dynamic  Export every global symbol, or only those\n"
      "                              that shared libraries refer to (default)\n"
      "  -soname NAME, -h NAME       DT_SONAME of a shared library\n"
      "  -Bsymbolic, -Bsymbolic-functions, -Bno-symbolic  A shared library's own definitions (all,\n"
      "                              or functions) bind locally, or (default) may be interposed\n"
      "  --no-undefined              Undefined symbols are errors in a shared library too\n"
      "  --export-dynamic-symbol=GLOB  Export the matching symbols (and, in a shared library, let\n"
      "                              them be interposed despite -Bsymbolic)\n"
      "  --dynamic-list=FILE         The same for a list of names and globs: { name; glob*; };\n"
      "  -init=SYM, -fini=SYM        DT_INIT and DT_FINI (default _init and _fini)\n"
      "  --allow-shlib-undefined, --no-allow-shlib-undefined  Whether what a shared library input\n"
      "                              leaves undefined must be defined (default: yes for executables)\n"
      "  --exclude-libs=LIB,...|ALL  Do not export symbols defined in these archives\n"
      "  --version-script=FILE       Exported symbols and their versions (global:, local:, extern \"C++\")\n\n"
      "Symbols:\n"
      "  -u SYM, --undefined=SYM     Start with SYM undefined (pulls archive members, gc root)\n"
      "  --require-defined=SYM       Like -u, and an error when SYM ends up undefined\n"
      "  --defsym=SYM=EXPR           Define SYM as a number or as another symbol\n"
      "  --allow-multiple-definition, -z muldefs  First definition wins instead of an error\n"
      "  --warn-common               Accepted\n"
      "  --sort-common[=descending|ascending]  Place COMMON symbols by alignment (default descending)\n\n"
      "Sections:\n"
      "  --gc-sections, --no-gc-sections  Remove sections nothing references\n"
      "  --print-gc-sections         List the removed sections\n"
      "  --section-start=SECTION=ADDR  Start output section SECTION at ADDR (hex); later sections follow it\n"
      "  -Ttext=ADDR, -Tdata=ADDR, -Tbss=ADDR  The same for .text, .data and .bss (also -Ttext ADDR)\n"
      "  --sort-section=name|alignment  Sort the input sections of each output section by name, or by\n"
      "                              alignment, largest first (not .init, .fini, .ctors, .dtors, arrays)\n\n"
      "-z keywords:\n"
      "  relro, norelro          PT_GNU_RELRO over the read-only-after-relocation data, or none\n"
      "  execstack, noexecstack  PT_GNU_STACK executable or not (default: from the inputs' notes)\n"
      "  separate-code, noseparate-code  Code on file and memory pages of its own, or sharing\n"
      "                          pages with other segments (default: noseparate-code, as lld)\n"
      "  max-page-size=N, common-page-size=N  Segment alignment, and the RELRO rounding\n"
      "  now, lazy               Bind every function at startup (DF_BIND_NOW), or on first call\n"
      "  origin                  DF_ORIGIN: $ORIGIN in the run path\n"
      "  nodelete, nodlopen, initfirst, global, interpose  DF_1_ flags of the same names\n"
      "  defs, undefs            Undefined symbols in a shared library are errors, or are not (default)\n"
      "  pack-relative-relocs, nopack-relative-relocs  RELATIVE relocations packed in .relr.dyn (DT_RELR)\n"
      "  muldefs\n"
      "  text, notext            Refuse text relocations in dynamic outputs (default), or allow them\n"
      "  (ibt, shstk and others are accepted without effect)\n\n"
      "Diagnostics and misc:\n"
      "  --error-limit=N             Stop after N errors (0: no limit; default 20)\n"
      "  --fatal-warnings, --no-fatal-warnings  Treat warnings as errors\n"
      "  --noinhibit-exec            Report undefined symbols as warnings and write the output\n"
      "  --unresolved-symbols=ignore-all|report-all|ignore-in-object-files|ignore-in-shared-libs\n"
      "                              Whether undefined symbols are reported (ignored ones are 0)\n"
      "  --warn-unresolved-symbols, --error-unresolved-symbols  Undefined symbols: warnings or errors\n"
      "  --demangle, --no-demangle   Show C++ symbol names demangled in messages (default) or not\n"
      "  --color-diagnostics[=always|never|auto], --no-color-diagnostics  Colour messages (default auto:\n"
      "                              when stderr is a terminal)\n"
      "  --threads=N, --no-threads   Worker threads (default: all cores)\n"
      "  --mmap-output-file          Write the output through a mapping of the file\n"
      "  --no-mmap-output-file       Build the whole output in memory, then write it\n"
      "                              (default on up to 4 threads: in pieces, each built in a thread's\n"
      "                              buffer and written; on more, through a mapping)\n"
      "  --stats                     Print each pass's time, its serial part and thread use\n"
      "  --time-trace[=FILE]         Write per-pass times as Chrome trace JSON (default OUTPUT.time-trace)\n"
      "  --why-extract=FILE          Write why each archive member was loaded (reference, member, symbol)\n"
      "  --print-archive-stats=FILE  Write each archive's member count and loaded-member count\n"
      "  -y SYM, --trace-symbol=SYM  Report each file that refers to or defines SYM\n"
      "  --wrap=SYM                  Undefined references to SYM go to __wrap_SYM, and to\n"
      "                              __real_SYM go to SYM\n"
      "  --version, -v, -V           Print the version\n"
      "  --help                      Print this help\n\n"
      "Accepted and ignored (they only matter to dynamic links or to GNU ld's internals):\n"
      "  -plugin, -plugin-opt, -rpath-link, -Bsymbolic-non-weak-functions,\n"
      "  --relax, --no-relax, -O N, -X, -x, -g, -EL,\n"
      "  --no-warn-mismatch, --gdb-index\n\n"
      "Long options take one dash or two (-gc-sections, --gc-sections), as in GNU ld, except\n"
      "--output, --omagic and --no-omagic: '-omagic' is '-o magic'; '-lNAME' is always -l.\n",
      stdout);
}
