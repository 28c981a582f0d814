// The tables of a dynamic output that depend only on symbol names:
// .dynstr's strings, .gnu.version, .gnu.version_d, .gnu.version_r, .hash
// and .gnu.hash, built once before layout as byte buffers.
#include "dynamic_tables.h"
#include "diag.h"
#include "input.h"
#include "symbols.h"
#include "version_script.h"

uint32_t add_string(Bytes *b, const char *s) {
  uint32_t off = (uint32_t)b->len;
  for (const char *p = s;; p++) {
    vec_push(b, (uint8_t)*p);
    if (!*p) break;
  }
  return off;
}

void put32(Bytes *b, uint32_t v) {
  for (int i = 0; i < 4; i++) vec_push(b, (uint8_t)(v >> (8 * i)));
}

void put64(Bytes *b, uint64_t v) {
  put32(b, (uint32_t)v);
  put32(b, (uint32_t)(v >> 32));
}

uint32_t gnu_hash(const char *name) {
  uint32_t h = 5381;
  for (const unsigned char *p = (const unsigned char *)name; *p; p++) h = h * 33 + *p;
  return h;
}

uint32_t sysv_hash(const char *name) {
  uint32_t h = 0;
  for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
    h = (h << 4) + *p;
    uint32_t g = h & 0xf0000000;
    if (g) h ^= g >> 24;
    h &= ~g;
  }
  return h;
}

// ------------------------------------------------------------ versions defined

// A definition named "foo@V" (hidden version) or "foo@@V" (default) in
// its object: the version part, and whether it is hidden.
const char *explicit_version(const Symbol *s, bool *hidden) {
  if (!s->file || s->file->shared || !s->file->esyms) return NULL;
  const char *name = object_symbol_name(s->file, s->esym_index);
  const char *at = strchr(name, '@');
  if (!at) return NULL;
  *hidden = at[1] != '@';
  return at + (*hidden ? 1 : 2);
}

// The name a symbol has in .dynsym: without its "@VERSION".
const char *unversioned_name(const Symbol *s) {
  const char *at = memchr(s->name, '@', s->namelen);
  return at ? arena_strndup(s->name, (size_t)(at - s->name)) : s->name;
}

int symbol_output_version(Context *ctx, const Symbol *s) {
  bool hidden;
  const char *ver = explicit_version(s, &hidden);
  if (ver) {
    VersionNode *n = version_node_named(ctx, ver);
    if (!n) {
      error("%s: symbol %s has version %s, which no version script defines", file_name(s->file), s->name, ver);
      return VER_NDX_GLOBAL;
    }
    return n->index | (hidden ? 0x8000 : 0);
  }
  int v = version_script_lookup(ctx, s->name);
  return v == VERSION_UNMATCHED ? VER_NDX_GLOBAL : v;
}

// .gnu.version_d: the library itself (the base version), then each node.
static void build_verdefs(Context *ctx, DynamicInfo *di) {
  VersionScript *vs = &ctx->version_script;
  if (!vs->num_named) return;
  const char *base = ctx->cfg.soname;
  if (!base) {
    const char *slash = strrchr(ctx->cfg.output, '/');
    base = slash ? slash + 1 : ctx->cfg.output;
  }
  VEC(VersionNode *) named = {0};
  for (size_t i = 0; i < vs->nodes.len; i++)
    if (vs->nodes.data[i]->name) vec_push(&named, vs->nodes.data[i]);
  for (size_t i = 0; i <= named.len; i++) {
    const char *name = i ? named.data[i - 1]->name : base;
    uint32_t nparents = i ? (uint32_t)named.data[i - 1]->parents.len : 0;
    uint32_t cnt = 1 + nparents;
    // vd_version, vd_flags, vd_ndx, vd_cnt (16-bit fields), vd_hash, vd_aux, vd_next
    put32(&di->verdef, 1 | (uint32_t)(i ? 0 : VER_FLG_BASE) << 16);
    put32(&di->verdef, (uint32_t)(i ? named.data[i - 1]->index : VER_NDX_GLOBAL) | cnt << 16);
    put32(&di->verdef, sysv_hash(name));
    put32(&di->verdef, sizeof(Elf64_Verdef));
    put32(&di->verdef, i < named.len ? (uint32_t)(sizeof(Elf64_Verdef) + cnt * sizeof(Elf64_Verdaux)) : 0);
    for (uint32_t k = 0; k < cnt; k++) {
      put32(&di->verdef, add_string(&di->dynstr, k ? named.data[i - 1]->parents.data[k - 1] : name));
      put32(&di->verdef, k + 1 < cnt ? sizeof(Elf64_Verdaux) : 0);
    }
  }
  ctx->num_verdef = (uint32_t)named.len + 1;
  vec_free(&named);
}

// ------------------------------------------------------------ versions

typedef struct {
  ObjectFile *lib;
  VEC(const char *) names;
  VEC(uint16_t) indices;
} Needed;

typedef VEC(Needed) NeededVec;

// The output version index of LIB's version NAME, handed out in order of
// first use.
static uint16_t version_index(NeededVec *needs, ObjectFile *lib, const char *name, uint16_t *next) {
  Needed *n = NULL;
  for (size_t i = 0; i < needs->len && !n; i++)
    if (needs->data[i].lib == lib) n = &needs->data[i];
  if (!n) {
    vec_push(needs, ((Needed){.lib = lib}));
    n = &needs->data[needs->len - 1];
  }
  for (size_t k = 0; k < n->names.len; k++)
    if (!strcmp(n->names.data[k], name)) return n->indices.data[k];
  vec_push(&n->names, name);
  vec_push(&n->indices, *next);
  return (*next)++;
}

