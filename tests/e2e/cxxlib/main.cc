// The parts of the C++ runtime that lean on the C library: stream input
// and locales (ctype tables), number conversion, regex, threads, futures,
// timed mutexes, thread_local destructors and exceptions carried between
// threads. On musl sysroots this is libc++ built for glibc plus xld's
// compatibility shims (sysroots/libcxx-for-musl.sh), so each of these
// checks one of the layouts or symbols those provide.
#include <algorithm>
#include <cstdio>
#include <exception>
#include <functional>
#include <future>
#include <iostream>
#include <locale>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

struct Tracked {
  const char *name = "unset";
  ~Tracked() { std::printf("thread_local %s destroyed\n", name); }
};
thread_local Tracked tracked;

static void streams_and_locale() {
  std::istringstream in("  42 \t -17\n  3.25  word  0x1f");
  int a = 0, b = 0, h = 0;
  double d = 0;
  std::string w;
  in >> a >> b >> d >> w >> std::hex >> h;
  std::cout << "parsed " << a << " " << b << " " << d << " " << w << " " << h << "\n";

  const std::locale &loc = std::locale::classic();
  std::string classes;
  for (char c : std::string(" \tAz9!_"))
    classes += std::string(std::isspace(c, loc) ? "s" : "") + (std::isupper(c, loc) ? "u" : "") +
               (std::islower(c, loc) ? "l" : "") + (std::isdigit(c, loc) ? "d" : "") +
               (std::ispunct(c, loc) ? "p" : "") + (std::isalpha(c, loc) ? "a" : "") + "|";
  std::cout << "classes " << classes << "\n";
  std::string text = "Hello, World";
  std::use_facet<std::ctype<char>>(loc).toupper(&text[0], &text[0] + text.size());
  std::cout << "upper " << text << "\n";

  std::cout << "numbers " << std::stoi("-123") << " " << std::stol("77") << " " << std::stoull("18446744073709551615")
            << " " << std::stod("2.5e3") << " " << std::to_string(1.5f) << "\n";
}

static void containers_and_regex() {
  std::vector<int> v{5, 3, 9, 1, 7};
  std::sort(v.begin(), v.end());
  std::map<std::string, int> m{{"b", 2}, {"a", 1}};
  std::unordered_map<int, std::string> u{{1, "one"}};
  std::cout << "sorted " << v.front() << ".." << v.back() << " map " << m.begin()->first << " unordered " << u[1]
            << "\n";
  std::regex re(R"((\w+)@(\w+)\.org)");
  std::smatch match;
  std::string s = "write to alice@example.org today";
  if (std::regex_search(s, match, re)) std::cout << "regex " << match[1] << " at " << match[2] << "\n";
}

static void threads() {
  std::promise<int> promise;
  std::future<int> future = promise.get_future();
  std::thread worker([&promise] {
    tracked.name = "worker";
    promise.set_value(6 * 7);
  });
  worker.join();  // the worker's thread_local is destroyed before this returns
  std::cout << "future " << future.get() << "\n";

  std::timed_mutex tm;
  int counter = 0;
  std::vector<std::thread> pool;
  for (int i = 0; i < 4; i++)
    pool.emplace_back([&] {
      for (int k = 0; k < 1000; k++) {
        std::lock_guard<std::timed_mutex> lock(tm);
        counter++;
      }
    });
  for (auto &t : pool) t.join();
  std::recursive_mutex rm;
  {
    std::lock_guard<std::recursive_mutex> outer(rm);
    std::lock_guard<std::recursive_mutex> inner(rm);
    counter++;
  }
  std::cout << "counter " << counter << " try_lock_for " << tm.try_lock_for(std::chrono::milliseconds(1)) << "\n";
  tm.unlock();

  auto async = std::async(std::launch::async, [] { return std::string("async done"); });
  std::cout << async.get() << "\n";
}

static void exceptions() {
  std::exception_ptr carried;
  std::thread t([&carried] {
    try {
      throw std::runtime_error("thrown in a thread");
    } catch (...) {
      carried = std::current_exception();
    }
  });
  t.join();
  try {
    std::rethrow_exception(carried);
  } catch (const std::exception &e) {
    std::cout << "rethrown: " << e.what() << "\n";
  }
  std::function<void()> f = [] { throw std::out_of_range("through std::function"); };
  try {
    f();
  } catch (const std::logic_error &e) {
    std::cout << "caught as logic_error: " << e.what() << "\n";
  }
  auto shared = std::make_shared<int>(7);
  std::weak_ptr<int> weak = shared;
  shared.reset();
  std::cout << "weak expired " << weak.expired() << "\n";
}

int main() {
  tracked.name = "main";
  streams_and_locale();
  containers_and_regex();
  threads();
  exceptions();
  std::cout << std::flush;
  return 0;
}
