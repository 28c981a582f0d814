// The global symbol table (linker/symtab.c): interning, lookup, growth and
// insertion order.
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "parallel.h"
#include "symbols.h"

static Context *new_ctx(void) {
  Context *ctx = calloc(1, sizeof(Context));
  cr_assert_not_null(ctx);
  return ctx;
}

Test(symtab, empty_table_lookup_is_null) {
  Context *ctx = new_ctx();
  cr_assert_null(symtab_lookup(ctx, "main"));
  cr_assert_null(symtab_find(ctx, "main", 4, XXH3_64bits("main", 4)));
  cr_assert_eq(ctx->symtab_count, 0);
  cr_assert_eq(ctx->symbols_in_order.len, 0);
}

Test(symtab, intern_same_name_twice_returns_same_symbol) {
  Context *ctx = new_ctx();
  Symbol *a = symtab_intern(ctx, "printf");
  cr_assert_not_null(a);
  // A different buffer with the same contents must find the same Symbol.
  char buf[] = "printf";
  Symbol *b = symtab_intern(ctx, buf);
  cr_assert_eq(a, b);
  cr_assert_eq(ctx->symtab_count, 1);
  cr_assert_eq(ctx->symbols_in_order.len, 1);
  cr_assert_str_eq(a->name, "printf");
  cr_assert_eq(a->namelen, 6);
  cr_assert_eq(symtab_find(ctx, "printf", 6, XXH3_64bits("printf", 6)), a);
}

Test(symtab, new_symbol_is_undefined_with_no_slots) {
  Context *ctx = new_ctx();
  Symbol *s = symtab_intern(ctx, "foo");
  cr_assert_eq(s->def_rank, RANK_UNDEF);
  cr_assert_not(symbol_is_defined(s));
  cr_assert_eq(symbol_got_index(ctx, s), -1);
  cr_assert_eq(symbol_gottp_index(ctx, s), -1);
  cr_assert_eq(symbol_tlsgd_index(ctx, s), -1);
  cr_assert_eq(symbol_iplt_index(ctx, s), -1);
  cr_assert_null(symbol_chunk(ctx, s));
  cr_assert_null(s->file);
  cr_assert_null(s->isec);
}

Test(symtab, different_names_give_different_symbols) {
  Context *ctx = new_ctx();
  Symbol *a = symtab_intern(ctx, "foo");
  Symbol *b = symtab_intern(ctx, "bar");
  Symbol *c = symtab_intern(ctx, "foo2");
  Symbol *d = symtab_intern(ctx, "fo");
  Symbol *e = symtab_intern(ctx, "");
  cr_assert_neq(a, b);
  cr_assert_neq(a, c);
  cr_assert_neq(a, d);
  cr_assert_neq(c, d);
  cr_assert_neq(e, a);
  cr_assert_eq(ctx->symtab_count, 5);
  cr_assert_eq(symtab_lookup(ctx, "foo"), a);
  cr_assert_eq(symtab_lookup(ctx, "bar"), b);
  cr_assert_eq(symtab_lookup(ctx, "foo2"), c);
  cr_assert_eq(symtab_lookup(ctx, "fo"), d);
  cr_assert_eq(symtab_lookup(ctx, ""), e);
  cr_assert_eq(e->namelen, 0);
}

Test(symtab, lookup_of_absent_name_is_null) {
  Context *ctx = new_ctx();
  symtab_intern(ctx, "alpha");
  symtab_intern(ctx, "beta");
  cr_assert_null(symtab_lookup(ctx, "gamma"));
  cr_assert_null(symtab_lookup(ctx, "alph"));
  cr_assert_null(symtab_lookup(ctx, "alphaa"));
  // Lookup does not insert.
  cr_assert_eq(ctx->symtab_count, 2);
  cr_assert_eq(ctx->symbols_in_order.len, 2);
}

Test(symtab, find_uses_length_not_nul) {
  Context *ctx = new_ctx();
  Symbol *s = symtab_intern(ctx, "memcpy");
  // symtab_find compares LEN bytes: a prefix of a longer buffer matches.
  const char *buf = "memcpy@GLIBC_2.14";
  cr_assert_eq(symtab_find(ctx, buf, 6, XXH3_64bits(buf, 6)), s);
  cr_assert_null(symtab_find(ctx, buf, 7, XXH3_64bits(buf, 7)));
  // Right name, wrong hash: not found (the hash is part of the key).
  cr_assert_null(symtab_find(ctx, "memcpy", 6, XXH3_64bits("memcpy", 6) ^ 1));
}

Test(symtab, insertion_order_is_kept) {
  Context *ctx = new_ctx();
  const char *names[] = {"zeta", "alpha", "mu", "beta", "omega", "_start", "main"};
  Symbol *syms[ARRAY_SIZE(names)];
  for (size_t i = 0; i < ARRAY_SIZE(names); i++) syms[i] = symtab_intern(ctx, names[i]);
  // Re-interning in another order adds nothing and keeps the first order.
  for (size_t i = ARRAY_SIZE(names); i-- > 0;) cr_assert_eq(symtab_intern(ctx, names[i]), syms[i]);
  cr_assert_eq(ctx->symbols_in_order.len, ARRAY_SIZE(names));
  for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
    cr_assert_eq(ctx->symbols_in_order.data[i], syms[i], "position %zu", i);
    cr_assert_str_eq(ctx->symbols_in_order.data[i]->name, names[i]);
  }
}

