// Command-line parsing (linker/options.c) in GNU ld's syntax: every
// spelling of each option lands in the same Config field, position-dependent
// state is recorded per input, @response files expand in place, and bad
// options exit with status 1.
#include <criterion/criterion.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "options.h"

// Parses "xld ARGS..." (NULL-terminated) into a fresh zeroed Config.
static Config *parse(const char *first, ...) {
  const char *argv[128];
  int argc = 0;
  argv[argc++] = "xld";
  va_list ap;
  va_start(ap, first);
  for (const char *s = first; s; s = va_arg(ap, const char *)) {
    cr_assert_lt(argc, 127);
    argv[argc++] = s;
  }
  va_end(ap);
  argv[argc] = NULL;
  Config *cfg = calloc(1, sizeof(Config));
  cr_assert_not_null(cfg);
  parse_options(cfg, argc, (char **)argv);
  return cfg;
}
#define PARSE(...) parse(__VA_ARGS__, (const char *)NULL)

static void assert_input(const Config *cfg, size_t i, ArgKind kind, const char *name) {
  cr_assert_lt(i, cfg->inputs.len, "input %zu exists (have %zu)", i, cfg->inputs.len);
  const InputArg *in = &cfg->inputs.data[i];
  cr_assert_eq(in->kind, kind, "input %zu kind: %d, want %d", i, in->kind, kind);
  if (name) cr_assert_str_eq(in->name, name, "input %zu name", i);
  else cr_assert_null(in->name, "input %zu has no name", i);
}

// ------------------------------------------------------------ output and defaults

Test(options, defaults) {
  Config *cfg = PARSE("a.o");
  cr_assert_str_eq(cfg->output, "a.out");
  cr_assert(cfg->relro);
  cr_assert_not(cfg->pie);
  cr_assert_not(cfg->is_static);
  cr_assert_not(cfg->gc_sections);
  cr_assert_eq(cfg->build_id, BUILD_ID_NONE);
  cr_assert_eq(cfg->error_limit, 20);
  cr_assert_null(cfg->entry);
  cr_assert_eq(cfg->inputs.len, 1);
  assert_input(cfg, 0, ARG_FILE, "a.o");
  cr_assert_not(cfg->inputs.data[0].whole_archive);
  cr_assert_not(cfg->inputs.data[0].link_static);
}

Test(options, output_spellings) {
  cr_assert_str_eq(PARSE("-o", "out1", "a.o")->output, "out1");
  cr_assert_str_eq(PARSE("-oout2", "a.o")->output, "out2");
  cr_assert_str_eq(PARSE("--output=out3", "a.o")->output, "out3");
  cr_assert_str_eq(PARSE("--output", "out4", "a.o")->output, "out4");
  // GNU ld: --output takes exactly two dashes; "-output=out5" is -o utput=out5,
  // as "-omagic" is -o magic.
  cr_assert_str_eq(PARSE("-output=out5")->output, "utput=out5");
  cr_assert_str_eq(PARSE("-omagic", "a.o")->output, "magic");
  cr_assert_not(PARSE("-omagic", "a.o")->omagic);
  cr_assert(PARSE("--omagic", "a.o")->omagic);
  // The last one wins; the value is not taken as an input.
  Config *cfg = PARSE("-o", "first", "x.o", "--output=second");
  cr_assert_str_eq(cfg->output, "second");
  cr_assert_eq(cfg->inputs.len, 1);
  assert_input(cfg, 0, ARG_FILE, "x.o");
}

Test(options, missing_output_argument_exits, .exit_code = 1) {
  PARSE("a.o", "-o");
}

// ------------------------------------------------------------ libraries

Test(options, library_paths) {
  Config *cfg = PARSE("-L", "/d1", "-L/d2", "--library-path=/d3", "--library-path", "/d4", "-L=/d5");
  cr_assert_eq(cfg->lib_paths.len, 5);
  cr_assert_str_eq(cfg->lib_paths.data[0], "/d1");
  cr_assert_str_eq(cfg->lib_paths.data[1], "/d2");
  cr_assert_str_eq(cfg->lib_paths.data[2], "/d3");
  cr_assert_str_eq(cfg->lib_paths.data[3], "/d4");
  cr_assert_str_eq(cfg->lib_paths.data[4], "=/d5");
  cr_assert_eq(cfg->inputs.len, 0);
}

