/*
 * test_apply.c -- premix_apply / premix_migrate through the real
 * libsqlite3 API: what the sqlite3 shell cannot show.
 *
 *  - premix_migrate called from a statement that reads a table
 *    (SELECT premix_migrate(t) FROM targets), and from an UPDATE: it either
 *    works correctly or fails with a clear "premix:" error and nothing
 *    changed;
 *  - premix_migrate / premix_apply while another statement of the
 *    connection is part-way through (sqlite3_step once): a clear error,
 *    nothing changed, and the other statement carries on undisturbed;
 *  - BEGIN / ROLLBACK / COMMIT around successful and failing calls: the
 *    caller's transaction is still open after a failure and keeps the
 *    caller's own work;
 *  - another connection holding a read or write lock: a failed commit
 *    (SQLITE_BUSY) must not leave premix's savepoint open;
 *  - premix_diff / premix_preview change nothing, so they work from a
 *    multi-row SELECT, inside INSERT ... SELECT, on a query_only
 *    connection and while another connection holds the write lock;
 *  - a stale plan, and a failure at the very last write (the ledger row);
 *  - every function's error paths (NULL, integer, real and blob arguments,
 *    malformed and deeply nested JSON, invalid UTF-8, wrong argument
 *    counts, use from a view or trigger) so that ASan/UBSan and valgrind
 *    see them;
 *  - out of memory: premix_migrate under a sqlite3 hard heap limit raised
 *    step by step until it succeeds; every failed call must leave the
 *    connection as it was (no transaction left open, pragmas restored,
 *    schema wholly before);
 *  - many calls in a loop (leaks show up under ASan and valgrind).
 *
 * Each check prints PASS/FAIL (harness.h); the exit status is 1 on any
 * failure.
 */
#define _POSIX_C_SOURCE 200809L

#include "harness.h"

#include <unistd.h>

static char dbpath[256];

/* ------------------------------------------------------------ helpers */

/* The whole catalog as one string (malloc'ed): what "unchanged" compares. */
static char *
catalog(sqlite3 *db)
{
	return h_text(db,
				  "SELECT group_concat(type || '|' || name || '|' || tbl_name || '|' || coalesce(sql, ''), char(10))"
				  " FROM (SELECT * FROM main.sqlite_schema ORDER BY type, name)", NULL);
}

