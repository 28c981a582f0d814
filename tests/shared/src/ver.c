// Two versions of foo (the old one hidden, the new one the default), a
// symbol of the first version, a C++ function exported by an extern "C++"
// pattern, and helpers the version script keeps local.
int foo_v1(void) { return 1; }
int foo_v2(void) { return 2; }
__asm__(".symver foo_v1, foo@VER_1");
__asm__(".symver foo_v2, foo@@VER_2");
int bar(void) { return 3; }
int internal_helper(void) { return 4; }
