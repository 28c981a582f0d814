#include "arch.h"
#include <string.h>

extern const Arch arch_x86_64;
extern const Arch arch_aarch64;

static const Arch *const arch_table[] = {&arch_x86_64, &arch_aarch64};

const Arch *arch_by_machine(uint16_t machine) {
  for (size_t i = 0; i < sizeof arch_table / sizeof *arch_table; i++)
    if (arch_table[i]->machine == machine) return arch_table[i];
  return NULL;
}

const Arch *arch_by_emulation(const char *emulation) {
  for (size_t i = 0; i < sizeof arch_table / sizeof *arch_table; i++) {
    if (!strcmp(arch_table[i]->emulation, emulation)) return arch_table[i];
    for (const char *const *a = arch_table[i]->emulation_aliases; a && *a; a++)
      if (!strcmp(*a, emulation)) return arch_table[i];
  }
  return NULL;
}

const char *arch_emulation_list(void) {
  static char buf[256];
  buf[0] = 0;
  for (size_t i = 0; i < sizeof arch_table / sizeof *arch_table; i++) {
    if (i) strcat(buf, ", ");
    strcat(buf, arch_table[i]->emulation);
  }
  return buf;
}
