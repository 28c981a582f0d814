/* liba.a(a1.o): needed by main; needs b1() from libb.a. */
int b1(int);
int a1(int x) { return b1(x) + 1; }
