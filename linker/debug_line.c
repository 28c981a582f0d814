// DWARF line tables for error messages (see debug_line.h).
#include "debug_line.h"
#include "dwarf.h"
#include "input.h"
#include <pthread.h>
#include <zlib.h>
#include <zstd.h>

// A field of N bytes that a relocation may fill in: its value and section.
static uint64_t relocated(Cursor *c, const LineInputs *in, unsigned n, uint32_t *section) {
  uint64_t off = (uint64_t)(c->p - c->base), v = rd_n(c, n);
  uint64_t rv;
  uint32_t rs = 0;
  if (c->ok && in && in->reloc && in->reloc(in->arg, off, &rv, &rs)) v = rv;
  if (section) *section = rs;
  return v;
}

enum {
  FORM_block = 0x09, FORM_data1 = 0x0b, FORM_data2 = 0x05, FORM_data4 = 0x06, FORM_data8 = 0x07,
  FORM_data16 = 0x1e, FORM_string = 0x08, FORM_strp = 0x0e, FORM_line_strp = 0x1f, FORM_udata = 0x0f,
  FORM_sdata = 0x0d,
  LNCT_path = 1, LNCT_directory_index = 2,
};

// Reads one attribute value of a DWARF 5 entry: a string for the forms
// that hold one, else the number (NULL *s). Unknown forms stop the unit.
static void read_form(Cursor *c, const LineInputs *in, uint64_t form, bool dwarf64, const char **s, uint64_t *num) {
  *s = NULL;
  *num = 0;
  switch (form) {
  case FORM_string: *s = cstr(c); break;
  case FORM_line_strp: *s = str_at(in->line_str, in->line_str_size, relocated(c, in, dwarf64 ? 8 : 4, NULL)); break;
  case FORM_strp: *s = str_at(in->str, in->str_size, relocated(c, in, dwarf64 ? 8 : 4, NULL)); break;
  case FORM_udata: *num = uleb(c); break;
  case FORM_sdata: *num = (uint64_t)sleb(c); break;
  case FORM_data1: *num = rd_n(c, 1); break;
  case FORM_data2: *num = rd_n(c, 2); break;
  case FORM_data4: *num = rd_n(c, 4); break;
  case FORM_data8: *num = rd_n(c, 8); break;
  case FORM_data16: skip(c, 16); break;
  case FORM_block: skip(c, uleb(c)); break;
  default: c->ok = false;  // strx & co. need .debug_str_offsets: give up on this unit
  }
}

typedef VEC(LineRow) RowVec;
typedef VEC(LineFile) FileVec;
typedef VEC(const char *) DirVec;
typedef VEC(LineUnit) UnitVec;

// DWARF 5 directory or file entry list. Directories (FILES NULL) go to
// DIRS; files name their directory by index.
static void read_entries(Cursor *c, const LineInputs *in, bool dwarf64, DirVec *dirs, FileVec *files) {
  uint8_t nfmt = u8(c);
  uint64_t fmt[2 * 16];
  if (nfmt > 16) {
    c->ok = false;
    return;
  }
  for (unsigned i = 0; i < nfmt; i++) fmt[2 * i] = uleb(c), fmt[2 * i + 1] = uleb(c);
  uint64_t count = uleb(c);
  for (uint64_t k = 0; k < count && c->ok; k++) {
    const char *path = NULL;
    uint64_t dir = 0;
    for (unsigned i = 0; i < nfmt && c->ok; i++) {
      const char *s;
      uint64_t num;
      read_form(c, in, fmt[2 * i + 1], dwarf64, &s, &num);
      if (fmt[2 * i] == LNCT_path) path = s;
      else if (fmt[2 * i] == LNCT_directory_index) dir = num;
    }
    if (!c->ok) return;
    if (!files) vec_push(dirs, path);
    else {
      // Directory 0 is the compilation directory: no prefix, as for DWARF 4.
      const char *d = dir && dir < dirs->len ? dirs->data[dir] : NULL;
      vec_push(files, ((LineFile){path ? path : "??", d}));
    }
  }
}

