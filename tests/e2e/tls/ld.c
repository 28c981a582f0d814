/* Local-dynamic, compiled -fPIC (see ld.c.flags): one __tls_get_addr call
   for the module (R_X86_64_TLSLD) plus R_X86_64_DTPOFF32 offsets. */
#include "tls.h"

static __thread int ld_init = 33;
static __thread long ld_zero;
static __thread char ld_aligned[64] __attribute__((aligned(64))) = "aligned";

/* Touch two variables in one function so the compiler keeps the LD model. */
int *ld_init_addr(void) {
  ld_zero += 0;
  return &ld_init;
}
long *ld_zero_addr(void) {
  ld_init += 0;
  return &ld_zero;
}
char *ld_aligned_addr(void) {
  ld_init += 0;
  return ld_aligned;
}
