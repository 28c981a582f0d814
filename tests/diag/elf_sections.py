"""Section headers of an ELF64 little-endian file, by name, for the
corruption tests: {name: (sh_name, sh_type, sh_flags, sh_addr, sh_offset,
sh_size, sh_link, sh_info, sh_addralign, sh_entsize)}."""
import struct


def sections(d):
    shoff, = struct.unpack_from('<Q', d, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from('<HHH', d, 0x3a)

    def sh(i):
        return struct.unpack_from('<IIQQQQIIQQ', d, shoff + i * shentsize)

    stroff = sh(shstrndx)[4]

    def name(i):
        n = sh(i)[0]
        return d[stroff + n:d.index(b'\0', stroff + n)].decode()

    return {name(i): sh(i) for i in range(shnum)}
