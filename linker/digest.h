// SHA-1 (FIPS 180-4) and MD5 (RFC 1321) for --build-id=sha1 / --build-id=md5.
//
// Neither is used for security here: they only need to match what GNU ld and
// lld produce, so tools that key debug info on the build-id keep working.
// Incremental so the output file can be hashed in chunks as it is written.
#ifndef XLD_DIGEST_H
#define XLD_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#define SHA1_DIGEST_SIZE 20
#define MD5_DIGEST_SIZE 16

typedef struct {
  uint32_t h[5];
  uint64_t total; // bytes consumed so far; the padding encodes it in bits
  uint8_t buf[64];
  size_t buflen;
} Sha1Ctx;

typedef struct {
  uint32_t h[4];
  uint64_t total;
  uint8_t buf[64];
  size_t buflen;
} Md5Ctx;

void sha1_init(Sha1Ctx *ctx);
void sha1_update(Sha1Ctx *ctx, const void *data, size_t len);
// Finishing consumes the context: call sha1_init again before reusing it.
void sha1_final(Sha1Ctx *ctx, uint8_t out[20]);

// The SHA-1 block function on x86's SHA extensions (sha1_x86.c), and
// whether this CPU has them. digest_use_portable(true) makes sha1_update
// use the portable one even so (tests compare the two).
#include <stdbool.h>
bool sha1_x86_available(void);
void sha1_blocks_x86(uint32_t h[5], const uint8_t *p, size_t nblocks);
void digest_use_portable(bool portable);

void md5_init(Md5Ctx *ctx);
void md5_update(Md5Ctx *ctx, const void *data, size_t len);
void md5_final(Md5Ctx *ctx, uint8_t out[16]);

#endif
