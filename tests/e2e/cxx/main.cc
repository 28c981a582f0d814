#include <algorithm>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <typeinfo>
#include <vector>

#include "shapes.h"

// Static initialisation order within one file is the order of definition.
static std::vector<std::string> init_log;
struct Init {
  explicit Init(const char *n) { init_log.push_back(n); }
  ~Init() { std::cout << "destroying a static object\n"; }
};
static Init first("first");
static Init second("second");
static std::string computed = [] { return "computed after " + init_log.back(); }();
static Init third("third");

static int counted_calls() {
  static int calls = 0;  // function-local static, initialised on first use
  return ++calls;
}

int main() {
  std::cout << "static init order:";
  for (auto &s : init_log) std::cout << ' ' << s;
  std::cout << '\n' << computed << '\n';

  // iostream formatting
  std::cout << std::fixed << std::setprecision(3) << 3.14159265 << ' ' << std::scientific << 12345.678
            << std::defaultfloat << ' ' << 0.1 << ' ' << std::hex << 255 << std::dec << ' ' << 42 << '\n';

  // containers
  std::vector<int> v{5, 3, 9, 1, 7};
  std::sort(v.begin(), v.end());
  std::ostringstream os;
  for (int x : v) os << x << ',';
  std::cout << "sorted: " << os.str() << '\n';
  std::map<std::string, int> counts;
  std::istringstream words("the quick brown fox jumps over the lazy dog the end");
  for (std::string w; words >> w;) counts[w]++;
  for (auto &[w, n] : counts) std::cout << w << '=' << n << ' ';
  std::cout << '\n';
  std::string s = "linker";
  s += "-test";
  std::reverse(s.begin(), s.end());
  std::cout << "string: " << s << " size " << s.size() << '\n';

  // RTTI
  std::vector<std::unique_ptr<Animal>> zoo;
  for (int k = 0; k < 3; k++) zoo.emplace_back(make_animal(k));
  for (auto &a : zoo) {
    Dog *d = dynamic_cast<Dog *>(a.get());
    std::cout << typeid(*a).name() << " says " << a->speak() << ", is a Dog: " << (d ? "yes" : "no")
              << ", is exactly Puppy: " << (typeid(*a) == typeid(Puppy) ? "yes" : "no") << '\n';
  }
  try {
    Animal &a = *zoo[1];
    (void)dynamic_cast<Dog &>(a);
    std::cout << "BUG: no bad_cast\n";
  } catch (const std::bad_cast &e) {
    std::cout << "caught std::bad_cast\n";
  }

  // exceptions thrown in thrower.cc
  try {
    throw_runtime_error("boom");
  } catch (const std::exception &e) {
    std::cout << "caught std::exception: " << e.what() << '\n';
  }
  try {
    throw_app_error(42);
  } catch (const std::runtime_error &e) {
    const AppError *ae = dynamic_cast<const AppError *>(&e);
    std::cout << "caught as runtime_error: " << e.what() << " code " << (ae ? ae->code : -1) << '\n';
  }
  try {
    call_and_rethrow(throw_int, 4);
  } catch (int v) {
    std::cout << "caught int " << v << '\n';
  }
  std::string log;
  try {
    throw_through_raii(log);
  } catch (AppError &e) {
    std::cout << "caught " << e.what() << " code " << e.code << ", unwind log " << log << '\n';
  }
  try {
    try {
      throw_int(1);
    } catch (...) {
      std::cout << "catch(...) rethrows\n";
      throw;
    }
  } catch (int v) {
    std::cout << "rethrown int " << v << '\n';
  }
  counted_calls();
  std::cout << "counted_calls=" << counted_calls() << '\n';
  return 0;
}
