#include "entry.h"

static int a_fn(int x) { return x * 2 + 1; }
REGISTER(a, a_fn, 100);
