// SHA-1 (FIPS 180-4) and MD5 (RFC 1321), written from the specifications.
#include "digest.h"

#include <string.h>

static inline uint32_t rotl32(uint32_t x, unsigned n) {
  return (x << n) | (x >> (32 - n));
}

// memcpy because input sections and mapped files give no alignment promise;
// compilers turn these into a single (possibly byte-swapping) load.
static inline uint32_t load_be32(const uint8_t *p) {
  uint32_t v;
  memcpy(&v, p, 4);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  v = __builtin_bswap32(v);
#endif
  return v;
}

static inline uint32_t load_le32(const uint8_t *p) {
  uint32_t v;
  memcpy(&v, p, 4);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  v = __builtin_bswap32(v);
#endif
  return v;
}

static inline void store_be32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}

static inline void store_le32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

// ---------------------------------------------------------------- SHA-1

// Processes nblocks consecutive 64-byte blocks; taking a count lets update()
// hash the bulk of a large buffer in place without copying into ctx->buf.
static void sha1_blocks(uint32_t h[5], const uint8_t *p, size_t nblocks) {
  for (; nblocks > 0; nblocks--, p += 64) {
    // A 16-word ring instead of the 80-word schedule: W[t] depends only on
    // the previous 16 words, and the smaller window stays in registers.
    uint32_t w[16];
    for (int t = 0; t < 16; t++)
      w[t] = load_be32(p + 4 * t);

    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];

#define SHA1_W(t)                                                              \
  (w[(t) & 15] = rotl32(w[((t) + 13) & 15] ^ w[((t) + 8) & 15] ^               \
                            w[((t) + 2) & 15] ^ w[(t) & 15],                   \
                        1))
#define SHA1_ROUND(f, k, wt)                                                   \
  do {                                                                         \
    uint32_t tmp = rotl32(a, 5) + (f) + e + (k) + (wt);                        \
    e = d;                                                                     \
    d = c;                                                                     \
    c = rotl32(b, 30);                                                         \
    b = a;                                                                     \
    a = tmp;                                                                   \
  } while (0)
// Ch and Maj in forms with one fewer operation than the textbook definitions.
#define SHA1_CH (d ^ (b & (c ^ d)))
#define SHA1_PARITY (b ^ c ^ d)
#define SHA1_MAJ ((b & c) | (d & (b | c)))

    int t = 0;
    for (; t < 16; t++)
      SHA1_ROUND(SHA1_CH, 0x5a827999u, w[t]);
    for (; t < 20; t++)
      SHA1_ROUND(SHA1_CH, 0x5a827999u, SHA1_W(t));
    for (; t < 40; t++)
      SHA1_ROUND(SHA1_PARITY, 0x6ed9eba1u, SHA1_W(t));
    for (; t < 60; t++)
      SHA1_ROUND(SHA1_MAJ, 0x8f1bbcdcu, SHA1_W(t));
    for (; t < 80; t++)
      SHA1_ROUND(SHA1_PARITY, 0xca62c1d6u, SHA1_W(t));

#undef SHA1_W
#undef SHA1_ROUND
#undef SHA1_CH
#undef SHA1_PARITY
#undef SHA1_MAJ

    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
  }
}

// 1: SHA extensions, 0: portable, -1: not decided yet. Racing first
// callers decide the same thing.
static int use_x86_sha = -1;

void digest_use_portable(bool portable) { use_x86_sha = portable ? 0 : sha1_x86_available(); }

static void sha1_blocks_best(uint32_t h[5], const uint8_t *p, size_t nblocks) {
  int x86 = __atomic_load_n(&use_x86_sha, __ATOMIC_RELAXED);
  if (x86 < 0) {
    x86 = sha1_x86_available();
    __atomic_store_n(&use_x86_sha, x86, __ATOMIC_RELAXED);
  }
  if (x86) sha1_blocks_x86(h, p, nblocks);
  else sha1_blocks(h, p, nblocks);
}

