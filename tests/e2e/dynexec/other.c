/* Addresses of libc's puts, environ and optind taken in a second
   translation unit: in code (-fno-pie: absolute relocations, which need a
   canonical PLT entry for puts and copy relocations for the data) and in
   initialised data (relocations against libc symbols in .data and
   .data.rel.ro). */
#define _GNU_SOURCE
#include <stdio.h>
#include <unistd.h>

#include "dynexec.h"

puts_fn other_puts_address(void) { return puts; }
puts_fn other_puts_pointer = puts;
puts_fn const other_puts_const_pointer = puts;

/* glibc declares it in <unistd.h>, musl does not; both define it, as an
   alias of environ. */
extern char **__environ;

char ***other_environ_address(void) { return &environ; }
char ***other___environ_address(void) { return &__environ; }
int *other_optind_address(void) { return &optind; }
