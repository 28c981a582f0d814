#include <stdio.h>

int used_function_abc(int);
extern int (*const used_pointer_table[])(int);
extern int used_data_ghi[4];

struct keep_entry {
  const char *name;
  int value;
};
extern struct keep_entry __start_gc_keep_section[], __stop_gc_keep_section[];

int main(void) {
  printf("used_function_abc(5)=%d\n", used_function_abc(5));
  printf("through the table: %d\n", used_pointer_table[0](1));
  printf("used_data_ghi[3]=%d\n", used_data_ghi[3]);
  for (struct keep_entry *e = __start_gc_keep_section; e < __stop_gc_keep_section; e++)
    printf("gc_keep_section: %s %d\n", e->name, e->value);
  return 0;
}
