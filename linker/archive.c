// Archives: GNU/SysV and BSD formats, 32- and 64-bit symbol indexes, long
// name tables, and thin archives whose members live in their own files.
#include "diag.h"
#include "input.h"
#include <libgen.h>

typedef struct {
  char name[16], date[12], uid[6], gid[6], mode[8], size[10], fmag[2];
} ArHeader;

static uint64_t be32(const uint8_t *p) { return (uint64_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }
static uint64_t be64(const uint8_t *p) { return be32(p) << 32 | be32(p + 4); }

// Names are hashed later, in parallel, when resolution first scans the
// archive (index_archive); many archives are never scanned.
static void add_armap(Archive *ar, const char *name, size_t len, uint64_t off) {
  ArmapEntry e = {name, off, (uint32_t)len, -1, NULL};
  vec_push(&ar->armap, e);
}

// SysV "/" (4-byte) and "/SYM64/" (8-byte) indexes: count, offsets, names.
static bool read_sysv_armap(Archive *ar, const uint8_t *p, size_t size, int w) {
  if (size < (size_t)w) return false;
  uint64_t n = w == 4 ? be32(p) : be64(p);
  if (n > (size - w) / w) return false;
  const char *names = (const char *)p + w + n * w, *end = (const char *)p + size;
  for (uint64_t i = 0; i < n; i++) {
    uint64_t off = w == 4 ? be32(p + w + i * w) : be64(p + w + i * w);
    size_t len = strnlen(names, (size_t)(end - names));
    if (names + len >= end) return false;
    add_armap(ar, names, len, off);
    names += len + 1;
  }
  return true;
}

// BSD "__.SYMDEF": byte count, (name offset, member offset) pairs, strings.
static bool read_bsd_armap(Archive *ar, const uint8_t *p, size_t size) {
  if (size < 4) return false;
  uint64_t ranlib_size = rd32(p);
  if (ranlib_size > size - 4 || ranlib_size % 8 || size - 4 - ranlib_size < 4) return false;
  const uint8_t *strs = p + 4 + ranlib_size + 4;
  uint64_t strsize = rd32(p + 4 + ranlib_size);
  if (strsize > size - 8 - ranlib_size) return false;
  for (uint64_t i = 0; i < ranlib_size / 8; i++) {
    uint32_t stroff = rd32(p + 4 + i * 8), off = rd32(p + 8 + i * 8);
    if (stroff >= strsize) return false;
    const char *name = (const char *)strs + stroff;
    size_t len = strnlen(name, strsize - stroff);
    if (len == strsize - stroff) return false;
    add_armap(ar, name, len, off);
  }
  return true;
}

// Reads the member headers and the symbol index. Touches nothing shared
// (errors aside) for a regular archive, so archives are read in parallel;
// a thin one maps its members' files and must be read alone.
bool archive_read_members(Archive *ar) {
  const char *path = ar->path;
  const uint8_t *data = ar->data;
  size_t size = ar->size;
  bool thin = archive_is_thin(ar);
  const char *longnames = NULL;
  size_t longnames_size = 0;
  bool has_armap = false;
  ar->members_read = ar->is_broken = true;  // until the end is reached

  for (uint64_t off = 8; off < size;) {
    if (off % 2) off++;
    if (off >= size) break;
    if (size - off < sizeof(ArHeader)) {
      error("%s: truncated archive member header at offset 0x%llx", path, (unsigned long long)off);
      return false;
    }
    const ArHeader *h = (const ArHeader *)(data + off);
    if (memcmp(h->fmag, "`\n", 2)) {
      error("%s: corrupt archive member header at offset 0x%llx", path, (unsigned long long)off);
      return false;
    }
    char sizebuf[11] = {0};
    memcpy(sizebuf, h->size, 10);
    char *end;
    uint64_t msize = strtoull(sizebuf, &end, 10);
    const uint8_t *body = data + off + sizeof(ArHeader);
    uint64_t body_avail = size - off - sizeof(ArHeader);
    // A thin archive's members are elsewhere; only its tables are inline
    // (and anything read as a table or a BSD name must be in the file).
    bool is_table = (h->name[0] == '/' && (h->name[1] == ' ' || h->name[1] == '/' ||
                                           !memcmp(h->name, "/SYM64/", 7))) ||
                    !memcmp(h->name, "__.SYMDEF", 9) || !memcmp(h->name, "#1/", 3);
    uint64_t inline_size = (thin && !is_table) ? 0 : msize;
    if (end == sizebuf || inline_size > body_avail) {
      error("%s: archive member at offset 0x%llx has size %llu past end of file", path,
            (unsigned long long)off, (unsigned long long)msize);
      return false;
    }
    // Member name.
    const char *name;
    const uint8_t *mdata = body;
    uint64_t mlen = msize;
    if (!memcmp(h->name, "/               ", 16)) {
      if (!read_sysv_armap(ar, body, msize, 4)) goto bad_armap;
      has_armap = true;
      goto next;
    } else if (!memcmp(h->name, "/SYM64/         ", 16)) {
      if (!read_sysv_armap(ar, body, msize, 8)) goto bad_armap;
      has_armap = true;
      goto next;
    } else if (!memcmp(h->name, "//              ", 16)) {
      longnames = (const char *)body;
      longnames_size = msize;
      goto next;
    } else if (h->name[0] == '/' && h->name[1] >= '0' && h->name[1] <= '9') {
      char numbuf[16] = {0};
      memcpy(numbuf, h->name + 1, 15);
      uint64_t idx = strtoull(numbuf, NULL, 10);
      if (!longnames || idx >= longnames_size) {
        error("%s: archive member at offset 0x%llx has a long name outside the name table", path,
              (unsigned long long)off);
        return false;
      }
      const char *s = longnames + idx, *e = s;
      while (e < longnames + longnames_size && *e != '\n' && *e != '\0') e++;
      if (e > s && e[-1] == '/') e--;
      name = arena_strndup(s, (size_t)(e - s));
    } else if (!memcmp(h->name, "#1/", 3)) {
      char numbuf[14] = {0};
      memcpy(numbuf, h->name + 3, 13);
      uint64_t len = strtoull(numbuf, NULL, 10);
      if (len > msize) {
        error("%s: BSD archive member name at offset 0x%llx is too long", path, (unsigned long long)off);
        return false;
      }
      name = arena_strndup((const char *)body, strnlen((const char *)body, len));
      mdata = body + len;
      mlen = msize - len;
      if (!strcmp(name, "__.SYMDEF") || !strcmp(name, "__.SYMDEF SORTED")) {
        if (!read_bsd_armap(ar, mdata, mlen)) goto bad_armap;
        has_armap = true;
        goto next;
      }
    } else {
      size_t n = 16;
      while (n && (h->name[n - 1] == ' ')) n--;
      if (n && h->name[n - 1] == '/') n--;
      name = arena_strndup(h->name, n);
      if (!strcmp(name, "__.SYMDEF") || !strcmp(name, "__.SYMDEF SORTED")) {
        if (!read_bsd_armap(ar, body, msize)) goto bad_armap;
        has_armap = true;
        goto next;
      }
    }
    if (thin) {
      // Member paths are relative to the archive's directory.
      char *dir = xstrdup(path);
      const char *mpath = name[0] == '/' ? name : xasprintf("%s/%s", dirname(dir), name);
      MappedFile mf;
      if (!map_input_file(mpath, &mf)) return false;
      ArchiveMember m = {.name = mpath, .data = mf.data, .size = mf.size, .header_offset = off};
      vec_push(&ar->members, m);
    } else {
      ArchiveMember m = {.name = name, .data = mdata, .size = mlen, .header_offset = off};
      vec_push(&ar->members, m);
    }
  next:
    off += sizeof(ArHeader) + inline_size;
  }

  ar->has_armap = has_armap;
  ar->is_broken = false;
  return true;

bad_armap:
  error("%s: corrupt archive symbol table", path);
  return false;
}

Archive *archive_new(const char *path, const uint8_t *data, size_t size) {
  Archive *ar = arena_new(Archive);
  ar->path = path;
  ar->data = data;
  ar->size = size;
  return ar;
}

bool archive_is_thin(const Archive *ar) { return !memcmp(ar->data, "!<thin>\n", 8); }

// Without an index, one is built from the members' defined globals (in
// order: the members become objects, numbered as they are made).
void archive_index_if_missing(Context *ctx, Archive *ar) {
  if (ar->has_armap || ar->is_broken) return;
  for (size_t i = 0; i < ar->members.len; i++) {
    ArchiveMember *m = &ar->members.data[i];
    if (m->size < 4 || memcmp(m->data, ELFMAG, 4)) continue;
    ObjectFile *obj = archive_member_object(ctx, ar, m);
    if (!obj) continue;
    for (uint32_t j = obj->first_global; j < obj->nsyms; j++)
      if (obj->esyms[j].st_shndx != SHN_UNDEF) {
        const char *name = object_symbol_name(obj, j);
        add_armap(ar, name, strlen(name), m->header_offset);
      }
  }
}

Archive *archive_open(Context *ctx, const char *path, const uint8_t *data, size_t size) {
  Archive *ar = archive_new(path, data, size);
  if (!archive_read_members(ar)) return NULL;
  archive_index_if_missing(ctx, ar);
  return ar;
}

// The member's ObjectFile, created unparsed on first use. Non-ELF members
// (Rust's lib.rmeta, text files) are not objects and yield NULL without an
// error.
ObjectFile *archive_member_file(Context *ctx, Archive *ar, ArchiveMember *m) {
  if (m->obj || m->not_object) return m->obj;
  m->not_object = true;
  if (is_bitcode(m->data, m->size)) {
    error("%s(%s): LLVM bitcode (LTO) input is not supported; build without -flto", ar->path, m->name);
    return NULL;
  }
  if (m->size < 4 || memcmp(m->data, ELFMAG, 4)) return NULL;
  m->not_object = false;
  m->obj = object_new(ctx, ar->path, m->name, m->data, m->size);
  m->obj->archive = ar;
  return m->obj;
}

// The member with its headers parsed; NULL if it is not a usable object.
ObjectFile *archive_member_object(Context *ctx, Archive *ar, ArchiveMember *m) {
  ObjectFile *obj = archive_member_file(ctx, ar, m);
  if (!obj || obj->is_broken) return NULL;
  if (!obj->headers_parsed && !object_parse_headers(ctx, obj)) {
    obj->is_broken = true;
    return NULL;
  }
  return obj;
}
