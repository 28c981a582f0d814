// Large zeroed memory (tables, arena blocks): 2 MiB-aligned anonymous
// mappings whose pages are made present in 2 MiB steps, with huge pages
// for as long as huge pages come cheap.
//
// Present up front (MADV_POPULATE_WRITE), because a table is probed
// before it is written: a page first read maps the shared zero page, and
// the write that follows costs a second fault and a TLB flush on every CPU
// the link runs on. One call per 2 MiB also replaces 512 page faults.
//
// Huge pages only while they come cheap, because in a virtual machine
// that hands free memory back to its host (free page reporting works on
// free 2 MiB blocks), a huge page is often such a block, and touching it
// again costs the host's faults: 5 ms per 2 MiB against 0.25-0.5 ms when
// it is still backed (measured on the bench machine). Which kind comes
// warm depends on the process that ran before: after one that used huge
// pages (another xld), its freed huge pages are reused warm; after one
// that used 4 KiB pages (a compiler, GNU ld, mold), the 4 KiB pages come
// from the small blocks it freed, which the host still backs, and nearly
// every huge page comes cold (after GNU ld, 128 MiB took 32 ms in 4 KiB
// pages and 307 ms in huge pages). So each huge page made present is
// timed, in the thread's CPU time (which a preemption does not inflate
// and a host fault does), and once cold ones are more than an occasional
// one (at least two, and one in twelve: warm 4 KiB pages cost about a
// twelfth of a cold huge page's extra time more than warm huge pages,
// TLB misses included), the link goes on with 4 KiB pages.
#include "common.h"
#include "diag.h"
#include "parallel.h"
#include <errno.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <time.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23  // Linux 5.14
#endif

enum { HUGE_PAGE = PAGES_STEP };
// A huge page that took longer than this to make present was, in all
// likelihood, a block the host had taken back (warm ones take 0.2-0.4 ms
// here, those 5 ms); on a machine of its own, one the kernel had to
// compact memory for, which costs as much.
static const uint64_t COLD_HUGE_PAGE_NS = 1500000;

static _Atomic bool small_pages;        // huge pages came cold: 4 KiB from now on
static _Atomic uint32_t huge_pages_timed, huge_pages_cold;
static _Atomic bool cannot_populate;    // kernel before 5.14: pages fault in when touched
static _Atomic uint64_t bytes_in_huge_pages, bytes_in_small_pages;  // for --stats

static uint64_t thread_cpu_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void note_huge_page_time(uint64_t ns) {
  uint32_t timed = atomic_fetch_add_explicit(&huge_pages_timed, 1, memory_order_relaxed) + 1;
  if (ns <= COLD_HUGE_PAGE_NS) return;
  uint32_t cold = atomic_fetch_add_explicit(&huge_pages_cold, 1, memory_order_relaxed) + 1;
  if (cold >= 2 && cold * 12 >= timed) atomic_store_explicit(&small_pages, true, memory_order_relaxed);
}

// Makes [P, P + N) present, P 2 MiB-aligned, one 2 MiB step at a time.
void pages_populate(void *p, size_t n) {
  for (uint8_t *at = p, *end = at + n; at < end; at += HUGE_PAGE) {
    size_t len = MIN((size_t)(end - at), (size_t)HUGE_PAGE);
    bool small = atomic_load_explicit(&small_pages, memory_order_relaxed);
#ifdef MADV_HUGEPAGE
    madvise(at, len, small ? MADV_NOHUGEPAGE : MADV_HUGEPAGE);
#endif
    if (atomic_load_explicit(&cannot_populate, memory_order_relaxed)) continue;
    uint64_t t0 = small || len < HUGE_PAGE ? 0 : thread_cpu_ns();
    if (madvise(at, len, MADV_POPULATE_WRITE) < 0) {
      // EINVAL: no such advice. Anything else (ENOMEM) shows again, as a
      // fault, when the memory is touched.
      if (errno == EINVAL) atomic_store(&cannot_populate, true);
      continue;
    }
    if (t0) note_huge_page_time(thread_cpu_ns() - t0);
    atomic_fetch_add_explicit(small || len < HUGE_PAGE ? &bytes_in_small_pages : &bytes_in_huge_pages, len,
                              memory_order_relaxed);
  }
}

PagesMade pages_made(void) {
  return (PagesMade){atomic_load(&bytes_in_huge_pages), atomic_load(&bytes_in_small_pages),
                     atomic_load(&small_pages)};
}

// N bytes of zeroed, 2 MiB-aligned address space; nothing present yet.
void *pages_reserve(size_t n) {
  size_t keep = align_up(n ? n : 1, HUGE_PAGE), len = keep + HUGE_PAGE;
  uint8_t *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) fatal("out of memory allocating %zu bytes", n);
  uint8_t *aligned = (uint8_t *)align_up((uintptr_t)p, HUGE_PAGE);
  if (aligned > p) munmap(p, (size_t)(aligned - p));
  if (p + len > aligned + keep) munmap(aligned + keep, (size_t)(p + len - (aligned + keep)));
  return aligned;
}

typedef struct {
  uint8_t *base;
  size_t size;
} PopulateJob;

static void populate_piece(void *arg, size_t i) {
  PopulateJob *job = arg;
  size_t off = i * HUGE_PAGE;
  pages_populate(job->base + off, MIN((size_t)HUGE_PAGE, job->size - off));
}

void *huge_calloc(size_t n) {
  if (n < HUGE_PAGE / 2) return xcalloc(1, n);  // small links stay small
  // Made present in parallel: the big tables are made between parallel
  // passes (symtab_reserve, the merged sections' tables), where one
  // thread would do it alone.
  PopulateJob job = {pages_reserve(n), n};
  parallel_for((n + HUGE_PAGE - 1) / HUGE_PAGE, populate_piece, &job);
  return job.base;
}

void huge_free(void *p, size_t n) {
  if (n < HUGE_PAGE / 2) free(p);
  else if (p) munmap(p, align_up(n, HUGE_PAGE));
}
