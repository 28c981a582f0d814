// _start for a program whose every input is marked BTI and PAC: calls
// main and leaves through the library's lib_exit.
        .text
        .globl _start
        .type _start, %function
_start:
        bti c
        bl main
        bl lib_exit
        .section .note.gnu.property,"a"
        .p2align 3
        .word 4, 16, 5            // namesz, descsz, NT_GNU_PROPERTY_TYPE_0
        .asciz "GNU"
        .word 0xc0000000, 4, 3, 0 // GNU_PROPERTY_AARCH64_FEATURE_1_AND: BTI | PAC
