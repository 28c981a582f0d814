const char *impl_name(void);
int impl_add(int, int);
extern const char *(*impl_name_ptr_here)(void);
extern int (*impl_add_ptr_here)(int, int);
const char *(*addr_of_impl_name_here(void))(void);