// One line program (unit) from C; rows and files are appended.
static void parse_unit(Cursor *c, const LineInputs *in, RowVec *rows, FileVec *files, UnitVec *units) {
  uint64_t unit_offset = (uint64_t)(c->p - c->base), len = rd_n(c, 4);
  bool dwarf64 = false;
  if (len == 0xffffffff) {
    len = rd_n(c, 8);
    dwarf64 = true;
  }
  if (!have(c, len)) return;
  Cursor u = {c->base, c->p, c->p + len, true};
  c->p += len;
  uint16_t version = (uint16_t)rd_n(&u, 2);
  if (version < 2 || version > 5) {
    c->ok = false;  // not a table we know: the rest cannot be trusted either
    return;
  }
  if (version >= 5) {
    u8(&u);  // address_size
    u8(&u);  // segment_selector_size
  }
  uint64_t hlen = rd_n(&u, dwarf64 ? 8 : 4);
  if (!have(&u, hlen)) return;
  const uint8_t *program = u.p + hlen;
  uint8_t min_inst = u8(&u);
  if (version >= 4) u8(&u);  // maximum_operations_per_instruction (VLIW only)
  bool default_is_stmt = u8(&u) != 0;
  int8_t line_base = (int8_t)u8(&u);
  uint8_t line_range = u8(&u);
  uint8_t opcode_base = u8(&u);
  uint8_t std_len[256] = {0};
  for (unsigned i = 1; i < opcode_base && u.ok; i++) std_len[i] = u8(&u);
  if (!u.ok || !line_range || !opcode_base) return;

  size_t file_base = files->len;
  DirVec dirs = {0};
  if (version >= 5) {
    read_entries(&u, in, dwarf64, &dirs, NULL);
    read_entries(&u, in, dwarf64, &dirs, files);
  } else {
    vec_push(&dirs, (const char *)NULL);  // index 0: the compilation directory
    for (const char *d; u.ok && (d = cstr(&u)) && *d;) vec_push(&dirs, d);
    vec_push(files, ((LineFile){"??", NULL}));  // files count from 1
    for (const char *f; u.ok && (f = cstr(&u)) && *f;) {
      uint64_t dir = uleb(&u);
      uleb(&u), uleb(&u);  // mtime, length
      vec_push(files, ((LineFile){f, dir && dir < dirs.len ? dirs.data[dir] : NULL}));
    }
  }
  if (!u.ok || program > u.end) {
    vec_free(&dirs);
    files->len = file_base;
    return;
  }
  u.p = program;
  size_t nfiles = files->len - file_base;
  vec_push(units, ((LineUnit){unit_offset, file_base, nfiles, version}));

  // The state machine (DWARF 5 section 6.2.2); op_index is ignored since
  // neither target is VLIW.
  uint64_t addr = 0;
  uint32_t section = 0;
  uint64_t file = 1, line = 1;
  bool is_stmt = default_is_stmt;
  while (u.ok && u.p < u.end) {
    uint8_t op = u8(&u);
    bool emit = false;
    if (op >= opcode_base) {
      uint8_t adj = (uint8_t)(op - opcode_base);
      addr += (uint64_t)(adj / line_range) * min_inst;
      line += (uint64_t)(int64_t)(line_base + adj % line_range);
      emit = true;
    } else if (op == 0) {  // extended
      uint64_t n = uleb(&u);
      if (!n || !have(&u, n)) break;
      const uint8_t *next = u.p + n;
      uint8_t sub = u8(&u);
      if (sub == 1) {  // DW_LNE_end_sequence
        vec_push(rows, ((LineRow){addr, section, UINT32_MAX, 0, true, false}));
        addr = 0, section = 0, file = 1, line = 1, is_stmt = default_is_stmt;
      } else if (sub == 2 && (n - 1 == 8 || n - 1 == 4)) {  // DW_LNE_set_address
        addr = relocated(&u, in, (unsigned)(n - 1), &section);
      } else if (sub == 3 && version <= 4) {  // DW_LNE_define_file
        const char *f = cstr(&u);
        uint64_t dir = uleb(&u);
        if (f && u.ok && nfiles < UINT32_MAX) {
          vec_push(files, ((LineFile){f, dir && dir < dirs.len ? dirs.data[dir] : NULL}));
          nfiles++;
        }
      }
      u.p = next;
    } else {
      switch (op) {
      case 1: emit = true; break;                                     // copy
      case 2: addr += uleb(&u) * min_inst; break;                     // advance_pc
      case 3: line += (uint64_t)sleb(&u); break;                      // advance_line
      case 4: file = uleb(&u); break;                                 // set_file
      case 6: is_stmt = !is_stmt; break;                              // negate_stmt
      case 8: addr += (uint64_t)((255 - opcode_base) / line_range) * min_inst; break;  // const_add_pc
      case 9: addr += rd_n(&u, 2); break;                             // fixed_advance_pc
      default:  // set_column, negate_stmt, ... and unknown ones: skip their operands
        for (unsigned i = 0; i < std_len[op] && u.ok; i++) uleb(&u);
      }
    }
    if (emit && u.ok) {
      bool known = file < nfiles && (version >= 5 || file > 0);  // DWARF 2-4 count files from 1
      uint32_t fi = known ? (uint32_t)(file_base + file) : UINT32_MAX;
      vec_push(rows, ((LineRow){addr, section, fi, (uint32_t)line, false, is_stmt}));
    }
  }
  vec_free(&dirs);
}

