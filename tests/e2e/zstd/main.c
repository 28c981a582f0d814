/* A real library: zstd (libzstd.a from libzstd-dev). Compresses a generated
   buffer at several levels, with the simple and the streaming API, and
   decompresses it again. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#define N (1u << 20)

static uint32_t fnv1a(const unsigned char *p, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
  return h;
}

static int failures;

static const char *verdict(int ok) {
  failures += !ok;
  return ok ? "ok" : "MISMATCH";
}

int main(void) {
  unsigned char *src = malloc(N);
  /* Compressible but not trivial: words from a small vocabulary + noise. */
  static const char *words[] = {"linker ", "section ", "symbol ", "relocation ", "segment ", "archive "};
  uint32_t r = 12345;
  size_t pos = 0;
  while (pos < N) {
    r = r * 1103515245u + 12345u;
    const char *w = words[(r >> 16) % 6];
    size_t len = strlen(w);
    for (size_t k = 0; k < len && pos < N; k++) src[pos++] = (unsigned char)w[k];
    if (((r >> 8) & 15) == 0 && pos < N) src[pos++] = (unsigned char)(r >> 24);
  }
  printf("input: %u bytes, fnv1a %08x\n", N, fnv1a(src, N));

  size_t cap = ZSTD_compressBound(N);
  unsigned char *dst = malloc(cap), *back = malloc(N);
  static const int levels[] = {1, 3, 9};
  for (int i = 0; i < 3; i++) {
    size_t c = ZSTD_compress(dst, cap, src, N, levels[i]);
    if (ZSTD_isError(c)) {
      printf("compress error: %s\n", ZSTD_getErrorName(c));
      return 1;
    }
    unsigned long long content = ZSTD_getFrameContentSize(dst, c);
    size_t d = ZSTD_decompress(back, N, dst, c);
    if (ZSTD_isError(d)) {
      printf("decompress error: %s\n", ZSTD_getErrorName(d));
      return 1;
    }
    printf("level %d: compressed %zu bytes (fnv1a %08x), frame content size %llu, roundtrip %s\n", levels[i], c,
           fnv1a(dst, c), content, verdict(d == N && memcmp(src, back, N) == 0));
  }

  /* Streaming API with a context and a checksum. */
  ZSTD_CCtx *cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 5);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
  ZSTD_outBuffer out = {dst, cap, 0};
  for (size_t off = 0; off < N; off += 65536) {
    ZSTD_inBuffer in = {src + off, 65536, 0};
    ZSTD_EndDirective mode = off + 65536 >= N ? ZSTD_e_end : ZSTD_e_continue;
    size_t rem;
    do {
      rem = ZSTD_compressStream2(cctx, &out, &in, mode);
      if (ZSTD_isError(rem)) {
        printf("stream error: %s\n", ZSTD_getErrorName(rem));
        return 1;
      }
    } while (mode == ZSTD_e_end ? rem != 0 : in.pos < in.size);
  }
  ZSTD_freeCCtx(cctx);
  ZSTD_DCtx *dctx = ZSTD_createDCtx();
  ZSTD_inBuffer din = {dst, out.pos, 0};
  ZSTD_outBuffer dout = {back, N, 0};
  size_t ret = ZSTD_decompressStream(dctx, &dout, &din);
  ZSTD_freeDCtx(dctx);
  printf("stream: compressed %zu bytes, decompressed %zu, status %s, roundtrip %s\n", out.pos, dout.pos,
         ZSTD_isError(ret) ? ZSTD_getErrorName(ret) : "ok",
         verdict(dout.pos == N && memcmp(src, back, N) == 0 && !ZSTD_isError(ret)));
  free(src);
  free(dst);
  free(back);
  return failures ? 1 : 0;
}
