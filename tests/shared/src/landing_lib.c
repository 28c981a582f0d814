// A library for the landing-pad (BTI/IBT) case.
#include <unistd.h>
void lib_exit(int code) { _exit(code); }
int lib_add(int a, int b) { return a + b; }
