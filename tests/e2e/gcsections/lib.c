/* Compiled with -ffunction-sections -fdata-sections and linked with
   --gc-sections: every function and object is its own section, and the
   linker drops those not reachable from the entry point. */
#include <stdio.h>

__attribute__((noinline)) int used_function_abc(int x) { return x * 3; }
__attribute__((noinline)) int used_via_pointer_def(int x) { return x + 100; }
int (*const used_pointer_table[])(int) = {used_via_pointer_def};
int used_data_ghi[4] = {1, 2, 3, 4};

/* Reachable from nothing: must be gone from the output. */
__attribute__((noinline)) int unused_function_xyz(int x) { return x * used_data_ghi[0] + 7; }
int unused_data_xyz[1024] = {1};
__attribute__((noinline)) int unused_caller_xyz(void) { return unused_function_xyz(1); }

/* Not referenced, but marked retain (SHF_GNU_RETAIN): must be kept. */
__attribute__((used, retain, noinline)) int retained_function_qrs(int x) { return x - 1; }

/* Referenced only through __start_/__stop_ of its section: kept, because a
   __start_ reference keeps the sections of that name alive. */
struct keep_entry {
  const char *name;
  int value;
};
__attribute__((used, section("gc_keep_section"))) struct keep_entry keep_one = {"kept entry", 11};
