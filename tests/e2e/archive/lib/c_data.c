/* libthird.a(c_data.o): pulled in by a reference to data only. */
int c_data_only = 1000;
