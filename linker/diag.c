#include "diag.h"
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

// lld's colours: the program name bold, "error:" bold red, "warning:"
// bold magenta; the rest plain.
static void vreport(const char *kind, const char *fmt, va_list ap) {
  if (use_color < 0) use_color = color_mode == DIAG_COLOR_ALWAYS || (color_mode == DIAG_COLOR_AUTO && isatty(2));
  if (use_color)
    fprintf(stderr, "\033[1mxld: \033[0m\033[0;1;%sm%s: \033[0m", kind[0] == 'w' ? "35" : "31", kind);
  else
    fprintf(stderr, "xld: %s: ", kind);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
}

static void report_locked(const char *kind, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report_locked(const char *kind, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vreport(kind, fmt, ap);
  va_end(ap);
}

void error(const char *fmt, ...) {
  pthread_mutex_lock(&diag_lock);
  errors++;
  if (error_limit && errors > error_limit) {
    if (!suppressing) report_locked("error", "too many errors emitted, stopping now (use --error-limit=0 to see all errors)");
    suppressing = true;
    pthread_mutex_unlock(&diag_lock);
    die();
  }
  va_list ap;
  va_start(ap, fmt);
  vreport("error", fmt, ap);
  va_end(ap);
  pthread_mutex_unlock(&diag_lock);
}

void warn(const char *fmt, ...) {
  pthread_mutex_lock(&diag_lock);
  if (fatal_warnings) errors++;
  va_list ap;
  va_start(ap, fmt);
  vreport(fatal_warnings ? "error" : "warning", fmt, ap);
  va_end(ap);
  pthread_mutex_unlock(&diag_lock);
}

void note(const char *fmt, ...) {
  if (suppressing) return;
  pthread_mutex_lock(&diag_lock);
  va_list ap;
  va_start(ap, fmt);
  fputs(">>> ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  pthread_mutex_unlock(&diag_lock);
}

void fatal(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vreport("error", fmt, ap);
  va_end(ap);
  die();
}

void checkpoint(void) {
  if (errors) die();
}
