#ifndef SHAPES_H
#define SHAPES_H
struct shape {
  const char *name;
  double (*area)(const double *dims);
  double dims[2];
};
extern const struct shape shapes_table[];
extern const int shapes_count;
double shapes_total_area(void);
int shapes_calls(void);
#endif
