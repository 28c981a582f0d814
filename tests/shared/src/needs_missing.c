// A library that refers to a function nothing in the link defines.
extern int missing_in_lib(void);
int calls_missing(void) { return missing_in_lib(); }
