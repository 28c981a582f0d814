// glibc's _dl_find_object (2.35), which Debian's libgcc_eh calls to find
// the unwind tables covering a code address, built on dl_iterate_phdr.
#define _GNU_SOURCE
#include <link.h>
#include <stdint.h>
#include <string.h>

// glibc's layout on x86-64 and aarch64 (neither has dlfo_eh_dbase or
// dlfo_eh_count).
struct dl_find_object {
  unsigned long long dlfo_flags;
  void *dlfo_map_start;
  void *dlfo_map_end;
  struct link_map *dlfo_link_map;
  void *dlfo_eh_frame;
  unsigned long long dlfo_reserved[7];
};

struct query {
  uintptr_t pc;
  struct dl_find_object *result;
};

static int visit_object(struct dl_phdr_info *info, size_t size, void *data) {
  (void)size;
  struct query *q = data;
  uintptr_t start = UINTPTR_MAX, end = 0, eh_frame = 0;
  int contains_pc = 0;
  for (size_t i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
    if (ph->p_type == PT_LOAD) {
      uintptr_t hi = lo + ph->p_memsz;
      if (lo < start) start = lo;
      if (hi > end) end = hi;
      if (q->pc >= lo && q->pc < hi) contains_pc = 1;
    } else if (ph->p_type == PT_GNU_EH_FRAME) {
      eh_frame = lo;
    }
  }
  if (!contains_pc) return 0;
  memset(q->result, 0, sizeof *q->result);
  q->result->dlfo_map_start = (void *)start;
  q->result->dlfo_map_end = (void *)end;
  q->result->dlfo_eh_frame = (void *)eh_frame;
  return 1;
}

int _dl_find_object(void *pc, struct dl_find_object *result) {
  struct query q = {(uintptr_t)pc, result};
  return dl_iterate_phdr(visit_object, &q) ? 0 : -1;
}
