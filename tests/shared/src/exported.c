// A program whose own functions a library (or dlsym) looks up by name.
#include <dlfcn.h>
#include <stdio.h>
int plugin_api_version(void) { return 3; }
int plugin_api_other(void) { return 4; }
int not_exported_helper(void) { return 5; }
int main(void) {
  int (*v)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "plugin_api_version");
  int (*o)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "plugin_api_other");
  int (*h)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "not_exported_helper");
  printf("version %d other %d helper %s\n", v ? v() : -1, o ? o() : -1, h ? "exported" : "absent");
  return 0;
}
