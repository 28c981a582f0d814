/* setjmp/longjmp across several function frames, repeatedly, with volatile
   locals preserved, plus sigsetjmp/siglongjmp. The exit status is checked. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>

static jmp_buf env;
static sigjmp_buf senv;
static int depth_reached;

__attribute__((noinline)) static void dive(int depth, int target) {
  depth_reached = depth;
  if (depth == target) longjmp(env, depth * 10);
  dive(depth + 1, target);
  puts("BUG: returned from dive");
}

__attribute__((noinline)) static int protected_call(int target) {
  volatile int attempts = 0;
  int r = setjmp(env);
  attempts++;
  if (r == 0) {
    dive(1, target);
    return -1;
  }
  printf("longjmp from depth %d returned %d; setjmp returned %d times\n", depth_reached, r, attempts);
  return r;
}

__attribute__((noinline)) static void jump_zero(void) { longjmp(env, 0); }

int main(void) {
  int total = 0;
  for (int t = 1; t <= 5; t++) total += protected_call(t * 3);
  printf("total=%d\n", total);

  /* longjmp(env, 0) makes setjmp return 1. */
  volatile int zero_case = 0;
  if (setjmp(env) == 0) {
    jump_zero();
  } else {
    zero_case = 1;
  }
  printf("longjmp with 0 returns 1: %s\n", zero_case ? "yes" : "no");

  volatile int count = 0;
  if (sigsetjmp(senv, 1) < 3) {
    count++;
    siglongjmp(senv, count);
  }
  printf("sigsetjmp loop ran %d times\n", count);
  return 3;
}