Test(symtab, hundred_thousand_names_survive_growth) {
  Context *ctx = new_ctx();
  enum { N = 100000 };
  char **names = calloc(N, sizeof(char *));
  Symbol **syms = calloc(N, sizeof(Symbol *));
  cr_assert(names && syms);
  for (int i = 0; i < N; i++) {
    names[i] = malloc(24);
    snprintf(names[i], 24, "sym_%d", i);
    syms[i] = symtab_intern(ctx, names[i]);
    cr_assert_not_null(syms[i]);
  }
  cr_assert_eq(ctx->symtab_count, N);
  cr_assert_eq(ctx->symbols_in_order.len, N);
  // The table grew past its initial size and keeps a load factor <= 1/2.
  cr_assert_geq(ctx->symtab_cap, 2 * (size_t)N);
  cr_assert_eq(ctx->symtab_cap & (ctx->symtab_cap - 1), 0, "capacity %zu is a power of two", ctx->symtab_cap);
  for (int i = 0; i < N; i++) {
    char key[24];
    snprintf(key, sizeof key, "sym_%d", i);
    Symbol *s = symtab_lookup(ctx, key);
    cr_assert_eq(s, syms[i], "lookup of %s after growth", key);
    cr_assert_str_eq(s->name, key);
    cr_assert_eq(ctx->symbols_in_order.data[i], syms[i]);
  }
  // Interning again returns the existing symbols and adds nothing.
  for (int i = 0; i < N; i += 997) cr_assert_eq(symtab_intern(ctx, names[i]), syms[i]);
  cr_assert_eq(ctx->symtab_count, N);
  cr_assert_null(symtab_lookup(ctx, "sym_100000"));
  cr_assert_null(symtab_lookup(ctx, "sym_-1"));
  // All distinct.
  size_t ndistinct = 0;
  for (size_t i = 0; i < ctx->symtab_cap; i++) ndistinct += ctx->symtab_slots[i] != NULL;
  cr_assert_eq(ndistinct, N);
}

Test(symtab, symbol_address_forms) {
  Context *ctx = new_ctx();
  Symbol *abs = symtab_intern(ctx, "abs");
  abs->def_rank = RANK_STRONG;
  abs->value = 0x1234;
  cr_assert_eq(symbol_address(ctx, abs), 0x1234);
  cr_assert(symbol_is_absolute(ctx, abs));

  Chunk chunk = {.addr = 0x401000};
  Symbol *rel = symtab_intern(ctx, "rel");
  rel->def_rank = RANK_STRONG;
  symbol_aux(ctx, rel)->chunk = &chunk;
  rel->value = 0x10;
  cr_assert_eq(symbol_address(ctx, rel), 0x401010);
  cr_assert_not(symbol_is_absolute(ctx, rel));

  Chunk osec = {.addr = 0x500000};
  InputSection isec = {.osec = &osec, .offset = 0x40};
  Symbol *in = symtab_intern(ctx, "in");
  in->def_rank = RANK_STRONG;
  in->isec = &isec;
  in->value = 8;
  cr_assert_eq(symbol_address(ctx, in), 0x500048);
  cr_assert_not(symbol_is_absolute(ctx, in));

  Symbol *undef = symtab_intern(ctx, "undef");
  cr_assert_not(symbol_is_absolute(ctx, undef));
  cr_assert_eq(symbol_address(ctx, undef), 0);
}

// Batches (symtab_intern_batch, symtab_find_batch) give what one name at a
// time gives, with names repeated across threads' batches.
typedef struct {
  Context *ctx;
  NameToIntern *names;
  Symbol **out;
  size_t per_batch;
} BatchJob;

static void intern_one_batch(void *arg, size_t b) {
  BatchJob *job = arg;
  symtab_intern_batch(job->ctx, job->names + b * job->per_batch, job->per_batch, job->out + b * job->per_batch);
}

Test(symtab, batches_intern_and_find_like_single_names) {
  enum { DISTINCT = 20000, BATCH = 1000, COPIES = 3 };
  Context *ctx = new_ctx();
  parallel_init(2);
  // Every name three times, in batches that mix copies of the same name.
  size_t n = (size_t)DISTINCT * COPIES;
  NameToIntern *names = calloc(n, sizeof *names);
  Symbol **out = calloc(n, sizeof *out);
  cr_assert(names && out);
  for (size_t i = 0; i < n; i++) {
    char *s = malloc(24);
    snprintf(s, 24, "batch_%zu", (i * 7919) % DISTINCT);
    names[i] = (NameToIntern){s, (uint32_t)strlen(s), XXH3_64bits(s, strlen(s))};
  }
  symtab_reserve(ctx, n);
  BatchJob job = {ctx, names, out, BATCH};
  parallel_for(n / BATCH, intern_one_batch, &job);
  symtab_reserve(ctx, 0);
  cr_assert_eq(ctx->symtab_count, DISTINCT);
  for (size_t i = 0; i < n; i++) {
    cr_assert_not_null(out[i]);
    cr_assert_eq(out[i], symtab_lookup(ctx, names[i].name), "%s", names[i].name);
    cr_assert_str_eq(out[i]->name, names[i].name);
  }
  // Finding: the known names give their symbols, the others NULL.
  NameToIntern probe[4] = {names[0], {"nope", 4, XXH3_64bits("nope", 4)}, names[5], {"batch_", 6, XXH3_64bits("batch_", 6)}};
  Symbol *found[4];
  cr_assert_eq(symtab_find_batch(ctx, probe, 4, found), 2);
  cr_assert_eq(found[0], out[0]);
  cr_assert_null(found[1]);
  cr_assert_eq(found[2], out[5]);
  cr_assert_null(found[3]);
  cr_assert(symtab_has_room(ctx, 1));
  cr_assert_not(symtab_has_room(ctx, ctx->symtab_cap));
}
