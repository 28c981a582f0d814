#include "input.h"
#include "arch.h"
#include "diag.h"
#include "parallel.h"
#include "reproduce.h"
#include "stats.h"
#include "symbols.h"
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

// Identities of every file read, so the output cannot overwrite one.
static VEC(struct stat) inputs_seen;

bool is_input_file(const struct stat *st) {
  for (size_t i = 0; i < inputs_seen.len; i++)
    if (inputs_seen.data[i].st_dev == st->st_dev && inputs_seen.data[i].st_ino == st->st_ino) return true;
  return false;
}

// Inputs are mapped, but the kernel allows a process only so many mappings
// (vm.max_map_count, 65530 by default), and a link of 100 000 objects would
// run out: small files are read into memory instead (cheaper than a mapping
// for them anyway), and so is every file past the first MAX_MAPPED_INPUTS.
enum { SMALL_INPUT = 16 << 10, MAX_MAPPED_INPUTS = 32768 };
static _Atomic size_t mapped_inputs;

static uint8_t *read_all(int fd, size_t size) {
  uint8_t *buf = xmalloc(size);
  for (size_t off = 0; off < size;) {
    ssize_t n = pread(fd, buf + off, size - off, (off_t)off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;  // the file shrank under us
      free(buf);
      return NULL;
    }
    off += (size_t)n;
  }
  return buf;
}

bool map_file(const char *path, MappedFile *out) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st;
  if (fstat(fd, &st) < 0) {
    close(fd);
    return false;
  }
  vec_push(&inputs_seen, st);
  if (S_ISDIR(st.st_mode)) {
    close(fd);
    errno = EISDIR;
    return false;
  }
  out->path = path;
  out->size = (size_t)st.st_size;
  if (!S_ISREG(st.st_mode)) {
    // FIFOs and devices cannot be mapped: read them whole.
    VEC(uint8_t) buf = {0};
    uint8_t tmp[65536];
    ssize_t n;
    while ((n = read(fd, tmp, sizeof tmp)) > 0)
      for (ssize_t i = 0; i < n; i++) vec_push(&buf, tmp[i]);
    close(fd);
    if (n < 0) return false;
    out->data = buf.data ? buf.data : (const uint8_t *)"";
    out->size = buf.len;
    reproduce_record(path, out->data, out->size);
    return true;
  }
  if (out->size == 0) {
    out->data = (const uint8_t *)"";
    close(fd);
    reproduce_record(path, out->data, 0);
    return true;
  }
  void *p;
  if (out->size <= SMALL_INPUT || atomic_fetch_add(&mapped_inputs, 1) >= MAX_MAPPED_INPUTS) {
    p = read_all(fd, out->size);
  } else {
    p = mmap(NULL, out->size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) p = NULL;
  }
  close(fd);  // the mapping stays valid; no descriptor held per input
  if (!p) return false;
  out->data = p;
  reproduce_record(path, out->data, out->size);
  return true;
}

bool map_input_file(const char *path, MappedFile *out) {
  if (map_file(path, out)) return true;
  error("cannot open %s: %s", path, strerror(errno));
  return false;
}

static bool file_exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
}

// "=dir" and "$SYSROOT/dir" name directories under --sysroot.
static const char *lib_dir(Context *ctx, const char *dir) {
  if (dir[0] == '=' && ctx->cfg.sysroot) return xasprintf("%s%s", ctx->cfg.sysroot, dir + 1);
  if (!strncmp(dir, "$SYSROOT", 8) && ctx->cfg.sysroot)
    return xasprintf("%s%s", ctx->cfg.sysroot, dir + 8);
  return dir;
}

const char *find_library(Context *ctx, const char *name, bool link_static) {
  for (size_t i = 0; i < ctx->cfg.lib_paths.len; i++) {
    const char *dir = lib_dir(ctx, ctx->cfg.lib_paths.data[i]);
    char *p;
    if (name[0] == ':') {
      p = xasprintf("%s/%s", dir, name + 1);
      if (file_exists(p)) return p;
      free(p);
      continue;
    }
    if (!link_static) {
      p = xasprintf("%s/lib%s.so", dir, name);
      if (file_exists(p)) return p;
      free(p);
    }
    p = xasprintf("%s/lib%s.a", dir, name);
    if (file_exists(p)) return p;
    free(p);
  }
  return NULL;
}

bool is_bitcode(const uint8_t *data, size_t size) {
  return size >= 4 && ((data[0] == 'B' && data[1] == 'C' && data[2] == 0xc0 && data[3] == 0xde) ||
                       (data[0] == 0xde && data[1] == 0xc0 && data[2] == 0x17 && data[3] == 0x0b));
}

static void push(Context *ctx, Input in) { vec_push(&ctx->inputs, in); }