void line_table_parse(LineTable *t, const uint8_t *data, size_t size, const LineInputs *in) {
  RowVec rows = {0};
  FileVec files = {0};
  UnitVec units = {0};
  LineInputs none = {0};
  if (!in) in = &none;
  Cursor c = {data, data, data + size, data != NULL};
  while (c.ok && c.p < c.end) parse_unit(&c, in, &rows, &files, &units);
  t->rows = rows.data;
  t->nrows = rows.len;
  t->files = files.data;
  t->nfiles = files.len;
  t->units = units.data;
  t->nunits = units.len;
}

const LineFile *line_table_decl_file(const LineTable *t, uint64_t offset, uint64_t file) {
  for (size_t i = 0; i < t->nunits; i++) {
    const LineUnit *u = &t->units[i];
    if (u->offset != offset) continue;
    if (file >= u->nfiles || (u->version < 5 && file == 0)) return NULL;  // DWARF 2-4 count from 1
    return &t->files[u->file_base + file];
  }
  return NULL;
}

const LineRow *line_table_find(const LineTable *t, uint32_t section, uint64_t addr) {
  // Rows of a sequence ascend; the row covering ADDR is the last one at or
  // below it whose successor in the same sequence lies above it.
  for (size_t i = 0; i + 1 < t->nrows; i++) {
    const LineRow *r = &t->rows[i], *n = &t->rows[i + 1];
    if (r->end_sequence || r->section != section || n->section != section) continue;
    if (r->addr > addr || addr >= n->addr) continue;
    for (size_t k = i; k > 0 && !t->rows[k].is_stmt; k--) {
      const LineRow *p = &t->rows[k - 1];
      if (p->end_sequence || p->section != section || p->addr != r->addr) break;
      if (p->is_stmt) {
        r = p;
        break;
      }
    }
    return r->file != UINT32_MAX && r->line ? r : NULL;
  }
  return NULL;
}

void line_table_free(LineTable *t) {
  free(t->rows);
  free(t->files);
  free(t->units);
  *t = (LineTable){0};
}

// ---------------------------------------------------------------- objects

// A section's bytes as the relocations see them: decompressed if needed
// (into a buffer kept for the link; only files with errors get here).
const uint8_t *dwarf_section_bytes(ObjectFile *f, uint32_t i, size_t *size) {
  if (i == 0 || i >= f->nshdrs) return NULL;
  InputSection *isec = f->sections ? f->sections[i] : NULL;
  if (isec && isec->data && !isec->is_compressed) {
    *size = isec->size;
    return isec->data;
  }
  const ElfShdr *sh = &f->shdrs[i];
  if (sh->sh_type == SHT_NOBITS || sh->sh_offset > f->size || sh->sh_size > f->size - sh->sh_offset) return NULL;
  const uint8_t *p = f->data + sh->sh_offset;
  if (!(sh->sh_flags & SHF_COMPRESSED)) {
    *size = sh->sh_size;
    return p;
  }
  if (sh->sh_size < sizeof(ElfChdr)) return NULL;
  ElfChdr ch;
  memcpy(&ch, p, sizeof ch);
  size_t srclen = sh->sh_size - sizeof ch;
  if (ch.ch_size > (uint64_t)srclen * 2048 + 4096) return NULL;
  uint8_t *dst = xmalloc(ch.ch_size ? ch.ch_size : 1);
  bool ok = false;
  if (ch.ch_type == ELFCOMPRESS_ZLIB) {
    uLongf n = (uLongf)ch.ch_size;
    ok = uncompress(dst, &n, p + sizeof ch, (uLong)srclen) == Z_OK && n == ch.ch_size;
  } else if (ch.ch_type == ELFCOMPRESS_ZSTD) {
    size_t n = ZSTD_decompress(dst, ch.ch_size, p + sizeof ch, srclen);
    ok = !ZSTD_isError(n) && n == ch.ch_size;
  }
  if (!ok) {
    free(dst);
    return NULL;
  }
  *size = ch.ch_size;
  return dst;
}

static int cmp_field(const void *a, const void *b) {
  const FieldReloc *x = a, *y = b;
  return x->offset < y->offset ? -1 : x->offset > y->offset;
}

bool dwarf_lookup_reloc(void *arg, uint64_t offset, uint64_t *value, uint32_t *section) {
  FieldRelocs *fr = arg;
  size_t lo = 0, hi = fr->n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (fr->r[mid].offset < offset) lo = mid + 1;
    else hi = mid;
  }
  if (lo == fr->n || fr->r[lo].offset != offset) return false;
  *value = fr->r[lo].value;
  *section = fr->r[lo].section;
  return true;
}

