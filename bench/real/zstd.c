/* Benchmark driver for libzstd.a: compresses a generated buffer at a few
 * levels, decompresses it and checks the round trip. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

int main(void) {
  size_t n = 1 << 20;
  char *src = malloc(n);
  unsigned x = 12345;
  for (size_t i = 0; i < n; i++) {
    x = x * 1103515245u + 12345u;
    src[i] = "linker benchmark "[(x >> 16) % 17];
  }
  size_t cap = ZSTD_compressBound(n);
  char *dst = malloc(cap), *back = malloc(n);
  printf("zstd %s\n", ZSTD_versionString());
  for (int level = 1; level <= 19; level += 9) {
    size_t c = ZSTD_compress(dst, cap, src, n, level);
    if (ZSTD_isError(c)) { fprintf(stderr, "compress: %s\n", ZSTD_getErrorName(c)); return 1; }
    size_t d = ZSTD_decompress(back, n, dst, c);
    if (ZSTD_isError(d) || d != n || memcmp(src, back, n)) { fprintf(stderr, "round trip failed\n"); return 1; }
    printf("level %d: %zu -> %zu bytes, round trip ok\n", level, n, c);
  }
  return 0;
}
