// Version scripts (linker/version_script.c): nodes, patterns and which
// node a name falls in.
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "version_script.h"

// Parses TEXT as the link's only version script.
static Context *parse(const char *text) {
  Context *ctx = calloc(1, sizeof(Context));
  cr_assert_not_null(ctx);
  char path[] = "/tmp/xld-vs-XXXXXX";
  int fd = mkstemp(path);
  cr_assert(fd >= 0);
  FILE *f = fdopen(fd, "w");
  fputs(text, f);
  fclose(f);
  vec_push(&ctx->cfg.version_scripts, strdup(path));
  read_version_scripts(ctx);
  unlink(path);
  return ctx;
}

Test(version_script, nodes_indices_and_parents) {
  Context *ctx = parse("VER_1 { global: foo; bar; local: *; };\n"
                       "VER_2 { global: foo2; } VER_1;\n");
  cr_assert_eq(ctx->version_script.nodes.len, 2);
  cr_assert_eq(ctx->version_script.num_named, 2);
  VersionNode *v2 = version_node_named(ctx, "VER_2");
  cr_assert_not_null(v2);
  cr_assert_eq(v2->index, 3);
  cr_assert_eq(v2->parents.len, 1);
  cr_assert_str_eq(v2->parents.data[0], "VER_1");
  cr_assert_eq(version_script_lookup(ctx, "bar"), 2);
  cr_assert_eq(version_script_lookup(ctx, "foo2"), 3);
  cr_assert_eq(version_script_lookup(ctx, "anything_else"), VERSION_LOCAL);
}

Test(version_script, exact_names_beat_patterns) {
  Context *ctx = parse("A { global: api_*; local: api_internal; };\n"
                       "B { global: api_special; };\n");
  cr_assert_eq(version_script_lookup(ctx, "api_special"), 3);   // exact in B over A's glob
  cr_assert_eq(version_script_lookup(ctx, "api_internal"), VERSION_LOCAL);  // exact local over glob
  cr_assert_eq(version_script_lookup(ctx, "api_open"), 2);
  cr_assert_eq(version_script_lookup(ctx, "other"), VERSION_UNMATCHED);
}

Test(version_script, anonymous_node_and_comments) {
  Context *ctx = parse("/* exports */ { global: lib_*; # a comment\n local: *; };");
  cr_assert_eq(ctx->version_script.num_named, 0);
  cr_assert(ctx->version_script.anonymous);
  cr_assert_eq(version_script_lookup(ctx, "lib_open"), 1);  // VER_NDX_GLOBAL
  cr_assert_eq(version_script_lookup(ctx, "helper"), VERSION_LOCAL);
}

Test(version_script, extern_cxx_matches_demangled_names) {
  Context *ctx = parse("V { global: extern \"C++\" { ns::*; \"exact::f(int)\"; }; local: *; };");
  cr_assert_eq(version_script_lookup(ctx, "_ZN2ns3fooEv"), 2);       // ns::foo()
  cr_assert_eq(version_script_lookup(ctx, "_ZN5exact1fEi"), 2);      // exact::f(int)
  cr_assert_eq(version_script_lookup(ctx, "_ZN5exact1fEd"), VERSION_LOCAL);  // exact::f(double)
  cr_assert_eq(version_script_lookup(ctx, "ns_plain_c"), VERSION_LOCAL);
}

Test(version_script, dynamic_lists_and_exported_symbols) {
  Context *ctx = calloc(1, sizeof(Context));
  const char *lists[2] = {"/tmp/xld-dl-1", "/tmp/xld-dl-2"};
  FILE *f = fopen(lists[0], "w");
  fputs("{ api_*; };", f);
  fclose(f);
  f = fopen(lists[1], "w");
  fputs("{ extern \"C++\" { ns::*; }; exact; };", f);
  fclose(f);
  vec_push(&ctx->cfg.dynamic_lists, lists[0]);
  vec_push(&ctx->cfg.dynamic_lists, lists[1]);
  vec_push(&ctx->cfg.export_dynamic_symbols, "glob?x");
  read_version_scripts(ctx);
  unlink(lists[0]);
  unlink(lists[1]);
  cr_assert(dynamic_list_has(ctx, "api_open"));
  cr_assert(dynamic_list_has(ctx, "exact"));
  cr_assert(dynamic_list_has(ctx, "_ZN2ns1fEv"));
  cr_assert(dynamic_list_has(ctx, "globax"));
  cr_assert_not(dynamic_list_has(ctx, "other"));
  cr_assert_eq(ctx->version_script.nodes.len, 0);
}

Test(version_script, unknown_parent_is_an_error, .exit_code = 1) {
  parse("V2 { global: x; } V1;");
}

Test(version_script, missing_brace_is_an_error, .exit_code = 1) {
  parse("V1 { global: x;");
}
