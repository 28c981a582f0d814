// Definitions the other files reach with every addressing form a compiler
// picks for a global: small scalars (8/16/32/64/128-bit loads and stores),
// arrays past 4 KiB boundaries, const data, pointers in data (absolute
// relocations), thread-local variables with and without initialisers.
#include "codegen.h"

signed char g_i8 = -8;
short g_i16 = -1616;
int g_i32 = 323232;
long long g_i64 = 6464646464LL;
__int128 g_i128 = ((__int128)1 << 100) + 128;
long double g_ld = 2.5L;
int g_bss[3000];  // 12 KB: its tail is pages away from its head
const char g_text[] = "read-only text";
const int g_table[8] = {1, 1, 2, 3, 5, 8, 13, 21};
int *g_ptr = &g_bss[2999];        // an absolute address in .data
const char *g_strs[] = {"zero", "one", "two"};
int (*g_ops[4])(int, int) = {op_add, op_sub, op_mul, op_max};

__thread int t_init = 1111;       // .tdata
__thread long t_zero;             // .tbss
__thread char t_buf[64] = "tls buffer";

int op_add(int a, int b) { return a + b; }
int op_sub(int a, int b) { return a - b; }
int op_mul(int a, int b) { return a * b; }
int op_max(int a, int b) { return a > b ? a : b; }

// A switch dense enough for a jump table.
const char *day_name(int d) {
  switch (d) {
  case 0: return "sun";
  case 1: return "mon";
  case 2: return "tue";
  case 3: return "wed";
  case 4: return "thu";
  case 5: return "fri";
  case 6: return "sat";
  default: return "?";
  }
}
