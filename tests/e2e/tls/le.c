/* Local-exec: the linker resolves %fs-relative offsets (R_X86_64_TPOFF32). */
#include "tls.h"

__thread int le_init __attribute__((tls_model("local-exec"))) = 11;
__thread long le_zero __attribute__((tls_model("local-exec")));

int *le_init_addr(void) { return &le_init; }
long *le_zero_addr(void) { return &le_zero; }
