// Refers to a function nothing defines.
int not_defined_anywhere(int);
int use_it(int x) { return not_defined_anywhere(x) + 1; }
