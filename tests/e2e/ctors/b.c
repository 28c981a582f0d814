#include <stdio.h>

__attribute__((constructor(102))) static void b_ctor_102(void) { puts("ctor 102 (b.c)"); }
__attribute__((constructor(150))) static void b_ctor_150(void) { puts("ctor 150 (b.c)"); }
__attribute__((constructor(65000))) static void b_ctor_65000(void) { puts("ctor 65000 (b.c)"); }
__attribute__((constructor)) static void b_ctor_default(void) { puts("ctor default (b.c)"); }

__attribute__((destructor(102))) static void b_dtor_102(void) { puts("dtor 102 (b.c)"); }
__attribute__((destructor(150))) static void b_dtor_150(void) { puts("dtor 150 (b.c)"); }
__attribute__((destructor)) static void b_dtor_default(void) { puts("dtor default (b.c)"); }