Test(options, libraries_in_order) {
  Config *cfg = PARSE("a.o", "-lc", "-l", "m", "-l:libfoo.a", "--library=bar", "--library", "baz", "b.o");
  cr_assert_eq(cfg->inputs.len, 7);
  assert_input(cfg, 0, ARG_FILE, "a.o");
  assert_input(cfg, 1, ARG_LIB, "c");
  assert_input(cfg, 2, ARG_LIB, "m");
  assert_input(cfg, 3, ARG_LIB, ":libfoo.a");
  assert_input(cfg, 4, ARG_LIB, "bar");
  assert_input(cfg, 5, ARG_LIB, "baz");
  assert_input(cfg, 6, ARG_FILE, "b.o");
}

// ------------------------------------------------------------ output kind

Test(options, static_exe) {
  Config *cfg = PARSE("-static", "a.o", "-lc");
  cr_assert(cfg->is_static);
  cr_assert_not(cfg->pie);
  // -static also means -Bstatic for the libraries that follow.
  cr_assert(cfg->inputs.data[0].link_static);
  cr_assert(cfg->inputs.data[1].link_static);
}

Test(options, static_pie) {
  Config *cfg = PARSE("-static-pie", "a.o");
  cr_assert(cfg->is_static);
  cr_assert(cfg->pie);
  cr_assert(cfg->inputs.data[0].link_static);
}

Test(options, gcc_static_pie_spelling) {
  // What gcc -static-pie passes to ld.
  Config *cfg = PARSE("-static", "-pie", "--no-dynamic-linker", "-z", "text", "a.o");
  cr_assert(cfg->is_static);
  cr_assert(cfg->pie);
  cr_assert_null(cfg->dynamic_linker);
  cr_assert_eq(cfg->inputs.len, 1);
}

Test(options, pie_and_dynamic_linker) {
  Config *cfg = PARSE("-pie", "-dynamic-linker", "/lib64/ld-linux-x86-64.so.2", "a.o");
  cr_assert(cfg->pie);
  cr_assert_not(cfg->is_static);
  cr_assert_str_eq(cfg->dynamic_linker, "/lib64/ld-linux-x86-64.so.2");
  cr_assert_eq(cfg->inputs.len, 1);
  cfg = PARSE("-pie", "-dynamic-linker", "/ld.so", "--no-dynamic-linker");
  cr_assert_null(cfg->dynamic_linker);
  cfg = PARSE("-pie", "-no-pie");
  cr_assert_not(cfg->pie);
}

Test(options, emulation) {
  cr_assert_str_eq(PARSE("-m", "elf_x86_64", "a.o")->emulation, "elf_x86_64");
  cr_assert_str_eq(PARSE("-maarch64linux", "a.o")->emulation, "aarch64linux");
}

Test(options, shared) {
  Config *cfg = PARSE("-shared", "-soname", "libx.so.1", "-Bsymbolic-functions", "--no-undefined", "a.o");
  cr_assert(cfg->shared);
  cr_assert(cfg->pie);  // position-independent output
  cr_assert_str_eq(cfg->soname, "libx.so.1");
  cr_assert_eq(cfg->bsymbolic, BSYMBOLIC_FUNCTIONS);
  cr_assert(cfg->no_undefined);
  cfg = PARSE("-shared", "-hlibx.so", "-Bsymbolic", "-Bno-symbolic", "-z", "defs", "-z", "undefs", "a.o");
  cr_assert_str_eq(cfg->soname, "libx.so");
  cr_assert_eq(cfg->bsymbolic, BSYMBOLIC_NONE);
  cr_assert_not(cfg->no_undefined);
}

Test(options, dynamic_link_options) {
  Config *cfg = PARSE("-rpath", "/a", "-R", "/b", "--disable-new-dtags", "--hash-style=gnu", "-E",
                      "--dynamic-linker=/lib/ld.so", "-z", "origin", "a.o");
  cr_assert_eq(cfg->rpaths.len, 2);
  cr_assert_str_eq(cfg->rpaths.data[1], "/b");
  cr_assert_not(cfg->new_dtags);
  cr_assert_eq(cfg->hash_style, HASH_STYLE_GNU);
  cr_assert(cfg->export_dynamic);
  cr_assert_str_eq(cfg->dynamic_linker, "/lib/ld.so");
  cr_assert(cfg->z_origin);
}
Test(options, relocatable_exits, .exit_code = 1) { PARSE("-r", "a.o"); }

// ------------------------------------------------------------ -z keywords