void add_input_file(Context *ctx, const char *path, const InputArg *arg, bool in_group) {
  MappedFile mf;
  if (!map_input_file(path, &mf)) return;
  const uint8_t *d = mf.data;
  if (mf.size >= 4 && !memcmp(d, ELFMAG, 4)) {
    if (mf.size >= EI_NIDENT && d[EI_CLASS] == ELFCLASS64 && mf.size >= sizeof(ElfEhdr) &&
        rd16(d + 16) == ET_DYN) {
      if (ctx->cfg.is_static) {
        error("%s: attempted static link of a shared library", path);
        return;
      }
      ObjectFile *obj = shared_open(ctx, path, d, mf.size, arg);
      if (obj) push(ctx, (Input){.kind = INPUT_SHARED, .obj = obj});
      return;
    }
    // Parsed later, in parallel with the other objects (prepare_objects).
    ObjectFile *obj = object_new(ctx, path, NULL, d, mf.size);
    push(ctx, (Input){.kind = INPUT_OBJECT, .obj = obj});
    return;
  }
  if (mf.size >= 8 && (!memcmp(d, "!<arch>\n", 8) || !memcmp(d, "!<thin>\n", 8))) {
    // A regular archive's members are read later, in parallel with the
    // other archives (read_archives); a thin one's now.
    Archive *ar = archive_new(path, d, mf.size);
    if (archive_is_thin(ar) && !archive_read_members(ar)) return;
    ar->whole_archive = arg->whole_archive;
    push(ctx, (Input){.kind = INPUT_ARCHIVE, .archive = ar});
    return;
  }
  if (is_bitcode(d, mf.size)) {
    error("%s: LLVM bitcode (LTO) input is not supported; build without -flto", path);
    return;
  }
  script_read(ctx, path, d, mf.size, in_group, arg);
}

static void add_library(Context *ctx, const InputArg *arg, bool in_group) {
  const char *path = find_library(ctx, arg->name, arg->link_static);
  if (!path) {
    error("unable to find library -l%s", arg->name);
    return;
  }
  add_input_file(ctx, path, arg, in_group);
}

static void read_archive_task(void *arg, size_t i) {
  Input *in = &((Context *)arg)->inputs.data[i];
  if (in->kind == INPUT_ARCHIVE && !in->archive->members_read) archive_read_members(in->archive);
}

// Member tables and indexes of all archives at once (LLVM's 190 archives
// took 20 ms one after another); then, in order, the index of an archive
// that has none.
static void read_archives(Context *ctx) {
  parallel_for(ctx->inputs.len, read_archive_task, ctx);
  for (size_t i = 0; i < ctx->inputs.len; i++)
    if (ctx->inputs.data[i].kind == INPUT_ARCHIVE) archive_index_if_missing(ctx, ctx->inputs.data[i].archive);
}

void read_inputs(Context *ctx) {
  bool in_group = false;
  for (size_t i = 0; i < ctx->cfg.inputs.len; i++) {
    InputArg *arg = &ctx->cfg.inputs.data[i];
    switch (arg->kind) {
    case ARG_FILE: add_input_file(ctx, arg->name, arg, in_group); break;
    case ARG_LIB: add_library(ctx, arg, in_group); break;
    case ARG_GROUP_START:
      in_group = true;
      push(ctx, (Input){.kind = INPUT_GROUP_START});
      break;
    case ARG_GROUP_END:
      in_group = false;
      push(ctx, (Input){.kind = INPUT_GROUP_END});
      break;
    }
  }
  if (!ctx->cfg.inputs.len) fatal("no input files");
  read_archives(ctx);
  checkpoint();
  choose_arch_from_inputs(ctx);
  PASS(ctx, "  prepare objects", prepare_objects(ctx));
}

void choose_arch_from_inputs(Context *ctx) {
  for (size_t i = 0; i < ctx->inputs.len && !ctx->arch; i++) {
    const ObjectFile *obj = ctx->inputs.data[i].obj;
    if (ctx->inputs.data[i].kind != INPUT_OBJECT || obj->size < sizeof(Elf64_Ehdr) ||
        memcmp(obj->data, ELFMAG, 4) || obj->data[EI_CLASS] != ELFCLASS64)
      continue;
    ctx->arch = arch_by_machine(rd16(obj->data + 18));  // e_machine
  }
}

static void prepare_task(void *arg, size_t i) {
  Context *ctx = arg;
  if (ctx->inputs.data[i].kind == INPUT_OBJECT) object_prepare(ctx, ctx->inputs.data[i].obj);
}

// Every command-line object is parsed up front, in parallel; archive
// members are parsed when resolution loads them.
void prepare_objects(Context *ctx) {
  parallel_for(ctx->inputs.len, prepare_task, ctx);
  checkpoint();
  if (!ctx->arch) fatal("no object files to link");
  VEC(ObjectFile *) objs = {0};
  size_t names = 0;  // the table's likely final size: objects' globals and archive index entries
  for (size_t i = 0; i < ctx->inputs.len; i++) {
    Input *in = &ctx->inputs.data[i];
    if (in->kind == INPUT_OBJECT) {
      vec_push(&objs, in->obj);
      if (in->obj->is_prepared && !in->obj->is_broken) names += in->obj->nsyms - in->obj->first_global;
    } else if (in->kind == INPUT_ARCHIVE) {
      names += in->archive->armap.len;
    }
  }
  symtab_reserve(ctx, names);
  intern_globals_parallel(ctx, objs.data, objs.len);
  vec_free(&objs);
}
