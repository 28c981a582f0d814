/* libb.a(b1.o): needed by a1.o; needs a2() from liba.a (a back reference). */
int a2(int);
extern int c_data_only;
int b1(int x) { return a2(x) + c_data_only; }
