/* Global-dynamic, compiled -fPIC (see gd.c.flags): calls __tls_get_addr
   through R_X86_64_TLSGD, which a static link resolves or relaxes. */
#include "tls.h"

int *gd_init_addr(void) { return &shared_init; }
long *gd_zero_addr(void) { return &shared_zero; }
int *gd_array_addr(void) { return tls_array; }
