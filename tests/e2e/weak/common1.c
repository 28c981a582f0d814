/* Tentative definitions, compiled with -fcommon (see flags): COMMON symbols.
   common_arr is 4 ints here and 16 in common2.c: the linker must allocate
   the larger size. */
int common_arr[4];
int common_small;
int common_vs_def; /* initialised in common2.c: the definition wins */

void common1_fill(void) {
  for (int i = 0; i < 4; i++) common_arr[i] = i + 1;
  common_small = 5;
}
int common1_vs_def(void) { return common_vs_def; }
