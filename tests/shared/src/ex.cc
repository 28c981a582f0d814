// A C++ library that throws, with a thread_local the program uses.
#include <stdexcept>
#include <string>
struct LibError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
void lib_throw(int n) {
  if (n > 0) throw LibError("from lib " + std::to_string(n));
}
thread_local int lib_tl = 1;
int lib_tl_inc() { return ++lib_tl; }
