#include "entry.h"

static int c_fn(int x) { return x * 4 + 3; }
REGISTER(c, c_fn, 300);