Test(options, z_keywords) {
  Config *cfg = PARSE("-z", "relro", "-z", "now", "-z", "noexecstack", "-z", "max-page-size=0x10000",
                      "-zcommon-page-size=4096");
  cr_assert(cfg->relro);
  cr_assert(cfg->z_now);
  cr_assert_not(cfg->execstack);
  cr_assert(cfg->execstack_set);
  cr_assert_eq(cfg->max_page_size, 0x10000);
  cr_assert_eq(cfg->common_page_size, 4096);

  cfg = PARSE("-z", "norelro", "-z", "lazy", "-zexecstack", "-z", "muldefs", "-z", "max-page-size=65536");
  cr_assert_not(cfg->relro);
  cr_assert_not(cfg->z_now);
  cr_assert(cfg->execstack);
  cr_assert(cfg->execstack_set);
  cr_assert(cfg->allow_multiple_definition);
  cr_assert_eq(cfg->max_page_size, 65536);

  // Keywords without effect on a static link are accepted quietly, and do
  // not swallow the next argument.
  cfg = PARSE("-z", "separate-code", "-z", "text", "-z", "defs", "a.o");
  cr_assert_eq(cfg->inputs.len, 1);
  assert_input(cfg, 0, ARG_FILE, "a.o");
}

Test(options, z_max_page_size_not_pow2_exits, .exit_code = 1) { PARSE("-z", "max-page-size=0x3000"); }
Test(options, z_max_page_size_zero_exits, .exit_code = 1) { PARSE("-z", "max-page-size=0"); }
Test(options, z_max_page_size_garbage_exits, .exit_code = 1) { PARSE("-z", "max-page-size=4k"); }
Test(options, z_common_page_size_not_pow2_exits, .exit_code = 1) { PARSE("-z", "common-page-size=100"); }

// ------------------------------------------------------------ build id

Test(options, build_id_kinds) {
  cr_assert_eq(PARSE("--build-id")->build_id, BUILD_ID_SHA1);
  cr_assert_eq(PARSE("--build-id=sha1")->build_id, BUILD_ID_SHA1);
  cr_assert_eq(PARSE("--build-id=md5")->build_id, BUILD_ID_MD5);
  cr_assert_eq(PARSE("--build-id=fast")->build_id, BUILD_ID_FAST);
  cr_assert_eq(PARSE("--build-id=uuid")->build_id, BUILD_ID_UUID);
  cr_assert_eq(PARSE("--build-id", "--build-id=none")->build_id, BUILD_ID_NONE);
  cr_assert_eq(PARSE("-build-id=md5")->build_id, BUILD_ID_MD5);
}

Test(options, build_id_hex) {
  Config *cfg = PARSE("--build-id=0xdeadbeef");
  cr_assert_eq(cfg->build_id, BUILD_ID_HEX);
  cr_assert_eq(cfg->build_id_hex_len, 4);
  const uint8_t want[] = {0xde, 0xad, 0xbe, 0xef};
  cr_assert_arr_eq(cfg->build_id_hex, want, 4);

  cfg = PARSE("--build-id=0X0123456789ABCDEF00");
  cr_assert_eq(cfg->build_id, BUILD_ID_HEX);
  cr_assert_eq(cfg->build_id_hex_len, 9);
  const uint8_t want2[] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x00};
  cr_assert_arr_eq(cfg->build_id_hex, want2, 9);
}

Test(options, build_id_odd_hex_exits, .exit_code = 1) { PARSE("--build-id=0xabc"); }
Test(options, build_id_bad_hex_digit_exits, .exit_code = 1) { PARSE("--build-id=0xzz"); }
Test(options, build_id_empty_hex_exits, .exit_code = 1) { PARSE("--build-id=0x"); }
Test(options, build_id_unknown_style_exits, .exit_code = 1) { PARSE("--build-id=sha256"); }

// ------------------------------------------------------------ groups and input state

Test(options, group) {
  Config *cfg = PARSE("x.o", "--start-group", "a.o", "-lc", "--end-group", "y.o");
  cr_assert_eq(cfg->inputs.len, 6);
  assert_input(cfg, 0, ARG_FILE, "x.o");
  assert_input(cfg, 1, ARG_GROUP_START, NULL);
  assert_input(cfg, 2, ARG_FILE, "a.o");
  assert_input(cfg, 3, ARG_LIB, "c");
  assert_input(cfg, 4, ARG_GROUP_END, NULL);
  assert_input(cfg, 5, ARG_FILE, "y.o");
}

