// COMDAT groups. Each group's signature is interned once, concurrently,
// when its object's globals are interned (in parallel); the load-order walk
// then only gives each group to the first loaded file that has it, instead
// of hashing and looking up every signature itself (C++ objects have
// thousands of groups: LLVM's link spent 18 ms there, one thread alone).
#include "diag.h"
#include "input.h"
#include "parallel.h"
#include <xxhash.h>

static SpreadCounter new_groups;
static _Thread_local ArenaSpare spare_group;

static void resize(Context *ctx, size_t cap) {
  RehashedTable t = rehash_table(ctx->comdat_slots, ctx->comdat_hashes, ctx->comdat_cap, cap);
  ctx->comdat_slots = t.slots;
  ctx->comdat_hashes = t.hashes;
  ctx->comdat_cap = cap;
}

void comdat_release(Context *ctx) {
  free_table(ctx->comdat_slots, ctx->comdat_hashes, ctx->comdat_cap);
  ctx->comdat_slots = NULL;
  ctx->comdat_hashes = NULL;
  ctx->comdat_cap = ctx->comdat_count = 0;
}

void comdat_reserve(Context *ctx, size_t more) {
  ctx->comdat_count += spread_take(&new_groups);
  size_t cap = ctx->comdat_cap ? ctx->comdat_cap : 1024;
  while (ctx->comdat_count + more + 1 > cap / 2) cap *= 2;
  if (cap != ctx->comdat_cap) resize(ctx, cap);
}

// Finds or adds NAME (thread-safe; the table has room, comdat_reserve).
// A slot is claimed by writing its hash; the claimer then publishes the
// record, which was allocated beforehand so that waiters wait briefly.
static ComdatGroup *intern(Context *ctx, const char *name, uint32_t len) {
  uint64_t h = XXH3_64bits(name, len), key = h ? h : 1;  // 0 marks an empty slot
  arena_spare(&spare_group, sizeof(ComdatGroup));
  for (size_t j = key & (ctx->comdat_cap - 1);; j = (j + 1) & (ctx->comdat_cap - 1)) {
    uint64_t cur = __atomic_load_n(&ctx->comdat_hashes[j], __ATOMIC_ACQUIRE);
    if (!cur) {
      if (__atomic_compare_exchange_n(&ctx->comdat_hashes[j], &cur, key, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        ComdatGroup *g = arena_spare_take(&spare_group);
        g->name = name;
        g->len = len;
        __atomic_store_n(&ctx->comdat_slots[j], g, __ATOMIC_RELEASE);
        spread_add(&new_groups, 1);
        return g;
      }
    }
    if (cur != key) continue;
    ComdatGroup *g;
    while (!(g = __atomic_load_n(&ctx->comdat_slots[j], __ATOMIC_ACQUIRE))) cpu_relax();
    if (g->len == len && !memcmp(g->name, name, len)) return g;
  }
}

const char *comdat_signature(const ObjectFile *obj, const ElfShdr *group) {
  // A group keyed by a section symbol is named by that section.
  if (ELF64_ST_TYPE(obj->esyms[group->sh_info].st_info) == STT_SECTION)
    return object_section_name(obj, object_symbol_shndx(obj, group->sh_info));
  return object_symbol_name(obj, group->sh_info);
}

bool comdat_is_well_formed(const ObjectFile *obj, const ElfShdr *group) {
  return group->sh_size >= 4 && group->sh_info < obj->nsyms && group->sh_info != 0;
}

void object_intern_comdats(Context *ctx, ObjectFile *obj) {
  if (!obj->ngroups) return;
  obj->comdats = arena_array(ComdatRef, obj->ngroups);
  for (uint32_t i = 1; i < obj->nshdrs; i++) {
    const ElfShdr *sh = &obj->shdrs[i];
    if (sh->sh_type != SHT_GROUP || !comdat_is_well_formed(obj, sh)) continue;
    if (!(rd32(obj->data + sh->sh_offset) & GRP_COMDAT)) continue;
    const char *sig = comdat_signature(obj, sh);
    obj->comdats[obj->ncomdats++] = (ComdatRef){intern(ctx, sig, (uint32_t)strlen(sig)), i};
  }
}
