// Version scripts (--version-script): which symbols a shared library
// exports, under which version names, and which it keeps local.
//
//   VERS_1 { global: foo; bar*; extern "C++" { ns::*; }; local: *; };
//   VERS_2 { global: foo2; } VERS_1;
//   { global: api_*; local: *; };          (one anonymous node)
#include "version_script.h"
#include "diag.h"
#include "input.h"
#include <ctype.h>
#include <fnmatch.h>

typedef struct {
  const char *path;
  const char *p, *end;
  VersionScript *vs;  // what is being read
} Lexer;

static void skip_space(Lexer *l) {
  for (;;) {
    while (l->p < l->end && isspace((unsigned char)*l->p)) l->p++;
    if (l->end - l->p >= 2 && l->p[0] == '/' && l->p[1] == '*') {
      const char *e = l->p + 2;
      while (e + 1 < l->end && !(e[0] == '*' && e[1] == '/')) e++;
      l->p = e + 1 < l->end ? e + 2 : l->end;
      continue;
    }
    if (l->p < l->end && *l->p == '#') {  // lld and GNU ld accept # comments
      while (l->p < l->end && *l->p != '\n') l->p++;
      continue;
    }
    return;
  }
}

// The next token: "{", "}", ";", ":", a quoted string (without quotes,
// *quoted set), or a word (a name or pattern); NULL at the end.
static const char *next(Lexer *l, bool *quoted) {
  skip_space(l);
  if (quoted) *quoted = false;
  if (l->p >= l->end) return NULL;
  if (strchr("{};:", *l->p)) return arena_strndup(l->p++, 1);
  if (*l->p == '"') {
    const char *b = ++l->p;
    while (l->p < l->end && *l->p != '"') l->p++;
    const char *t = arena_strndup(b, (size_t)(l->p - b));
    if (l->p < l->end) l->p++;
    if (quoted) *quoted = true;
    return t;
  }
  const char *b = l->p;
  while (l->p < l->end && !isspace((unsigned char)*l->p) && !strchr("{};\"", *l->p)) {
    // "global:" and "local:" end at the colon; "ns::f" patterns keep theirs.
    if (*l->p == ':' && !(l->p + 1 < l->end && l->p[1] == ':') && !(l->p > b && l->p[-1] == ':')) break;
    l->p++;
  }
  return arena_strndup(b, (size_t)(l->p - b));
}

static const char *peek(Lexer *l) {
  Lexer save = *l;
  const char *t = next(l, NULL);
  *l = save;
  return t;
}

static bool expect(Lexer *l, const char *want) {
  const char *t = next(l, NULL);
  if (t && !strcmp(t, want)) return true;
  error("%s: version script: expected '%s' but found '%s'", l->path, want, t ? t : "end of file");
  return false;
}

static bool is_glob(const char *s) { return strpbrk(s, "*?[") != NULL; }

static void add_pattern(VersionScript *vs, VersionNode *n, bool local, const char *text, bool cxx, bool quoted) {
  vs->has_cxx |= cxx;
  VersionPattern pat = {.text = text, .is_cxx = cxx, .is_glob = !quoted && is_glob(text)};
  if (local) vec_push(&n->locals, pat);
  else vec_push(&n->globals, pat);
}

// extern "C++" { pattern; "exact name"; ... };
static bool read_extern(Lexer *l, VersionNode *n, bool local) {
  bool quoted;
  const char *lang = next(l, &quoted);
  if (!lang || (strcmp(lang, "C++") && strcmp(lang, "C"))) {
    error("%s: version script: unsupported extern language '%s'", l->path, lang ? lang : "end of file");
    return false;
  }
  bool cxx = !strcmp(lang, "C++");
  if (!expect(l, "{")) return false;
  for (const char *t; (t = next(l, &quoted));) {
    if (!strcmp(t, "}")) {
      if (!strcmp(peek(l) ? peek(l) : "", ";")) next(l, NULL);
      return true;
    }
    if (!strcmp(t, ";")) continue;
    add_pattern(l->vs, n, local, t, cxx, quoted);
  }
  error("%s: version script: missing '}'", l->path);
  return false;
}

// The body of a node, after its "{".
static bool read_node_body(Lexer *l, VersionNode *n) {
  bool local = false, quoted;
  for (const char *t; (t = next(l, &quoted));) {
    if (!strcmp(t, "}")) return true;
    if (!strcmp(t, ";")) continue;
    if (!quoted && (!strcmp(t, "global") || !strcmp(t, "local")) && !strcmp(peek(l) ? peek(l) : "", ":")) {
      next(l, NULL);
      local = !strcmp(t, "local");
      continue;
    }
    if (!quoted && !strcmp(t, "extern")) {
      if (!read_extern(l, n, local)) return false;
      continue;
    }
    add_pattern(l->vs, n, local, t, false, quoted);
  }
  error("%s: version script: missing '}'", l->path);
  return false;
}

