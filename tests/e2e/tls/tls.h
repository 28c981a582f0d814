#ifndef TLS_H
#define TLS_H
/* Thread-local variables reached through every x86-64 TLS access model.
   Each access function returns a pointer to (or the value of) the calling
   thread's copy. */

/* le.c: local-exec (defined and used there with tls_model("local-exec")). */
extern __thread int le_init;   /* = 11 */
extern __thread long le_zero;  /* zero-initialised (.tbss) */
int *le_init_addr(void);
long *le_zero_addr(void);

/* ie.c, compiled -fPIC: initial-exec through tls_model("initial-exec"). */
int *ie_init_addr(void);
long *ie_zero_addr(void);

/* gd.c, compiled -fPIC: global-dynamic (extern __thread defined in data.c). */
int *gd_init_addr(void);
long *gd_zero_addr(void);
int *gd_array_addr(void);

/* ld.c, compiled -fPIC: local-dynamic (static __thread in ld.c). */
int *ld_init_addr(void);
long *ld_zero_addr(void);
char *ld_aligned_addr(void);

/* data.c: the definitions the IE and GD files refer to. */
extern __thread int shared_init;    /* = 22 */
extern __thread long shared_zero;
extern __thread int tls_array[100]; /* = {1, 2, ..., 100} */

#endif
