__attribute__((weak)) int first_weak = 20;
int c_reads_first_weak(void) { return first_weak; }
