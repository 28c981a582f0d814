// Known-answer tests for the build-id digests (FIPS 180 and RFC 1321 vectors),
// plus checks that the incremental path agrees with one-shot hashing.
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"

static void to_hex(const uint8_t *d, size_t n, char *out) {
  for (size_t i = 0; i < n; i++)
    sprintf(out + 2 * i, "%02x", d[i]);
}

static void sha1_hex(const void *data, size_t len, char out[41]) {
  Sha1Ctx c;
  uint8_t d[20];
  sha1_init(&c);
  sha1_update(&c, data, len);
  sha1_final(&c, d);
  to_hex(d, 20, out);
}

static void md5_hex(const void *data, size_t len, char out[33]) {
  Md5Ctx c;
  uint8_t d[16];
  md5_init(&c);
  md5_update(&c, data, len);
  md5_final(&c, d);
  to_hex(d, 16, out);
}

#define CHECK_SHA1(str, want)                                                  \
  do {                                                                         \
    char got[41];                                                              \
    sha1_hex((str), strlen(str), got);                                         \
    cr_assert_str_eq(got, (want), "sha1(\"%s\")", (str));                      \
  } while (0)

#define CHECK_MD5(str, want)                                                   \
  do {                                                                         \
    char got[33];                                                              \
    md5_hex((str), strlen(str), got);                                          \
    cr_assert_str_eq(got, (want), "md5(\"%s\")", (str));                       \
  } while (0)

static const char abc448[] =
    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

// Tiny deterministic PRNG so failures reproduce exactly.
static uint64_t rng_state;
static uint32_t rng(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (uint32_t)(rng_state >> 16);
}

// Chunk sizes chosen to cross block boundaries at every alignment: a single
// byte leaves the buffer partial, 63 completes it, then large odd chunks mix
// the buffered and direct-from-input paths.
static const size_t odd_chunks[] = {1, 63, 1000, 3, 64, 65, 127, 4096, 7, 129};
#define NCHUNKS (sizeof odd_chunks / sizeof odd_chunks[0])

Test(sha1, empty) {
  CHECK_SHA1("", "da39a3ee5e6b4b0d3255bfef95601890afd80709");
}

Test(sha1, abc) {
  CHECK_SHA1("abc", "a9993e364706816aba3e25717850c26c9cd0d89d");
}

