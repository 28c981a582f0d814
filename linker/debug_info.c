// Variable declarations from DWARF .debug_info for error messages (see
// debug_info.h).
#include "debug_info.h"
#include "debug_line.h"
#include "dwarf.h"
#include "input.h"
#include <pthread.h>

enum {
  TAG_member = 0x0d, TAG_variable = 0x34,
  AT_location = 0x02, AT_name = 0x03, AT_stmt_list = 0x10, AT_abstract_origin = 0x31, AT_decl_file = 0x3a,
  AT_decl_line = 0x3b, AT_declaration = 0x3c, AT_external = 0x3f, AT_specification = 0x47,
  AT_linkage_name = 0x6e, AT_str_offsets_base = 0x72, AT_addr_base = 0x73, AT_MIPS_linkage_name = 0x2007,
  AT_GNU_addr_base = 0x2133,
};

enum {
  FORM_addr = 0x01, FORM_block2 = 0x03, FORM_block4 = 0x04, FORM_data2 = 0x05, FORM_data4 = 0x06,
  FORM_data8 = 0x07, FORM_string = 0x08, FORM_block = 0x09, FORM_block1 = 0x0a, FORM_data1 = 0x0b,
  FORM_flag = 0x0c, FORM_sdata = 0x0d, FORM_strp = 0x0e, FORM_udata = 0x0f, FORM_ref_addr = 0x10,
  FORM_ref1 = 0x11, FORM_ref2 = 0x12, FORM_ref4 = 0x13, FORM_ref8 = 0x14, FORM_ref_udata = 0x15,
  FORM_indirect = 0x16, FORM_sec_offset = 0x17, FORM_exprloc = 0x18, FORM_flag_present = 0x19,
  FORM_strx = 0x1a, FORM_addrx = 0x1b, FORM_ref_sup4 = 0x1c, FORM_strp_sup = 0x1d, FORM_data16 = 0x1e,
  FORM_line_strp = 0x1f, FORM_ref_sig8 = 0x20, FORM_implicit_const = 0x21, FORM_loclistx = 0x22,
  FORM_rnglistx = 0x23, FORM_ref_sup8 = 0x24, FORM_strx1 = 0x25, FORM_strx2 = 0x26, FORM_strx3 = 0x27,
  FORM_strx4 = 0x28, FORM_addrx1 = 0x29, FORM_addrx2 = 0x2a, FORM_addrx3 = 0x2b, FORM_addrx4 = 0x2c,
  FORM_GNU_addr_index = 0x1f01, FORM_GNU_str_index = 0x1f02, FORM_GNU_ref_alt = 0x1f20,
  FORM_GNU_strp_alt = 0x1f21,
};

enum {
  OP_addr = 0x03, OP_const4u = 0x0c, OP_const8u = 0x0e, OP_form_tls_address = 0x9b, OP_addrx = 0xa1,
  OP_constx = 0xa2, OP_GNU_push_tls_address = 0xe0, OP_GNU_addr_index = 0xfb, OP_GNU_const_index = 0xfc,
};

typedef struct {
  uint64_t attr, form;
  int64_t implicit;  // DW_FORM_implicit_const's value
} AttrSpec;

typedef struct {
  uint64_t code, tag;
  size_t first, n;  // its AttrSpecs
  bool children;
} Abbrev;

typedef VEC(Abbrev) AbbrevVec;
typedef VEC(AttrSpec) SpecVec;
typedef VEC(DwarfVar) VarVec;

typedef struct {
  const InfoInputs *in;
  uint64_t offset;  // of the unit in .debug_info
  uint64_t str_offsets_base, addr_base, stmt_list;
  uint16_t version;
  uint8_t addr_size;
  bool dwarf64, has_stmt_list;
} Unit;

// One attribute's value as read: a number (relocated where a relocation
// fills the field in), or a block, or a string in place.
typedef struct {
  uint64_t form, num;
  const uint8_t *block;
  uint64_t block_len;
  const char *str;
  uint32_t section;
} Value;

// A field of N bytes at C (whose base is S's data) that a relocation may fill in.
static uint64_t relocated(Cursor *c, const DwarfSection *s, unsigned n, uint32_t *section) {
  uint64_t off = (uint64_t)(c->p - c->base), v = rd_n(c, n);
  uint64_t rv;
  uint32_t rs = 0;
  if (c->ok && s->reloc && s->reloc(s->arg, off, &rv, &rs)) v = rv;
  if (section) *section = rs;
  return v;
}

