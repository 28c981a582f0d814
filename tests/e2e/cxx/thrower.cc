#include <string>

#include "shapes.h"

void throw_runtime_error(const std::string &msg) { throw std::runtime_error("runtime: " + msg); }
void throw_app_error(int code) { throw AppError("app error", code); }
void throw_int(int v) { throw v; }

int call_and_rethrow(void (*fn)(int), int arg) {
  try {
    fn(arg);
  } catch (int v) {
    throw v * 10;  // a new exception from inside a handler
  }
  return -1;
}

namespace {
struct Guard {
  std::string &log;
  const char *name;
  Guard(std::string &l, const char *n) : log(l), name(n) { log += std::string("+") + name; }
  ~Guard() { log += std::string("-") + name; }
};
__attribute__((noinline)) void inner(std::string &log) {
  Guard g(log, "inner");
  throw AppError("from inner", 7);
}
}  // namespace

void throw_through_raii(std::string &log) {
  Guard g(log, "outer");
  inner(log);
}
