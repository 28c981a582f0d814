/* Benchmark driver for libsqlite3.a: builds a table in an in-memory
 * database, queries it and prints the results, so a broken link shows up
 * as wrong output, not only as a crash. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

static void check(int rc, sqlite3 *db, const char *what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
  }
}

static int print_row(void *unused, int n, char **vals, char **names) {
  (void)unused;
  for (int i = 0; i < n; i++) printf("%s=%s%s", names[i], vals[i] ? vals[i] : "NULL", i + 1 < n ? " " : "\n");
  return 0;
}

int main(void) {
  sqlite3 *db;
  check(sqlite3_open(":memory:", &db), db, "open");
  check(sqlite3_exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, v REAL);", 0, 0, 0), db, "create");
  sqlite3_stmt *ins;
  check(sqlite3_prepare_v2(db, "INSERT INTO t(name, v) VALUES(?, ?)", -1, &ins, 0), db, "prepare");
  check(sqlite3_exec(db, "BEGIN", 0, 0, 0), db, "begin");
  for (int i = 0; i < 10000; i++) {
    char name[32];
    snprintf(name, sizeof name, "row%d", i % 97);
    sqlite3_bind_text(ins, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_double(ins, 2, i * 0.5);
    check(sqlite3_step(ins), db, "insert");
    sqlite3_reset(ins);
  }
  sqlite3_finalize(ins);
  check(sqlite3_exec(db, "COMMIT", 0, 0, 0), db, "commit");
  printf("sqlite %s\n", sqlite3_libversion());
  check(sqlite3_exec(db, "SELECT count(*) AS n, sum(v) AS total, count(DISTINCT name) AS names FROM t;", print_row, 0, 0), db, "select");
  check(sqlite3_exec(db, "SELECT name, round(avg(v), 3) AS a FROM t GROUP BY name ORDER BY a DESC LIMIT 3;", print_row, 0, 0), db, "group");
  check(sqlite3_exec(db, "SELECT printf('%.6f', sqrt(2.0)) AS s, upper('linker') AS u, json_extract('{\"a\":[1,2,3]}', '$.a[2]') AS j;", print_row, 0, 0), db, "functions");
  sqlite3_close(db);
  return 0;
}
