/* Weak definitions: overridden by strong ones in b.c, kept when alone. */
__attribute__((weak)) int weak_value = 1;
__attribute__((weak)) const char *who(void) { return "weak who (a.c)"; }
__attribute__((weak)) int only_weak = 7;
__attribute__((weak)) const char *only_weak_fn(void) { return "only weak fn (a.c)"; }
/* Two weak definitions: the first one in link order wins. */
__attribute__((weak)) int first_weak = 10;

int a_reads_weak_value(void) { return weak_value; }
const char *a_calls_who(void) { return who(); }