// The N-byte entry INDEX of table S starting at BASE (.debug_addr,
// .debug_str_offsets); false if out of bounds.
static bool table_entry(const DwarfSection *s, uint64_t base, uint64_t index, unsigned n, uint64_t *v,
                        uint32_t *section) {
  if (!s->data || base > s->size || index > (s->size - base) / n) return false;
  Cursor c = {s->data, s->data + base + index * n, s->data + s->size, true};
  *v = relocated(&c, s, n, section);
  return c.ok;
}

static unsigned offset_size(const Unit *u) { return u->dwarf64 ? 8 : 4; }

// Reads one value of FORM; unknown forms make !c->ok (the unit cannot be
// walked past them).
static void read_value(Cursor *c, const Unit *u, uint64_t form, int64_t implicit, Value *v, int depth) {
  const InfoInputs *in = u->in;
  *v = (Value){.form = form};
  switch (form) {
  case FORM_addr: v->num = relocated(c, &in->info, u->addr_size, &v->section); break;
  case FORM_data1: case FORM_ref1: case FORM_flag: case FORM_strx1: case FORM_addrx1: v->num = rd_n(c, 1); break;
  case FORM_data2: case FORM_ref2: case FORM_strx2: case FORM_addrx2: v->num = rd_n(c, 2); break;
  case FORM_strx3: case FORM_addrx3: v->num = rd_n(c, 3); break;
  case FORM_ref4: case FORM_ref_sup4: case FORM_strx4: case FORM_addrx4: v->num = rd_n(c, 4); break;
  case FORM_ref8: case FORM_ref_sig8: case FORM_ref_sup8: v->num = rd_n(c, 8); break;
  // (DWARF 2 and 3 use data4/data8 for section offsets, relocated)
  case FORM_data4: v->num = relocated(c, &in->info, 4, &v->section); break;
  case FORM_data8: v->num = relocated(c, &in->info, 8, &v->section); break;
  case FORM_data16: skip(c, 16); break;
  case FORM_sdata: v->num = (uint64_t)sleb(c); break;
  case FORM_udata: case FORM_ref_udata: case FORM_strx: case FORM_addrx: case FORM_loclistx:
  case FORM_rnglistx: case FORM_GNU_addr_index: case FORM_GNU_str_index:
    v->num = uleb(c);
    break;
  case FORM_string: v->str = cstr(c); break;
  case FORM_strp: case FORM_line_strp: case FORM_sec_offset: case FORM_strp_sup: case FORM_GNU_ref_alt:
  case FORM_GNU_strp_alt:
    v->num = relocated(c, &in->info, offset_size(u), &v->section);
    break;
  case FORM_ref_addr: v->num = relocated(c, &in->info, u->version <= 2 ? u->addr_size : offset_size(u), NULL); break;
  case FORM_block1: v->block_len = rd_n(c, 1); goto block;
  case FORM_block2: v->block_len = rd_n(c, 2); goto block;
  case FORM_block4: v->block_len = rd_n(c, 4); goto block;
  case FORM_block: case FORM_exprloc: v->block_len = uleb(c);
  block:
    if (have(c, v->block_len)) {
      v->block = c->p;
      c->p += v->block_len;
    }
    break;
  case FORM_flag_present: v->num = 1; break;
  case FORM_implicit_const: v->num = (uint64_t)implicit; break;
  case FORM_indirect: {
    uint64_t f = uleb(c);
    if (depth < 4 && f != FORM_implicit_const) read_value(c, u, f, 0, v, depth + 1);
    else c->ok = false;
    break;
  }
  default: c->ok = false;
  }
}

// The string a value names; NULL if it is not one or points nowhere.
static const char *value_string(const Unit *u, const Value *v) {
  const InfoInputs *in = u->in;
  uint64_t off;
  switch (v->form) {
  case FORM_string: return v->str;
  case FORM_strp: return str_at(in->str.data, in->str.size, v->num);
  case FORM_line_strp: return str_at(in->line_str.data, in->line_str.size, v->num);
  case FORM_strx: case FORM_strx1: case FORM_strx2: case FORM_strx3: case FORM_strx4: case FORM_GNU_str_index:
    if (!table_entry(&in->str_offsets, u->str_offsets_base, v->num, offset_size(u), &off, NULL)) return NULL;
    return str_at(in->str.data, in->str.size, off);
  default: return NULL;
  }
}

