/* GNU indirect functions: the resolver runs at startup (IRELATIVE
   relocations applied by the static libc) and returns the implementation. */
#include "ifunc.h"

static const char *name_generic(void) { return "generic"; }
static const char *name_fast(void) { return "fast"; }
static int add_generic(int a, int b) { return a + b; }
static int add_fast(int a, int b) { return b + a + 1000; }

/* Deliberately not folded away by the compiler. */
volatile int prefer_fast = 1;

static const char *(*resolve_name(void))(void) { return prefer_fast ? name_fast : name_generic; }
static int (*resolve_add(void))(int, int) { return prefer_fast ? add_fast : add_generic; }

const char *impl_name(void) __attribute__((ifunc("resolve_name")));
int impl_add(int, int) __attribute__((ifunc("resolve_add")));

/* Pointers to the ifuncs stored in initialised data of the defining file. */
const char *(*impl_name_ptr_here)(void) = impl_name;
int (*impl_add_ptr_here)(int, int) = impl_add;

const char *(*addr_of_impl_name_here(void))(void) { return impl_name; }