void sha1_init(Sha1Ctx *ctx) {
  ctx->h[0] = 0x67452301u;
  ctx->h[1] = 0xefcdab89u;
  ctx->h[2] = 0x98badcfeu;
  ctx->h[3] = 0x10325476u;
  ctx->h[4] = 0xc3d2e1f0u;
  ctx->total = 0;
  ctx->buflen = 0;
}

void sha1_update(Sha1Ctx *ctx, const void *data, size_t len) {
  const uint8_t *p = data;
  ctx->total += len;

  // Top up a partial block left by an earlier call first.
  if (ctx->buflen > 0) {
    size_t n = 64 - ctx->buflen;
    if (n > len)
      n = len;
    memcpy(ctx->buf + ctx->buflen, p, n);
    ctx->buflen += n;
    p += n;
    len -= n;
    if (ctx->buflen < 64)
      return;
    sha1_blocks_best(ctx->h, ctx->buf, 1);
    ctx->buflen = 0;
  }

  size_t whole = len / 64;
  if (whole > 0) {
    sha1_blocks_best(ctx->h, p, whole);
    p += whole * 64;
    len -= whole * 64;
  }

  if (len > 0) {
    memcpy(ctx->buf, p, len);
    ctx->buflen = len;
  }
}

void sha1_final(Sha1Ctx *ctx, uint8_t out[20]) {
  uint64_t bits = ctx->total * 8;
  size_t n = ctx->buflen;

  // Padding is 0x80, zeros up to 56 mod 64, then the 64-bit length; if the
  // length no longer fits in this block it spills into one more.
  ctx->buf[n++] = 0x80;
  if (n > 56) {
    memset(ctx->buf + n, 0, 64 - n);
    sha1_blocks_best(ctx->h, ctx->buf, 1);
    n = 0;
  }
  memset(ctx->buf + n, 0, 56 - n);
  store_be32(ctx->buf + 56, (uint32_t)(bits >> 32));
  store_be32(ctx->buf + 60, (uint32_t)bits);
  sha1_blocks_best(ctx->h, ctx->buf, 1);

  for (int i = 0; i < 5; i++)
    store_be32(out + 4 * i, ctx->h[i]);
}

// ---------------------------------------------------------------- MD5

