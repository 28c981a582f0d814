// Position-dependent code (-fno-pic) reading a global: not for a shared library.
int shared_global = 1;
int read_global(void) { return shared_global; }
