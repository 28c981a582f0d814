#include "common.h"

Seen seen_in_a() {
  bump();
  Registry<int>::hit();
  Registry<long>::hit();
  inline_variable += 1;
  (void)twice(1);
  return Seen{&shared_counter(), &Registry<int>::hits, &inline_variable, &bump, &twice<double>, &typeid(Square)};
}
Shape *make_square_in_a() { return new Square; }