static bool is_number(const Value *v) { return !v->block && !v->str && v->form != FORM_data16; }

// Evaluates a global variable's location expression: its address (and
// section) when it is DW_OP_addr/addrx X, or a TLS offset pushed by a
// relocated constant before DW_OP_form_tls_address.
static bool eval_location(const Unit *u, const Value *v, uint64_t *addr, uint32_t *section) {
  const InfoInputs *in = u->in;
  if (!v->block || !v->block_len) return false;
  Cursor e = {in->info.data, v->block, v->block + v->block_len, true};
  uint8_t op = u8(&e);
  switch (op) {
  case OP_addr:
    *addr = relocated(&e, &in->info, u->addr_size, section);
    return e.ok;
  case OP_addrx: case OP_constx: case OP_GNU_addr_index: case OP_GNU_const_index: {
    uint64_t index = uleb(&e);
    return e.ok && table_entry(&in->addr, u->addr_base, index, u->addr_size, addr, section);
  }
  case OP_const4u: case OP_const8u: {
    *addr = relocated(&e, &in->info, op == OP_const4u ? 4 : 8, section);
    uint8_t next = u8(&e);
    return e.ok && *section && (next == OP_form_tls_address || next == OP_GNU_push_tls_address);
  }
  default: return false;
  }
}

// The abbreviation table at OFFSET in .debug_abbrev.
static void parse_abbrevs(const DwarfSection *s, uint64_t offset, AbbrevVec *abbrevs, SpecVec *specs) {
  abbrevs->len = specs->len = 0;
  if (!s->data || offset >= s->size) return;
  Cursor c = {s->data, s->data + offset, s->data + s->size, true};
  while (c.ok) {
    uint64_t code = uleb(&c);
    if (!code || !c.ok) return;
    Abbrev a = {.code = code, .tag = uleb(&c), .first = specs->len};
    a.children = u8(&c) != 0;
    for (;;) {
      AttrSpec sp = {.attr = uleb(&c), .form = uleb(&c)};
      if (!c.ok || (!sp.attr && !sp.form)) break;
      if (sp.form == FORM_implicit_const) sp.implicit = sleb(&c);
      vec_push(specs, sp);
    }
    a.n = specs->len - a.first;
    if (c.ok) vec_push(abbrevs, a);
  }
}

static const Abbrev *find_abbrev(const AbbrevVec *abbrevs, uint64_t code) {
  if (code - 1 < abbrevs->len && abbrevs->data[code - 1].code == code) return &abbrevs->data[code - 1];
  for (size_t i = 0; i < abbrevs->len; i++)
    if (abbrevs->data[i].code == code) return &abbrevs->data[i];
  return NULL;
}

