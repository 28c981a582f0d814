// A shared library's function that uses the archive's helper.
int helper_fn(int);
int api_fn(int x) { return helper_fn(x) * 2; }
