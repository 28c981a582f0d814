// glibc's __getauxval, which Debian's libgcc.a (lse-init.o, the aarch64
// atomics' CPU feature check) calls; musl's shared libc.so exports only
// getauxval (its __getauxval is hidden, which serves static links alone).
// Weak: in a static link libc.a's own definition takes over.
#include <sys/auxv.h>

unsigned long __getauxval(unsigned long type);
__attribute__((weak)) unsigned long __getauxval(unsigned long type) { return getauxval(type); }