// One unit from C; its variables are appended to VARS.
static void parse_unit(Cursor *c, const InfoInputs *in, AbbrevVec *abbrevs, SpecVec *specs, uint64_t *abbrev_at,
                       VarVec *vars) {
  Unit u = {.in = in, .offset = (uint64_t)(c->p - c->base), .str_offsets_base = 8, .addr_base = 8};
  uint64_t len = rd_n(c, 4);
  if (len == 0xffffffff) {
    len = rd_n(c, 8);
    u.dwarf64 = true;
    u.str_offsets_base = u.addr_base = 16;
  }
  if (!have(c, len)) return;
  Cursor d = {c->base, c->p, c->p + len, true};
  c->p += len;
  u.version = (uint16_t)rd_n(&d, 2);
  if (u.version < 2 || u.version > 5) {
    c->ok = false;  // not a unit we know: the rest cannot be trusted either
    return;
  }
  uint64_t abbrev_offset;
  if (u.version >= 5) {
    uint8_t type = u8(&d);
    u.addr_size = u8(&d);
    abbrev_offset = relocated(&d, &in->info, offset_size(&u), NULL);
    if (type == 2 || type == 6) skip(&d, 8 + offset_size(&u));  // DW_UT_type, split_type
    else if (type == 4 || type == 5) skip(&d, 8);                // DW_UT_skeleton, split_compile
    else if (type != 1 && type != 3) return;                     // not compile or partial
  } else {
    abbrev_offset = relocated(&d, &in->info, offset_size(&u), NULL);
    u.addr_size = u8(&d);
  }
  if (!d.ok || (u.addr_size != 4 && u.addr_size != 8)) return;
  if (abbrev_offset != *abbrev_at) {
    parse_abbrevs(&in->abbrev, abbrev_offset, abbrevs, specs);
    *abbrev_at = abbrev_offset;
  }

  bool first = true;
  while (d.ok && d.p < d.end) {
    uint64_t die = (uint64_t)(d.p - d.base);
    uint64_t code = uleb(&d);
    if (!code) continue;  // the end of a list of children
    const Abbrev *a = find_abbrev(abbrevs, code);
    if (!a) return;
    bool wanted = a->tag == TAG_variable || a->tag == TAG_member;
    DwarfVar v = {.die = die, .spec = UINT64_MAX};
    for (size_t i = 0; i < a->n && d.ok; i++) {
      const AttrSpec *sp = &specs->data[a->first + i];
      Value val;
      read_value(&d, &u, sp->form, sp->implicit, &val, 0);
      if (!d.ok) return;
      if (first) {
        if (!is_number(&val)) continue;
        if (sp->attr == AT_stmt_list) u.stmt_list = val.num, u.has_stmt_list = true;
        else if (sp->attr == AT_str_offsets_base) u.str_offsets_base = val.num;
        else if (sp->attr == AT_addr_base || sp->attr == AT_GNU_addr_base) u.addr_base = val.num;
        continue;
      }
      if (!wanted) continue;
      switch (sp->attr) {
      case AT_name: v.name = value_string(&u, &val); break;
      case AT_linkage_name: case AT_MIPS_linkage_name: v.linkage_name = value_string(&u, &val); break;
      case AT_location: v.has_addr = eval_location(&u, &val, &v.addr, &v.section); break;
      case AT_decl_file:
        if (is_number(&val)) v.decl_file = val.num, v.has_file = true;
        break;
      case AT_decl_line:
        if (is_number(&val)) v.decl_line = (uint32_t)MIN(val.num, UINT32_MAX);
        break;
      case AT_declaration: v.declaration = val.num != 0; break;
      case AT_external: v.external = val.num != 0; break;
      case AT_specification: case AT_abstract_origin:
        if (!is_number(&val)) break;
        // ref1-8 and ref_udata count from the unit; ref_addr from the section
        if (val.form == FORM_ref_addr) v.spec = val.num;
        else if (val.form != FORM_ref_sig8 && val.form != FORM_ref_sup4 && val.form != FORM_ref_sup8 &&
                 val.form != FORM_GNU_ref_alt)
          v.spec = u.offset + val.num;
        break;
      }
    }
    first = false;
    // Static data members are DW_TAG_member declarations before DWARF 5.
    if (d.ok && (a->tag == TAG_variable || (a->tag == TAG_member && (v.declaration || v.external)))) {
      v.stmt_list = u.stmt_list;
      v.has_stmt_list = u.has_stmt_list;
      vec_push(vars, v);
    }
  }
}

void var_table_parse(VarTable *t, const InfoInputs *in) {
  VarVec vars = {0};
  AbbrevVec abbrevs = {0};
  SpecVec specs = {0};
  uint64_t abbrev_at = UINT64_MAX;
  const uint8_t *data = in->info.data;
  Cursor c = {data, data, data + in->info.size, data != NULL};
  while (c.ok && c.p < c.end) parse_unit(&c, in, &abbrevs, &specs, &abbrev_at, &vars);
  vec_free(&abbrevs);
  vec_free(&specs);
  t->vars = vars.data;
  t->nvars = vars.len;
}

void var_table_free(VarTable *t) {
  free(t->vars);
  *t = (VarTable){0};
}

static const DwarfVar *var_at(const VarTable *t, uint64_t die) {
  size_t lo = 0, hi = t->nvars;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (t->vars[mid].die < die) lo = mid + 1;
    else hi = mid;
  }
  return lo < t->nvars && t->vars[lo].die == die ? &t->vars[lo] : NULL;
}

// V's attributes, completed from the entries its DW_AT_specification (or
// abstract_origin) chain leads to: a definition outside its class or
// namespace gives only what differs from the declaration.
typedef struct {
  const char *name, *linkage_name;
  bool external, has_file;
  uint64_t stmt_list, file;
  uint32_t line;
} Merged;

