#include "diag.h"
#include "common.h"
#include "parallel.h"
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int errors;
static int error_limit = 20;
static bool fatal_warnings;
static bool suppressing;  // past the error limit: drop notes too
static void (*cleanup_fn)(void);
static int color_mode = DIAG_COLOR_AUTO;
static int use_color = -1;  // decided on the first message
static pthread_mutex_t diag_lock = PTHREAD_MUTEX_INITIALIZER;

void diag_init(const char *argv0) { (void)argv0; }
void diag_set_error_limit(int limit) { error_limit = limit; }
void diag_set_fatal_warnings(bool on) { fatal_warnings = on; }
void diag_on_exit(void (*cleanup)(void)) { cleanup_fn = cleanup; }
void diag_set_color(int mode) {
  color_mode = mode;
  use_color = -1;
}
int error_count(void) { return errors; }
void diag_reset(void) {
  errors = 0;
  suppressing = false;
}

static _Noreturn void die(void) {
  if (cleanup_fn) cleanup_fn();
  fflush(stdout);
  exit(1);
}

// One message: "xld: KIND: ..." or, without KIND, a ">>> ..." note line.
// lld's colours: the program name bold, "error:" bold red, "warning:"
// bold magenta; the rest plain.
static void vreport(FILE *out, const char *kind, const char *fmt, va_list ap) {
  if (use_color < 0) use_color = color_mode == DIAG_COLOR_ALWAYS || (color_mode == DIAG_COLOR_AUTO && isatty(2));
  if (!kind)
    fputs(">>> ", out);
  else if (use_color)
    fprintf(out, "\033[1mxld: \033[0m\033[0;1;%sm%s: \033[0m", kind[0] == 'w' ? "35" : "31", kind);
  else
    fprintf(out, "xld: %s: ", kind);
  vfprintf(out, fmt, ap);
  fputc('\n', out);
}

// Messages from the threads of a parallel pass are held back and printed
// when the pass ends, in the order of the items that reported them (and,
// within an item, as reported), so that what a failed link prints does
// not depend on the thread count or on which thread got there first.
typedef struct {
  size_t item;      // the parallel_for index that reported it
  uint64_t seq;     // its order among that thread's messages
  bool is_error;    // counts against --error-limit (a note follows its error)
  char *text;       // whole lines, ready to print
} HeldMessage;
static VEC(HeldMessage) held;
static int held_errors;    // errors in held
static int held_reported;  // errors reported by the pass's threads, held or trimmed
static _Thread_local uint64_t held_seq;

static int cmp_held(const void *a, const void *b) {
  const HeldMessage *x = a, *y = b;
  if (x->item != y->item) return x->item < y->item ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

// Keeps the held errors (and their notes) that come first in item order,
// as many as the error limit lets through: a pass where every relocation
// fails holds no more than that.
static void trim_held(void) {
  qsort(held.data, held.len, sizeof *held.data, cmp_held);
  int kept_errors = 0;
  size_t keep = 0;
  for (; keep < held.len; keep++)
    if (held.data[keep].is_error && kept_errors++ == error_limit) break;
  for (size_t i = keep; i < held.len; i++) free(held.data[i].text);
  held.len = keep;
  held_errors = MIN(kept_errors, error_limit);
}

// Formats a message into the held list when a thread of a parallel pass
// reports it; false (nothing done) outside one. Called under diag_lock.
static bool hold(bool is_error, const char *kind, const char *fmt, va_list ap) {
  size_t item;
  if (!parallel_item(&item)) return false;
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  if (!f) return false;
  vreport(f, kind, fmt, ap);
  fclose(f);
  // Grown by hand: xrealloc's fatal() would wait for the lock held here.
  if (held.len == held.cap) {
    size_t cap = held.cap ? held.cap * 2 : 64;
    HeldMessage *more = realloc(held.data, cap * sizeof *more);
    if (!more) {
      free(text);
      return false;  // printed at once instead
    }
    held.data = more, held.cap = cap;
  }
  held.data[held.len++] = (HeldMessage){item, held_seq++, is_error, text};
  if (is_error) {
    held_reported++;
    if (error_limit && ++held_errors > 2 * error_limit) trim_held();
  }
  return true;
}

// Prints a message, or holds it back inside a parallel pass. Under diag_lock.
static void emit(bool is_error, const char *kind, const char *fmt, va_list ap) {
  va_list copy;
  va_copy(copy, ap);
  if (!hold(is_error, kind, fmt, copy)) vreport(stderr, kind, fmt, ap);
  va_end(copy);
}

static bool in_parallel_pass(void) {
  size_t item;
  return parallel_item(&item);
}

static void report_locked(const char *kind, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report_locked(const char *kind, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vreport(stderr, kind, fmt, ap);
  va_end(ap);
}

static _Noreturn void too_many_errors_locked(void) {
  if (!suppressing) report_locked("error", "too many errors emitted, stopping now (use --error-limit=0 to see all errors)");
  suppressing = true;
  pthread_mutex_unlock(&diag_lock);
  die();
}

// Prints what the pass's threads held back, in item order, stopping where
// a serial run would have stopped at the error limit.
static void print_held_locked(void) {
  if (!held.len) {
    held_reported = 0;
    return;
  }
  qsort(held.data, held.len, sizeof *held.data, cmp_held);
  int printed = errors - held_reported;  // errors before this pass
  bool over = false;
  for (size_t i = 0; i < held.len && !over; i++) {
    if (held.data[i].is_error && error_limit && printed++ >= error_limit) over = true;
    else fputs(held.data[i].text, stderr);
  }
  for (size_t i = 0; i < held.len; i++) free(held.data[i].text);
  held.len = 0;
  held_errors = held_reported = 0;
  if (over) too_many_errors_locked();
}

void diag_print_held(void) {
  pthread_mutex_lock(&diag_lock);
  print_held_locked();
  pthread_mutex_unlock(&diag_lock);
}

void error(const char *fmt, ...) {
  pthread_mutex_lock(&diag_lock);
  errors++;
  // (Held errors meet the limit when the pass's messages are printed.)
  if (error_limit && errors > error_limit && !in_parallel_pass()) too_many_errors_locked();
  va_list ap;
  va_start(ap, fmt);
  emit(true, "error", fmt, ap);
  va_end(ap);
  pthread_mutex_unlock(&diag_lock);
}

void warn(const char *fmt, ...) {
  pthread_mutex_lock(&diag_lock);
  if (fatal_warnings) errors++;
  va_list ap;
  va_start(ap, fmt);
  emit(fatal_warnings, fatal_warnings ? "error" : "warning", fmt, ap);
  va_end(ap);
  pthread_mutex_unlock(&diag_lock);
}

void note(const char *fmt, ...) {
  if (suppressing) return;
  pthread_mutex_lock(&diag_lock);
  va_list ap;
  va_start(ap, fmt);
  emit(false, NULL, fmt, ap);
  va_end(ap);
  pthread_mutex_unlock(&diag_lock);
}

void fatal(const char *fmt, ...) {
  pthread_mutex_lock(&diag_lock);
  print_held_locked();  // what the pass's threads reported so far comes first
  va_list ap;
  va_start(ap, fmt);
  vreport(stderr, "error", fmt, ap);
  va_end(ap);
  pthread_mutex_unlock(&diag_lock);
  die();
}

void checkpoint(void) {
  if (errors) die();
}