static int
same_str(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* Count of ledger rows (0 when there is no ledger table yet). */
static long long
ledger_rows(sqlite3 *db)
{
	if (h_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'premix_migrations'") == 0)
		return 0;
	return h_int(db, "SELECT count(*) FROM premix_migrations");
}

/*
 * Run sql (one statement, all rows); return NULL on success, else the
 * error message (malloc'ed).  *rc_out gets the sqlite3 result code.
 */
static char *
run_err(sqlite3 *db, const char *sql, int *rc_out)
{
	char	   *msg = NULL;
	char	   *out = NULL;
	int			rc = sqlite3_exec(db, sql, NULL, NULL, &msg);

	if (rc_out)
		*rc_out = rc;
	if (rc != SQLITE_OK)
		out = strdup(msg ? msg : sqlite3_errmsg(db));
	sqlite3_free(msg);
	return out;
}

/* A premix error: "premix: ..." with a SQLSTATE line. */
static int
is_premix_error(const char *msg)
{
	return msg && strncmp(msg, "premix: ", 8) == 0 && strstr(msg, "\nSQLSTATE: ") != NULL;
}

/* Run one statement with bound text parameters; returns the first column (malloc'ed) or NULL, error in *err. */
static char *
bind_text(sqlite3 *db, const char *sql, const char *a, const char *b, const char *c, char **err)
{
	sqlite3_stmt *st = NULL;
	char	   *out = NULL;
	int			rc;

	*err = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
	{
		*err = strdup(sqlite3_errmsg(db));
		return NULL;
	}
	if (a)
		sqlite3_bind_text(st, 1, a, -1, SQLITE_TRANSIENT);
	if (b && sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_text(st, 2, b, -1, SQLITE_TRANSIENT);
	if (c && sqlite3_bind_parameter_count(st) >= 3)
		sqlite3_bind_text(st, 3, c, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		out = strdup((const char *) sqlite3_column_text(st, 0));
	else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		*err = strdup(sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return out;
}

/* A fresh database file with users(3 rows), posts(2 rows), targets. */
static sqlite3 *
fresh(void)
{
	sqlite3    *db;

	remove_file_db(dbpath);
	db = h_open(dbpath);
	if (h_exec(db,
			   "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, email TEXT);"
			   "INSERT INTO users VALUES (1, 'ann', 'a@x'), (2, 'bob', NULL), (3, 'cid', 'c@x');"
			   "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id) ON DELETE CASCADE, title TEXT);"
			   "INSERT INTO posts VALUES (1, 1, 'p1'), (2, 3, 'p2');"
			   "CREATE TABLE targets (id INTEGER PRIMARY KEY, t TEXT, r TEXT);", NULL) != SQLITE_OK)
	{
		fprintf(stderr, "setup failed: %s\n", sqlite3_errmsg(db));
		exit(2);
	}
	return db;
}

/* users with an extra nullable column `col` (ADD COLUMN, no rebuild). */
#define USERS_PLUS(col) \
	"{\"tables\":[{\"name\":\"users\",\"columns\":[{\"name\":\"id\",\"type\":\"integer\"}," \
	"{\"name\":\"name\",\"type\":\"text\"},{\"name\":\"email\",\"type\":\"text\"}" col "]," \
	"\"primary_key\":{\"columns\":[\"id\"]}}]}"
#define T_ADD_PHONE USERS_PLUS(",{\"name\":\"phone\",\"type\":\"text\"}")
#define T_ADD_PHONE_FAX USERS_PLUS(",{\"name\":\"phone\",\"type\":\"text\"},{\"name\":\"fax\",\"type\":\"text\"}")
/* users.name NOT NULL: a rebuild (DROP TABLE users) */
#define T_REBUILD \
	"{\"tables\":[{\"name\":\"users\",\"columns\":[{\"name\":\"id\",\"type\":\"integer\"}," \
	"{\"name\":\"name\",\"type\":\"text\",\"nullable\":false},{\"name\":\"email\",\"type\":\"text\"}]," \
	"\"primary_key\":{\"columns\":[\"id\"]}}]}"
/* users.email NOT NULL without default: blocked (bob has none) */
#define T_BLOCKED \
	"{\"tables\":[{\"name\":\"users\",\"columns\":[{\"name\":\"id\",\"type\":\"integer\"}," \
	"{\"name\":\"name\",\"type\":\"text\"},{\"name\":\"email\",\"type\":\"text\",\"nullable\":false}]," \
	"\"primary_key\":{\"columns\":[\"id\"]}}]}"
#define LISTED "'{\"scope\":\"listed\"}'"

/* ------------------------------------------------------------- tests */

/*
 * SELECT premix_migrate(t) FROM targets: the calling statement reads a
 * table.  An ADD COLUMN plan works (and is committed); a rebuild needs
 * DROP TABLE, which SQLite refuses while the table is being read: a clear
 * premix error and nothing changed.
 */
static void
test_from_reading_statement(void)
{
	sqlite3    *db = fresh();
	char	   *before,
			   *after,
			   *err,
			   *r;

	h_exec(db, "INSERT INTO targets (t) VALUES ('" T_ADD_PHONE "')", NULL);
	r = h_text(db, "SELECT json_extract(premix_migrate(t, 0, " LISTED "), '$.applied') FROM targets", &err);
	CHECK("from-select: add column works", r && strcmp(r, "1") == 0 && !err);
	if (err)
		printf("    error: %s\n", err);
	free(r);
	free(err);
	CHECK("from-select: column added", h_int(db, "SELECT count(*) FROM pragma_table_info('users') WHERE name = 'phone'") == 1);
	CHECK("from-select: ledger row", ledger_rows(db) == 1);
	CHECK("from-select: back in autocommit", sqlite3_get_autocommit(db) == 1);
	CHECK("from-select: rows kept", h_int(db, "SELECT count(*) FROM users") == 3);
	sqlite3_close(db);
	db = h_open(dbpath);
	CHECK("from-select: committed (seen by a new connection)",
		  h_int(db, "SELECT count(*) FROM pragma_table_info('users') WHERE name = 'phone'") == 1 &&
		  ledger_rows(db) == 1);

	/* two rows: each call sees what the previous one did */
	h_exec(db, "DELETE FROM targets; INSERT INTO targets (t) VALUES ('" T_ADD_PHONE "'), ('" T_ADD_PHONE_FAX "')", NULL);
	r = h_text(db, "SELECT group_concat(json_extract(premix_migrate(t, 0, " LISTED "), '$.applied'), ',') FROM (SELECT t FROM targets ORDER BY id)", &err);
	CHECK("from-select, two rows: no-op then add column", r && strcmp(r, "0,1") == 0 && !err);
	free(r);
	free(err);
	CHECK("from-select, two rows: fax added", h_int(db, "SELECT count(*) FROM pragma_table_info('users') WHERE name = 'fax'") == 1);
	CHECK("from-select, two rows: ledger rows", ledger_rows(db) == 2);

	/* a rebuild from a reading statement: refused, nothing changed */
	h_exec(db, "DELETE FROM targets; INSERT INTO targets (t) VALUES ('" T_REBUILD "')", NULL);
	before = catalog(db);
	err = run_err(db, "SELECT premix_migrate(t, 1, " LISTED ") FROM targets", NULL);
	after = catalog(db);
	CHECK("from-select rebuild: premix error", is_premix_error(err));
	CHECK("from-select rebuild: message names the cause", err && strstr(err, "reads") && strstr(err, "HINT: "));
	CHECK("from-select rebuild: catalog unchanged", same_str(before, after));
	CHECK("from-select rebuild: ledger unchanged", ledger_rows(db) == 2);
	CHECK("from-select rebuild: rows kept", h_int(db, "SELECT count(*) FROM users") == 3 &&
		  h_int(db, "SELECT count(*) FROM posts") == 2);
	CHECK("from-select rebuild: no premix_new table", h_int(db, "SELECT count(*) FROM sqlite_schema WHERE name LIKE 'premix_new%'") == 0);
	CHECK("from-select rebuild: back in autocommit", sqlite3_get_autocommit(db) == 1);
	free(err);
	free(before);
	free(after);

	/* the same with foreign keys on: the pragma is restored */
	h_exec(db, "PRAGMA foreign_keys = ON", NULL);
	err = run_err(db, "SELECT premix_migrate(t, 1, " LISTED ") FROM targets", NULL);
	CHECK("from-select rebuild, fk on: premix error", is_premix_error(err));
	CHECK("from-select rebuild, fk on: foreign_keys still on", h_int(db, "PRAGMA foreign_keys") == 1);
	CHECK("from-select rebuild, fk on: legacy_alter_table still off", h_int(db, "PRAGMA legacy_alter_table") == 0);
	CHECK("from-select rebuild, fk on: children kept", h_int(db, "SELECT count(*) FROM posts") == 2);
	free(err);

	/* the same target as a bound parameter works */
	r = bind_text(db, "SELECT json_extract(premix_migrate(?1, 1, ?2), '$.applied')", T_REBUILD, "{\"scope\":\"listed\"}", NULL, &err);
	CHECK("bound parameter: rebuild works", r && strcmp(r, "1") == 0 && !err);
	if (err)
		printf("    error: %s\n", err);
	free(r);
	free(err);
	CHECK("bound parameter: name is NOT NULL", h_int(db, "SELECT \"notnull\" FROM pragma_table_info('users') WHERE name = 'name'") == 1);
	CHECK("bound parameter: children kept (fk on)", h_int(db, "SELECT count(*) FROM posts") == 2);
	CHECK("bound parameter: foreign_keys still on", h_int(db, "PRAGMA foreign_keys") == 1);
	sqlite3_close(db);
}

/*
 * UPDATE targets SET r = premix_migrate(t): the calling statement writes.
 * Either it works, or it fails with a premix error and nothing changed.
 */
static void
test_from_writing_statement(void)
{
	sqlite3    *db = fresh();
	char	   *before,
			   *after,
			   *err;
	int			rc;

	h_exec(db, "INSERT INTO targets (t) VALUES ('" T_ADD_PHONE "')", NULL);
	before = catalog(db);
	err = run_err(db, "UPDATE targets SET r = premix_migrate(t, 0, " LISTED ")", &rc);
	after = catalog(db);
	if (err)
	{
		CHECK("from-update: failure is a premix error", is_premix_error(err));
		CHECK("from-update: catalog unchanged", same_str(before, after));
		CHECK("from-update: targets.r not written", h_int(db, "SELECT count(*) FROM targets WHERE r IS NOT NULL") == 0);
		CHECK("from-update: ledger unchanged", ledger_rows(db) == 0);
	}
	else
	{
		CHECK("from-update: applied", h_int(db, "SELECT json_extract(r, '$.applied') FROM targets") == 1);
		CHECK("from-update: column added", h_int(db, "SELECT count(*) FROM pragma_table_info('users') WHERE name = 'phone'") == 1);
		CHECK("from-update: ledger row", ledger_rows(db) == 1);
	}
	CHECK("from-update: back in autocommit", sqlite3_get_autocommit(db) == 1);
	free(err);
	free(before);
	free(after);
	sqlite3_close(db);
}

/*
 * Another statement of the connection is part-way through (stepped once):
 * premix_migrate and premix_apply refuse clearly and change nothing; the
 * reading functions still work; the other statement then finishes
 * normally.
 */
static void
test_busy_statement(void)
{
	sqlite3    *db = fresh();
	sqlite3_stmt *st = NULL;
	char	   *before,
			   *after,
			   *err,
			   *plan,
			   *r;
	char	   *sql;
	int			rows = 0;

	plan = bind_text(db, "SELECT premix_diff(?1, ?2)", T_REBUILD, "{\"scope\":\"listed\"}", NULL, &err);
	CHECK("busy: plan made", plan && !err);
	free(err);
	before = catalog(db);
	sqlite3_prepare_v2(db, "SELECT id FROM posts ORDER BY id", -1, &st, NULL);
	CHECK("busy: other statement has a row", sqlite3_step(st) == SQLITE_ROW);
	rows = 1;

	err = run_err(db, "SELECT premix_migrate('" T_REBUILD "', 1, " LISTED ")", NULL);
	CHECK("busy: migrate refused with a premix error", is_premix_error(err));
	CHECK("busy: message says another statement is running", err && strstr(err, "another statement"));
	free(err);
	err = run_err(db, "SELECT premix_migrate('" T_ADD_PHONE "', 0, " LISTED ")", NULL);
	CHECK("busy: even an ADD COLUMN migrate is refused", is_premix_error(err));
	free(err);
	sql = sqlite3_mprintf("SELECT premix_apply(%Q)", plan ? plan : "");
	err = run_err(db, sql, NULL);
	CHECK("busy: apply refused with a premix error", is_premix_error(err));
	free(err);
	sqlite3_free(sql);
	after = catalog(db);
	CHECK("busy: catalog unchanged", same_str(before, after));
	CHECK("busy: ledger unchanged", ledger_rows(db) == 0);
	free(after);

	r = h_text(db, "SELECT json_array_length(premix_diff(premix_schema()), '$.steps')", &err);
	CHECK("busy: premix_schema and premix_diff still work", r && strcmp(r, "0") == 0 && !err);
	free(r);
	free(err);
	r = bind_text(db, "SELECT premix_preview(?1, ?2) IS NOT NULL", T_REBUILD, "{\"scope\":\"listed\"}", NULL, &err);
	CHECK("busy: premix_preview still works", r && strcmp(r, "1") == 0 && !err);
	free(r);
	free(err);

	while (sqlite3_step(st) == SQLITE_ROW)
		rows++;
	CHECK("busy: the other statement finishes with all its rows", rows == 2);
	sqlite3_finalize(st);

	/* once it is finished, the same plan applies */
	sql = sqlite3_mprintf("SELECT json_extract(premix_apply(%Q), '$.applied')", plan ? plan : "");
	r = h_text(db, sql, &err);
	CHECK("busy: after finalize the plan applies", r && strcmp(r, "1") == 0 && !err);
	if (err)
		printf("    error: %s\n", err);
	free(r);
	free(err);
	sqlite3_free(sql);

	/* a statement that was stepped and then reset is not busy */
	sqlite3_prepare_v2(db, "SELECT id FROM users", -1, &st, NULL);
	sqlite3_step(st);
	sqlite3_reset(st);
	r = h_text(db, "SELECT json_extract(premix_migrate('" T_ADD_PHONE "', 0, " LISTED "), '$.applied')", &err);
	CHECK("busy: a reset statement does not block", r && strcmp(r, "1") == 0 && !err);
	free(r);
	free(err);
	sqlite3_finalize(st);
	free(plan);
	free(before);
	sqlite3_close(db);
}

/*
 * BEGIN ... ROLLBACK / COMMIT through the API, around successful and
 * failing calls.
 */
static void
test_transactions(void)
{
	sqlite3    *db = fresh();
	char	   *before,
			   *after,
			   *err,
			   *r;

	before = catalog(db);

	/* success, then ROLLBACK: all undone */
	h_exec(db, "BEGIN", NULL);
	h_exec(db, "INSERT INTO users VALUES (10, 'caller', NULL)", NULL);
	r = h_text(db, "SELECT json_extract(premix_migrate('" T_REBUILD "', 0, " LISTED "), '$.applied')", &err);
	CHECK("txn: migrate inside BEGIN works", r && strcmp(r, "1") == 0 && !err);
	if (err)
		printf("    error: %s\n", err);
	free(r);
	free(err);
	CHECK("txn: still inside the caller's transaction", sqlite3_get_autocommit(db) == 0);
	CHECK("txn: change visible inside", h_int(db, "SELECT \"notnull\" FROM pragma_table_info('users') WHERE name = 'name'") == 1);
	CHECK("txn: ledger row inside", ledger_rows(db) == 1);
	CHECK("txn: caller's row carried through the rebuild", h_int(db, "SELECT count(*) FROM users WHERE id = 10") == 1);
	h_exec(db, "ROLLBACK", NULL);
	after = catalog(db);
	CHECK("txn rollback: catalog as before", same_str(before, after));
	CHECK("txn rollback: no ledger", ledger_rows(db) == 0);
	CHECK("txn rollback: caller's row gone", h_int(db, "SELECT count(*) FROM users WHERE id = 10") == 0);
	free(after);

	/* a refused call inside BEGIN: the transaction stays open, caller's work kept */
	h_exec(db, "BEGIN", NULL);
	h_exec(db, "INSERT INTO users VALUES (11, 'caller', NULL)", NULL);
	err = run_err(db, "SELECT premix_migrate('" T_BLOCKED "', 1, " LISTED ")", NULL);
	CHECK("txn refused: premix error", is_premix_error(err) && strstr(err, "SQLSTATE: 23502"));
	free(err);
	CHECK("txn refused: transaction still open", sqlite3_get_autocommit(db) == 0);
	CHECK("txn refused: caller's row still there", h_int(db, "SELECT count(*) FROM users WHERE id = 11") == 1);
	after = catalog(db);
	CHECK("txn refused: catalog unchanged", same_str(before, after));
	free(after);

	/* a call that fails part-way (a step's check fails at apply) */
	{
		char	   *plan = h_text(db, "SELECT premix_diff('" T_REBUILD "', " LISTED ")", NULL);
		char	   *sql;

		h_exec(db, "INSERT INTO users VALUES (12, NULL, NULL)", NULL);
		sql = sqlite3_mprintf("SELECT premix_apply(%Q)", plan ? plan : "");
		err = run_err(db, sql, NULL);
		CHECK("txn mid-plan failure: premix error naming the step", is_premix_error(err) && strstr(err, "step 1"));
		CHECK("txn mid-plan failure: transaction still open", sqlite3_get_autocommit(db) == 0);
		CHECK("txn mid-plan failure: caller's rows still there", h_int(db, "SELECT count(*) FROM users WHERE id IN (11, 12)") == 2);
		after = catalog(db);
		CHECK("txn mid-plan failure: catalog unchanged", same_str(before, after));
		CHECK("txn mid-plan failure: no ledger", ledger_rows(db) == 0);
		free(after);
		free(err);
		sqlite3_free(sql);
		free(plan);
	}
	CHECK("txn: COMMIT after failures works", h_exec(db, "COMMIT", NULL) == SQLITE_OK);
	CHECK("txn commit: caller's rows committed", h_int(db, "SELECT count(*) FROM users WHERE id IN (11, 12)") == 2);
	after = catalog(db);
	CHECK("txn commit: catalog unchanged", same_str(before, after));
	free(after);

	/* inside a SAVEPOINT of the caller's (named like premix's own) */
	h_exec(db, "SAVEPOINT premix_apply", NULL);
	h_exec(db, "INSERT INTO users VALUES (13, 'sp', 'sp@x')", NULL);
	r = h_text(db, "SELECT json_extract(premix_migrate('" T_ADD_PHONE "', 0, " LISTED "), '$.applied')", &err);
	CHECK("caller savepoint: migrate works", r && strcmp(r, "1") == 0 && !err);
	free(r);
	free(err);
	err = run_err(db, "SELECT premix_migrate('" T_BLOCKED "', 1, " LISTED ")", NULL);
	CHECK("caller savepoint: refused call is a premix error", is_premix_error(err));
	free(err);
	CHECK("caller savepoint: phone still there after the refused call", h_int(db, "SELECT count(*) FROM pragma_table_info('users') WHERE name = 'phone'") == 1);
	h_exec(db, "ROLLBACK TO premix_apply", NULL);
	h_exec(db, "RELEASE premix_apply", NULL);
	after = catalog(db);
	CHECK("caller savepoint rolled back: catalog as before", same_str(before, after));
	CHECK("caller savepoint rolled back: row gone", h_int(db, "SELECT count(*) FROM users WHERE id = 13") == 0);
	CHECK("caller savepoint rolled back: autocommit", sqlite3_get_autocommit(db) == 1);
	free(after);
	free(before);
	sqlite3_close(db);
}

/*
 * premix_diff and premix_preview change nothing, so they work wherever a
 * query does: over many rows of a table, inside INSERT ... SELECT (to keep
 * plans), on a query_only connection, while another connection holds the
 * write lock.  The target here renames a column of a table with a trigger
 * and rebuilds it (the case where the planner learns the trigger text
 * SQLite would write).
 */
#define T_RENAME_WITH_TRIGGER \
	"{\"tables\":[{\"name\":\"users\",\"columns\":[{\"name\":\"id\",\"type\":\"integer\"}," \
	"{\"name\":\"full_name\",\"type\":\"text\",\"nullable\":false,\"renamed_from\":\"name\"},{\"name\":\"email\",\"type\":\"text\"}]," \
	"\"primary_key\":{\"columns\":[\"id\"]}}]}"

static void
test_diff_is_read_only(void)
{
	sqlite3    *db = fresh();
	sqlite3    *other;
	char	   *before,
			   *after,
			   *err,
			   *r;

	h_exec(db, "CREATE TABLE audit (msg TEXT);"
		   "CREATE TRIGGER users_ins AFTER INSERT ON users BEGIN INSERT INTO audit VALUES (new.name); END;"
		   "CREATE TABLE plans (p TEXT);"
		   "INSERT INTO targets (t) VALUES ('" T_RENAME_WITH_TRIGGER "'), ('" T_RENAME_WITH_TRIGGER "'), ('" T_RENAME_WITH_TRIGGER "')", NULL);
	before = catalog(db);

	r = h_text(db, "SELECT json_array_length(premix_diff('" T_RENAME_WITH_TRIGGER "', " LISTED "), '$.steps')", &err);
	CHECK("diff: plan of rename + rebuild has 2 steps", r && strcmp(r, "2") == 0 && !err);
	free(r);
	free(err);

	r = h_text(db, "SELECT group_concat(json_array_length(premix_diff(t, " LISTED "), '$.steps'), ',') FROM targets", &err);
	CHECK("diff over three rows of a table: every row, no error", r && strcmp(r, "2,2,2") == 0 && !err);
	if (err)
		printf("    error: %s\n", err);
	free(r);
	free(err);

	err = run_err(db, "INSERT INTO plans SELECT premix_diff(t, " LISTED ") FROM targets", NULL);
	CHECK("diff inside INSERT ... SELECT: works", err == NULL && h_int(db, "SELECT count(*) FROM plans") == 3);
	if (err)
		printf("    error: %.200s\n", err);
	free(err);
	h_exec(db, "DELETE FROM plans", NULL);

	h_exec(db, "PRAGMA query_only = ON", NULL);
	r = h_text(db, "SELECT json_array_length(premix_diff('" T_RENAME_WITH_TRIGGER "', " LISTED "), '$.steps')", &err);
	CHECK("diff on a query_only connection: works", r && strcmp(r, "2") == 0 && !err);
	if (err)
		printf("    error: %.200s\n", err);
	free(r);
	free(err);
	r = h_text(db, "SELECT premix_preview('" T_RENAME_WITH_TRIGGER "', " LISTED ") IS NOT NULL", &err);
	CHECK("preview on a query_only connection: works", r && strcmp(r, "1") == 0 && !err);
	free(r);
	free(err);
	h_exec(db, "PRAGMA query_only = OFF", NULL);

	other = h_open(dbpath);
	h_exec(other, "BEGIN IMMEDIATE", NULL);
	r = h_text(db, "SELECT json_array_length(premix_diff('" T_RENAME_WITH_TRIGGER "', " LISTED "), '$.steps')", &err);
	CHECK("diff while another connection holds the write lock: works", r && strcmp(r, "2") == 0 && !err);
	if (err)
		printf("    error: %.200s\n", err);
	free(r);
	free(err);
	h_exec(other, "ROLLBACK", NULL);
	sqlite3_close(other);

	after = catalog(db);
	CHECK("diff: catalog unchanged", same_str(before, after));
	CHECK("diff: autocommit", sqlite3_get_autocommit(db) == 1);
	CHECK("diff: no ledger", ledger_rows(db) == 0);
	free(after);
	free(before);
	sqlite3_close(db);
}

/*
 * The very last write fails: a trigger of the caller's refuses the ledger
 * row.  Every step already ran; all of it is undone.
 */
static void
test_ledger_failure(void)
{
	sqlite3    *db = fresh();
	char	   *before,
			   *after,
			   *err,
			   *r;

	h_exec(db, "PRAGMA foreign_keys = ON", NULL);
	r = h_text(db, "SELECT json_extract(premix_migrate('" T_ADD_PHONE "', 0, " LISTED "), '$.applied')", NULL);
	CHECK("ledger failure: setup migrate", r && strcmp(r, "1") == 0);
	free(r);
	h_exec(db, "CREATE TRIGGER ledger_frozen BEFORE INSERT ON premix_migrations "
		   "BEGIN SELECT RAISE(ABORT, 'ledger is frozen'); END", NULL);
	before = catalog(db);
	err = run_err(db, "SELECT premix_migrate('" T_ADD_PHONE_FAX "', 0, " LISTED ")", NULL);
	CHECK("ledger failure: premix error with the trigger's message", is_premix_error(err) && strstr(err, "ledger is frozen"));
	free(err);
	after = catalog(db);
	CHECK("ledger failure: catalog unchanged (no fax column)", same_str(before, after));
	CHECK("ledger failure: ledger unchanged", ledger_rows(db) == 1);
	CHECK("ledger failure: autocommit", sqlite3_get_autocommit(db) == 1);
	CHECK("ledger failure: foreign_keys restored", h_int(db, "PRAGMA foreign_keys") == 1);
	free(after);
	free(before);
	sqlite3_close(db);
}

/*
 * A stale plan: the schema changed between premix_diff and premix_apply.
 * Refused before anything runs (40001), nothing changed; a plan whose
 * target is already reached is a no-op.  (Its error text shows
 * fingerprints, which is why this is not a golden test.)
 */
static void
test_stale_plan(void)
{
	sqlite3    *db = fresh();
	char	   *plan = h_text(db, "SELECT premix_diff('" T_ADD_PHONE_FAX "', " LISTED ")", NULL);
	char	   *before,
			   *after,
			   *err,
			   *r,
			   *sql = sqlite3_mprintf("SELECT premix_apply(%Q)", plan ? plan : "");
	char	   *sql_applied = sqlite3_mprintf("SELECT json_extract(premix_apply(%Q), '$.applied')", plan ? plan : "");

	h_exec(db, "CREATE INDEX users_name_idx ON users (name)", NULL);
	before = catalog(db);
	err = run_err(db, sql, NULL);
	after = catalog(db);
	CHECK("stale plan: refused with 40001", is_premix_error(err) && strstr(err, "SQLSTATE: 40001") &&
		  strstr(err, "changed since the plan was made"));
	CHECK("stale plan: catalog unchanged", same_str(before, after));
	CHECK("stale plan: no ledger", ledger_rows(db) == 0);
	free(err);
	free(after);
	free(before);

	/* the same plan once its target is reached another way: nothing to do */
	h_exec(db, "DROP INDEX users_name_idx; ALTER TABLE users ADD COLUMN phone TEXT; ALTER TABLE users ADD COLUMN fax TEXT", NULL);
	r = h_text(db, sql_applied, &err);
	CHECK("plan whose target is reached: applied 0", r && strcmp(r, "0") == 0 && !err);
	CHECK("plan whose target is reached: no ledger", ledger_rows(db) == 0);
	free(r);
	free(err);
	sqlite3_free(sql);
	sqlite3_free(sql_applied);
	free(plan);
	sqlite3_close(db);
}

/*
 * Another connection to the same file (rollback journal) holds a read
 * transaction, so the final RELEASE -- the COMMIT in autocommit mode --
 * fails with SQLITE_BUSY.  premix must then undo and end its savepoint:
 * the connection back in autocommit mode, foreign_keys restored, nothing
 * applied; the caller's next statements are committed as usual.  Another
 * connection holding the write lock makes the first write fail: the same.
 */
static void
test_other_connection(void)
{
	sqlite3    *db = fresh();
	sqlite3    *other = h_open(dbpath);
	char	   *before,
			   *after,
			   *err;
	int			rc;

	h_exec(db, "PRAGMA foreign_keys = ON", NULL);
	before = catalog(db);

	/* a read-only connection (PRAGMA query_only): refused cleanly */
	h_exec(db, "PRAGMA query_only = ON", NULL);
	err = run_err(db, "SELECT premix_migrate('" T_REBUILD "', 1, " LISTED ")", &rc);
	CHECK("query_only: the call fails with a premix error", is_premix_error(err));
	free(err);
	CHECK("query_only: no transaction left open", sqlite3_get_autocommit(db) == 1);
	CHECK("query_only: foreign_keys restored", h_int(db, "PRAGMA foreign_keys") == 1);
	after = catalog(db);
	CHECK("query_only: catalog unchanged", same_str(before, after));
	free(after);
	h_exec(db, "PRAGMA query_only = OFF", NULL);

	/* a reader: the commit is refused */
	h_exec(other, "BEGIN", NULL);
	CHECK("commit busy: reader holds a read transaction", h_int(other, "SELECT count(*) FROM users") == 3);
	err = run_err(db, "SELECT premix_migrate('" T_REBUILD "', 1, " LISTED ")", &rc);
	CHECK("commit busy: the call fails with a premix error", is_premix_error(err));
	if (err)
		printf("    error: %.200s\n", err);
	free(err);
	CHECK("commit busy: no transaction left open", sqlite3_get_autocommit(db) == 1);
	CHECK("commit busy: foreign_keys restored", h_int(db, "PRAGMA foreign_keys") == 1);
	after = catalog(db);
	CHECK("commit busy: catalog unchanged (as the caller sees it)", same_str(before, after));
	CHECK("commit busy: no ledger row", ledger_rows(db) == 0);
	free(after);
	h_exec(other, "COMMIT", NULL);
	/* the caller carries on in autocommit mode; closing rolls back anything left open */
	h_exec(db, "INSERT INTO users VALUES (20, 'later', NULL)", NULL);
	sqlite3_close(db);
	db = h_open(dbpath);
	CHECK("commit busy: the caller's next insert was committed", h_int(db, "SELECT count(*) FROM users WHERE id = 20") == 1);
	h_exec(db, "DELETE FROM users WHERE id = 20", NULL);
	h_exec(db, "PRAGMA foreign_keys = ON", NULL);

	/* a writer: the first write is refused */
	h_exec(other, "BEGIN IMMEDIATE", NULL);
	err = run_err(db, "SELECT premix_migrate('" T_REBUILD "', 1, " LISTED ")", &rc);
	CHECK("write lock busy: the call fails with a premix error", is_premix_error(err));
	free(err);
	CHECK("write lock busy: no transaction left open", sqlite3_get_autocommit(db) == 1);
	CHECK("write lock busy: foreign_keys restored", h_int(db, "PRAGMA foreign_keys") == 1);
	after = catalog(db);
	CHECK("write lock busy: catalog unchanged", same_str(before, after));
	free(after);
	h_exec(other, "ROLLBACK", NULL);

	/* and once the other connection is done, the same call works */
	err = run_err(db, "SELECT premix_migrate('" T_REBUILD "', 1, " LISTED ")", &rc);
	CHECK("other connection done: migrate works", err == NULL);
	free(err);
	CHECK("other connection done: the other connection sees the change",
		  h_int(other, "SELECT \"notnull\" FROM pragma_table_info('users') WHERE name = 'name'") == 1);
	free(before);
	sqlite3_close(other);
	sqlite3_close(db);
}

/*
 * Error paths of every function: each raises a "premix: ..." error (or,
 * where the argument is optional, a result), never crashes or leaks.
 */
static void
test_error_paths(void)
{
	sqlite3    *db = fresh();
	char	   *before = catalog(db);
	char	   *after;
	char	   *deep;
	static const char *const must_fail[] = {
		/* premix_schema */
		"SELECT premix_schema(42)",
		"SELECT premix_schema(4.5)",
		"SELECT premix_schema('{')",
		"SELECT premix_schema('{\"scope\":1}')",
		"SELECT premix_schema('[]')",
		/* premix_diff */
		"SELECT premix_diff(NULL)",
		"SELECT premix_diff(42)",
		"SELECT premix_diff(4.5)",
		"SELECT premix_diff(x'7b')",
		"SELECT premix_diff(x'ff')",
		"SELECT premix_diff(zeroblob(16))",
		"SELECT premix_diff('')",
		"SELECT premix_diff('{')",
		"SELECT premix_diff('{\"tables\":[{\"name\":\"a\"}]}')",
		"SELECT premix_diff('{\"tables\":[]}', 42)",
		"SELECT premix_diff('{\"tables\":[]}', '{')",
		"SELECT premix_diff('{\"tables\":[]}', '{\"scope\":\"x\"}')",
		"SELECT premix_diff(CAST(x'7b227461626c6573223a5b7b226e616d65223a2261ff62227d5d7d' AS TEXT))",
		"SELECT premix_diff('CREATE TABLE a (x); DROP TABLE users')",
		"SELECT premix_diff('CREATE TABLE')",
		"SELECT premix_diff(';;;')",
		/* premix_preview */
		"SELECT premix_preview(NULL)",
		"SELECT premix_preview('')",
		"SELECT premix_preview('{')",
		"SELECT premix_preview('{\"format\":1,\"dialect\":\"sqlite\",\"steps\":5}')",
		"SELECT premix_preview('{\"tables\":[]}', 'x')",
		/* premix_apply */
		"SELECT premix_apply(NULL)",
		"SELECT premix_apply(42)",
		"SELECT premix_apply('')",
		"SELECT premix_apply('{')",
		"SELECT premix_apply('{}')",
		"SELECT premix_apply('{\"format\":1}')",
		"SELECT premix_apply('{\"tables\":[]}')",
		"SELECT premix_apply('{\"format\":1,\"dialect\":\"sqlite\",\"from\":\"a\",\"to\":\"b\",\"destructive\":false,\"blocked\":false,\"steps\":[{\"op\":\"nope\"}],\"warnings\":[]}')",
		"SELECT premix_apply('{\"format\":1,\"dialect\":\"mysql\",\"from\":\"a\",\"to\":\"b\",\"destructive\":false,\"blocked\":false,\"steps\":[],\"warnings\":[]}')",
		"SELECT premix_apply('{\"format\":1,\"dialect\":\"sqlite\",\"from\":\"a\",\"to\":\"b\",\"destructive\":false,\"blocked\":false,\"steps\":[],\"warnings\":[]}', 'yes')",
		/* premix_migrate */
		"SELECT premix_migrate(NULL)",
		"SELECT premix_migrate(42, 1)",
		"SELECT premix_migrate('{', 1)",
		"SELECT premix_migrate(x'00', 1)",
		"SELECT premix_migrate('{\"tables\":[]}', NULL, 42)",
		"SELECT premix_migrate('{\"tables\":[]}', 0, '{\"nope\":1}')",
		"SELECT premix_migrate('{\"tables\":[]}')",	/* drops tables: destructive */
		NULL
	};
	static const char *const wrong_arity[] = {
		"SELECT premix_diff()",
		"SELECT premix_diff('a', 'b', 'c')",
		"SELECT premix_schema('a', 'b')",
		"SELECT premix_preview()",
		"SELECT premix_apply()",
		"SELECT premix_apply('a', 1, 2)",
		"SELECT premix_migrate()",
		"SELECT premix_migrate('a', 1, 'b', 'c')",
		"SELECT premix_version(1)",
		NULL
	};

	for (int i = 0; must_fail[i]; i++)
	{
		char		name[300];
		int			rc;
		char	   *err = run_err(db, must_fail[i], &rc);

		snprintf(name, sizeof(name), "error path: %s", must_fail[i]);
		CHECK(name, is_premix_error(err) && rc == SQLITE_ERROR);
		if (!is_premix_error(err))
			printf("    got: %s\n", err ? err : "(no error)");
		free(err);
	}
	for (int i = 0; wrong_arity[i]; i++)
	{
		char		name[300];
		char	   *err = run_err(db, wrong_arity[i], NULL);

		snprintf(name, sizeof(name), "wrong arity refused by SQLite: %s", wrong_arity[i]);
		CHECK(name, err && strstr(err, "wrong number of arguments"));
		free(err);
	}

	/* optional arguments given as NULL are "absent" */
	{
		char	   *r = h_text(db, "SELECT premix_schema(NULL) = premix_schema()", NULL);

		CHECK("premix_schema(NULL) is premix_schema()", r && strcmp(r, "1") == 0);
		free(r);
		r = h_text(db, "SELECT premix_version()", NULL);
		CHECK("premix_version()", r && strcmp(r, "0.1.0") == 0);
		free(r);
	}

	/* deep nesting: refused by the depth limit, no stack overflow */
	{
		size_t		n = 100000;
		char	   *err;

		deep = malloc(2 * n + 1);
		memset(deep, '[', n);
		memset(deep + n, ']', n);
		deep[2 * n] = '\0';
		free(bind_text(db, "SELECT premix_diff(?1)", deep, NULL, NULL, &err));
		CHECK("deeply nested target: premix error", is_premix_error(err));
		free(err);
		free(bind_text(db, "SELECT premix_apply(?1)", deep, NULL, NULL, &err));
		CHECK("deeply nested plan: premix error", is_premix_error(err));
		free(err);
		free(bind_text(db, "SELECT premix_diff('{\"tables\":[]}', ?1)", deep, NULL, NULL, &err));
		CHECK("deeply nested options: premix error", is_premix_error(err));
		free(err);
		free(deep);
	}
	/* a long unterminated string and a huge identifier */
	{
		size_t		n = 200000;
		char	   *big = malloc(n + 128);
		char	   *err;

		strcpy(big, "{\"tables\":[{\"name\":\"");
		memset(big + strlen(big), 'x', n);
		big[20 + n] = '\0';
		free(bind_text(db, "SELECT premix_diff(?1)", big, NULL, NULL, &err));
		CHECK("unterminated huge string: premix error", is_premix_error(err));
		free(err);
		strcpy(big + 20 + n, "\",\"columns\":[{\"name\":\"id\",\"type\":\"integer\"}]}]}");
		free(bind_text(db, "SELECT premix_diff(?1, '{\"scope\":\"listed\"}')", big, NULL, NULL, &err));
		CHECK("identifier over the limit: premix error", is_premix_error(err));
		free(err);
		free(big);
	}
	/*
	 * An embedded NUL: the text after it must not be silently ignored --
	 * premix_migrate('{"tables":[]}<NUL>...', true) would otherwise drop
	 * every table.  Malformed JSON (trailing garbage): an error.
	 */
	{
		static const char t[] = "{\"tables\":[]}\0{\"tables\":[\"not what premix reads\"]}";
		sqlite3_stmt *st = NULL;
		int			rc;

		sqlite3_prepare_v2(db, "SELECT premix_diff(?1)", -1, &st, NULL);
		sqlite3_bind_text(st, 1, t, (int) sizeof(t) - 1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		CHECK("embedded NUL in a target: refused", rc == SQLITE_ERROR && is_premix_error(sqlite3_errmsg(db)));
		sqlite3_finalize(st);
	}

	/* SQLITE_DIRECTONLY: not from a view or a trigger */
	{
		char	   *err;

		h_exec(db, "CREATE VIEW v_schema AS SELECT premix_schema() AS s", NULL);
		err = run_err(db, "SELECT * FROM v_schema", NULL);
		CHECK("premix_schema from a view is refused", err && strstr(err, "unsafe use of premix_schema"));
		free(err);
		h_exec(db, "DROP VIEW v_schema", NULL);
		h_exec(db, "CREATE TRIGGER trg_migrate AFTER INSERT ON targets BEGIN "
			   "UPDATE targets SET r = premix_migrate(new.t, 1) WHERE id = new.id; END", NULL);
		err = run_err(db, "INSERT INTO targets (t) VALUES ('{\"tables\":[]}')", NULL);
		CHECK("premix_migrate from a trigger is refused", err && strstr(err, "unsafe use of premix_migrate"));
		free(err);
		h_exec(db, "DROP TRIGGER trg_migrate", NULL);
	}

	after = catalog(db);
	CHECK("error paths: catalog unchanged", same_str(before, after));
	CHECK("error paths: rows unchanged", h_int(db, "SELECT count(*) FROM users") == 3 &&
		  h_int(db, "SELECT count(*) FROM posts") == 2 && h_int(db, "SELECT count(*) FROM targets") == 0);
	CHECK("error paths: no ledger", ledger_rows(db) == 0);
	CHECK("error paths: autocommit", sqlite3_get_autocommit(db) == 1);
	free(before);
	free(after);
	sqlite3_close(db);
}

/*
 * Out of memory: premix_migrate (a rebuild, foreign_keys on) under a hard
 * heap limit that grows step by step from "nothing to spare" until the
 * call succeeds.  Every failed call must leave foreign_keys and
 * legacy_alter_table restored and, once the application has rolled back
 * as SQLite asks after SQLITE_NOMEM, the schema wholly before and the rows
 * intact; a failure other than SQLITE_NOMEM leaves no transaction open.
 */
static void
test_out_of_memory(void)
{
	sqlite3    *db = fresh();
	char	   *before;
	int			failed = 0,
				succeeded = 0,
				left_open = 0,
				torn = 0,
				bad_fk = 0,
				bad_legacy = 0,
				bad_integrity = 0,
				not_premix = 0;
	sqlite3_int64 base;

	h_exec(db, "PRAGMA foreign_keys = ON", NULL);
	before = catalog(db);
	base = sqlite3_memory_used();
	for (sqlite3_int64 extra = 0; extra <= 4000000 && !succeeded; extra += 2000)
	{
		char	   *err,
				   *now,
				   *ok;
		int			rc;

		sqlite3_hard_heap_limit64(base + extra);
		err = run_err(db, "SELECT premix_migrate('" T_REBUILD "', 1, " LISTED ")", &rc);
		sqlite3_hard_heap_limit64(0);
		if (!err)
		{
			succeeded++;
			continue;
		}
		failed++;
		if (rc != SQLITE_NOMEM && !is_premix_error(err))
			not_premix++;
		free(err);
		if (sqlite3_get_autocommit(db) == 0)
		{
			/*
			 * SQLite's contract for SQLITE_NOMEM: the transaction may be
			 * left open and the application rolls back (SQLite refuses any
			 * SQL inside the failing call once it ran out of memory).  Any
			 * other error must leave no transaction behind.
			 */
			if (rc != SQLITE_NOMEM && left_open++ == 0)
				printf("    oom: a failed call (rc %d) at limit +%lld left a transaction open\n", rc, (long long) extra);
			h_exec(db, "ROLLBACK", NULL);
		}
		if (h_int(db, "PRAGMA foreign_keys") != 1)
		{
			if (bad_fk++ == 0)
				printf("    oom: a failed call at limit +%lld left foreign_keys off\n", (long long) extra);
			h_exec(db, "PRAGMA foreign_keys = ON", NULL);
		}
		if (h_int(db, "PRAGMA legacy_alter_table") != 0)
		{
			if (bad_legacy++ == 0)
				printf("    oom: a failed call at limit +%lld left legacy_alter_table on\n", (long long) extra);
			h_exec(db, "PRAGMA legacy_alter_table = OFF", NULL);
		}
		now = catalog(db);
		if (!same_str(now, before) || ledger_rows(db) != 0)
			torn++;
		ok = h_text(db, "PRAGMA integrity_check", NULL);
		if (!ok || strcmp(ok, "ok") != 0 || h_int(db, "SELECT count(*) FROM users") != 3 ||
			h_int(db, "SELECT count(*) FROM posts") != 2)
			bad_integrity++;
		free(ok);
		free(now);
	}
	printf("    oom: %d calls failed before one succeeded\n", failed);
	CHECK("oom: failures are premix errors or SQLITE_NOMEM", not_premix == 0);
	CHECK("oom: the call succeeds once there is memory", succeeded == 1);
	CHECK("oom: after success name is NOT NULL, children kept",
		  h_int(db, "SELECT \"notnull\" FROM pragma_table_info('users') WHERE name = 'name'") == 1 &&
		  h_int(db, "SELECT count(*) FROM posts") == 2);
	CHECK("oom: only SQLITE_NOMEM may leave the transaction to the application", left_open == 0);
	CHECK("oom: a failed call always restores foreign_keys", bad_fk == 0);
	CHECK("oom: a failed call always restores legacy_alter_table", bad_legacy == 0);
	CHECK("oom: a failed call never half-applies", torn == 0);
	CHECK("oom: database intact, rows kept", bad_integrity == 0);
	free(before);
	sqlite3_close(db);
}

/* Many calls in a loop: every function, successes and errors. */
static void
test_loop(int rounds)
{
	sqlite3    *db = fresh();
	int			bad = 0;

	for (int i = 0; i < rounds; i++)
	{
		char	   *err = NULL;
		char	   *r;

		/* add a column, then rebuild it away (destructive: allowed) */
		r = h_text(db, "SELECT json_extract(premix_migrate('" T_ADD_PHONE "', 0, " LISTED "), '$.applied')", &err);
		if (!r || strcmp(r, "1") != 0)
			bad++;
		free(r);
		free(err);
		r = h_text(db, "SELECT premix_preview(premix_diff('" T_REBUILD "', " LISTED "))", &err);
		if (!r)
			bad++;
		free(r);
		free(err);
		err = run_err(db, "SELECT premix_migrate('" T_REBUILD "', 0, " LISTED ")", NULL);
		if (!is_premix_error(err))	/* drops phone: destructive */
			bad++;
		free(err);
		r = h_text(db, "SELECT json_extract(premix_migrate(premix_schema(), 0), '$.applied')", &err);
		if (!r || strcmp(r, "0") != 0)
			bad++;
		free(r);
		free(err);
		err = run_err(db, "SELECT premix_diff('{\"tables\":[{\"name\":\"users\",\"colums\":[]}]}')", NULL);
		if (!is_premix_error(err))
			bad++;
		free(err);
		r = h_text(db, "SELECT json_extract(premix_migrate('" USERS_PLUS("") "', 1, " LISTED "), '$.applied')", &err);
		if (!r || strcmp(r, "1") != 0)
			bad++;
		free(r);
		free(err);
	}
	CHECK("loop: every call behaved", bad == 0);
	CHECK("loop: ledger has two rows per round", ledger_rows(db) == 2LL * rounds);
	CHECK("loop: rows kept", h_int(db, "SELECT count(*) FROM users") == 3 && h_int(db, "SELECT count(*) FROM posts") == 2);
	sqlite3_close(db);
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR");
	int			rounds = getenv("PREMIX_LOOP") ? atoi(getenv("PREMIX_LOOP")) : 40;

	snprintf(dbpath, sizeof(dbpath), "%s/premix_test_apply_%d.db", tmp ? tmp : "/tmp", (int) getpid());
	test_from_reading_statement();
	test_from_writing_statement();
	test_busy_statement();
	test_transactions();
	test_diff_is_read_only();
	test_stale_plan();
	test_ledger_failure();
	test_other_connection();
	test_error_paths();
	test_out_of_memory();
	test_loop(rounds);
	remove_file_db(dbpath);
	return h_done();
}
