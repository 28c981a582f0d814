// Goes into an archive that a shared library is linked with.
int helper_fn(int x) { return x + 1; }
