#include <cstdio>

#include "common.h"

int main() {
  Seen s[3] = {seen_in_a(), seen_in_b(), seen_in_c()};
  bump();
  std::printf("shared_counter()=%d (4 bumps from 4 files)\n", shared_counter());
  std::printf("Registry<int>::hits=%d Registry<long>::hits=%d\n", Registry<int>::hits, Registry<long>::hits);
  std::printf("inline_variable=%d\n", inline_variable);
  std::printf("twice(21)=%d twice(1.25)=%g\n", twice(21), twice(1.25));
  bool same = true;
  for (auto &x : s) {
    same &= x.counter == &shared_counter();
    same &= x.hits == &Registry<int>::hits;
    same &= x.inline_var == &inline_variable;
    same &= x.bump_fn == &bump;
    same &= x.twice_double == &twice<double>;
    same &= *x.square_type == typeid(Square);
  }
  std::printf("all files share one copy: %s\n", same ? "yes" : "no");
  Shape *p = make_square_in_a(), *q = make_square_in_b();
  std::printf("virtual calls: %s/%d %s/%d\n", p->name(), p->sides(), q->name(), q->sides());
  std::printf("typeid equal across files: %s\n", typeid(*p) == typeid(*q) ? "yes" : "no");
  delete p;
  delete q;
  return 0;
}
