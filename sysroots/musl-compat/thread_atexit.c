// glibc's __cxa_thread_atexit_impl, which Debian's libc++abi calls to
// register the destructor of a thread_local object. Each thread keeps its
// own list, run newest first when the thread exits (a pthread key's
// destructor) or, for the thread that calls exit(), from an atexit handler.
// That handler is registered on the first registration, so static objects
// constructed before then are destroyed after the thread_local ones, as
// the C++ standard orders them; later ones may go first (glibc runs all
// thread_local destructors before any atexit handler).
#include <pthread.h>
#include <stdlib.h>

struct thread_dtor {
  void (*fn)(void *);
  void *obj;
  struct thread_dtor *next;
};

static _Thread_local struct thread_dtor *thread_dtors;
static pthread_key_t thread_exit_key;
static pthread_once_t setup_once = PTHREAD_ONCE_INIT;

static void run_thread_dtors(void *unused) {
  (void)unused;
  // A destructor may construct (and so register) further thread_local objects.
  while (thread_dtors) {
    struct thread_dtor *d = thread_dtors;
    thread_dtors = d->next;
    d->fn(d->obj);
    free(d);
  }
}

static void run_exiting_thread_dtors(void) { run_thread_dtors(NULL); }

static void setup(void) {
  pthread_key_create(&thread_exit_key, run_thread_dtors);
  atexit(run_exiting_thread_dtors);
}

int __cxa_thread_atexit_impl(void (*fn)(void *), void *obj, void *dso_symbol) {
  (void)dso_symbol;  // static programs unload nothing
  pthread_once(&setup_once, setup);
  struct thread_dtor *d = malloc(sizeof *d);
  if (!d) return -1;
  *d = (struct thread_dtor){fn, obj, thread_dtors};
  thread_dtors = d;
  // Any non-null value makes the key's destructor run at thread exit.
  pthread_setspecific(thread_exit_key, d);
  return 0;
}
