// Inline functions, templates, inline variables and vtables defined in a
// header: every file that uses them emits a copy in a COMDAT group, and the
// linker must keep exactly one so that all files share them.
#pragma once
#include <typeinfo>

inline int &shared_counter() {
  static int count = 0;  // one object for the whole program
  return count;
}

inline int bump() { return ++shared_counter(); }

template <typename T>
T twice(T x) {
  return x + x;
}

template <typename T>
struct Registry {
  static int hits;
  static int hit() { return ++hits; }
};
template <typename T>
int Registry<T>::hits = 0;

inline int inline_variable = 100;  // C++17 inline variable

struct Shape {
  virtual ~Shape() {}
  virtual const char *name() const { return "shape"; }
  virtual int sides() const { return 0; }
};
struct Square : Shape {
  const char *name() const override { return "square"; }
  int sides() const override { return 4; }
};

// Every file reports the addresses it sees.
struct Seen {
  int *counter;
  int *hits;
  int *inline_var;
  int (*bump_fn)();
  double (*twice_double)(double);
  const std::type_info *square_type;
};

Seen seen_in_a();
Seen seen_in_b();
Seen seen_in_c();
Shape *make_square_in_a();
Shape *make_square_in_b();
