// Member offsets inside an output section (linker/layout.c place_members):
// the parallel slices must give exactly what one pass in order gives, for
// any mix of sizes and alignments, at any thread count.
#include <criterion/criterion.h>

#include <stdlib.h>

#include "layout.h"
#include "parallel.h"

// The definition: each member at the next multiple of its alignment.
static uint64_t serial_offsets(InputSection **members, size_t n, uint64_t *offsets, uint64_t *align) {
  uint64_t off = 0;
  *align = 1;
  for (size_t k = 0; k < n; k++) {
    uint64_t a = 1ULL << members[k]->p2align;
    off = (off + a - 1) & ~(a - 1);
    offsets[k] = off;
    off += members[k]->size;
    if (a > *align) *align = a;
  }
  return off;
}

// N members from a fixed pseudo-random sequence; PICK_P2ALIGN chooses each
// one's alignment from a random number.
static void check(size_t n, int threads, uint32_t seed, uint8_t (*pick_p2align)(uint32_t r, size_t k)) {
  parallel_init(threads);
  Chunk c = {.align = 1};
  InputSection *secs = calloc(n ? n : 1, sizeof(InputSection));
  c.members.data = calloc(n ? n : 1, sizeof(InputSection *));
  c.members.len = c.members.cap = n;
  uint32_t r = seed;
  for (size_t k = 0; k < n; k++) {
    r = r * 1103515245u + 12345u;
    secs[k].size = (r >> 8) % 97;
    secs[k].p2align = pick_p2align(r >> 16, k);
    c.members.data[k] = &secs[k];
  }
  uint64_t *want = calloc(n ? n : 1, sizeof(uint64_t)), align;
  uint64_t size = serial_offsets(c.members.data, n, want, &align);
  place_members(&c);
  cr_assert_eq(c.size, size, "n=%zu threads=%d: size %lu, want %lu", n, threads, c.size, size);
  cr_assert_eq(c.align, align, "n=%zu threads=%d: align %lu, want %lu", n, threads, c.align, align);
  for (size_t k = 0; k < n; k++)
    cr_assert_eq(secs[k].offset, want[k], "n=%zu threads=%d: member %zu at %lu, want %lu", n, threads, k,
                 secs[k].offset, want[k]);
  free(want);
  free(c.members.data);
  free(secs);
}

static uint8_t any_p2align(uint32_t r, size_t k) { (void)k; return r % 7; }
static uint8_t mostly_small(uint32_t r, size_t k) { return r % 1000 == 0 ? 6 : (uint8_t)(k % 3); }
// The largest alignment comes last in every slice-sized run, so each
// slice's members before its anchor must all be placed in order.
static uint8_t largest_late(uint32_t r, size_t k) { (void)r; return k % 4096 == 4095 ? 5 : (uint8_t)(k % 2); }
static uint8_t all_equal(uint32_t r, size_t k) { (void)r, (void)k; return 4; }

Test(layout, member_offsets_match_serial_order) {
  size_t sizes[] = {0, 1, 5, 4096, 8191, 8192, 8193, 12289, 50000};
  uint8_t (*picks[])(uint32_t, size_t) = {any_p2align, mostly_small, largest_late, all_equal};
  int threads[] = {1, 2, 5};
  for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
    for (size_t p = 0; p < sizeof picks / sizeof *picks; p++)
      for (size_t t = 0; t < sizeof threads / sizeof *threads; t++)
        check(sizes[s], threads[t], (uint32_t)(s * 31 + p), picks[p]);
}

Test(layout, member_offsets_keep_a_larger_section_alignment) {
  parallel_init(2);
  InputSection a = {.size = 3, .p2align = 0}, b = {.size = 5, .p2align = 1};
  InputSection *members[] = {&a, &b};
  Chunk c = {.align = 64};
  c.members.data = members;
  c.members.len = c.members.cap = 2;
  place_members(&c);
  cr_assert_eq(a.offset, 0);
  cr_assert_eq(b.offset, 4);
  cr_assert_eq(c.size, 9);
  cr_assert_eq(c.align, 64);
}
