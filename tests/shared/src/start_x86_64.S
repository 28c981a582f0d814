# _start for a program whose every input is marked IBT and SHSTK: calls
# main and leaves through the library's lib_exit.
        .text
        .globl _start
        .type _start, @function
_start:
        endbr64
        and $-16, %rsp
        call main
        mov %eax, %edi
        call lib_exit@PLT
        .section .note.gnu.property,"a"
        .p2align 3
        .long 4, 16, 5            # namesz, descsz, NT_GNU_PROPERTY_TYPE_0
        .asciz "GNU"
        .long 0xc0000002, 4, 3, 0 # GNU_PROPERTY_X86_FEATURE_1_AND: IBT | SHSTK