static void md5_blocks(uint32_t h[4], const uint8_t *p, size_t nblocks) {
  for (; nblocks > 0; nblocks--, p += 64) {
    uint32_t x[16];
    for (int i = 0; i < 16; i++)
      x[i] = load_le32(p + 4 * i);

    uint32_t a = h[0], b = h[1], c = h[2], d = h[3];

// Fully unrolled so that the message index, shift and constant of each of
// the 64 steps are compile-time constants rather than table lookups.
#define MD5_F(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define MD5_G(x, y, z) ((y) ^ ((z) & ((x) ^ (y))))
#define MD5_H(x, y, z) ((x) ^ (y) ^ (z))
#define MD5_I(x, y, z) ((y) ^ ((x) | ~(z)))
#define MD5_STEP(f, a, b, c, d, k, s, t)                                       \
  (a) = (b) + rotl32((a) + f((b), (c), (d)) + x[k] + (t), (s))

    MD5_STEP(MD5_F, a, b, c, d, 0, 7, 0xd76aa478u);
    MD5_STEP(MD5_F, d, a, b, c, 1, 12, 0xe8c7b756u);
    MD5_STEP(MD5_F, c, d, a, b, 2, 17, 0x242070dbu);
    MD5_STEP(MD5_F, b, c, d, a, 3, 22, 0xc1bdceeeu);
    MD5_STEP(MD5_F, a, b, c, d, 4, 7, 0xf57c0fafu);
    MD5_STEP(MD5_F, d, a, b, c, 5, 12, 0x4787c62au);
    MD5_STEP(MD5_F, c, d, a, b, 6, 17, 0xa8304613u);
    MD5_STEP(MD5_F, b, c, d, a, 7, 22, 0xfd469501u);
    MD5_STEP(MD5_F, a, b, c, d, 8, 7, 0x698098d8u);
    MD5_STEP(MD5_F, d, a, b, c, 9, 12, 0x8b44f7afu);
    MD5_STEP(MD5_F, c, d, a, b, 10, 17, 0xffff5bb1u);
    MD5_STEP(MD5_F, b, c, d, a, 11, 22, 0x895cd7beu);
    MD5_STEP(MD5_F, a, b, c, d, 12, 7, 0x6b901122u);
    MD5_STEP(MD5_F, d, a, b, c, 13, 12, 0xfd987193u);
    MD5_STEP(MD5_F, c, d, a, b, 14, 17, 0xa679438eu);
    MD5_STEP(MD5_F, b, c, d, a, 15, 22, 0x49b40821u);

    MD5_STEP(MD5_G, a, b, c, d, 1, 5, 0xf61e2562u);
    MD5_STEP(MD5_G, d, a, b, c, 6, 9, 0xc040b340u);
    MD5_STEP(MD5_G, c, d, a, b, 11, 14, 0x265e5a51u);
    MD5_STEP(MD5_G, b, c, d, a, 0, 20, 0xe9b6c7aau);
    MD5_STEP(MD5_G, a, b, c, d, 5, 5, 0xd62f105du);
    MD5_STEP(MD5_G, d, a, b, c, 10, 9, 0x02441453u);
    MD5_STEP(MD5_G, c, d, a, b, 15, 14, 0xd8a1e681u);
    MD5_STEP(MD5_G, b, c, d, a, 4, 20, 0xe7d3fbc8u);
    MD5_STEP(MD5_G, a, b, c, d, 9, 5, 0x21e1cde6u);
    MD5_STEP(MD5_G, d, a, b, c, 14, 9, 0xc33707d6u);
    MD5_STEP(MD5_G, c, d, a, b, 3, 14, 0xf4d50d87u);
    MD5_STEP(MD5_G, b, c, d, a, 8, 20, 0x455a14edu);
    MD5_STEP(MD5_G, a, b, c, d, 13, 5, 0xa9e3e905u);
    MD5_STEP(MD5_G, d, a, b, c, 2, 9, 0xfcefa3f8u);
    MD5_STEP(MD5_G, c, d, a, b, 7, 14, 0x676f02d9u);
    MD5_STEP(MD5_G, b, c, d, a, 12, 20, 0x8d2a4c8au);

    MD5_STEP(MD5_H, a, b, c, d, 5, 4, 0xfffa3942u);
    MD5_STEP(MD5_H, d, a, b, c, 8, 11, 0x8771f681u);
    MD5_STEP(MD5_H, c, d, a, b, 11, 16, 0x6d9d6122u);
    MD5_STEP(MD5_H, b, c, d, a, 14, 23, 0xfde5380cu);
    MD5_STEP(MD5_H, a, b, c, d, 1, 4, 0xa4beea44u);
    MD5_STEP(MD5_H, d, a, b, c, 4, 11, 0x4bdecfa9u);
    MD5_STEP(MD5_H, c, d, a, b, 7, 16, 0xf6bb4b60u);
    MD5_STEP(MD5_H, b, c, d, a, 10, 23, 0xbebfbc70u);
    MD5_STEP(MD5_H, a, b, c, d, 13, 4, 0x289b7ec6u);
    MD5_STEP(MD5_H, d, a, b, c, 0, 11, 0xeaa127fau);
    MD5_STEP(MD5_H, c, d, a, b, 3, 16, 0xd4ef3085u);
    MD5_STEP(MD5_H, b, c, d, a, 6, 23, 0x04881d05u);
    MD5_STEP(MD5_H, a, b, c, d, 9, 4, 0xd9d4d039u);
    MD5_STEP(MD5_H, d, a, b, c, 12, 11, 0xe6db99e5u);
    MD5_STEP(MD5_H, c, d, a, b, 15, 16, 0x1fa27cf8u);
    MD5_STEP(MD5_H, b, c, d, a, 2, 23, 0xc4ac5665u);

    MD5_STEP(MD5_I, a, b, c, d, 0, 6, 0xf4292244u);
    MD5_STEP(MD5_I, d, a, b, c, 7, 10, 0x432aff97u);
    MD5_STEP(MD5_I, c, d, a, b, 14, 15, 0xab9423a7u);
    MD5_STEP(MD5_I, b, c, d, a, 5, 21, 0xfc93a039u);
    MD5_STEP(MD5_I, a, b, c, d, 12, 6, 0x655b59c3u);
    MD5_STEP(MD5_I, d, a, b, c, 3, 10, 0x8f0ccc92u);
    MD5_STEP(MD5_I, c, d, a, b, 10, 15, 0xffeff47du);
    MD5_STEP(MD5_I, b, c, d, a, 1, 21, 0x85845dd1u);
    MD5_STEP(MD5_I, a, b, c, d, 8, 6, 0x6fa87e4fu);
    MD5_STEP(MD5_I, d, a, b, c, 15, 10, 0xfe2ce6e0u);
    MD5_STEP(MD5_I, c, d, a, b, 6, 15, 0xa3014314u);
    MD5_STEP(MD5_I, b, c, d, a, 13, 21, 0x4e0811a1u);
    MD5_STEP(MD5_I, a, b, c, d, 4, 6, 0xf7537e82u);
    MD5_STEP(MD5_I, d, a, b, c, 11, 10, 0xbd3af235u);
    MD5_STEP(MD5_I, c, d, a, b, 2, 15, 0x2ad7d2bbu);
    MD5_STEP(MD5_I, b, c, d, a, 9, 21, 0xeb86d391u);

#undef MD5_F
#undef MD5_G
#undef MD5_H
#undef MD5_I
#undef MD5_STEP

    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
  }
}

