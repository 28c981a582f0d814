/* What a dynamically linked executable needs from the linker (modes pie and
   no-pie; check.sh inspects the output):
     - calls to libc through the PLT (puts, printf, ...);
     - the address of a libc function, taken in two files, in code and in
       data, equal to the one libc's dlsym gives (no-pie: a canonical PLT
       entry that the executable exports);
     - libc's data objects used directly: environ/__environ (two names of
       one object), optind/optarg, stdout (no-pie: copy relocations, one copy
       for both aliases, which libc then uses too);
     - libm (cos, sqrt of a runtime value);
     - weak undefined references (NULL) and a weak reference that libc
       satisfies;
     - a thread (pthread_create), errno per thread (TLS in libc), the
       executable's own TLS;
     - callbacks from libc into the executable (qsort, atexit).
   Each check prints what it saw, or "ok"/"FAILED"; the exit status is the
   number of failures. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dynexec.h"

/* glibc declares it in <unistd.h>, musl does not; both define it, as an
   alias of environ. */
extern char **__environ;

/* Weak undefined: nothing defines them, so their addresses are NULL. */
extern void xld_dynexec_nowhere(void) __attribute__((weak));
extern int xld_dynexec_nowhere_data __attribute__((weak));
/* A weak reference that libc satisfies. */
extern pid_t getpid(void) __attribute__((weak));

static int failures;

static void check(const char *what, int ok) {
  printf("%s: %s\n", what, ok ? "ok" : "FAILED");
  if (!ok) failures++;
}

static const char *errno_name(int e) {
  switch (e) {
    case 0: return "0";
    case ENOENT: return "ENOENT";
    case EBADF: return "EBADF";
    default: return "other";
  }
}

/* The value of NAME found by walking environ itself. */
static char *environ_lookup(char **env, const char *name) {
  size_t n = strlen(name);
  for (; env && *env; env++)
    if (strncmp(*env, name, n) == 0 && (*env)[n] == '=') return *env + n + 1;
  return NULL;
}

static __thread int tls_value = 7;

struct work {
  int sum;
  int tls;
  int err;
  int *errno_address;
};

static void *worker(void *arg) {
  struct work *w = arg;
  for (int i = 1; i <= 10; i++) w->sum += i;
  tls_value += 100;
  w->tls = tls_value;
  errno = 0;
  if (close(-1) == 0) w->sum = -1;
  w->err = errno;
  w->errno_address = &errno;
  return NULL;
}

static int compare_ints(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

static void at_exit(void) { puts("atexit handler ran"); }

int main(void) {
  /* libc through the PLT. */
  puts("puts: hello");
  printf("printf: %d %s %.3f %c\n", 42, "str", 2.5, 'x');

  /* The address of puts: code and data in this file and in other.c, and
     what libc itself resolves the name to. */
  puts_fn volatile here = puts;
  void *volatile by_dlsym = dlsym(RTLD_DEFAULT, "puts");
  check("&puts here == &puts in other.c (code)", here == other_puts_address());
  check("&puts here == other.c's pointer in data", here == other_puts_pointer);
  check("&puts here == other.c's const pointer", here == other_puts_const_pointer);
  check("&puts == dlsym(RTLD_DEFAULT, \"puts\")", (void *)here == by_dlsym);
  here("puts called through a pointer");
  other_puts_pointer("puts called through other.c's pointer");

  /* environ and __environ: one object under two names, written by libc's
     setenv, read directly here. */
  if (setenv("XLD_DYNEXEC_VAR", "set-by-setenv", 1) != 0) perror("setenv");
  char *via_environ = environ_lookup(environ, "XLD_DYNEXEC_VAR");
  char *via___environ = environ_lookup(__environ, "XLD_DYNEXEC_VAR");
  printf("environ after setenv: XLD_DYNEXEC_VAR=%s\n", via_environ ? via_environ : "(missing)");
  /* (&__environ from other.c: compilers fold &environ == &__environ in
     one file to false, two declared objects being distinct for them.) */
  check("&environ == &__environ", &environ == other___environ_address());
  check("&environ == &environ in other.c", &environ == other_environ_address());
  check("environ == __environ", environ == __environ);
  check("getenv returns the string in environ", via_environ && getenv("XLD_DYNEXEC_VAR") == via_environ &&
                                                    via___environ == via_environ);
  if (unsetenv("XLD_DYNEXEC_VAR") != 0) perror("unsetenv");
  check("unsetenv removes it from environ", environ_lookup(environ, "XLD_DYNEXEC_VAR") == NULL);

  /* optind set here is where libc's getopt starts; what getopt writes to
     optind and optarg is seen here. */
  char *args[] = {"prog", "-a", "-b", "value", "rest", NULL};
  opterr = 0;
  optind = 2; /* skip -a */
  int opt = getopt(5, args, "ab:");
  printf("getopt from optind 2: option %c, optarg %s, optind %d\n", opt > 0 ? opt : '?',
         optarg ? optarg : "(null)", optind);
  check("optarg points into argv", optarg == args[3]);
  opt = getopt(5, args, "ab:");
  printf("getopt at the end: %d, optind %d\n", opt, optind);
  check("&optind == &optind in other.c", &optind == other_optind_address());

  /* stdout as a FILE *, shared with puts. */
  fprintf(stdout, "fprintf(stdout): fileno %d\n", fileno(stdout));
  fputs("fputs(stdout)\n", stdout);

  /* libm, on values the compiler cannot fold. */
  double volatile two = 2.0;
  printf("libm: cos(2) = %.6f, sqrt(2) = %.6f, pow(2, 0.5) = %.6f\n", cos(two), sqrt(two), pow(two, 0.5));

  /* Weak references. */
  printf("weak undefined function: %s\n", xld_dynexec_nowhere == NULL ? "NULL" : "not NULL");
  printf("weak undefined data: %s\n", &xld_dynexec_nowhere_data == NULL ? "NULL" : "not NULL");
  if (xld_dynexec_nowhere) xld_dynexec_nowhere();
  check("weak reference to getpid is resolved", getpid != NULL && getpid() > 0);

  /* errno: TLS in libc. */
  errno = 0;
  int fd = open("/nonexistent-xld-dynexec/file", O_RDONLY);
  int err = errno;
  printf("open of a missing file: %d, errno %s\n", fd, errno_name(err));

  /* A thread: its own errno and its own copy of our TLS. */
  struct work w = {0, 0, 0, NULL};
  pthread_t t;
  int rc = pthread_create(&t, NULL, worker, &w);
  if (rc != 0) {
    printf("pthread_create failed: %d\n", rc);
    return 1;
  }
  pthread_join(t, NULL);
  printf("thread: sum %d, errno %s, tls %d; main: tls %d\n", w.sum, errno_name(w.err), w.tls, tls_value);
  check("errno is per thread", w.errno_address != NULL && w.errno_address != &errno);

  /* Callbacks from libc into the executable. */
  int nums[] = {5, 3, 9, 1, 7};
  qsort(nums, 5, sizeof nums[0], compare_ints);
  printf("qsort: %d %d %d %d %d\n", nums[0], nums[1], nums[2], nums[3], nums[4]);
  atexit(at_exit);

  printf("failures: %d\n", failures);
  return failures;
}
