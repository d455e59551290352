/*
 * test_cache.c -- the connection's cached live model (pmx_schema_cache.c)
 * through the real libsqlite3 API: whatever changes the schema, premix
 * must see the schema as it is now, never a model read before.
 *
 *  - a column added inside a transaction that is rolled back, then another
 *    added in a new transaction: the schema cookie takes the same value
 *    both times, and premix must show the second column, not the first;
 *  - a change made and undone (CREATE then DROP): same rows, new cookie;
 *  - another connection changing the schema of the same file;
 *  - a migration, then premix_schema() and premix_diff of the same target
 *    (nothing left to do);
 *  - a new, a renamed (ALTER TABLE RENAME) and a dropped table, seen at once;
 *  - the two connections' caches are their own: closing one leaves the
 *    other working (and ASan/valgrind see the cache freed with it).
 *
 * Each check prints PASS/FAIL (harness.h); the exit status is 1 on any
 * failure.
 */
#define _POSIX_C_SOURCE 200809L

#include "harness.h"

#include <unistd.h>

static char dbpath[256];

/* Whether premix_schema() of db mentions needle. */
static int
schema_has(sqlite3 *db, const char *needle)
{
	char	   *s = h_text(db, "SELECT premix_schema()", NULL);
	int			found = s && strstr(s, needle) != NULL;

	free(s);
	return found;
}

/* The number of steps premix_diff(target) plans on db (-1 on error). */
static long long
steps(sqlite3 *db, const char *target)
{
	sqlite3_stmt *st = NULL;
	long long	n = -1;

	if (sqlite3_prepare_v2(db, "SELECT json_array_length(premix_diff(?1), '$.steps')",
						   -1, &st, NULL) == SQLITE_OK &&
		sqlite3_bind_text(st, 1, target, -1, SQLITE_STATIC) == SQLITE_OK &&
		sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* premix_migrate(target) on db; SQLITE_OK or the error code. */
static int
migrate(sqlite3 *db, const char *target)
{
	sqlite3_stmt *st = NULL;
	int			rc = sqlite3_prepare_v2(db, "SELECT premix_migrate(?1)", -1, &st, NULL);

	if (rc == SQLITE_OK && (rc = sqlite3_bind_text(st, 1, target, -1, SQLITE_STATIC)) == SQLITE_OK)
		rc = sqlite3_step(st) == SQLITE_ROW ? SQLITE_OK : sqlite3_errcode(db);
	if (rc != SQLITE_OK)
		fprintf(stderr, "migrate: %s\n", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc;
}

static void
test_rollback_reuses_cookie(void)
{
	sqlite3    *db = h_open(dbpath);

	h_exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, a TEXT)", NULL);
	CHECK("cache: schema read (and cached)", schema_has(db, "\"a\""));
	h_exec(db, "BEGIN; ALTER TABLE t ADD COLUMN rolled_back TEXT", NULL);
	CHECK("cache: a column added in a transaction is seen", schema_has(db, "rolled_back"));
	h_exec(db, "ROLLBACK", NULL);
	CHECK("cache: after ROLLBACK the column is gone", !schema_has(db, "rolled_back"));
	h_exec(db, "BEGIN; ALTER TABLE t ADD COLUMN kept TEXT", NULL);
	CHECK("cache: same cookie, other change: the new column is seen", schema_has(db, "\"kept\""));
	CHECK("cache: same cookie, other change: not the rolled-back one", !schema_has(db, "rolled_back"));
	h_exec(db, "COMMIT", NULL);
	CHECK("cache: after COMMIT the column stays", schema_has(db, "\"kept\""));
	sqlite3_close(db);
}

static void
test_change_and_undo(void)
{
	sqlite3    *db = h_open(dbpath);
	char	   *before = h_text(db, "SELECT premix_schema()", NULL);
	char	   *after;

	h_exec(db, "CREATE TABLE gone(x); DROP TABLE gone", NULL);
	after = h_text(db, "SELECT premix_schema()", NULL);
	CHECK("cache: a change made and undone reads the same schema",
		  before && after && strcmp(before, after) == 0);
	free(before);
	free(after);
	h_exec(db, "CREATE TABLE fresh(x)", NULL);
	CHECK("cache: a new table is seen at once", schema_has(db, "\"fresh\""));
	h_exec(db, "ALTER TABLE fresh RENAME TO renamed_fresh", NULL);
	CHECK("cache: a rename is seen at once",
		  schema_has(db, "\"renamed_fresh\"") && !schema_has(db, "\"fresh\""));
	h_exec(db, "DROP TABLE renamed_fresh", NULL);
	CHECK("cache: a dropped table is gone at once", !schema_has(db, "renamed_fresh"));
	sqlite3_close(db);
}

static void
test_other_connection(void)
{
	sqlite3    *a = h_open(dbpath);
	sqlite3    *b = h_open(dbpath);

	CHECK("cache: connection A reads the schema", !schema_has(a, "from_b"));
	h_exec(b, "ALTER TABLE t ADD COLUMN from_b INTEGER", NULL);
	CHECK("cache: A sees the column B added", schema_has(a, "from_b"));
	CHECK("cache: B sees it too", schema_has(b, "from_b"));
	sqlite3_close(b);
	CHECK("cache: A works after B closed", schema_has(a, "from_b"));
	sqlite3_close(a);
}

static void
test_migrate_then_diff(void)
{
	sqlite3    *db = h_open(dbpath);
	/* the schema as it is, plus a table m */
	char	   *target = h_text(db,
								"SELECT json_insert(premix_schema(), '$.tables[#]', json('"
								"{\"name\": \"m\", \"columns\": [{\"name\": \"v\", \"type\": \"text\"}]}'))",
								NULL);

	CHECK("cache: the target is built", target != NULL);
	if (!target)
		return;
	CHECK("cache: the target adds one table", steps(db, target) == 1);
	/* the same call again, nothing changed: the cached model */
	CHECK("cache: and again, from the cached model", steps(db, target) == 1);
	CHECK("cache: migrate applies it", migrate(db, target) == SQLITE_OK);
	CHECK("cache: after the migration the table is seen", schema_has(db, "\"m\""));
	CHECK("cache: after the migration nothing is left to do", steps(db, target) == 0);
	h_exec(db, "DROP TABLE m", NULL);
	CHECK("cache: after DROP TABLE the step is back", steps(db, target) == 1);
	free(target);
	sqlite3_close(db);
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dbpath, sizeof(dbpath), "%s/premix_test_cache_%d.db", tmp ? tmp : "/tmp", (int) getpid());
	remove(dbpath);
	test_rollback_reuses_cookie();
	test_change_and_undo();
	test_other_connection();
	test_migrate_then_diff();
	remove(dbpath);
	return h_done();
}