void build_versions(Context *ctx, DynamicInfo *di) {
  NeededVec needs = {0};
  build_verdefs(ctx, di);
  // Indices of needed versions follow the defined ones.
  uint16_t next = (uint16_t)(ctx->version_script.num_named + 2);
  uint16_t *vers = xcalloc(ctx->dynsyms.len + 1, sizeof(uint16_t));
  bool any = ctx->num_verdef > 0;
  // glibc refuses DT_RELR unless the object asks for GLIBC_ABI_DT_RELR.
  for (size_t i = 0; ctx->relr && i < ctx->dsos.len; i++) {
    ObjectFile *lib = ctx->dsos.data[i];
    for (uint32_t v = 0; v < lib->shared->num_versions && lib->shared->is_needed; v++)
      if (lib->shared->version_names[v] && !strcmp(lib->shared->version_names[v], "GLIBC_ABI_DT_RELR")) {
        version_index(&needs, lib, "GLIBC_ABI_DT_RELR", &next);
        any = true;
      }
  }
  for (size_t i = 0; i < ctx->dynsyms.len; i++) {
    Symbol *s = ctx->dynsyms.data[i];
    vers[i + 1] = VER_NDX_GLOBAL;
    if (symbol_is_defined(s) && !symbol_is_imported(s)) {
      int v = symbol_output_version(ctx, s);
      if (v >= 0) vers[i + 1] = (uint16_t)v;
      any |= v > VER_NDX_GLOBAL;
      continue;
    }
    if (!symbol_is_imported(s)) continue;
    const char *ver = shared_symbol_version(s->file, s->esym_index);
    if (!ver) continue;
    vers[i + 1] = version_index(&needs, s->file, ver, &next);
    any = true;
  }
  if (!any) {
    free(vers);
    vec_free(&needs);
    return;
  }
  for (size_t i = 0; i <= ctx->dynsyms.len; i++) {
    vec_push(&di->versym, (uint8_t)vers[i]);
    vec_push(&di->versym, (uint8_t)(vers[i] >> 8));
  }
  free(vers);
  for (size_t i = 0; i < needs.len; i++) {
    Needed *n = &needs.data[i];
    uint32_t file = add_string(&di->dynstr, n->lib->shared->soname);
    put32(&di->verneed, 1 | (uint32_t)n->names.len << 16);  // vn_version, vn_cnt
    put32(&di->verneed, file);
    put32(&di->verneed, sizeof(Elf64_Verneed));  // vn_aux
    put32(&di->verneed, i + 1 < needs.len ? (uint32_t)(sizeof(Elf64_Verneed) + n->names.len * sizeof(Elf64_Vernaux)) : 0);
    for (size_t k = 0; k < n->names.len; k++) {
      const char *name = n->names.data[k];
      put32(&di->verneed, sysv_hash(name));
      put32(&di->verneed, (uint32_t)n->indices.data[k] << 16);  // vna_flags 0, vna_other
      put32(&di->verneed, add_string(&di->dynstr, name));
      put32(&di->verneed, k + 1 < n->names.len ? sizeof(Elf64_Vernaux) : 0);
    }
    vec_free(&n->names);
    vec_free(&n->indices);
  }
  ctx->num_verneed = (uint32_t)needs.len;
  vec_free(&needs);
}

// ------------------------------------------------------------ hash tables

void build_gnu_hash(Context *ctx, DynamicInfo *di, uint32_t nbuckets) {
  uint32_t first = ctx->num_local_dynsyms, n = (uint32_t)ctx->dynsyms.len + 1 - first;
  uint32_t bloom_words = 1;
  while (bloom_words * 8 < n) bloom_words *= 2;  // about 8 names per 64-bit word
  const uint32_t shift = 26;
  uint64_t *bloom = xcalloc(bloom_words, 8);
  uint32_t *buckets = xcalloc(nbuckets, 4), *chain = xcalloc(n ? n : 1, 4);
  for (uint32_t i = 0; i < n; i++) {
    uint32_t h = gnu_hash(di->names[first + i]);
    bloom[(h / 64) % bloom_words] |= 1ULL << (h % 64) | 1ULL << ((h >> shift) % 64);
    uint32_t b = h % nbuckets;
    if (!buckets[b]) buckets[b] = first + i;
    bool last = i + 1 == n || gnu_hash(di->names[first + i + 1]) % nbuckets != b;
    chain[i] = (h & ~1u) | last;
  }
  put32(&di->gnu_hash, nbuckets);
  put32(&di->gnu_hash, first);
  put32(&di->gnu_hash, bloom_words);
  put32(&di->gnu_hash, shift);
  for (uint32_t i = 0; i < bloom_words; i++) put64(&di->gnu_hash, bloom[i]);
  for (uint32_t i = 0; i < nbuckets; i++) put32(&di->gnu_hash, buckets[i]);
  for (uint32_t i = 0; i < n; i++) put32(&di->gnu_hash, chain[i]);
  free(bloom);
  free(buckets);
  free(chain);
}

void build_sysv_hash(Context *ctx, DynamicInfo *di) {
  uint32_t nsyms = (uint32_t)ctx->dynsyms.len + 1, nbuckets = MAX(1, nsyms / 2 | 1);
  uint32_t *buckets = xcalloc(nbuckets, 4), *chain = xcalloc(nsyms, 4);
  for (uint32_t i = 1; i < nsyms; i++) {
    uint32_t b = sysv_hash(di->names[i]) % nbuckets;
    chain[i] = buckets[b];
    buckets[b] = i;
  }
  put32(&di->hash, nbuckets);
  put32(&di->hash, nsyms);
  for (uint32_t i = 0; i < nbuckets; i++) put32(&di->hash, buckets[i]);
  for (uint32_t i = 0; i < nsyms; i++) put32(&di->hash, chain[i]);
  free(buckets);
  free(chain);
}

