#include "shapes.h"
#include <math.h>

static _Thread_local int calls;  // per-thread count of area computations
static int total_calls;

static double rect(const double *d) { calls++; return d[0] * d[1]; }
static double circle(const double *d) { calls++; return M_PI * d[0] * d[0]; }
static double triangle(const double *d) { calls++; return 0.5 * d[0] * d[1]; }

// Function pointers in data: static-pie needs RELATIVE relocations here.
const struct shape shapes_table[] = {
    {"rectangle", rect, {3, 4}},
    {"circle", circle, {1.5, 0}},
    {"triangle", triangle, {6, 5}},
};
const int shapes_count = sizeof shapes_table / sizeof shapes_table[0];

double shapes_total_area(void) {
  double sum = 0;
  for (int i = 0; i < shapes_count; i++) sum += shapes_table[i].area(shapes_table[i].dims);
  total_calls += calls;
  return sum;
}

int shapes_calls(void) { return calls; }