static Merged merged(const VarTable *t, const DwarfVar *v) {
  Merged m = {0};
  for (int hops = 0; v && hops < 8; hops++, v = v->spec == UINT64_MAX ? NULL : var_at(t, v->spec)) {
    if (!m.name) m.name = v->name;
    if (!m.linkage_name) m.linkage_name = v->linkage_name;
    m.external |= v->external;
    if (!m.has_file && v->has_file && v->has_stmt_list) m.has_file = true, m.file = v->decl_file, m.stmt_list = v->stmt_list;
    if (!m.line) m.line = v->decl_line;
  }
  return m;
}

static bool found(const Merged *m, VarDecl *out) {
  if (!m->has_file || !m->line) return false;
  *out = (VarDecl){m->stmt_list, m->file, m->line};
  return true;
}

static bool named(const Merged *m, const char *name) {
  if (!name) return false;
  if (m->linkage_name) return !strcmp(m->linkage_name, name);
  return m->name && !strcmp(m->name, name);
}

bool var_table_find(const VarTable *t, uint32_t section, uint64_t addr, const char *name, VarDecl *out) {
  // By address: the one named NAME among those there, else the first.
  const DwarfVar *at = NULL;
  for (size_t i = 0; i < t->nvars; i++) {
    const DwarfVar *v = &t->vars[i];
    if (!v->has_addr || v->declaration || v->section != section || v->addr != addr) continue;
    Merged m = merged(t, v);
    if (named(&m, name) && found(&m, out)) return true;
    if (!at) at = v;
  }
  if (at) {
    Merged m = merged(t, at);
    if (found(&m, out)) return true;
  }
  // By name: a defined external variable.
  for (size_t i = 0; i < t->nvars; i++) {
    const DwarfVar *v = &t->vars[i];
    if (v->declaration) continue;
    Merged m = merged(t, v);
    if (m.external && named(&m, name) && found(&m, out)) return true;
  }
  return false;
}

// ---------------------------------------------------------------- objects

typedef struct CachedVars {
  ObjectFile *file;
  VarTable table;
  struct CachedVars *next;
} CachedVars;
static CachedVars *cache;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

// Section NAME of F with its relocations (into *FR, to be freed).
static DwarfSection debug_section(ObjectFile *f, const char *name, FieldRelocs *fr) {
  DwarfSection s = {0};
  uint32_t i = dwarf_find_section(f, name);
  if (!i || !(s.data = dwarf_section_bytes(f, i, &s.size))) return (DwarfSection){0};
  if (fr) {
    *fr = dwarf_field_relocs(f, i);
    s.reloc = dwarf_lookup_reloc;
    s.arg = fr;
  }
  return s;
}

static const VarTable *vars_for(ObjectFile *f) {
  for (CachedVars *c = cache; c; c = c->next)
    if (c->file == f) return &c->table;
  CachedVars *c = xcalloc(1, sizeof *c);
  c->file = f;
  c->next = cache;
  cache = c;
  FieldRelocs info_r = {0}, addr_r = {0}, stro_r = {0};
  InfoInputs in = {.info = debug_section(f, ".debug_info", &info_r)};
  if (in.info.data) {
    in.abbrev = debug_section(f, ".debug_abbrev", NULL);
    in.str = debug_section(f, ".debug_str", NULL);
    in.line_str = debug_section(f, ".debug_line_str", NULL);
    in.str_offsets = debug_section(f, ".debug_str_offsets", &stro_r);
    in.addr = debug_section(f, ".debug_addr", &addr_r);
    var_table_parse(&c->table, &in);
  }
  free(info_r.r);
  free(addr_r.r);
  free(stro_r.r);
  return &c->table;
}

const char *variable_location(ObjectFile *f, uint32_t shndx, uint64_t offset, const char *name) {
  if (!f || !f->shdrs || !f->data || !f->nshdrs) return NULL;
  pthread_mutex_lock(&cache_lock);
  VarDecl d;
  bool ok = var_table_find(vars_for(f), shndx, offset, name, &d);
  pthread_mutex_unlock(&cache_lock);
  return ok ? decl_location(f, d.stmt_list, d.file, d.line) : NULL;
}
