// Loads the library with dlopen and calls into it.
#include <dlfcn.h>
#include <stdio.h>
int main(int argc, char **argv) {
  void *h = dlopen(argc > 1 ? argv[1] : "libt.so", RTLD_NOW);
  if (!h) {
    printf("dlopen: %s\n", dlerror());
    return 1;
  }
  int (*tls)(void) = (int (*)(void))dlsym(h, "lib_tls");
  int (*calls)(void) = (int (*)(void))dlsym(h, "lib_calls");
  printf("dl tls %d calls %d hidden %s\n", tls(), calls(), dlsym(h, "hidden_value") ? "exported" : "absent");
  return dlclose(h);
}