Test(sha1, abc448) {
  CHECK_SHA1(abc448, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
}

// The SHA-extensions block function (used when the CPU has them) and the
// portable one agree on every length around the block size and on a
// larger pseudo-random buffer.
Test(sha1, x86_extensions_match_portable) {
  if (!sha1_x86_available()) cr_skip_test("this CPU has no SHA extensions");
  enum { MAX = 4096 + 200 };
  uint8_t *buf = malloc(MAX);
  cr_assert_not_null(buf);
  uint32_t x = 12345;
  for (size_t i = 0; i < MAX; i++) buf[i] = (uint8_t)((x = x * 1103515245u + 12345u) >> 24);
  for (size_t len = 0; len < MAX; len += len < 200 ? 1 : 61) {
    char portable[41], fast[41];
    digest_use_portable(true);
    sha1_hex(buf, len, portable);
    digest_use_portable(false);
    sha1_hex(buf, len, fast);
    cr_assert_str_eq(fast, portable, "length %zu", len);
  }
  free(buf);
}

Test(sha1, million_a_chunked) {
  size_t total = 1000000;
  char *buf = malloc(total);
  cr_assert_not_null(buf);
  memset(buf, 'a', total);

  Sha1Ctx c;
  sha1_init(&c);
  size_t off = 0;
  for (size_t i = 0; off < total; i++) {
    size_t n = odd_chunks[i % NCHUNKS];
    if (n > total - off)
      n = total - off;
    sha1_update(&c, buf + off, n);
    off += n;
  }
  uint8_t d[20];
  char got[41];
  sha1_final(&c, d);
  to_hex(d, 20, got);
  cr_assert_str_eq(got, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");

  sha1_hex(buf, total, got);
  cr_assert_str_eq(got, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
  free(buf);
}

Test(md5, rfc1321_suite) {
  CHECK_MD5("", "d41d8cd98f00b204e9800998ecf8427e");
  CHECK_MD5("a", "0cc175b9c0f1b6a831c399e269772661");
  CHECK_MD5("abc", "900150983cd24fb0d6963f7d28e17f72");
  CHECK_MD5("message digest", "f96b697d7cb7938d525a2f31aaf161d0");
  CHECK_MD5("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b");
  CHECK_MD5("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
            "d174ab98d277d9f5a5611c2c9f419d9f");
  CHECK_MD5("1234567890123456789012345678901234567890"
            "1234567890123456789012345678901234567890",
            "57edf4a22be3c955ac49da2e2107b67a");
}

Test(md5, abc448) {
  CHECK_MD5(abc448, "8215ef0796a20bcaaae116d3876c664a");
}

Test(md5, million_a_chunked) {
  size_t total = 1000000;
  char *buf = malloc(total);
  cr_assert_not_null(buf);
  memset(buf, 'a', total);

  Md5Ctx c;
  md5_init(&c);
  size_t off = 0;
  for (size_t i = 0; off < total; i++) {
    size_t n = odd_chunks[i % NCHUNKS];
    if (n > total - off)
      n = total - off;
    md5_update(&c, buf + off, n);
    off += n;
  }
  uint8_t d[16];
  char got[33];
  md5_final(&c, d);
  to_hex(d, 16, got);
  cr_assert_str_eq(got, "7707d6ae4e027c70eea2a935c2296f21");

  md5_hex(buf, total, got);
  cr_assert_str_eq(got, "7707d6ae4e027c70eea2a935c2296f21");
  free(buf);
}

// Lengths around 56 and 64 decide whether the length field spills into an
// extra padding block; the expected values come from sha1sum/md5sum.
Test(digest, padding_boundaries) {
  static const struct {
    size_t len;
    const char *sha1, *md5;
  } cases[] = {
      {55, "ddf57317ef34bfee3b6df83d359098930eb278bc",
       "52c0e574e1198de5fe3f8f11440dcb1b"},
      {56, "a0d492bb0fc889d0eca3bc137066ab6f4f74f369",
       "46c9907fc908ee68b1e7b8e71286a518"},
      {63, "c55856749bef509bdfe6bfebfc7bf4e793e82132",
       "a62f6d59e837867693f042f5b8f5a236"},
      {64, "bede92be29c3874e1b54ddc77988d606fc857a8e",
       "7160b8fb5e9e4023d549c3971fbaeead"},
      {65, "b05a80522b053d6dc7e0a517d0e70212c7dad11f",
       "70bd662e7aefbda85a0f7244167b7897"},
      {119, "504e27376a6e0f0dba8295b85cb25dc4dfa17d23",
       "e84905d4214f4d1ca56c2cdcc152b143"},
      {120, "82134b02fb3f702491be9bed581eeab59334acb2",
       "e3eb5a6c8669ea01a8c185b8abc8a5dc"},
      {128, "a09133e6730ffe899efb70204cb5646cd5dc24ee",
       "10b2da1a82f16d99a81a7203fe9f02cb"},
  };
  uint8_t buf[128];
  for (size_t i = 0; i < sizeof buf; i++)
    buf[i] = (uint8_t)(i * 7 + 3);

  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char s[41], m[33];
    sha1_hex(buf, cases[i].len, s);
    md5_hex(buf, cases[i].len, m);
    cr_assert_str_eq(s, cases[i].sha1, "sha1 of %zu bytes", cases[i].len);
    cr_assert_str_eq(m, cases[i].md5, "md5 of %zu bytes", cases[i].len);
  }
}

// One call versus random-sized pieces, with the input deliberately
// misaligned, over many buffer lengths.
Test(digest, random_pieces_match_one_shot) {
  enum { MAX = 20000 };
  uint8_t *store = malloc(MAX + 1);
  cr_assert_not_null(store);
  uint8_t *buf = store + 1; // odd address: exercises the unaligned loads
  rng_state = 0x9e3779b97f4a7c15ull;
  for (size_t i = 0; i < MAX; i++)
    buf[i] = (uint8_t)rng();

  for (int iter = 0; iter < 300; iter++) {
    size_t len = iter < 200 ? (size_t)iter : rng() % MAX;

    uint8_t s1[20], s2[20], m1[16], m2[16];
    Sha1Ctx sc;
    Md5Ctx mc;

    sha1_init(&sc);
    sha1_update(&sc, buf, len);
    sha1_final(&sc, s1);
    md5_init(&mc);
    md5_update(&mc, buf, len);
    md5_final(&mc, m1);

    sha1_init(&sc);
    md5_init(&mc);
    size_t off = 0;
    while (off < len) {
      // Mostly small pieces, sometimes several blocks, sometimes zero.
      size_t n = (rng() & 3) == 0 ? rng() % 300 : rng() % 70;
      if (n > len - off)
        n = len - off;
      sha1_update(&sc, buf + off, n);
      md5_update(&mc, buf + off, n);
      off += n;
    }
    sha1_final(&sc, s2);
    md5_final(&mc, m2);

    cr_assert(memcmp(s1, s2, 20) == 0, "sha1 pieces differ at len %zu", len);
    cr_assert(memcmp(m1, m2, 16) == 0, "md5 pieces differ at len %zu", len);
  }
  free(store);
}
