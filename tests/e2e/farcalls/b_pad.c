/* 140 MiB of code between a_near.o and c_far.o: more than the +-128 MiB a
   B or BL can reach. Its own section so that -ffunction-sections and the
   like cannot move it; pad_begin/pad_end let main measure it. */
__asm__(".section .text.padding,\"ax\",@progbits\n"
        ".p2align 4\n"
        ".globl pad_begin\n"
        "pad_begin:\n"
        ".skip 146800640\n"
        ".globl pad_end\n"
        "pad_end:\n"
        ".previous\n");