void md5_init(Md5Ctx *ctx) {
  ctx->h[0] = 0x67452301u;
  ctx->h[1] = 0xefcdab89u;
  ctx->h[2] = 0x98badcfeu;
  ctx->h[3] = 0x10325476u;
  ctx->total = 0;
  ctx->buflen = 0;
}

void md5_update(Md5Ctx *ctx, const void *data, size_t len) {
  const uint8_t *p = data;
  ctx->total += len;

  if (ctx->buflen > 0) {
    size_t n = 64 - ctx->buflen;
    if (n > len)
      n = len;
    memcpy(ctx->buf + ctx->buflen, p, n);
    ctx->buflen += n;
    p += n;
    len -= n;
    if (ctx->buflen < 64)
      return;
    md5_blocks(ctx->h, ctx->buf, 1);
    ctx->buflen = 0;
  }

  size_t whole = len / 64;
  if (whole > 0) {
    md5_blocks(ctx->h, p, whole);
    p += whole * 64;
    len -= whole * 64;
  }

  if (len > 0) {
    memcpy(ctx->buf, p, len);
    ctx->buflen = len;
  }
}

void md5_final(Md5Ctx *ctx, uint8_t out[16]) {
  uint64_t bits = ctx->total * 8;
  size_t n = ctx->buflen;

  // Same padding as SHA-1, but the length and the digest are little-endian.
  ctx->buf[n++] = 0x80;
  if (n > 56) {
    memset(ctx->buf + n, 0, 64 - n);
    md5_blocks(ctx->h, ctx->buf, 1);
    n = 0;
  }
  memset(ctx->buf + n, 0, 56 - n);
  store_le32(ctx->buf + 56, (uint32_t)bits);
  store_le32(ctx->buf + 60, (uint32_t)(bits >> 32));
  md5_blocks(ctx->h, ctx->buf, 1);

  for (int i = 0; i < 4; i++)
    store_le32(out + 4 * i, ctx->h[i]);
}
