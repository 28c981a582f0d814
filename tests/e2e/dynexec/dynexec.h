/* Shared between main.c and other.c (another translation unit, so that the
   compiler cannot fold address comparisons). */
typedef int (*puts_fn)(const char *);

puts_fn other_puts_address(void);
extern puts_fn other_puts_pointer;
extern puts_fn const other_puts_const_pointer;
char ***other_environ_address(void);
char ***other___environ_address(void);
int *other_optind_address(void);
