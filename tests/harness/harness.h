/*
 * harness.h -- helpers for C tests that drive the premix SQLite extension
 * through the real libsqlite3 (tests/harness/test_*.c).
 *
 * The extension path comes from $PREMIX_EXT (tests/run.sh points it at an
 * ASan build, then at the plain build under valgrind).  Each check prints
 * "PASS name" or "FAIL name: why"; the exit status is 1 when any failed.
 */
#ifndef PREMIX_HARNESS_H
#define PREMIX_HARNESS_H

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int h_failures = 0;

#define CHECK(name, cond) do { \
	if (cond) printf("PASS %s\n", (name)); \
	else { printf("FAIL %s: %s (line %d)\n", (name), #cond, __LINE__); h_failures++; } \
} while (0)

/* Remove a database file and its journals. */
static void
remove_file_db(const char *path)
{
	char		p[400];

	unlink(path);
	snprintf(p, sizeof(p), "%s-journal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

/* Open a database (":memory:" or a file) with premix loaded; exits on failure. */
static sqlite3 *
h_open(const char *path)
{
	sqlite3    *db = NULL;
	char	   *err = NULL;
	const char *ext = getenv("PREMIX_EXT");

	if (sqlite3_open(path, &db) != SQLITE_OK)
	{
		fprintf(stderr, "cannot open %s\n", path);
		exit(2);
	}
	sqlite3_enable_load_extension(db, 1);
	if (sqlite3_load_extension(db, ext ? ext : "sqlite_premix/premix", NULL, &err) != SQLITE_OK)
	{
		fprintf(stderr, "cannot load premix: %s\n", err ? err : "?");
		exit(2);
	}
	return db;
}

/* Run SQL; returns the sqlite result code, error text in *err (sqlite3_free it) when asked. */
static int
h_exec(sqlite3 *db, const char *sql, char **err)
{
	char	   *msg = NULL;
	int			rc = sqlite3_exec(db, sql, NULL, NULL, &msg);

	if (err)
		*err = msg;
	else
		sqlite3_free(msg);
	return rc;
}

/*
 * First column of the first row of sql as a malloc'ed string (NULL for SQL
 * NULL or no row).  On error returns NULL and puts the message in *err.
 */
static char *
h_text(sqlite3 *db, const char *sql, char **err)
{
	sqlite3_stmt *st = NULL;
	char	   *out = NULL;

	if (err)
		*err = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
	{
		if (err)
			*err = strdup(sqlite3_errmsg(db));
		return NULL;
	}
	int			rc = sqlite3_step(st);

	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		out = strdup((const char *) sqlite3_column_text(st, 0));
	else if (rc != SQLITE_ROW && rc != SQLITE_DONE && err)
		*err = strdup(sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return out;
}

/* First column of the first row as an integer (-1 on error). */
static long long
h_int(sqlite3 *db, const char *sql)
{
	char	   *err = NULL;
	char	   *s = h_text(db, sql, &err);
	long long	v = s ? atoll(s) : (err ? -1 : 0);

	free(s);
	free(err);
	return v;
}

static int
h_done(void)
{
	return h_failures ? 1 : 0;
}

#endif
