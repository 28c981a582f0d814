/* A real library: SQLite (libsqlite3.a from libsqlite3-dev), in memory. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

static int print_row(void *arg, int n, char **vals, char **cols) {
  (void)arg;
  (void)cols;
  for (int i = 0; i < n; i++) printf("%s%s", i ? " | " : "", vals[i] ? vals[i] : "NULL");
  putchar('\n');
  return 0;
}

static void exec(sqlite3 *db, const char *sql) {
  char *err = NULL;
  if (sqlite3_exec(db, sql, print_row, NULL, &err) != SQLITE_OK) {
    printf("SQL error: %s\n", err);
    sqlite3_free(err);
    exit(1);
  }
}

int main(void) {
  sqlite3 *db;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
    puts("cannot open database");
    return 1;
  }
  exec(db, "CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER, price REAL);"
           "CREATE INDEX items_name ON items(name);");

  sqlite3_stmt *ins;
  sqlite3_prepare_v2(db, "INSERT INTO items(name, qty, price) VALUES (?, ?, ?)", -1, &ins, NULL);
  static const char *names[] = {"apple", "banana", "cherry", "date", "elderberry", "fig", "grape"};
  exec(db, "BEGIN");
  for (int i = 0; i < 500; i++) {
    sqlite3_bind_text(ins, 1, names[i % 7], -1, SQLITE_STATIC);
    sqlite3_bind_int(ins, 2, (i * 37) % 101);
    sqlite3_bind_double(ins, 3, 0.25 * (i % 13) + 1.0);
    if (sqlite3_step(ins) != SQLITE_DONE) {
      printf("insert failed: %s\n", sqlite3_errmsg(db));
      return 1;
    }
    sqlite3_reset(ins);
  }
  exec(db, "COMMIT");
  sqlite3_finalize(ins);

  puts("-- count, sums");
  exec(db, "SELECT count(*), sum(qty), printf('%.2f', sum(qty * price)) FROM items");
  puts("-- per name");
  exec(db, "SELECT name, count(*), max(qty), printf('%.3f', avg(price)) FROM items GROUP BY name ORDER BY name");
  puts("-- top 5 by qty*price");
  exec(db, "SELECT id, name, qty, price FROM items ORDER BY qty * price DESC, id LIMIT 5");
  puts("-- string and math functions");
  exec(db, "SELECT upper('linker'), length('xld'), substr('static-pie', 8), abs(-42), round(2.5), 7 / 2, 7 % 3, "
           "hex('ld'), typeof(1.5)");
  exec(db, "UPDATE items SET qty = qty + 1000 WHERE name LIKE 'b%'");
  printf("-- changes after update: %d\n", sqlite3_changes(db));
  exec(db, "DELETE FROM items WHERE id % 2 = 0");
  exec(db, "SELECT count(*), min(id), max(id), sum(qty) FROM items");
  exec(db, "WITH RECURSIVE fib(a, b, n) AS (SELECT 0, 1, 0 UNION ALL SELECT b, a + b, n + 1 FROM fib WHERE n < 30) "
           "SELECT group_concat(a, ',') FROM (SELECT a FROM fib LIMIT 12)");
  sqlite3_close(db);
  return 0;
}
