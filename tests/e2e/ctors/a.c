/* Constructors and destructors with priorities, spread over two files so
   the linker must sort .init_array.NNNNN / .fini_array.NNNNN across inputs. */
#include <stdio.h>
#include <stdlib.h>

__attribute__((constructor(101))) static void a_ctor_101(void) { puts("ctor 101 (a.c)"); }
__attribute__((constructor(200))) static void a_ctor_200(void) { puts("ctor 200 (a.c)"); }
__attribute__((constructor)) static void a_ctor_default(void) { puts("ctor default (a.c)"); }

static void a_atexit_from_ctor(void) { puts("atexit registered by a constructor (a.c)"); }
__attribute__((constructor(300))) static void a_ctor_300(void) {
  puts("ctor 300 (a.c) registers an atexit handler");
  atexit(a_atexit_from_ctor);
}

__attribute__((destructor(101))) static void a_dtor_101(void) { puts("dtor 101 (a.c)"); }
__attribute__((destructor(200))) static void a_dtor_200(void) { puts("dtor 200 (a.c)"); }
__attribute__((destructor)) static void a_dtor_default(void) { puts("dtor default (a.c)"); }
