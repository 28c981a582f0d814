// Calls the library directly and through a pointer (both via the PLT).
int lib_add(int, int);
int (*fp)(int, int) = lib_add;
int main(void) { return lib_add(2, 3) + fp(1, 1) == 7 ? 42 : 1; }
