// Absolute pointers in a read-only section of a shared library (written in
// assembly: a compiler would make the section writable): text relocations,
// one to a preemptible symbol and one RELATIVE.
int counter = 7;
__attribute__((used)) static int local_value = 5;
extern int *const counter_ptr, *const local_ptr;
__asm__(".section .rodata.ptrs, \"a\"\n"
        ".p2align 3\n"
        ".globl counter_ptr, local_ptr\n"  // (GOT references to local labels get section-relative addends)
        "counter_ptr: .quad counter\n"
        "local_ptr: .quad local_value\n"
        ".text\n");
int read_through(void) { return *counter_ptr + *local_ptr; }