Test(options, group_short_spelling) {
  Config *cfg = PARSE("-(", "a.o", "-)");
  cr_assert_eq(cfg->inputs.len, 3);
  assert_input(cfg, 0, ARG_GROUP_START, NULL);
  assert_input(cfg, 1, ARG_FILE, "a.o");
  assert_input(cfg, 2, ARG_GROUP_END, NULL);
}

Test(options, unterminated_group_exits, .exit_code = 1) { PARSE("--start-group", "a.o"); }
Test(options, nested_group_exits, .exit_code = 1) { PARSE("--start-group", "--start-group", "--end-group", "--end-group"); }
Test(options, stray_end_group_exits, .exit_code = 1) { PARSE("a.o", "--end-group"); }

Test(options, whole_archive_and_bstatic_state) {
  Config *cfg = PARSE("a.a", "--whole-archive", "b.a", "-Bstatic", "-lc", "--no-whole-archive", "c.a", "-Bdynamic",
                      "d.a", "-dn", "e.a", "-dy", "f.a");
  cr_assert_eq(cfg->inputs.len, 7);
  struct { const char *name; bool whole, stat; } want[] = {
      {"a.a", false, false}, {"b.a", true, false}, {"c", true, true},   {"c.a", false, true},
      {"d.a", false, false}, {"e.a", false, true}, {"f.a", false, false},
  };
  for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
    cr_assert_str_eq(cfg->inputs.data[i].name, want[i].name);
    cr_assert_eq(cfg->inputs.data[i].whole_archive, want[i].whole, "whole_archive of %s", want[i].name);
    cr_assert_eq(cfg->inputs.data[i].link_static, want[i].stat, "link_static of %s", want[i].name);
  }
  // -Bstatic is a search mode, not -static.
  cr_assert_not(cfg->is_static);
}

Test(options, as_needed_state) {
  Config *cfg = PARSE("--as-needed", "-lm", "--no-as-needed", "-lc");
  cr_assert_eq(cfg->inputs.len, 2);
  cr_assert(cfg->inputs.data[0].as_needed);
  cr_assert_not(cfg->inputs.data[1].as_needed);
}

Test(options, push_and_pop_state) {
  Config *cfg = PARSE("--push-state", "--whole-archive", "-Bstatic", "-lx", "--pop-state", "-ly");
  cr_assert_eq(cfg->inputs.len, 2);
  assert_input(cfg, 0, ARG_LIB, "x");
  assert_input(cfg, 1, ARG_LIB, "y");
  cr_assert(cfg->inputs.data[0].whole_archive);
  cr_assert(cfg->inputs.data[0].link_static);
  cr_assert_not(cfg->inputs.data[1].whole_archive);
  cr_assert_not(cfg->inputs.data[1].link_static);
}

Test(options, nested_push_state) {
  Config *cfg = PARSE("--whole-archive", "--push-state", "--no-whole-archive", "--push-state", "-Bstatic",
                      "-la", "--pop-state", "-lb", "--pop-state", "-lc");
  cr_assert_eq(cfg->inputs.len, 3);
  cr_assert_not(cfg->inputs.data[0].whole_archive);
  cr_assert(cfg->inputs.data[0].link_static);
  cr_assert_not(cfg->inputs.data[1].whole_archive);
  cr_assert_not(cfg->inputs.data[1].link_static);
  cr_assert(cfg->inputs.data[2].whole_archive);
  cr_assert_not(cfg->inputs.data[2].link_static);
}

Test(options, pop_without_push_exits, .exit_code = 1) { PARSE("--pop-state"); }

// ------------------------------------------------------------ symbols and sections

Test(options, entry_spellings) {
  cr_assert_str_eq(PARSE("-e", "start1")->entry, "start1");
  cr_assert_str_eq(PARSE("-estart2")->entry, "start2");
  cr_assert_str_eq(PARSE("--entry=start3")->entry, "start3");
  cr_assert_str_eq(PARSE("--entry", "start4")->entry, "start4");
}

Test(options, undefined_and_require_defined) {
  Config *cfg = PARSE("-u", "a", "--undefined=b", "-uc", "--undefined", "d", "--require-defined=e");
  cr_assert_eq(cfg->undefined.len, 4);
  cr_assert_str_eq(cfg->undefined.data[0], "a");
  cr_assert_str_eq(cfg->undefined.data[1], "b");
  cr_assert_str_eq(cfg->undefined.data[2], "c");
  cr_assert_str_eq(cfg->undefined.data[3], "d");
  cr_assert_eq(cfg->require_defined.len, 1);
  cr_assert_str_eq(cfg->require_defined.data[0], "e");
  cr_assert_eq(cfg->inputs.len, 0);
}

