// Catches the library's exception by its type and shares its thread_local.
#include <cstdio>
#include <stdexcept>
#include <thread>
struct LibError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
void lib_throw(int);
int lib_tl_inc();
extern thread_local int lib_tl;
int main() {
  try {
    lib_throw(3);
  } catch (const LibError &e) {
    printf("caught %s\n", e.what());
  }
  lib_tl = 10;
  printf("tl %d\n", lib_tl_inc());
  std::thread t([] { printf("thread tl %d\n", lib_tl_inc()); });
  t.join();
  return 0;
}
