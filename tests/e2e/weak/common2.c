int common_arr[16];
double common_double;
int common_vs_def = 42;
int common_after[8];

void common2_fill(void) {
  for (int i = 4; i < 16; i++) common_arr[i] = i + 1;
  for (int i = 0; i < 8; i++) common_after[i] = 100 + i;
  common_double = 2.5;
}
int common2_sum(void) {
  int s = 0;
  for (int i = 0; i < 16; i++) s += common_arr[i];
  return s;
}