static void parse(VersionScript *vs, const char *path, const char *text, size_t size) {
  Lexer l = {.path = path, .p = text, .end = text + size, .vs = vs};
  for (const char *t; (t = next(&l, NULL));) {
    VersionNode *n = arena_new(VersionNode);
    if (strcmp(t, "{")) {
      n->name = t;
      if (!expect(&l, "{")) return;
    }
    if (!read_node_body(&l, n)) return;
    // Parents (dependencies) until the ";".
    for (const char *p; (p = next(&l, NULL)) && strcmp(p, ";");) vec_push(&n->parents, p);
    if (!n->name && !vs->is_list && (vs->nodes.len || vs->anonymous)) {
      error("%s: version script: an anonymous version node must be the only one", path);
      return;
    }
    if (!n->name) vs->anonymous = true;
    n->index = n->name ? (uint16_t)(vs->num_named + 2) : VER_NDX_GLOBAL;
    if (n->name) vs->num_named++;
    vec_push(&vs->nodes, n);
  }
}

static void read_files(VersionScript *vs, const char *const *paths, size_t n) {
  for (size_t i = 0; i < n; i++) {
    MappedFile mf;
    if (map_input_file(paths[i], &mf)) parse(vs, paths[i], (const char *)mf.data, mf.size);
  }
}

void read_version_scripts(Context *ctx) {
  read_files(&ctx->version_script, ctx->cfg.version_scripts.data, ctx->cfg.version_scripts.len);
  ctx->dynamic_list.is_list = true;
  // --dynamic-list files are anonymous nodes ({ name; glob*; };), and
  // --export-dynamic-symbol adds its globs to one more.
  read_files(&ctx->dynamic_list, ctx->cfg.dynamic_lists.data, ctx->cfg.dynamic_lists.len);
  if (ctx->cfg.export_dynamic_symbols.len) {
    VersionNode *n = arena_new(VersionNode);
    n->index = VER_NDX_GLOBAL;
    for (size_t i = 0; i < ctx->cfg.export_dynamic_symbols.len; i++)
      add_pattern(&ctx->dynamic_list, n, false, ctx->cfg.export_dynamic_symbols.data[i], false, false);
    vec_push(&ctx->dynamic_list.nodes, n);
  }
  checkpoint();
  // Parents must be nodes of the script.
  VersionScript *vs = &ctx->version_script;
  for (size_t i = 0; i < vs->nodes.len; i++)
    for (size_t k = 0; k < vs->nodes.data[i]->parents.len; k++)
      if (!version_node_named(ctx, vs->nodes.data[i]->parents.data[k]))
        error("version script: version %s depends on %s, which is not defined", vs->nodes.data[i]->name,
              vs->nodes.data[i]->parents.data[k]);
  checkpoint();
}

VersionNode *version_node_named(Context *ctx, const char *name) {
  for (size_t i = 0; i < ctx->version_script.nodes.len; i++) {
    VersionNode *n = ctx->version_script.nodes.data[i];
    if (n->name && !strcmp(n->name, name)) return n;
  }
  return NULL;
}

static bool matches(const VersionPattern *p, bool glob, const char *name, const char *demangled) {
  if (p->is_glob != glob) return false;
  const char *subject = p->is_cxx ? demangled : name;
  if (!subject) return false;
  return glob ? fnmatch(p->text, subject, 0) == 0 : !strcmp(p->text, subject);
}

// Exact names first (globals, then locals), then patterns in the same order.
static int lookup(VersionScript *vs, const char *name) {
  if (!vs->nodes.len) return VERSION_UNMATCHED;
  const char *demangled = vs->has_cxx ? demangle(name) : NULL;
  for (int glob = 0; glob < 2; glob++) {
    for (size_t i = 0; i < vs->nodes.len; i++) {
      const VersionNode *n = vs->nodes.data[i];
      for (size_t k = 0; k < n->globals.len; k++)
        if (matches(&n->globals.data[k], glob, name, demangled)) return n->index;
    }
    for (size_t i = 0; i < vs->nodes.len; i++) {
      const VersionNode *n = vs->nodes.data[i];
      for (size_t k = 0; k < n->locals.len; k++)
        if (matches(&n->locals.data[k], glob, name, demangled)) return VERSION_LOCAL;
    }
  }
  return VERSION_UNMATCHED;
}

int version_script_lookup(Context *ctx, const char *name) { return lookup(&ctx->version_script, name); }

bool dynamic_list_has(Context *ctx, const char *name) { return lookup(&ctx->dynamic_list, name) >= 0; }
