// GNU ld scripts given as inputs (Debian's libm.a, libc.so): INPUT, GROUP,
// AS_NEEDED, OUTPUT_FORMAT, OUTPUT_ARCH, SEARCH_DIR and ENTRY.
#include "diag.h"
#include "input.h"
#include <ctype.h>
#include <unistd.h>

typedef struct {
  const char *path;
  const char *p, *end;
  bool in_sysroot;  // the script itself lies under --sysroot
  Context *ctx;
  const InputArg *arg;
} Script;

// Returns the next token: "(", ")", ",", or a word; NULL at end.
static const char *next_token(Script *s) {
  for (;;) {
    while (s->p < s->end && isspace((unsigned char)*s->p)) s->p++;
    if (s->end - s->p >= 2 && s->p[0] == '/' && s->p[1] == '*') {
      const char *e = s->p + 2;
      while (e + 1 < s->end && !(e[0] == '*' && e[1] == '/')) e++;
      if (e + 1 >= s->end) {
        error("%s: unterminated comment in linker script", s->path);
        s->p = s->end;
        return NULL;
      }
      s->p = e + 2;
      continue;
    }
    break;
  }
  if (s->p >= s->end) return NULL;
  if (*s->p == '(' || *s->p == ')' || *s->p == ',' || *s->p == ';') return arena_strndup(s->p++, 1);
  if (*s->p == '"') {
    const char *b = ++s->p;
    while (s->p < s->end && *s->p != '"') s->p++;
    const char *tok = arena_strndup(b, (size_t)(s->p - b));
    if (s->p < s->end) s->p++;
    return tok;
  }
  const char *b = s->p;
  while (s->p < s->end && !isspace((unsigned char)*s->p) && !strchr("(),;", *s->p) &&
         !(s->end - s->p >= 2 && s->p[0] == '/' && s->p[1] == '*'))
    s->p++;
  return arena_strndup(b, (size_t)(s->p - b));
}

static bool expect(Script *s, const char *want) {
  const char *t = next_token(s);
  if (t && !strcmp(t, want)) return true;
  error("%s: linker script: expected '%s' but found '%s'", s->path, want, t ? t : "end of file");
  return false;
}

static bool exists(const char *p) { return access(p, F_OK) == 0; }

// GNU ld looks up a script's absolute paths under the sysroot first when
// the script itself is inside the sysroot; other names along -L.
static void add_script_file(Script *s, const char *name, bool in_group, bool as_needed) {
  Context *ctx = s->ctx;
  InputArg arg = *s->arg;
  arg.as_needed |= as_needed;
  if (!strncmp(name, "-l", 2)) {
    arg.name = name + 2;
    const char *p = find_library(ctx, arg.name, arg.link_static);
    if (!p) {
      error("%s: unable to find library -l%s", s->path, arg.name);
      return;
    }
    add_input_file(ctx, p, &arg, in_group);
    return;
  }
  const char *path = name;
  if (name[0] == '/') {
    if (ctx->cfg.sysroot && s->in_sysroot) {
      const char *p = xasprintf("%s%s", ctx->cfg.sysroot, name);
      if (exists(p)) path = p;
    }
  } else if (!exists(name)) {
    for (size_t i = 0; i < ctx->cfg.lib_paths.len; i++) {
      const char *p = xasprintf("%s/%s", ctx->cfg.lib_paths.data[i], name);
      if (exists(p)) {
        path = p;
        break;
      }
    }
  }
  add_input_file(ctx, path, &arg, in_group);
}

// Reads "( file file ... )" for INPUT, GROUP and AS_NEEDED.
static void read_file_list(Script *s, bool in_group, bool as_needed) {
  if (!expect(s, "(")) return;
  for (const char *t; (t = next_token(s));) {
    if (!strcmp(t, ")")) return;
    if (!strcmp(t, ",")) continue;
    if (!strcmp(t, "AS_NEEDED")) {
      read_file_list(s, in_group, true);
      continue;
    }
    add_script_file(s, t, in_group, as_needed);
  }
  error("%s: linker script: missing ')'", s->path);
}

static void skip_parens(Script *s) {
  if (!expect(s, "(")) return;
  for (const char *t; (t = next_token(s));)
    if (!strcmp(t, ")")) return;
  error("%s: linker script: missing ')'", s->path);
}

void script_read(Context *ctx, const char *path, const uint8_t *data, size_t size, bool in_group,
                 const InputArg *arg) {
  for (size_t i = 0; i < size; i++)
    if (data[i] == 0 || (data[i] < 0x20 && !isspace(data[i]))) {
      error("%s: unknown file type (not an ELF object, archive or linker script)", path);
      return;
    }
  static int depth;
  if (++depth > 16) {
    error("%s: linker scripts nested too deeply", path);
    depth--;
    return;
  }
  const char *root = ctx->cfg.sysroot;
  Script s = {.path = path, .p = (const char *)data, .end = (const char *)data + size, .ctx = ctx, .arg = arg};
  if (root) {
    char *rp = realpath(root, NULL), *pp = realpath(path, NULL);
    s.in_sysroot = rp && pp && !strncmp(pp, rp, strlen(rp));
    free(rp);
    free(pp);
  }
  for (const char *t; (t = next_token(&s));) {
    if (!strcmp(t, ";")) continue;
    if (!strcmp(t, "INPUT")) read_file_list(&s, in_group, false);
    else if (!strcmp(t, "GROUP")) {
      // A group inside a command-line group is already rescanned with it.
      if (!in_group) vec_push(&ctx->inputs, ((Input){.kind = INPUT_GROUP_START}));
      read_file_list(&s, true, false);
      if (!in_group) vec_push(&ctx->inputs, ((Input){.kind = INPUT_GROUP_END}));
    } else if (!strcmp(t, "OUTPUT_FORMAT") || !strcmp(t, "OUTPUT_ARCH") || !strcmp(t, "TARGET"))
      skip_parens(&s);
    else if (!strcmp(t, "SEARCH_DIR")) {
      if (!expect(&s, "(")) break;
      const char *dir = next_token(&s);
      if (dir) vec_push(&ctx->cfg.lib_paths, dir);
      if (!expect(&s, ")")) break;
    } else if (!strcmp(t, "ENTRY")) {
      if (!expect(&s, "(")) break;
      const char *sym = next_token(&s);
      if (sym && !ctx->cfg.entry) ctx->cfg.entry = sym;
      if (!expect(&s, ")")) break;
    } else {
      error("%s: unsupported linker script command: %s", path, t);
      break;
    }
  }
  depth--;
}
