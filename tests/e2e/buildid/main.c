/* Linked with --build-id. The program finds its own GNU build-id note by
   walking its program headers from __ehdr_start (a linker-defined symbol
   at the ELF header), which must be mapped and correct. */
#include <elf.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

extern const ElfW(Ehdr) __ehdr_start;

int main(void) {
  const ElfW(Ehdr) *eh = &__ehdr_start;
  if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0) {
    puts("__ehdr_start does not point at an ELF header");
    return 1;
  }
#if defined(__x86_64__)
  const int want_machine = EM_X86_64;
#elif defined(__aarch64__)
  const int want_machine = EM_AARCH64;
#else
#error "unknown target"
#endif
  printf("__ehdr_start: ELF header, class %d, machine of this target: %s\n", eh->e_ident[EI_CLASS],
         eh->e_machine == want_machine ? "yes" : "no");
  const ElfW(Phdr) *ph = (const ElfW(Phdr) *)((const char *)eh + eh->e_phoff);
  /* The load bias: where the segment holding file offset 0 really is. */
  uintptr_t bias = 0;
  int have_bias = 0;
  for (int i = 0; i < eh->e_phnum; i++)
    if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0) {
      bias = (uintptr_t)eh - ph[i].p_vaddr;
      have_bias = 1;
    }
  if (!have_bias) {
    puts("no PT_LOAD maps the ELF header");
    return 1;
  }
  int found = 0;
  for (int i = 0; i < eh->e_phnum; i++) {
    if (ph[i].p_type != PT_NOTE) continue;
    const unsigned char *p = (const unsigned char *)(bias + ph[i].p_vaddr);
    const unsigned char *end = p + ph[i].p_memsz;
    while (p + sizeof(ElfW(Nhdr)) <= end) {
      const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)p;
      const char *name = (const char *)(n + 1);
      const unsigned char *desc = (const unsigned char *)name + ((n->n_namesz + 3) & ~3u);
      if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 && memcmp(name, "GNU", 4) == 0) {
        int nonzero = 0;
        for (unsigned k = 0; k < n->n_descsz; k++) nonzero |= desc[k];
        printf("build-id note found: %s, at least 8 bytes: %s, not all zero: %s\n", found ? "again" : "yes",
               n->n_descsz >= 8 ? "yes" : "no", nonzero ? "yes" : "no");
        found++;
      }
      p = desc + ((n->n_descsz + 3) & ~3u);
    }
  }
  if (!found) puts("no build-id note");
  return 0;
}