Test(options, defsym) {
  Config *cfg = PARSE("--defsym=a=b", "--defsym", "c=0x1000", "-defsym=d=e=f");
  cr_assert_eq(cfg->defsyms.len, 3);
  cr_assert_str_eq(cfg->defsyms.data[0].name, "a");
  cr_assert_str_eq(cfg->defsyms.data[0].expr, "b");
  cr_assert_str_eq(cfg->defsyms.data[1].name, "c");
  cr_assert_str_eq(cfg->defsyms.data[1].expr, "0x1000");
  // The name ends at the first '='.
  cr_assert_str_eq(cfg->defsyms.data[2].name, "d");
  cr_assert_str_eq(cfg->defsyms.data[2].expr, "e=f");
}

Test(options, defsym_without_equals_exits, .exit_code = 1) { PARSE("--defsym=abc"); }
Test(options, defsym_empty_name_exits, .exit_code = 1) { PARSE("--defsym==1"); }

Test(options, gc_and_strip) {
  Config *cfg = PARSE("--gc-sections", "-s", "-S", "--print-gc-sections");
  cr_assert(cfg->gc_sections);
  cr_assert(cfg->strip_all);
  cr_assert(cfg->strip_debug);
  cr_assert(cfg->print_gc_sections);
  cr_assert_eq(cfg->inputs.len, 0);
  cfg = PARSE("--gc-sections", "--no-gc-sections", "--strip-all");
  cr_assert_not(cfg->gc_sections);
  cr_assert(cfg->strip_all);
  cr_assert_not(cfg->strip_debug);
  cfg = PARSE("--strip-debug");
  cr_assert_not(cfg->strip_all);
  cr_assert(cfg->strip_debug);
}

Test(options, numbers_and_misc) {
  Config *cfg = PARSE("--image-base=0x200000", "--threads=4", "--error-limit", "0", "--eh-frame-hdr",
                      "--allow-multiple-definition", "--sysroot=/sr");
  cr_assert(cfg->image_base_set);
  cr_assert_eq(cfg->image_base, 0x200000);
  cr_assert_eq(cfg->threads, 4);
  cr_assert_eq(cfg->error_limit, 0);
  cr_assert(cfg->eh_frame_hdr);
  cr_assert(cfg->allow_multiple_definition);
  cr_assert_str_eq(cfg->sysroot, "/sr");
  cr_assert_eq(PARSE("--no-threads")->threads, 1);
}

Test(options, bad_number_exits, .exit_code = 1) { PARSE("--image-base=0x40zz"); }

// ------------------------------------------------------------ ignored options

Test(options, ignored_options_are_accepted) {
  // What gcc and clang pass for an ordinary link, minus the inputs.
  Config *cfg = PARSE("-plugin", "/usr/lib/gcc/liblto_plugin.so", "-plugin-opt=/usr/lib/gcc/lto-wrapper",
                      "-plugin-opt=-fresolution=/tmp/cc.res", "--hash-style=gnu", "--eh-frame-hdr",
                      "-m", "elf_x86_64", "--as-needed", "-O1", "-O", "2", "--no-undefined", "-EL", "-X",
                      "--sort-common", "--no-relax", "--color-diagnostics=always", "-rpath", "/r", "--enable-new-dtags",
                      "a.o");
  cr_assert_eq(cfg->inputs.len, 1, "option values are not taken as inputs (got %zu)", cfg->inputs.len);
  assert_input(cfg, 0, ARG_FILE, "a.o");
  cr_assert_str_eq(cfg->emulation, "elf_x86_64");
  cr_assert(cfg->eh_frame_hdr);
}

// GNU ld and lld take --color-diagnostics's value only in the joined form
// (--color-diagnostics[=WHEN]); the next argument stays an input.
Test(options, color_diagnostics_without_value_takes_no_argument) {
  Config *cfg = PARSE("--color-diagnostics", "a.o");
  cr_assert_eq(cfg->inputs.len, 1);
  assert_input(cfg, 0, ARG_FILE, "a.o");
  cfg = PARSE("a.o", "--color-diagnostics");
  cr_assert_eq(cfg->inputs.len, 1);
}

Test(options, unknown_option_exits, .exit_code = 1) { PARSE("--no-such-option", "a.o"); }
Test(options, unknown_short_option_exits, .exit_code = 1) { PARSE("-Q"); }
Test(options, script_option_exits, .exit_code = 1) { PARSE("-T", "link.ld"); }

