#ifndef CODEGEN_H
#define CODEGEN_H
extern signed char g_i8;
extern short g_i16;
extern int g_i32;
extern long long g_i64;
extern __int128 g_i128;
extern long double g_ld;
extern int g_bss[3000];
extern const char g_text[];
extern const int g_table[8];
extern int *g_ptr;
extern const char *g_strs[];
extern int (*g_ops[4])(int, int);
extern __thread int t_init;
extern __thread long t_zero;
extern __thread char t_buf[64];
int op_add(int, int);
int op_sub(int, int);
int op_mul(int, int);
int op_max(int, int);
const char *day_name(int);
long tls_local_sum(void);
void tls_report(const char *who);
#endif
