// Reading inputs: mapping files, finding libraries, classifying them and
// expanding linker scripts into the ordered list of Inputs.
#pragma once
#include "context.h"

typedef struct {
  const char *path;
  const uint8_t *data;
  size_t size;
} MappedFile;

#include <sys/stat.h>

// Whether ST is one of the files read so far.
bool is_input_file(const struct stat *st);
// Maps PATH read-only; returns false (errno set) if it cannot.
bool map_file(const char *path, MappedFile *out);
// Maps PATH or reports an error naming it and returns false.
bool map_input_file(const char *path, MappedFile *out);

void read_inputs(Context *ctx);
void prepare_objects(Context *ctx);

// Reports a malformed input file OBJ and makes its parser give up on it
// (return false).
#define BAD(fmt, ...)                                       \
  do {                                                      \
    error("%s: " fmt, file_name(obj), ##__VA_ARGS__);       \
    return false;                                           \
  } while (0)

// Whether [off, off + len) lies inside OBJ's bytes.
static inline bool in_file(const ObjectFile *obj, uint64_t off, uint64_t len) {
  return off <= obj->size && len <= obj->size - off;
}

// Object files (object.c).
ObjectFile *object_new(Context *ctx, const char *path, const char *member,
                       const uint8_t *data, size_t size);
bool object_parse_headers(Context *ctx, ObjectFile *obj);
// Sections, local symbols and hashed global names; independent of every
// other file, so it runs in parallel. Returns false on a parse error.
bool object_prepare(Context *ctx, ObjectFile *obj);
// Looks up a prepared object's global names, giving each one already in
// the symbol table its Symbol; returns how many are not there yet. Only
// for when nothing is inserted into the table meanwhile.
size_t object_find_globals(Context *ctx, ObjectFile *obj);
// Gives each global of a prepared object that has none yet its Symbol.
// Thread-safe, but the table must have room for them all (symtab_reserve).
void object_intern_globals(Context *ctx, ObjectFile *obj);
// The machine of the first ELF object among the inputs, if any.
void choose_arch_from_inputs(Context *ctx);
uint32_t object_symbol_shndx(const ObjectFile *obj, uint32_t sym_index);
// The file's own section a symbol is defined in; NULL for undefined,
// absolute and common symbols and those in discarded sections. Read from
// the file's symbol table, not the Symbol (a cache miss on large links).
InputSection *object_symbol_section(const ObjectFile *obj, uint32_t sym_index);
const char *object_symbol_name(const ObjectFile *obj, uint32_t sym_index);
const char *object_section_name(const ObjectFile *obj, uint32_t shndx);
// Bytes that start an LLVM bitcode file or wrapper.
bool is_bitcode(const uint8_t *data, size_t size);

// Archives (archive.c).
// COMDAT groups (comdat.c): room for MORE signatures, then each object's
// groups interned (thread-safe between comdat_reserve calls).
void comdat_reserve(Context *ctx, size_t more);
void object_intern_comdats(Context *ctx, ObjectFile *obj);
// Gives the signature table back once every object is loaded (the groups
// themselves stay).
void comdat_release(Context *ctx);
bool comdat_is_well_formed(const ObjectFile *obj, const ElfShdr *group);
const char *comdat_signature(const ObjectFile *obj, const ElfShdr *group);

Archive *archive_open(Context *ctx, const char *path, const uint8_t *data, size_t size);
// archive_open in steps, for reading many archives in parallel: the shell,
// the member table and index (thread-safe unless thin), then the index
// made from the members where the archive has none (serial).
Archive *archive_new(const char *path, const uint8_t *data, size_t size);
bool archive_is_thin(const Archive *ar);
bool archive_read_members(Archive *ar);
void archive_index_if_missing(Context *ctx, Archive *ar);
ObjectFile *archive_member_file(Context *ctx, Archive *ar, ArchiveMember *m);
ObjectFile *archive_member_object(Context *ctx, Archive *ar, ArchiveMember *m);

// Sort key of .init_array.N, .fini_array.N, .ctors.N and .dtors.N (GNU
// ld: the .ctors priority counts down, so it is mirrored); 65536 for any
// other name.
uint32_t init_priority(const char *name);

// Shared libraries (shared.c).
ObjectFile *shared_open(Context *ctx, const char *path, const uint8_t *data, size_t size, const InputArg *arg);
void shared_load(Context *ctx, ObjectFile *obj);
void shared_finish(Context *ctx);
// The version name of a library's symbol I (NULL: unversioned).
const char *shared_symbol_version(const ObjectFile *obj, uint32_t i);

// Linker scripts given as inputs (script.c).
void script_read(Context *ctx, const char *path, const uint8_t *data, size_t size, bool in_group,
                 const InputArg *arg);
// Opens one input (a path, or a -l name) and appends it to ctx->inputs.
void add_input_file(Context *ctx, const char *path, const InputArg *arg, bool in_group);
// Finds -lNAME along the library path; NULL if absent.
const char *find_library(Context *ctx, const char *name, bool link_static);
