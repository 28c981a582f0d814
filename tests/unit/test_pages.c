// Large zeroed memory (linker/pages.c) and the arena that draws on it
// (linker/util.c): memory comes zeroed and aligned whichever page size
// the policy picks, and what is made present is accounted for.
#include <criterion/criterion.h>

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "common.h"
#include "parallel.h"

enum { MIB = 1 << 20 };

// Whether this kernel can make pages present up front (Linux 5.14);
// without it pages.c lets them fault in and accounts for nothing.
static bool kernel_can_populate(void) {
  void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  cr_assert_neq(p, MAP_FAILED);
  bool ok = madvise(p, 4096, 23 /* MADV_POPULATE_WRITE */) == 0 || errno != EINVAL;
  munmap(p, 4096);
  return ok;
}

static void assert_zero(const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i += 4096) cr_assert_eq(p[i], 0, "byte %zu of %zu not zero", i, n);
  cr_assert_eq(p[n - 1], 0);
}

Test(pages, huge_calloc_is_zeroed_aligned_and_accounted) {
  parallel_init(2);
  PagesMade before = pages_made();
  size_t n = 9 * MIB + 123;  // not a multiple of the 2 MiB step
  uint8_t *p = huge_calloc(n);
  cr_assert_eq((uintptr_t)p % (2 * MIB), 0, "not 2 MiB-aligned");
  assert_zero(p, n);
  memset(p, 0xab, n);  // writable to the last byte
  PagesMade after = pages_made();
  // Every byte asked for was made present, in one kind of page or the other
  // (not the rest of the last 2 MiB).
  if (kernel_can_populate()) cr_assert_eq((after.huge + after.small) - (before.huge + before.small), n);
  huge_free(p, n);
}

Test(pages, small_requests_stay_small) {
  PagesMade before = pages_made();
  uint8_t *p = huge_calloc(4096);
  assert_zero(p, 4096);
  PagesMade after = pages_made();
  cr_assert_eq(after.huge + after.small, before.huge + before.small, "a small table went to its own mapping");
  huge_free(p, 4096);
}

Test(pages, reserve_then_populate_in_steps) {
  uint8_t *p = pages_reserve(6 * MIB);
  cr_assert_eq((uintptr_t)p % (2 * MIB), 0);
  pages_populate(p, 2 * MIB);
  pages_populate(p + 2 * MIB, 4 * MIB);
  assert_zero(p, 6 * MIB);
  memset(p, 1, 6 * MIB);
}

Test(pages, arena_records_across_steps_are_zeroed_and_distinct) {
  // Enough records to cross several 2 MiB steps and one 8 MiB block, with
  // sizes that do not divide the step.
  uint8_t *prev = NULL;
  for (int i = 0; i < 20000; i++) {
    size_t n = 1000 + (size_t)(i % 7) * 16;
    uint8_t *r = arena_alloc(n);
    cr_assert_eq((uintptr_t)r % 16, 0);
    cr_assert_eq(r[0], 0);
    cr_assert_eq(r[n - 1], 0);
    memset(r, 0xff, n);  // must not overlap the next record
    if (prev) cr_assert_neq(prev, r);
    prev = r;
  }
  // A request bigger than a step straddles several steps at once.
  uint8_t *big = arena_alloc(3 * MIB / 2);
  assert_zero(big, 3 * MIB / 2);
  memset(big, 1, 3 * MIB / 2);
}
