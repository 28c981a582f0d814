/* Raw .init_array / .fini_array entries, as hand-written runtime code or
   other languages produce them (no constructor attribute). */
#include <stdio.h>

static void c_init_entry(void) { puts("raw .init_array entry (c.c)"); }
static void c_fini_entry(void) { puts("raw .fini_array entry (c.c)"); }

__attribute__((used, section(".init_array"))) static void (*const c_init_ptr)(void) = c_init_entry;
__attribute__((used, section(".fini_array"))) static void (*const c_fini_ptr)(void) = c_fini_entry;