Test(options, dash_alone_is_an_input) {
  Config *cfg = PARSE("-");
  cr_assert_eq(cfg->inputs.len, 1);
  assert_input(cfg, 0, ARG_FILE, "-");
}

// ------------------------------------------------------------ response files

static char *write_temp(const char *contents) {
  char *path = strdup("/tmp/xld-ut-rspXXXXXX");
  int fd = mkstemp(path);
  cr_assert_geq(fd, 0);
  size_t n = strlen(contents);
  cr_assert_eq(write(fd, contents, n), (ssize_t)n);
  close(fd);
  return path;
}

Test(options, response_file_expands_in_place) {
  char *rsp = write_temp("-o \"out file\"\n  'a b.o'\tc\\ d.o \"q\\\"uote.o\" -lm\n'it''s.o' -L\"/x y\"\n\"\"");
  char at[256];
  snprintf(at, sizeof at, "@%s", rsp);
  Config *cfg = PARSE("first.o", at, "last.o");
  unlink(rsp);
  cr_assert_str_eq(cfg->output, "out file");
  cr_assert_eq(cfg->lib_paths.len, 1);
  cr_assert_str_eq(cfg->lib_paths.data[0], "/x y");
  cr_assert_eq(cfg->inputs.len, 8, "got %zu inputs", cfg->inputs.len);
  assert_input(cfg, 0, ARG_FILE, "first.o");
  assert_input(cfg, 1, ARG_FILE, "a b.o");
  assert_input(cfg, 2, ARG_FILE, "c d.o");
  assert_input(cfg, 3, ARG_FILE, "q\"uote.o");
  assert_input(cfg, 4, ARG_LIB, "m");
  assert_input(cfg, 5, ARG_FILE, "its.o");
  // An explicitly quoted empty string is an (empty) argument.
  assert_input(cfg, 6, ARG_FILE, "");
  assert_input(cfg, 7, ARG_FILE, "last.o");
}

Test(options, nested_response_file) {
  char *inner = write_temp("inner.o --gc-sections");
  char outer_text[256];
  snprintf(outer_text, sizeof outer_text, "outer1.o @%s outer2.o", inner);
  char *outer = write_temp(outer_text);
  char at[256];
  snprintf(at, sizeof at, "@%s", outer);
  Config *cfg = PARSE(at);
  unlink(inner);
  unlink(outer);
  cr_assert(cfg->gc_sections);
  cr_assert_eq(cfg->inputs.len, 3);
  assert_input(cfg, 0, ARG_FILE, "outer1.o");
  assert_input(cfg, 1, ARG_FILE, "inner.o");
  assert_input(cfg, 2, ARG_FILE, "outer2.o");
}

Test(options, response_file_option_value_split_across_file) {
  // "-o" at the end of a response file takes the next argument after it.
  char *rsp = write_temp("a.o -o");
  char at[256];
  snprintf(at, sizeof at, "@%s", rsp);
  Config *cfg = PARSE(at, "out");
  unlink(rsp);
  cr_assert_str_eq(cfg->output, "out");
  cr_assert_eq(cfg->inputs.len, 1);
}

Test(options, missing_response_file_exits, .exit_code = 1) { PARSE("@/nonexistent/xld-ut.rsp"); }

static char self_rsp_path[64];
static void remove_self_rsp(void) { unlink(self_rsp_path); }

Test(options, self_including_response_file_exits, .exit_code = 1) {
  strcpy(self_rsp_path, "/tmp/xld-ut-selfXXXXXX");
  int fd = mkstemp(self_rsp_path);
  cr_assert_geq(fd, 0);
  atexit(remove_self_rsp);  // fatal() exits; clean up the file then
  char text[80];
  int n = snprintf(text, sizeof text, "@%s", self_rsp_path);
  cr_assert_eq(write(fd, text, (size_t)n), n);
  close(fd);
  PARSE(text);
}

Test(options, unknown_z_keyword_is_a_warning) {
  int before = error_count();
  Config *cfg = PARSE("-z", "no-such-keyword", "a.o");
  cr_assert_eq(error_count(), before, "a warning, not an error");
  cr_assert_eq(cfg->inputs.len, 1);
  assert_input(cfg, 0, ARG_FILE, "a.o");
  // With --fatal-warnings it counts as an error.
  PARSE("--fatal-warnings", "-z", "no-such-keyword");
  cr_assert_eq(error_count(), before + 1);
}
