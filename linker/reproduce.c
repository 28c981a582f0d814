// --reproduce=FILE.tar, as lld and mold: a POSIX ustar archive holding
// every file the link opened (objects, archives, thin archive members,
// linker scripts) under "STEM/" plus the absolute path without its leading
// slash, response.txt (the command line, @files expanded, with paths
// rewritten to those inside the tarball and outputs reduced to their base
// names) and version.txt. "cd STEM && xld @response.txt" replays the link.
// Names longer than ustar's 100+155 bytes get a PAX extended header.
#include "reproduce.h"
#include "diag.h"
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

typedef struct {
  const char *path;
  const uint8_t *data;
  size_t size;
} Recorded;

static bool recording;
static VEC(Recorded) recorded;

void reproduce_start(Context *ctx) { recording = ctx->cfg.reproduce != NULL; }

void reproduce_record(const char *path, const uint8_t *data, size_t size) {
  if (!recording) return;
  Recorded r = {xstrdup(path), data, size};
  vec_push(&recorded, r);
}

// PATH made absolute and free of "." and ".." (lexically), without its
// leading slash: its place under the tarball's top directory.
static char *tar_relative(const char *path) {
  char *abs;
  if (path[0] == '/') abs = xstrdup(path);
  else {
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd)) fatal("--reproduce: cannot get the current directory: %s", strerror(errno));
    abs = xasprintf("%s/%s", cwd, path);
  }
  VEC(char *) parts = {0};
  for (char *save = NULL, *tok = strtok_r(abs, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
    if (!strcmp(tok, ".")) continue;
    if (!strcmp(tok, "..")) {
      if (parts.len) parts.len--;
      continue;
    }
    vec_push(&parts, tok);
  }
  VEC(char) out = {0};
  for (size_t i = 0; i < parts.len; i++) {
    if (i) vec_push(&out, '/');
    for (const char *p = parts.data[i]; *p; p++) vec_push(&out, *p);
  }
  if (!out.len) vec_push(&out, '.');
  vec_push(&out, '\0');
  char *r = xstrdup(out.data);
  vec_free(&out);
  vec_free(&parts);
  free(abs);
  return r;
}

static const char *base_name(const char *p) {
  const char *s = strrchr(p, '/');
  return s && s[1] ? s + 1 : p;
}

typedef VEC(char) CharVec;

// One argument as xld's response-file reader reads it back.
static void append_quoted(CharVec *out, const char *s) {
  bool plain = *s != '\0';
  for (const char *p = s; *p; p++)
    if (strchr(" \t\n\r\v\f\"'\\", *p)) plain = false;
  if (plain) {
    for (const char *p = s; *p; p++) vec_push(out, *p);
  } else {
    vec_push(out, '"');
    for (const char *p = s; *p; p++) {
      if (*p == '"' || *p == '\\') vec_push(out, '\\');
      vec_push(out, *p);
    }
    vec_push(out, '"');
  }
  vec_push(out, '\n');
}

static char *response_text(Context *ctx, size_t *len) {
  const Config *cfg = &ctx->cfg;
  const ReproArg **marks = xcalloc(cfg->args.len + 1, sizeof *marks);
  for (size_t i = 0; i < cfg->repro_args.len; i++) {
    const ReproArg *r = &cfg->repro_args.data[i];
    if (r->index < cfg->args.len && (!marks[r->index] || r->kind == REPRO_DROP)) marks[r->index] = r;
  }
  CharVec out = {0};
  for (size_t i = 0; i < cfg->args.len; i++) {
    const char *arg = cfg->args.data[i];
    const ReproArg *m = marks[i];
    if (!m) {
      append_quoted(&out, arg);
      continue;
    }
    if (m->kind == REPRO_DROP) continue;
    const char *val = arg + m->offset;
    const char *nv = val;
    if (m->kind == REPRO_BASENAME) {
      if (strcmp(val, "-")) nv = base_name(val);
    } else if (val[0] && val[0] != '=' && strncmp(val, "$SYSROOT", 8)) {
      nv = tar_relative(val);  // "=dir" stays relative to the (rewritten) --sysroot
    }
    char *joined = xasprintf("%.*s%s", (int)m->offset, arg, nv);
    append_quoted(&out, joined);
    free(joined);
  }
  free(marks);
  *len = out.len;
  vec_push(&out, '\0');
  return out.data;
}

// ------------------------------------------------------------ ustar

typedef struct {
  FILE *f;
  const char *path;
} Tar;

static void tar_write(Tar *t, const void *p, size_t n) {
  if (n && fwrite(p, 1, n, t->f) != n) fatal("cannot write %s: %s", t->path, strerror(errno));
}

