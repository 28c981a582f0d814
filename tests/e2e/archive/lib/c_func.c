/* libthird.a(c_func.o): pulled by main, found through -L. -lthird. */
int c_func(int x) { return x + 7; }