// The relocations of section TARGET as (offset, S + A, section of S),
// with S the symbol's value in its section.
FieldRelocs dwarf_field_relocs(ObjectFile *f, uint32_t target) {
  FieldRelocs fr = {0};
  for (uint32_t i = 1; i < f->nshdrs; i++) {
    const ElfShdr *sh = &f->shdrs[i];
    if (sh->sh_type != SHT_RELA || sh->sh_info != target || sh->sh_entsize != sizeof(ElfRela)) continue;
    if (sh->sh_offset > f->size || sh->sh_size > f->size - sh->sh_offset) continue;
    const ElfRela *rels = (const ElfRela *)(f->data + sh->sh_offset);
    size_t n = sh->sh_size / sizeof(ElfRela);
    fr.r = xrealloc(fr.r, (fr.n + n + 1) * sizeof(FieldReloc));
    for (size_t k = 0; k < n; k++) {
      uint32_t sym = ELF64_R_SYM(rels[k].r_info);
      uint64_t s = 0;
      uint32_t sec = 0;
      if (sym) {
        if (sym >= f->nsyms) continue;
        sec = object_symbol_shndx(f, sym);
        if (sec >= SHN_LORESERVE) sec = 0;
        s = f->esyms[sym].st_value;
      }
      fr.r[fr.n++] = (FieldReloc){rels[k].r_offset, s + (uint64_t)rels[k].r_addend, sec};
    }
  }
  if (fr.n) qsort(fr.r, fr.n, sizeof(FieldReloc), cmp_field);
  return fr;
}

uint32_t dwarf_find_section(ObjectFile *f, const char *name) {
  for (uint32_t i = 1; i < f->nshdrs; i++)
    if (f->shdrs[i].sh_type == SHT_PROGBITS && !strcmp(object_section_name(f, i), name)) return i;
  return 0;
}

typedef struct Cached {
  ObjectFile *file;
  LineTable table;
  struct Cached *next;
} Cached;
static Cached *cache;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

static const LineTable *table_for(ObjectFile *f) {
  for (Cached *c = cache; c; c = c->next)
    if (c->file == f) return &c->table;
  Cached *c = xcalloc(1, sizeof *c);
  c->file = f;
  c->next = cache;
  cache = c;
  uint32_t line_idx = dwarf_find_section(f, ".debug_line");
  size_t size = 0;
  const uint8_t *data = line_idx ? dwarf_section_bytes(f, line_idx, &size) : NULL;
  if (!data) return &c->table;
  LineInputs in = {0};
  uint32_t ls = dwarf_find_section(f, ".debug_line_str"), s = dwarf_find_section(f, ".debug_str");
  if (ls) in.line_str = dwarf_section_bytes(f, ls, &in.line_str_size);
  if (s) in.str = dwarf_section_bytes(f, s, &in.str_size);
  FieldRelocs fr = dwarf_field_relocs(f, line_idx);
  in.reloc = dwarf_lookup_reloc;
  in.arg = &fr;
  line_table_parse(&c->table, data, size, &in);
  free(fr.r);
  return &c->table;
}

static const char *format_location(const LineFile *lf, uint32_t line) {
  const char *base = strrchr(lf->name, '/');
  base = base ? base + 1 : lf->name;
  if (lf->dir && lf->name[0] != '/') return xasprintf("%s:%u (%s/%s:%u)", base, line, lf->dir, lf->name, line);
  if (base != lf->name) return xasprintf("%s:%u (%s:%u)", base, line, lf->name, line);
  return xasprintf("%s:%u", base, line);
}

const char *source_location(ObjectFile *f, uint32_t shndx, uint64_t offset) {
  if (!f || !f->shdrs || !f->data || !f->nshdrs) return NULL;
  pthread_mutex_lock(&cache_lock);
  const LineTable *t = table_for(f);
  const LineRow *r = line_table_find(t, shndx, offset);
  const char *msg = r ? format_location(&t->files[r->file], r->line) : NULL;
  pthread_mutex_unlock(&cache_lock);
  return msg;
}

const char *decl_location(ObjectFile *f, uint64_t stmt_list, uint64_t file, uint32_t line) {
  if (!f || !f->shdrs || !f->data || !f->nshdrs || !line) return NULL;
  pthread_mutex_lock(&cache_lock);
  const LineFile *lf = line_table_decl_file(table_for(f), stmt_list, file);
  const char *msg = lf ? format_location(lf, line) : NULL;
  pthread_mutex_unlock(&cache_lock);
  return msg;
}