static void tar_pad(Tar *t, uint64_t size) {
  static const char zeros[512];
  tar_write(t, zeros, (512 - size % 512) % 512);
}

// WIDTH - 1 octal digits and a NUL (callers keep V in range).
static void octal(char *field, size_t width, uint64_t v) {
  field[width - 1] = '\0';
  for (size_t i = width - 1; i-- > 0; v >>= 3) field[i] = (char)('0' + (v & 7));
}

static void write_header(Tar *t, const char *name, const char *prefix, uint64_t size, char type) {
  char h[512] = {0};
  memcpy(h, name, strnlen(name, 100));
  octal(h + 100, 8, 0644);
  octal(h + 108, 8, 0);
  octal(h + 116, 8, 0);
  octal(h + 124, 12, size);
  octal(h + 136, 12, 0);  // mtime 0: the same tarball for the same inputs
  memset(h + 148, ' ', 8);
  h[156] = type;
  memcpy(h + 257, "ustar", 6);
  memcpy(h + 263, "00", 2);
  if (prefix) memcpy(h + 345, prefix, strnlen(prefix, 155));
  unsigned sum = 0;
  for (size_t i = 0; i < 512; i++) sum += (unsigned char)h[i];
  octal(h + 148, 7, sum);  // six digits, a NUL, and the space left there
  h[155] = ' ';
  tar_write(t, h, 512);
}

// A PAX record "LEN key=value\n", LEN counting itself.
static char *pax_record(const char *key, const char *value) {
  size_t body = 1 + strlen(key) + 1 + strlen(value) + 1;  // " key=value\n"
  size_t len = body + 1;
  for (;;) {
    size_t digits = (size_t)snprintf(NULL, 0, "%zu", len);
    if (digits + body == len) break;
    len = digits + body;
  }
  return xasprintf("%zu %s=%s\n", len, key, value);
}

static void tar_add(Tar *t, const char *name, const uint8_t *data, uint64_t size) {
  size_t n = strlen(name);
  bool big = size > 077777777777ULL;
  const char *prefix = NULL;
  char *short_name = NULL, *pre = NULL;
  if (n > 100 || big) {
    // ustar splits at a slash: up to 155 bytes of prefix, 100 of name.
    for (size_t i = n; i-- > 0;) {
      if (name[i] != '/' || n - i - 1 > 100) continue;
      if (i <= 155 && i > 0 && n - i - 1 > 0) {
        pre = arena_strndup(name, i);
        short_name = (char *)name + i + 1;
        prefix = pre;
      }
      break;
    }
    if (!prefix || big) {
      char *rec = big ? pax_record("size", xasprintf("%llu", (unsigned long long)size)) : xstrdup("");
      if (!prefix) {
        char *p = pax_record("path", name);
        rec = xasprintf("%s%s", rec, p);
      }
      write_header(t, "././@PaxHeader", NULL, strlen(rec), 'x');
      tar_write(t, rec, strlen(rec));
      tar_pad(t, strlen(rec));
      if (!prefix) short_name = arena_strndup(name, 100);
    }
  }
  write_header(t, short_name ? short_name : name, prefix, big ? 0 : size, '0');
  tar_write(t, data, size);
  tar_pad(t, size);
}

void write_reproduce(Context *ctx) {
  const char *path = ctx->cfg.reproduce;
  if (!path) return;
  recording = false;
  // The top directory: the tarball's name without directories and ".tar".
  const char *b = base_name(path);
  size_t blen = strlen(b);
  if (blen > 4 && !strcmp(b + blen - 4, ".tar")) blen -= 4;
  char *top = arena_strndup(b, blen);
  Tar t = {fopen(path, "wb"), path};
  if (!t.f) fatal("cannot open --reproduce file %s: %s", path, strerror(errno));
  size_t rlen;
  char *resp = response_text(ctx, &rlen);
  tar_add(&t, xasprintf("%s/response.txt", top), (const uint8_t *)resp, rlen);
  char *ver = xasprintf("xld %s (compatible with GNU linkers)\n", XLD_VERSION);
  tar_add(&t, xasprintf("%s/version.txt", top), (const uint8_t *)ver, strlen(ver));
  VEC(char *) seen = {0};
  for (size_t i = 0; i < recorded.len; i++) {
    char *rel = tar_relative(recorded.data[i].path);
    bool dup = false;
    for (size_t k = 0; k < seen.len && !dup; k++) dup = !strcmp(seen.data[k], rel);
    if (dup) continue;
    vec_push(&seen, rel);
    tar_add(&t, xasprintf("%s/%s", top, rel), recorded.data[i].data, recorded.data[i].size);
  }
  static const char end[1024];
  tar_write(&t, end, sizeof end);
  if (fclose(t.f)) fatal("cannot write %s: %s", path, strerror(errno));
}
