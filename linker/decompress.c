// SHF_COMPRESSED input sections (gcc -gz, clang -gz=zstd): an ElfChdr
// followed by zlib or zstd data. Sections are inflated in parallel into
// link-lifetime buffers before anything reads their contents.
#include "diag.h"
#include "parallel.h"
#include "passes.h"
#include <zlib.h>
#include <zstd.h>


static void decompress_one(InputSection *isec) {
  const char *fname = file_name(isec->file);
  if (isec->size < sizeof(ElfChdr)) {
    error("%s: section %s: compressed section is too small for its header", fname, isec->name);
    return;
  }
  ElfChdr ch;
  memcpy(&ch, isec->data, sizeof ch);
  const uint8_t *src = isec->data + sizeof ch;
  size_t srclen = isec->size - sizeof ch;
  // Refuse sizes no input could honestly claim (zlib/zstd ratios are far
  // below this), so a corrupt header cannot ask for terabytes.
  if (ch.ch_size > (uint64_t)srclen * 2048 + 4096) {
    error("%s: section %s: claims an uncompressed size of %llu bytes from %zu compressed bytes", fname,
          isec->name, (unsigned long long)ch.ch_size, srclen);
    return;
  }
  uint8_t *dst = xmalloc(ch.ch_size ? ch.ch_size : 1);
  bool ok = false;
  if (ch.ch_type == ELFCOMPRESS_ZLIB) {
    uLongf n = (uLongf)ch.ch_size;
    ok = uncompress(dst, &n, src, (uLong)srclen) == Z_OK && n == ch.ch_size;
  } else if (ch.ch_type == ELFCOMPRESS_ZSTD) {
    size_t n = ZSTD_decompress(dst, ch.ch_size, src, srclen);
    ok = !ZSTD_isError(n) && n == ch.ch_size;
  } else {
    error("%s: section %s: unknown compression type %u", fname, isec->name, ch.ch_type);
    free(dst);
    return;
  }
  if (!ok) {
    error("%s: section %s: corrupt compressed data", fname, isec->name);
    free(dst);
    return;
  }
  isec->data = dst;
  isec->size = ch.ch_size;
  isec->p2align = 0;
  while ((1ULL << isec->p2align) < ch.ch_addralign && isec->p2align < 30) isec->p2align++;
  isec->is_compressed = false;
  isec->flags &= ~(uint64_t)SHF_COMPRESSED;
}

static void decompress_file(void *arg, size_t i) {
  Context *ctx = arg;
  ObjectFile *f = ctx->objs.data[i];
  for (uint32_t s = 1; s < f->nshdrs; s++) {
    InputSection *isec = f->sections[s];
    if (isec && isec->is_compressed && isec->is_alive) decompress_one(isec);
  }
}

void decompress_sections(Context *ctx) {
  parallel_for(ctx->objs.len, decompress_file, ctx);
  checkpoint();
}
