#include "entry.h"

static int b_fn(int x) { return x * 3 + 2; }
REGISTER(b, b_fn, 200);
