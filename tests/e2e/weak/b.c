/* Strong definitions override the weak ones from a.c (which comes first). */
int weak_value = 2;
const char *who(void) { return "strong who (b.c)"; }
