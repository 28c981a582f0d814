/* Initial-exec, compiled -fPIC (see ie.c.flags): the offset is loaded from a
   GOT slot (R_X86_64_GOTTPOFF) that the linker fills or relaxes. */
#include "tls.h"

extern __thread int shared_init __attribute__((tls_model("initial-exec")));
extern __thread long shared_zero __attribute__((tls_model("initial-exec")));

int *ie_init_addr(void) { return &shared_init; }
long *ie_zero_addr(void) { return &shared_zero; }
