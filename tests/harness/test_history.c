/*
 * test_history.c -- the migration history functions (premix_run,
 * premix_rollback, premix_status, premix_script, premix_purge) through the
 * real libsqlite3 API: what the sqlite3 shell cannot show.
 *
 *  - premix_run applies once, a second call is a no-op, an edited script is
 *    refused (PX001) with the ledger unchanged;
 *  - a hand-written DROP COLUMN is refused (55000) with the schema, the rows
 *    and the ledger unchanged and the connection back in autocommit mode,
 *    then applied with allow_destructive;
 *  - a script that fails on the data (a rebuild to NOT NULL over NULLs) is
 *    blocked (23502) and leaves nothing behind: schema, rows, ledger, no
 *    trash table, no transaction, foreign_keys / legacy_alter_table /
 *    defer_foreign_keys as they were;
 *  - inside the caller's BEGIN ... ROLLBACK premix_run leaves nothing; a
 *    refused call there keeps the caller's transaction and work and leaves
 *    no premix savepoint behind;
 *  - premix_rollback of a premix_migrate that dropped a column and a table
 *    restores the rows exactly (the trash); premix_purge empties the trash
 *    (refused without allow_destructive), after which that rollback fails
 *    and changes nothing;
 *  - premix_status reports drift after a manual ALTER and explains it;
 *  - premix_script's up and down run through premix_run / premix_rollback;
 *  - every function's error paths;
 *  - out of memory: premix_run (a rename and a drop: the probe and the
 *    second run), premix_rollback of a trashed migration, premix_status and
 *    premix_purge under an allocator (SQLITE_CONFIG_MALLOC) that fails the
 *    Nth allocation -- once, or that one and every later one -- for N from
 *    1 until the call succeeds.  Each attempt starts from a copy of the
 *    same database file; a failed call must be a premix error or
 *    SQLITE_NOMEM and leave the database wholly as before (after the
 *    application's ROLLBACK when SQLITE_NOMEM left the transaction open,
 *    as README "SQLite specifics" says), the pragmas restored and no
 *    statement left unfinalized; a call that succeeds leaves it exactly as
 *    an undisturbed call does;
 *    Each sweep runs in a child process, so that a crash (a sanitizer
 *    report) is one FAIL and the other checks still run;
 *  - run / rollback / run in a loop (leaks show up under ASan and valgrind).
 *
 * The out-of-memory sweeps try every allocation under ASan only when the
 * call makes few; otherwise PREMIX_OOM_POINTS evenly spread values of N
 * (default 1000 in the ASan build, 4 in the plain build that tests/run.sh
 * runs under valgrind, to keep that run short while still taking the
 * failure paths there).  PREMIX_LOOP sets the rounds of the loop (50 in
 * the ASan build, 12 under valgrind: a leak shows in one round).
 * PREMIX_OOM_TRACE=1 prints each attempt before it runs (to find the N
 * of a crash).
 *
 * Each check prints PASS/FAIL (harness.h); the exit status is 1 on any
 * failure.
 */
#define _POSIX_C_SOURCE 200809L

#include "harness.h"

#include <sys/wait.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define H_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define H_ASAN 1
#endif
#endif
#ifndef H_ASAN
#define H_ASAN 0
#endif

static char dbpath[256];
static char basepath[300];

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

/* Copy a (closed) database file; exits on failure. */
static void
copy_file(const char *from, const char *to)
{
	FILE	   *in = fopen(from, "rb");
	FILE	   *out;
	char		buf[65536];
	size_t		n;

	remove_file_db(to);
	out = fopen(to, "wb");
	if (!in || !out)
	{
		fprintf(stderr, "cannot copy %s to %s\n", from, to);
		exit(2);
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
		{
			fprintf(stderr, "cannot write %s\n", to);
			exit(2);
		}
	fclose(in);
	fclose(out);
}

/* ------------------------------------------------ failing allocator */

/*
 * SQLite's allocator, wrapped: when armed, allocations are counted, and
 * the one numbered oom_at (1-based) fails -- with oom_sticky, every one
 * after it too.  premix allocates through sqlite3_malloc64, so its own
 * memory fails the same way.
 */
static sqlite3_mem_methods mem0;
static int	oom_armed;
static int	oom_sticky;
static long long oom_at;
static long long oom_n;

static int
oom_fail(void)
{
	if (!oom_armed)
		return 0;
	oom_n++;
	return oom_at > 0 && (oom_n == oom_at || (oom_sticky && oom_n > oom_at));
}

static void *
oom_malloc(int n)
{
	return oom_fail() ? NULL : mem0.xMalloc(n);
}

static void *
oom_realloc(void *p, int n)
{
	return oom_fail() ? NULL : mem0.xRealloc(p, n);
}

static void
oom_install(void)
{
	sqlite3_mem_methods m;

	if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &mem0) != SQLITE_OK)
		exit(2);
	m = mem0;
	m.xMalloc = oom_malloc;
	m.xRealloc = oom_realloc;
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &m) != SQLITE_OK)
	{
		fprintf(stderr, "cannot install the failing allocator\n");
		exit(2);
	}
}

static void
oom_arm(long long at, int sticky)
{
	oom_n = 0;
	oom_at = at;
	oom_sticky = sticky;
	oom_armed = 1;
}

static void
oom_disarm(void)
{
	oom_armed = 0;
}

/* ------------------------------------------------------------ helpers */

typedef struct Buf
{
	char	   *s;
	size_t		len,
				cap;
} Buf;

static void
buf_add(Buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap)
	{
		b->cap = (b->len + n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		if (!b->s)
			exit(2);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
buf_str(Buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static int
same_str(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/*
 * The rows of one query, each value with its storage class, rows sorted
 * (so the order SQLite returns them in does not matter).  Appended to b.
 */
static void
dump_query(sqlite3 *db, const char *sql, Buf *b)
{
	sqlite3_stmt *st = NULL;
	char	  **rows = NULL;
	size_t		n = 0,
				cap = 0;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
	{
		buf_str(b, "<error: ");
		buf_str(b, sqlite3_errmsg(db));
		buf_str(b, ">\n");
		return;
	}
	while (sqlite3_step(st) == SQLITE_ROW)
	{
		Buf			r = {0};

		for (int i = 0; i < sqlite3_column_count(st); i++)
		{
			static const char *const tag[] = {"?", "i:", "r:", "t:", "b:", "null"};
			int			t = sqlite3_column_type(st, i);

			buf_str(&r, i ? "|" : "");
			buf_str(&r, tag[t >= 1 && t <= 5 ? t : 0]);
			if (t == SQLITE_BLOB)
			{
				const unsigned char *p = sqlite3_column_blob(st, i);

				for (int k = 0; k < sqlite3_column_bytes(st, i); k++)
				{
					char		hex[3];

					snprintf(hex, sizeof(hex), "%02x", p[k]);
					buf_add(&r, hex, 2);
				}
			}
			else if (t != SQLITE_NULL)
				buf_add(&r, (const char *) sqlite3_column_text(st, i), (size_t) sqlite3_column_bytes(st, i));
		}
		if (n == cap)
		{
			cap = cap ? cap * 2 : 16;
			rows = realloc(rows, cap * sizeof(char *));
		}
		rows[n++] = r.s ? r.s : strdup("");
	}
	sqlite3_finalize(st);
	if (n)
		qsort(rows, n, sizeof(char *), cmp_str);
	for (size_t i = 0; i < n; i++)
	{
		buf_str(b, rows[i]);
		buf_str(b, "\n");
		free(rows[i]);
	}
	free(rows);
}

/* The rows of one table (malloc'ed), as dump_query shows them. */
static char *
rows_of(sqlite3 *db, const char *table)
{
	Buf			b = {0};
	char	   *sql = sqlite3_mprintf("SELECT * FROM main.\"%w\"", table);

	dump_query(db, sql, &b);
	sqlite3_free(sql);
	return b.s ? b.s : strdup("");
}

/*
 * Everything a migration may change, as one string (malloc'ed): the
 * catalog, every table's rows, the ledger (its times only as set / not
 * set, so that two runs of the same call compare equal).
 */
static char *
dump(sqlite3 *db)
{
	Buf			b = {0};
	sqlite3_stmt *st = NULL;

	buf_str(&b, "catalog:\n");
	dump_query(db, "SELECT type, name, tbl_name, sql FROM main.sqlite_schema", &b);
	sqlite3_prepare_v2(db, "SELECT name FROM main.sqlite_schema WHERE type = 'table' "
					   "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name", -1, &st, NULL);
	while (st && sqlite3_step(st) == SQLITE_ROW)
	{
		const char *name = (const char *) sqlite3_column_text(st, 0);

		buf_str(&b, "table ");
		buf_str(&b, name);
		buf_str(&b, ":\n");
		if (strcmp(name, "premix_migrations") == 0)
			dump_query(db, "SELECT id, version, name, kind, checksum, applied_at IS NOT NULL, from_fingerprint, "
					   "to_fingerprint, up_sql, down_sql, steps, effect, after_commit, rolled_back_at IS NOT NULL, "
					   "to_schema FROM main.premix_migrations", &b);
		else
		{
			char	   *sql = sqlite3_mprintf("SELECT * FROM main.\"%w\"", name);

			dump_query(db, sql, &b);
			sqlite3_free(sql);
		}
	}
	sqlite3_finalize(st);
	return b.s;
}

/* Count of ledger rows (0 when there is no ledger table yet). */
static long long
ledger_rows(sqlite3 *db)
{
	if (h_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'premix_migrations'") == 0)
		return 0;
	return h_int(db, "SELECT count(*) FROM premix_migrations");
}

/* Number of premix_trash_ tables. */
static long long
trash_tables(sqlite3 *db)
{
	return h_int(db, "SELECT count(*) FROM main.sqlite_schema WHERE type = 'table' "
				 "AND name LIKE 'premix\\_trash\\_%' ESCAPE '\\'");
}

/* A premix error: "premix: ..." with a SQLSTATE line. */
static int
is_premix_error(const char *msg)
{
	return msg && strncmp(msg, "premix: ", 8) == 0 && strstr(msg, "\nSQLSTATE: ") != NULL;
}

/* A premix error with this SQLSTATE. */
static int
has_state(const char *msg, const char *state)
{
	const char *p = msg ? strstr(msg, "\nSQLSTATE: ") : NULL;

	return is_premix_error(msg) && p && strcmp(p + 11, state) == 0;
}

/*
 * Run one statement with up to four bound text parameters (NULL binds SQL
 * NULL), stepping it to the end.  Returns the first column of the first
 * row (malloc'ed) or NULL; the error (malloc'ed) in *err, the result code
 * in *rc when asked.
 */
static char *
q4(sqlite3 *db, char **err, int *rc_out, const char *sql,
   const char *p1, const char *p2, const char *p3, const char *p4)
{
	sqlite3_stmt *st = NULL;
	const char *p[4] = {p1, p2, p3, p4};
	char	   *out = NULL;
	int			rc;

	*err = NULL;
	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
	{
		*err = strdup(sqlite3_errmsg(db));
		if (rc_out)
			*rc_out = rc;
		return NULL;
	}
	for (int i = 0; i < 4 && i < sqlite3_bind_parameter_count(st); i++)
		if (p[i] && (rc = sqlite3_bind_text(st, i + 1, p[i], -1, SQLITE_TRANSIENT)) != SQLITE_OK)
		{
			/* out of memory copying the parameter: the statement is not run */
			*err = strdup(sqlite3_errstr(rc));
			sqlite3_finalize(st);
			if (rc_out)
				*rc_out = rc;
			return NULL;
		}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		out = strdup((const char *) sqlite3_column_text(st, 0));
	while (rc == SQLITE_ROW)
		rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
	{
		*err = strdup(sqlite3_errmsg(db));
		free(out);
		out = NULL;
	}
	sqlite3_finalize(st);
	if (rc_out)
		*rc_out = rc == SQLITE_DONE ? SQLITE_OK : rc;
	return out;
}

/* json_extract(json, path) through SQLite (malloc'ed; NULL for none). */
static char *
jget(sqlite3 *db, const char *json, const char *path)
{
	char	   *err = NULL;
	char	   *r = q4(db, &err, NULL, "SELECT json_extract(?1, ?2)", json ? json : "null", path, NULL, NULL);

	free(err);
	return r;
}

/* json_extract(json, path) = want (text comparison). */
static int
jis(sqlite3 *db, const char *json, const char *path, const char *want)
{
	char	   *v = jget(db, json, path);
	int			ok = want ? same_str(v, want) : v == NULL;

	if (!ok && json)
		printf("    %s is %s, not %s\n", path, v ? v : "(null)", want);
	free(v);
	return ok;
}

/* json_extract(json, path) contains needle. */
static int
jhas(sqlite3 *db, const char *json, const char *path, const char *needle)
{
	char	   *v = jget(db, json, path);
	int			ok = v && strstr(v, needle);

	free(v);
	return ok;
}

/* No savepoint of this name is open on db (ROLLBACK TO it fails). */
static int
no_savepoint(sqlite3 *db, const char *name)
{
	char	   *sql = sqlite3_mprintf("ROLLBACK TO \"%w\"", name);
	char	   *err = NULL;
	int			rc = h_exec(db, sql, &err);
	int			ok = rc != SQLITE_OK && err && strstr(err, "no such savepoint");

	sqlite3_free(sql);
	sqlite3_free(err);
	return ok;
}

/* The connection's pragmas as one number: foreign_keys, legacy_alter_table, defer_foreign_keys. */
static long long
pragmas(sqlite3 *db)
{
	return h_int(db, "PRAGMA foreign_keys") * 100 + h_int(db, "PRAGMA legacy_alter_table") * 10 +
		h_int(db, "PRAGMA defer_foreign_keys");
}

/*
 * users (3 rows: one NULL name, values in legacy and email), audit
 * (2 rows), posts (2 rows, references users ON DELETE CASCADE).
 */
#define SETUP_SQL \
	"CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, legacy TEXT, email TEXT);" \
	"INSERT INTO users VALUES (1, 'ann', 'L1', 'a@x'), (2, NULL, NULL, x'00ff'), (3, 'cy', 'L3', 3.5);" \
	"CREATE TABLE audit (id INTEGER PRIMARY KEY, msg TEXT);" \
	"CREATE INDEX audit_msg_idx ON audit (msg);" \
	"INSERT INTO audit VALUES (1, 'a'), (2, NULL);" \
	"CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id) ON DELETE CASCADE, title TEXT);" \
	"INSERT INTO posts VALUES (1, 1, 'p1'), (2, 3, 'p2');"

/* A fresh database file at path with the tables above. */
static sqlite3 *
fresh_at(const char *path)
{
	sqlite3    *db;

	remove_file_db(path);
	db = h_open(path);
	if (h_exec(db, SETUP_SQL, NULL) != SQLITE_OK)
	{
		fprintf(stderr, "setup failed: %s\n", sqlite3_errmsg(db));
		exit(2);
	}
	return db;
}

static sqlite3 *
fresh(void)
{
	return fresh_at(dbpath);
}

#define RUN6 "SELECT premix_run(?1, ?2, ?3, ?4, %d, %s)"

/* premix_run(version, name, up, down, allow [, options]) -> result (malloc'ed) or NULL with *err */
static char *
run(sqlite3 *db, const char *version, const char *name, const char *up, const char *down,
	int allow, char **err)
{
	char		sql[100];

	snprintf(sql, sizeof(sql), "SELECT premix_run(?1, ?2, ?3, ?4, %d)", allow);
	return q4(db, err, NULL, sql, version, name, up, down);
}

/* The script of the sweeps and the loop: a rename (needs no rows) and a drop (needs them). */
#define UP_REN_DROP "ALTER TABLE users RENAME COLUMN name TO full_name;\nALTER TABLE users DROP COLUMN legacy;\n"
#define DOWN_REN_DROP "ALTER TABLE users ADD COLUMN legacy TEXT;\nALTER TABLE users RENAME COLUMN full_name TO name;\n"
/* a planned target without users.email and without table audit (scope all) */
#define T_DROP_EMAIL_AUDIT \
	"CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, legacy TEXT);" \
	"CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id) ON DELETE CASCADE, title TEXT);"
/* a rebuild script making users.name NOT NULL: user 2 has none */
#define UP_NAME_NOT_NULL \
	"CREATE TABLE users_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL, legacy TEXT, email TEXT);\n" \
	"INSERT INTO users_new SELECT id, name, legacy, email FROM users;\n" \
	"DROP TABLE users;\n" \
	"ALTER TABLE users_new RENAME TO users;\n"

/* ------------------------------------------------------------- tests */

/* Run once, then the same call again (a no-op), then an edited script (PX001). */
static void
test_run_once(void)
{
	sqlite3    *db = fresh();
	char	   *r,
			   *err,
			   *before,
			   *after,
			   *checksum;

	r = run(db, "20260101000100", "add_phone", "ALTER TABLE users ADD COLUMN phone TEXT;",
			"ALTER TABLE users DROP COLUMN phone;", 0, &err);
	CHECK("run once: applied", r && !err && jis(db, r, "$.applied", "1"));
	if (err)
		printf("    error: %s\n", err);
	free(err);
	CHECK("run once: ledger_id 1", jis(db, r, "$.ledger_id", "1"));
	CHECK("run once: effect is one add_column", jis(db, r, "$.effect[0].op", "add_column") &&
		  jis(db, r, "$.effect[0].object", "phone") && jis(db, r, "$.effect[1]", NULL));
	checksum = jget(db, r, "$.checksum");
	CHECK("run once: checksum is a SHA-256 in hex", checksum && strlen(checksum) == 64 &&
		  strspn(checksum, "0123456789abcdef") == 64);
	CHECK("run once: column added", h_int(db, "SELECT count(*) FROM pragma_table_info('users') WHERE name = 'phone'") == 1);
	{
		char	   *row = h_text(db, "SELECT version || '|' || name || '|' || kind || '|' || checksum || '|' || "
								 "down_sql || '|' || steps || '|' || ifnull(rolled_back_at, 'NULL') FROM premix_migrations", NULL);
		char		want[400];

		snprintf(want, sizeof(want), "20260101000100|add_phone|run|%s|ALTER TABLE users DROP COLUMN phone;|1|NULL",
				 checksum ? checksum : "?");
		CHECK("run once: the ledger row", ledger_rows(db) == 1 && same_str(row, want));
		if (!same_str(row, want))
			printf("    ledger row: %s\n", row ? row : "(none)");
		free(row);
	}
	CHECK("run once: autocommit", sqlite3_get_autocommit(db) == 1);
	free(r);

	/* the same call again: nothing to do, nothing recorded */
	before = dump(db);
	r = run(db, "20260101000100", "add_phone", "ALTER TABLE users ADD COLUMN phone TEXT;",
			"ALTER TABLE users DROP COLUMN phone;", 0, &err);
	after = dump(db);
	CHECK("run again: a no-op", r && !err && jis(db, r, "$.applied", "0") && jis(db, r, "$.ledger_id", "1") &&
		  jis(db, r, "$.effect", "[]") && jhas(db, r, "$.message", "already applied"));
	CHECK("run again: database unchanged", same_str(before, after));
	free(r);
	free(err);
	free(after);

	/* edited after it was applied: PX001 naming both checksums */
	r = run(db, "20260101000100", "add_phone", "ALTER TABLE users ADD COLUMN phone TEXT NOT NULL DEFAULT '';",
			"ALTER TABLE users DROP COLUMN phone;", 1, &err);
	after = dump(db);
	CHECK("edited: refused with PX001", !r && has_state(err, "PX001") && err && strstr(err, "was edited"));
	CHECK("edited: the error names the recorded checksum", err && checksum && strstr(err, checksum));
	CHECK("edited: the error names the new checksum",
		  err && strstr(err, "this up SQL has checksum ") &&
		  strspn(strstr(err, "this up SQL has checksum ") + 25, "0123456789abcdef") == 64);
	CHECK("edited: ledger and schema unchanged", same_str(before, after));
	CHECK("edited: autocommit", sqlite3_get_autocommit(db) == 1);
	free(r);
	free(err);
	free(after);

	/* an older version: out of order, refused; with the option, applied */
	r = run(db, "20260101000050", "early", "CREATE TABLE early (id INTEGER PRIMARY KEY);", "DROP TABLE early;", 0, &err);
	after = dump(db);
	CHECK("out of order: refused with PX001", !r && has_state(err, "PX001") && strstr(err, "older than"));
	CHECK("out of order: database unchanged", same_str(before, after));
	free(r);
	free(err);
	free(after);
	r = q4(db, &err, NULL, "SELECT premix_run(?1, ?2, ?3, ?4, 0, '{\"out_of_order\": true}')",
		   "20260101000050", "early", "CREATE TABLE early (id INTEGER PRIMARY KEY);", "DROP TABLE early;");
	CHECK("out of order with the option: applied", r && !err && jis(db, r, "$.applied", "1") &&
		  h_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'early'") == 1);
	free(r);
	free(err);
	free(before);
	free(checksum);
	sqlite3_close(db);
}

/*
 * A hand-written DROP COLUMN: refused without allow_destructive (55000),
 * nothing changed, no transaction left; applied with it.  Foreign keys
 * are on and legacy_alter_table is on: both come back.
 */
static void
test_drop_column(void)
{
	sqlite3    *db = fresh();
	char	   *r,
			   *err,
			   *before,
			   *after;
	long long	p0;

	h_exec(db, "PRAGMA foreign_keys = ON; PRAGMA legacy_alter_table = ON", NULL);
	p0 = pragmas(db);
	before = dump(db);
	r = run(db, "20260101000200", "drop_legacy", "ALTER TABLE users DROP COLUMN legacy;",
			"ALTER TABLE users ADD COLUMN legacy TEXT;", 0, &err);
	after = dump(db);
	CHECK("drop column: refused with 55000", !r && has_state(err, "55000"));
	CHECK("drop column: the error counts the values", err && strstr(err, "drop_column users.legacy") &&
		  strstr(err, "holds 2 non-NULL values in 3 rows"));
	CHECK("drop column: schema, rows and ledger unchanged", same_str(before, after));
	CHECK("drop column: legacy still there with its values",
		  h_int(db, "SELECT count(*) FROM users WHERE legacy IS NOT NULL") == 2);
	CHECK("drop column: no ledger table created", ledger_rows(db) == 0 &&
		  h_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'premix_migrations'") == 0);
	CHECK("drop column: sqlite3_get_autocommit() is 1", sqlite3_get_autocommit(db) == 1);
	CHECK("drop column: pragmas as before", pragmas(db) == p0);
	free(r);
	free(err);
	free(after);

	r = run(db, "20260101000200", "drop_legacy", "ALTER TABLE users DROP COLUMN legacy;",
			"ALTER TABLE users ADD COLUMN legacy TEXT;", 1, &err);
	CHECK("drop column allowed: applied", r && !err && jis(db, r, "$.applied", "1"));
	if (err)
		printf("    error: %s\n", err);
	CHECK("drop column allowed: effect is a destructive drop_column",
		  jis(db, r, "$.effect[0].op", "drop_column") && jis(db, r, "$.effect[0].safety", "destructive"));
	CHECK("drop column allowed: legacy gone", h_int(db, "SELECT count(*) FROM pragma_table_info('users') WHERE name = 'legacy'") == 0);
	{
		char	   *rows = rows_of(db, "users");

		CHECK("drop column allowed: the other values kept",
			  same_str(rows, "i:1|t:ann|t:a@x\ni:2|null|b:00ff\ni:3|t:cy|t:3.5\n"));
		if (!same_str(rows, "i:1|t:ann|t:a@x\ni:2|null|b:00ff\ni:3|t:cy|t:3.5\n"))
			printf("    rows: %s", rows ? rows : "(none)\n");
		free(rows);
	}
	CHECK("drop column allowed: children kept (foreign keys on)", h_int(db, "SELECT count(*) FROM posts") == 2);
	CHECK("drop column allowed: ledger row", ledger_rows(db) == 1);
	CHECK("drop column allowed: autocommit, pragmas as before", sqlite3_get_autocommit(db) == 1 && pragmas(db) == p0);
	free(r);
	free(err);
	free(before);
	sqlite3_close(db);
}

/*
 * A rebuild script making name NOT NULL over a NULL: blocked (23502) with
 * the count, even with allow_destructive, and nothing left behind.
 */
static void
test_blocked_script(void)
{
	sqlite3    *db = fresh();
	char	   *r,
			   *err,
			   *before,
			   *after;
	long long	p0;

	h_exec(db, "PRAGMA foreign_keys = ON; PRAGMA legacy_alter_table = ON", NULL);
	/* a ledger with one row already, so "unchanged" is about its content */
	free(run(db, "20260101000100", "add_phone", "ALTER TABLE users ADD COLUMN phone TEXT;",
			 "ALTER TABLE users DROP COLUMN phone;", 0, &err));
	free(err);
	p0 = pragmas(db);
	before = dump(db);
	r = run(db, "20260101000500", "name_not_null",
			"CREATE TABLE users_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL, legacy TEXT, email TEXT, phone TEXT);\n"
			"INSERT INTO users_new SELECT id, name, legacy, email, phone FROM users;\n"
			"DROP TABLE users;\n"
			"ALTER TABLE users_new RENAME TO users;\n", NULL, 1, &err);
	after = dump(db);
	CHECK("blocked script: refused with 23502", !r && has_state(err, "23502"));
	CHECK("blocked script: the error says blocked, with the count", err && strstr(err, "is blocked") &&
		  strstr(err, "1 row holds NULL"));
	if (!has_state(err, "23502"))
		printf("    got: %s\n", err ? err : "(no error)");
	CHECK("blocked script: schema, rows and ledger unchanged", same_str(before, after));
	CHECK("blocked script: no users_new left", h_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'users_new'") == 0);
	CHECK("blocked script: no premix_trash_ table", trash_tables(db) == 0);
	CHECK("blocked script: children kept", h_int(db, "SELECT count(*) FROM posts") == 2);
	CHECK("blocked script: no transaction open", sqlite3_get_autocommit(db) == 1);
	CHECK("blocked script: foreign_keys, legacy_alter_table, defer_foreign_keys as before", pragmas(db) == p0);
	if (pragmas(db) != p0)
		printf("    pragmas %03lld, were %03lld\n", pragmas(db), p0);
	CHECK("blocked script: integrity", h_int(db, "SELECT count(*) FROM pragma_foreign_key_check") == 0);
	free(r);
	free(err);
	free(after);

	/* a script failing otherwise (no such table) keeps SQLite's message */
	r = run(db, "20260101000600", "typo", "ALTER TABLE userz ADD COLUMN x TEXT;", NULL, 0, &err);
	after = dump(db);
	CHECK("failing script: premix error with the database's message", !r && is_premix_error(err) &&
		  strstr(err, "no such table"));
	CHECK("failing script: nothing changed", same_str(before, after) && sqlite3_get_autocommit(db) == 1 &&
		  pragmas(db) == p0);
	free(r);
	free(err);
	free(after);

	/* the second statement fails: the first is undone too */
	r = run(db, "20260101000600", "half", "ALTER TABLE users ADD COLUMN fax TEXT; ALTER TABLE userz ADD COLUMN x TEXT;", NULL, 0, &err);
	after = dump(db);
	CHECK("failing second statement: nothing changed", !r && is_premix_error(err) && same_str(before, after) &&
		  sqlite3_get_autocommit(db) == 1);
	free(r);
	free(err);
	free(after);
	free(before);
	sqlite3_close(db);
}

/*
 * premix_run inside the caller's BEGIN ... ROLLBACK: the migration is part
 * of the caller's transaction.  A refused call there keeps the transaction
 * and the caller's work and leaves no savepoint of premix's.
 */
static void
test_in_transaction(void)
{
	sqlite3    *db = fresh();
	char	   *r,
			   *err,
			   *before,
			   *after,
			   *inside;

	before = dump(db);
	h_exec(db, "BEGIN", NULL);
	h_exec(db, "INSERT INTO audit VALUES (10, 'caller')", NULL);
	r = run(db, "20260101000100", "add_phone", "ALTER TABLE users ADD COLUMN phone TEXT;",
			"ALTER TABLE users DROP COLUMN phone;", 0, &err);
	CHECK("in BEGIN: applied", r && !err && jis(db, r, "$.applied", "1"));
	CHECK("in BEGIN: still in the caller's transaction", sqlite3_get_autocommit(db) == 0);
	CHECK("in BEGIN: column and ledger row visible inside",
		  h_int(db, "SELECT count(*) FROM pragma_table_info('users') WHERE name = 'phone'") == 1 && ledger_rows(db) == 1);
	CHECK("in BEGIN: no premix savepoint left", no_savepoint(db, "premix_apply") && no_savepoint(db, "premix_probe"));
	free(r);
	free(err);

	/* a script that needs the rows (drop): probe rolled back, second run, still inside */
	r = run(db, "20260101000200", "drop_legacy", "ALTER TABLE users DROP COLUMN legacy;",
			"ALTER TABLE users ADD COLUMN legacy TEXT;", 1, &err);
	CHECK("in BEGIN: a drop applied (probe and second run)", r && !err && jis(db, r, "$.applied", "1") &&
		  h_int(db, "SELECT count(*) FROM pragma_table_info('users') WHERE name = 'legacy'") == 0);
	free(r);
	free(err);

	/* refused inside: the transaction stays open with everything so far */
	inside = dump(db);
	r = run(db, "20260101000300", "drop_email", "ALTER TABLE users DROP COLUMN email;", NULL, 0, &err);
	after = dump(db);
	CHECK("in BEGIN, refused: 55000", !r && has_state(err, "55000"));
	CHECK("in BEGIN, refused: transaction still open", sqlite3_get_autocommit(db) == 0);
	CHECK("in BEGIN, refused: the caller's work and the earlier runs kept", same_str(inside, after) &&
		  h_int(db, "SELECT count(*) FROM audit WHERE id = 10") == 1);
	CHECK("in BEGIN, refused: no premix savepoint left", no_savepoint(db, "premix_apply") && no_savepoint(db, "premix_probe"));
	free(r);
	free(err);
	free(after);

	/* a blocked one inside (fails on the data, explained over emptied tables) */
	r = run(db, "20260101000400", "name_not_null",
			"CREATE TABLE users_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT, phone TEXT);\n"
			"INSERT INTO users_new SELECT id, name, email, phone FROM users;\n"
			"DROP TABLE users;\n"
			"ALTER TABLE users_new RENAME TO users;\n", NULL, 1, &err);
	after = dump(db);
	CHECK("in BEGIN, blocked: 23502", !r && has_state(err, "23502"));
	CHECK("in BEGIN, blocked: everything so far kept, rows not emptied", same_str(inside, after));
	CHECK("in BEGIN, blocked: no premix savepoint left", no_savepoint(db, "premix_apply") && no_savepoint(db, "premix_probe") &&
		  sqlite3_get_autocommit(db) == 0);
	CHECK("in BEGIN, blocked: defer_foreign_keys off", h_int(db, "PRAGMA defer_foreign_keys") == 0);
	free(r);
	free(err);
	free(after);
	free(inside);

	h_exec(db, "ROLLBACK", NULL);
	after = dump(db);
	CHECK("in BEGIN ... ROLLBACK: nothing left (schema, rows, no ledger)", same_str(before, after) && ledger_rows(db) == 0);
	CHECK("in BEGIN ... ROLLBACK: autocommit", sqlite3_get_autocommit(db) == 1);
	free(after);

	/* foreign keys on inside a transaction: a DROP TABLE script is refused (25000) */
	h_exec(db, "PRAGMA foreign_keys = ON; BEGIN", NULL);
	r = run(db, "20260101000500", "drop_audit", "DROP TABLE audit;", NULL, 1, &err);
	CHECK("in BEGIN, foreign keys on: DROP TABLE refused with 25000", !r && has_state(err, "25000"));
	CHECK("in BEGIN, foreign keys on: transaction open, nothing changed", sqlite3_get_autocommit(db) == 0 &&
		  h_int(db, "SELECT count(*) FROM audit") == 2);
	free(r);
	free(err);
	h_exec(db, "ROLLBACK", NULL);
	free(before);
	sqlite3_close(db);
}

/*
 * premix_migrate drops users.email and table audit (allow_destructive):
 * both go to the trash; premix_rollback brings back the structure and
 * exactly the rows.  Then premix_purge.
 */
static void
test_trash_rollback_purge(void)
{
	sqlite3    *db = fresh();
	char	   *r,
			   *err,
			   *plan,
			   *schema0,
			   *users0,
			   *audit0,
			   *migrated,
			   *after;

	h_exec(db, "PRAGMA foreign_keys = ON", NULL);
	schema0 = h_text(db, "SELECT premix_schema()", NULL);
	users0 = rows_of(db, "users");
	audit0 = rows_of(db, "audit");
	plan = q4(db, &err, NULL, "SELECT premix_diff(?1)", T_DROP_EMAIL_AUDIT, NULL, NULL, NULL);
	CHECK("trash: plan made", plan && !err);
	{
		char	   *ops = NULL;
		char	   *e2 = NULL;

		ops = q4(db, &e2, NULL, "SELECT group_concat(json_extract(value, '$.op') || ' ' || json_extract(value, '$.object'), ', ') "
				 "FROM json_each(?1, '$.steps')", plan, NULL, NULL, NULL);
		CHECK("trash: the plan's steps", same_str(ops, "drop_table audit, drop_column email") ||
			  same_str(ops, "drop_column email, drop_table audit"));
		if (!same_str(ops, "drop_table audit, drop_column email") && !same_str(ops, "drop_column email, drop_table audit"))
			printf("    steps: %s\n", ops ? ops : "(none)");
		free(ops);
		free(e2);
	}
	free(err);
	r = q4(db, &err, NULL, "SELECT premix_migrate(?1, 1)", T_DROP_EMAIL_AUDIT, NULL, NULL, NULL);
	CHECK("trash: migrate applied both steps", r && !err && jis(db, r, "$.applied", "2"));
	if (err)
		printf("    error: %s\n", err);
	free(r);
	free(err);
	CHECK("trash: email and audit gone", h_int(db, "SELECT count(*) FROM pragma_table_info('users') WHERE name = 'email'") == 0 &&
		  h_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'audit'") == 0);
	CHECK("trash: premix_trash_audit and premix_trash_users__email",
		  h_int(db, "SELECT count(*) FROM sqlite_schema WHERE name IN ('premix_trash_audit', 'premix_trash_users__email')") == 2 &&
		  trash_tables(db) == 2);
	CHECK("trash: audit's index dropped (names are database-wide)",
		  h_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'audit_msg_idx'") == 0);
	CHECK("trash: premix_schema shows no trash", h_int(db, "SELECT instr(premix_schema(), 'premix_trash') = 0") == 1);
	CHECK("trash: no drift", h_int(db, "SELECT json_extract(premix_status(), '$.drift')") == 0);
	migrated = dump(db);

	/* rows written after the migration get the default; old rows get their values back */
	r = h_text(db, "SELECT premix_rollback()", &err);
	CHECK("trash rollback: rolled back the migrate", r && !err && jis(db, r, "$.rolled_back[0].ledger_id", "1") &&
		  jis(db, r, "$.rolled_back[1]", NULL));
	if (err)
		printf("    error: %s\n", err);
	free(r);
	free(err);
	after = h_text(db, "SELECT premix_schema()", NULL);
	CHECK("trash rollback: schema exactly as before", same_str(after, schema0));
	free(after);
	after = rows_of(db, "users");
	CHECK("trash rollback: users rows exactly (text, blob, real, NULL)", same_str(after, users0));
	if (!same_str(after, users0))
		printf("    users: %s    were: %s", after, users0);
	free(after);
	after = rows_of(db, "audit");
	CHECK("trash rollback: audit rows exactly", same_str(after, audit0));
	free(after);
	CHECK("trash rollback: audit's index back", h_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'audit_msg_idx'") == 1);
	CHECK("trash rollback: trash empty", trash_tables(db) == 0);
	CHECK("trash rollback: ledger row marked, kept", ledger_rows(db) == 1 &&
		  h_int(db, "SELECT count(*) FROM premix_migrations WHERE rolled_back_at IS NOT NULL") == 1);
	CHECK("trash rollback: children kept, foreign keys on", h_int(db, "SELECT count(*) FROM posts") == 2 &&
		  h_int(db, "PRAGMA foreign_keys") == 1 && sqlite3_get_autocommit(db) == 1);
	CHECK("trash rollback: nothing left to roll back",
		  h_int(db, "SELECT json_array_length(premix_rollback(), '$.rolled_back')") == 0);

	/* again, then the purge */
	r = q4(db, &err, NULL, "SELECT premix_migrate(?1, 1)", T_DROP_EMAIL_AUDIT, NULL, NULL, NULL);
	CHECK("purge: migrated again", r && !err && trash_tables(db) == 2);
	free(r);
	free(err);
	free(migrated);
	migrated = dump(db);
	r = h_text(db, "SELECT premix_purge()", &err);
	after = dump(db);
	CHECK("purge without allow_destructive: 55000 naming tables and rows",
		  !r && has_state(err, "55000") && strstr(err, "2 trash tables holding 5 rows"));
	if (!has_state(err, "55000"))
		printf("    got: %s\n", err ? err : r);
	CHECK("purge refused: nothing changed", same_str(migrated, after) && sqlite3_get_autocommit(db) == 1);
	free(r);
	free(err);
	free(after);
	r = h_text(db, "SELECT premix_purge('20000101000000', 1)", &err);
	after = dump(db);
	CHECK("purge older than 2000: nothing purged", r && !err && jis(db, r, "$.purged", "[]") &&
		  jis(db, r, "$.rows", "0") && same_str(migrated, after));
	free(r);
	free(err);
	free(after);
	r = h_text(db, "SELECT premix_purge(NULL, 1)", &err);
	CHECK("purge: both trash tables, 5 rows", r && !err && jis(db, r, "$.rows", "5") &&
		  jis(db, r, "$.purged", "[\"premix_trash_audit\",\"premix_trash_users__email\"]"));
	if (err)
		printf("    error: %s\n", err);
	CHECK("purge: trash empty", trash_tables(db) == 0);
	CHECK("purge: nothing else changed", h_int(db, "SELECT count(*) FROM users") == 3 && h_int(db, "SELECT count(*) FROM posts") == 2 &&
		  sqlite3_get_autocommit(db) == 1);
	free(r);
	free(err);
	free(migrated);
	migrated = dump(db);
	r = h_text(db, "SELECT premix_rollback()", &err);
	after = dump(db);
	CHECK("rollback after purge: refused (its down SQL reads the trash)", !r && is_premix_error(err) &&
		  strstr(err, "down SQL"));
	CHECK("rollback after purge: nothing changed", same_str(migrated, after) && sqlite3_get_autocommit(db) == 1 &&
		  h_int(db, "PRAGMA foreign_keys") == 1);
	free(r);
	free(err);
	free(after);
	r = h_text(db, "SELECT premix_purge(NULL, 1)", &err);
	CHECK("purge of an empty trash: nothing", r && !err && jis(db, r, "$.purged", "[]"));
	free(r);
	free(err);

	/* a trash table that no migration of this history put there is not purged */
	h_exec(db, "CREATE TABLE premix_trash_mine (x)", NULL);
	r = h_text(db, "SELECT premix_purge(NULL, 1)", &err);
	CHECK("purge: a premix_trash_ table of the user's is kept", r && !err && jis(db, r, "$.purged", "[]") &&
		  h_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'premix_trash_mine'") == 1);
	free(r);
	free(err);
	free(migrated);
	free(plan);
	free(schema0);
	free(users0);
	free(audit0);
	sqlite3_close(db);
}

/* premix_status: empty, in sync, drift after a manual ALTER, explained, undone. */
static void
test_status(void)
{
	sqlite3    *db = fresh();
	char	   *r,
			   *err;

	r = h_text(db, "SELECT premix_status()", &err);
	CHECK("status, no ledger: empty, no drift", r && !err && jis(db, r, "$.migrations", "[]") &&
		  jis(db, r, "$.drift", "0") && jis(db, r, "$.expected", NULL));
	CHECK("status, no ledger: creates none", h_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'premix_migrations'") == 0);
	free(r);
	free(err);
	free(run(db, "20260101000100", "add_phone", "ALTER TABLE users ADD COLUMN phone TEXT;",
			 "ALTER TABLE users DROP COLUMN phone;", 0, &err));
	free(err);
	r = h_text(db, "SELECT premix_status()", &err);
	CHECK("status: one migration, no drift", r && !err && jis(db, r, "$.migrations[0].version", "20260101000100") &&
		  jis(db, r, "$.migrations[0].kind", "run") && jis(db, r, "$.migrations[1]", NULL) &&
		  jis(db, r, "$.drift", "0") && jis(db, r, "$.explain", NULL));
	{
		char	   *e = jget(db, r, "$.expected"),
				   *a = jget(db, r, "$.actual");

		CHECK("status: expected = actual", e && same_str(e, a));
		free(e);
		free(a);
	}
	free(r);
	free(err);

	h_exec(db, "ALTER TABLE users ADD COLUMN zz TEXT", NULL);
	r = h_text(db, "SELECT premix_status()", &err);
	CHECK("status after a manual ALTER: drift", r && !err && jis(db, r, "$.drift", "1"));
	{
		char	   *e = jget(db, r, "$.expected"),
				   *a = jget(db, r, "$.actual");

		CHECK("status after a manual ALTER: expected != actual", e && a && !same_str(e, a));
		free(e);
		free(a);
	}
	CHECK("status after a manual ALTER: explain names the column", jhas(db, r, "$.explain", "zz") &&
		  jhas(db, r, "$.explain", "20260101000100"));
	free(r);
	free(err);
	h_exec(db, "ALTER TABLE users DROP COLUMN zz", NULL);
	r = h_text(db, "SELECT premix_status()", &err);
	CHECK("status after undoing it: no drift", r && !err && jis(db, r, "$.drift", "0"));
	free(r);
	free(err);

	/* a rollback: drift compares with the schema before the first migration */
	free(h_text(db, "SELECT premix_rollback()", NULL));
	r = h_text(db, "SELECT premix_status()", &err);
	CHECK("status after rolling back all: no drift, marked rolled back", r && !err && jis(db, r, "$.drift", "0") &&
		  jhas(db, r, "$.migrations[0].rolled_back_at", "T"));
	free(r);
	free(err);
	h_exec(db, "CREATE TABLE manual (x)", NULL);
	r = h_text(db, "SELECT premix_status()", &err);
	CHECK("status, all rolled back, manual table: drift", r && !err && jis(db, r, "$.drift", "1"));
	free(r);
	free(err);
	CHECK("status: autocommit", sqlite3_get_autocommit(db) == 1);
	sqlite3_close(db);
}

/* premix_script of a plan: its up through premix_run, its down through premix_rollback. */
static void
test_script(void)
{
	sqlite3    *db = fresh();
	char	   *plan,
			   *script,
			   *up,
			   *down,
			   *r,
			   *err,
			   *schema0,
			   *users0;
	static const char target[] =
		"{\"tables\":[{\"name\":\"users\",\"columns\":[{\"name\":\"id\",\"type\":\"integer\"},"
		"{\"name\":\"username\",\"type\":\"text\",\"renamed_from\":\"name\"},{\"name\":\"legacy\",\"type\":\"text\"},"
		"{\"name\":\"email\",\"type\":\"text\"},{\"name\":\"active\",\"type\":\"integer\"}],"
		"\"primary_key\":{\"columns\":[\"id\"]},\"indexes\":[{\"name\":\"users_username_idx\",\"columns\":[\"username\"]}]}]}";

	schema0 = h_text(db, "SELECT premix_schema()", NULL);
	users0 = rows_of(db, "users");
	plan = q4(db, &err, NULL, "SELECT premix_diff(?1, '{\"scope\":\"listed\"}')", target, NULL, NULL, NULL);
	free(err);
	script = q4(db, &err, NULL, "SELECT premix_script(?1)", plan, NULL, NULL, NULL);
	CHECK("script: made", script && !err && jis(db, script, "$.steps", "3") && jis(db, script, "$.blocked", "0"));
	if (err)
		printf("    error: %s\n", err);
	free(err);
	up = jget(db, script, "$.up");
	down = jget(db, script, "$.down");
	CHECK("script: up and down name the steps", up && down && strstr(up, "users_username_idx") && strstr(down, "users_username_idx"));
	r = run(db, "20260101001000", "script_plan", up, down, 0, &err);
	CHECK("script: up runs through premix_run", r && !err && jis(db, r, "$.applied", "1"));
	if (err)
		printf("    error: %s\n", err);
	free(r);
	free(err);
	r = q4(db, &err, NULL, "SELECT json_array_length(premix_diff(?1, '{\"scope\":\"listed\"}'), '$.steps')", target, NULL, NULL, NULL);
	CHECK("script: target reached", same_str(r, "0"));
	free(r);
	free(err);
	r = h_text(db, "SELECT premix_rollback()", &err);
	CHECK("script: down runs through premix_rollback", r && !err && jis(db, r, "$.rolled_back[0].name", "script_plan"));
	free(r);
	free(err);
	r = h_text(db, "SELECT premix_schema()", NULL);
	CHECK("script: schema back exactly", same_str(r, schema0));
	free(r);
	r = rows_of(db, "users");
	CHECK("script: rows back exactly", same_str(r, users0));
	free(r);
	free(plan);
	free(script);
	free(up);
	free(down);

	/* a blocked plan has no script */
	plan = q4(db, &err, NULL, "SELECT premix_diff(?1, '{\"scope\":\"listed\"}')",
			  "{\"tables\":[{\"name\":\"users\",\"columns\":[{\"name\":\"id\",\"type\":\"integer\"},"
			  "{\"name\":\"name\",\"type\":\"text\",\"nullable\":false},{\"name\":\"legacy\",\"type\":\"text\"},"
			  "{\"name\":\"email\",\"type\":\"text\"}],\"primary_key\":{\"columns\":[\"id\"]}}]}", NULL, NULL, NULL);
	free(err);
	script = q4(db, &err, NULL, "SELECT premix_script(?1)", plan, NULL, NULL, NULL);
	CHECK("script of a blocked plan: refused", !script && is_premix_error(err));
	free(script);
	free(err);
	free(plan);
	free(schema0);
	free(users0);
	sqlite3_close(db);
}

/* Every function's error paths: premix errors, nothing changed. */
static void
test_error_paths(void)
{
	sqlite3    *db = fresh();
	char	   *before,
			   *after;
	static const char *const must_fail[] = {
		/* premix_run */
		"SELECT premix_run(NULL, 'n', 'CREATE TABLE a (x)')",
		"SELECT premix_run('abc', 'n', 'CREATE TABLE a (x)')",
		"SELECT premix_run('', 'n', 'CREATE TABLE a (x)')",
		"SELECT premix_run('-1', 'n', 'CREATE TABLE a (x)')",
		"SELECT premix_run('123456789012345678901234567890123', 'n', 'CREATE TABLE a (x)')",
		"SELECT premix_run(20260101, 'n', 'CREATE TABLE a (x)', NULL, 'maybe')",
		"SELECT premix_run('20260101', NULL, 'CREATE TABLE a (x)')",
		"SELECT premix_run('20260101', '', 'CREATE TABLE a (x)')",
		"SELECT premix_run('20260101', 'n', NULL)",
		"SELECT premix_run('20260101', 'n', '')",
		"SELECT premix_run('20260101', 'n', '  -- only a comment\n/* and another */ ')",
		"SELECT premix_run('20260101', 'n', ';;;')",
		"SELECT premix_run('20260101', 'n', 'BEGIN; CREATE TABLE a (x); COMMIT;')",
		"SELECT premix_run('20260101', 'n', 'CREATE TABLE a (x); SAVEPOINT s; RELEASE s;')",
		"SELECT premix_run('20260101', 'n', 'CREATE TABLE a (x);' || char(10) || '-- premix:after-commit' || char(10) || 'CREATE INDEX a_x ON a (x);')",
		"SELECT premix_run('20260101', 'n', 'CREATE TABLE a (x);', NULL, 0, '{')",
		"SELECT premix_run('20260101', 'n', 'CREATE TABLE a (x);', NULL, 0, '{\"nope\": 1}')",
		"SELECT premix_run('20260101', 'n', 'CREATE TABLE a (x);', NULL, 0, '{\"out_of_order\": \"yes\"}')",
		"SELECT premix_run('20260101', 'n', 'CREATE TABLE a (x')",
		"SELECT premix_run('20260101', 'n', 'CREATE TABLE users (x)')",
		"SELECT premix_run('20260101', 'n', 'DROP TABLE audit')",
		"SELECT premix_run('20260101', 'n', 'SELECT nosuchfunction()')",
		"SELECT premix_run('20260101', 'n', 'INSERT INTO users (id) VALUES (1)')",
		/* premix_rollback */
		"SELECT premix_rollback('20991231000000')",
		/* premix_purge */
		"SELECT premix_purge('bad')",
		"SELECT premix_purge('2026')",
		"SELECT premix_purge(NULL, 'maybe')",
		/* premix_script */
		"SELECT premix_script(NULL)",
		"SELECT premix_script('')",
		"SELECT premix_script('{')",
		"SELECT premix_script(42)",
		"SELECT premix_script('{\"tables\":[]}')",
		"SELECT premix_script('{\"format\":1,\"dialect\":\"sqlite\",\"steps\":5}')",
		"SELECT premix_script(x'00')",
		NULL
	};
	static const char *const wrong_arity[] = {
		"SELECT premix_run()",
		"SELECT premix_run('1', 'a')",
		"SELECT premix_run('1', 'a', 'b', 'c', 0, '{}', 7)",
		"SELECT premix_rollback('1', '2')",
		"SELECT premix_status(1)",
		"SELECT premix_purge(NULL, 1, 2)",
		"SELECT premix_script()",
		"SELECT premix_script('a', 'b')",
		NULL
	};

	before = dump(db);
	for (int i = 0; must_fail[i]; i++)
	{
		char		name[400];
		int			rc;
		char	   *err;
		char	   *r = q4(db, &err, &rc, must_fail[i], NULL, NULL, NULL, NULL);

		snprintf(name, sizeof(name), "error path: %s", must_fail[i]);
		CHECK(name, !r && is_premix_error(err) && rc == SQLITE_ERROR);
		if (!is_premix_error(err))
			printf("    got: %s\n", err ? err : r ? r : "(no error)");
		free(r);
		free(err);
	}
	for (int i = 0; wrong_arity[i]; i++)
	{
		char		name[300];
		char	   *err;
		char	   *r = q4(db, &err, NULL, wrong_arity[i], NULL, NULL, NULL, NULL);

		snprintf(name, sizeof(name), "wrong arity refused by SQLite: %s", wrong_arity[i]);
		CHECK(name, !r && err && strstr(err, "wrong number of arguments"));
		free(r);
		free(err);
	}
	after = dump(db);
	CHECK("error paths: nothing changed (no ledger either)", same_str(before, after));
	CHECK("error paths: autocommit", sqlite3_get_autocommit(db) == 1);
	free(after);

	/* an embedded NUL in the up SQL: refused, not cut short */
	{
		static const char up[] = "ALTER TABLE users ADD COLUMN a TEXT;\0DROP TABLE audit;";
		sqlite3_stmt *st = NULL;

		sqlite3_prepare_v2(db, "SELECT premix_run('20260101', 'nul', ?1)", -1, &st, NULL);
		sqlite3_bind_text(st, 1, up, (int) sizeof(up) - 1, SQLITE_STATIC);
		CHECK("embedded NUL in up_sql: refused", sqlite3_step(st) == SQLITE_ERROR && is_premix_error(sqlite3_errmsg(db)));
		sqlite3_finalize(st);
	}

	/* from a statement that is reading (another statement busy): refused */
	{
		sqlite3_stmt *st = NULL;
		char	   *err;
		char	   *r;

		sqlite3_prepare_v2(db, "SELECT id FROM users ORDER BY id", -1, &st, NULL);
		sqlite3_step(st);
		r = run(db, "20260101000100", "busy", "ALTER TABLE users ADD COLUMN a TEXT;", NULL, 0, &err);
		CHECK("premix_run while another statement runs: refused", !r && has_state(err, "25000"));
		free(r);
		free(err);
		r = h_text(db, "SELECT premix_rollback()", &err);
		CHECK("premix_rollback while another statement runs: refused", !r && has_state(err, "25000"));
		free(r);
		free(err);
		r = h_text(db, "SELECT premix_purge(NULL, 1)", &err);
		CHECK("premix_purge while another statement runs: refused", !r && has_state(err, "25000"));
		free(r);
		free(err);
		r = h_text(db, "SELECT json_extract(premix_status(), '$.drift')", &err);
		CHECK("premix_status while another statement runs: works", same_str(r, "0") && !err);
		free(r);
		free(err);
		sqlite3_finalize(st);
	}

	/* from a trigger: SQLITE_DIRECTONLY */
	{
		char	   *err = NULL;

		h_exec(db, "CREATE TABLE t_trg (v TEXT); CREATE TRIGGER trg_run AFTER INSERT ON t_trg BEGIN "
			   "SELECT premix_run('20260101', 'trg', new.v); END", NULL);
		h_exec(db, "INSERT INTO t_trg VALUES ('CREATE TABLE a (x)')", &err);
		CHECK("premix_run from a trigger is refused", err && strstr(err, "unsafe use of premix_run"));
		sqlite3_free(err);
		h_exec(db, "DROP TABLE t_trg", NULL);
	}
	after = dump(db);
	CHECK("error paths: still nothing changed", same_str(before, after));
	free(after);
	free(before);
	sqlite3_close(db);
}

/* ---------------------------------------------------- out of memory */

typedef struct Sweep
{
	const char *name;
	const char *sql;			/* the one call, with its parameters bound */
	const char *p1,
			   *p2,
			   *p3,
			   *p4;
	const char *pragmas;		/* run after each open */
	const char *want;			/* the result holds this (or NULL) */
} Sweep;

typedef struct SweepStats
{
	int			calls,
				failed,
				succeeded,
				not_premix,
				misleading,
				left_open,
				bad_pragmas,
				torn,
				bad_integrity,
				unfinalized,
				wrong_result;
	char		states[200];
} SweepStats;

/* Open the work copy of the base file with pragmas set. */
static sqlite3 *
open_work(const Sweep *s)
{
	sqlite3    *db;

	copy_file(basepath, dbpath);
	db = h_open(dbpath);
	/* thousands of attempts: no fsync (the journal still undoes a failed one) */
	h_exec(db, "PRAGMA synchronous = OFF", NULL);
	if (s->pragmas)
		h_exec(db, s->pragmas, NULL);
	return db;
}

/* The SQLSTATE of a premix error, into out (6 bytes). */
static void
state_of(const char *msg, char *out)
{
	const char *p = msg ? strstr(msg, "\nSQLSTATE: ") : NULL;

	snprintf(out, 6, "%.5s", p ? p + 11 : "?????");
}

/*
 * One attempt with allocation number at failing (sticky: and all after
 * it; at = 0: none).  Compares with before / after (the dumps of the
 * database before and after an undisturbed call).
 */
static void
attempt(const Sweep *s, long long at, int sticky, const char *before, const char *after,
		long long pragmas0, SweepStats *st)
{
	sqlite3    *db = open_work(s);
	char	   *err = NULL,
			   *r,
			   *now,
			   *ok;
	int			rc;

	if (getenv("PREMIX_OOM_TRACE"))
	{
		printf("    oom %s: failing allocation %lld%s\n", s->name, at, sticky ? " and every later one" : "");
		fflush(stdout);
	}
	oom_arm(at, sticky);
	r = q4(db, &err, &rc, s->sql, s->p1, s->p2, s->p3, s->p4);
	oom_disarm();
	st->calls++;
	if (!err)
	{
		st->succeeded++;
		now = dump(db);
		if (!same_str(now, after))
		{
			if (st->torn++ == 0)
				printf("    oom %s: a call that succeeded (fail at %lld%s) left the database not as an undisturbed call does\n",
					   s->name, at, sticky ? "+" : "");
		}
		if (s->want && !(r && strstr(r, s->want)))
		{
			if (st->wrong_result++ == 0)
				printf("    oom %s: a call that succeeded (fail at %lld%s) returned %.300s\n", s->name, at,
					   sticky ? "+" : "", r ? r : "NULL");
		}
		free(now);
	}
	else
	{
		char		state[6];

		st->failed++;
		if (rc != SQLITE_NOMEM && !is_premix_error(err))
		{
			if (st->not_premix++ == 0)
				printf("    oom %s: fail at %lld%s gave rc %d: %.300s\n", s->name, at, sticky ? "+" : "", rc, err);
		}
		if (is_premix_error(err))
		{
			state_of(err, state);
			if (!strstr(st->states, state) && strlen(st->states) < sizeof(st->states) - 8)
			{
				strcat(st->states, " ");
				strcat(st->states, state);
				printf("    oom %s: first %s at %lld%s: %.160s\n", s->name, state, at, sticky ? "+" : "", err);
			}
			/* out of memory must not pass for a verdict on the migration */
			if (strcmp(state, "53200") != 0 && strcmp(state, "XX000") != 0 && strcmp(state, "58000") != 0)
			{
				if (st->misleading++ == 0)
					printf("    oom %s: fail at %lld%s reported as %s: %.400s\n", s->name, at, sticky ? "+" : "", state, err);
			}
		}
		if (sqlite3_get_autocommit(db) == 0)
		{
			/* SQLite's contract: after SQLITE_NOMEM the application rolls back */
			if (rc != SQLITE_NOMEM && st->left_open++ == 0)
				printf("    oom %s: fail at %lld%s (rc %d) left a transaction open\n", s->name, at, sticky ? "+" : "", rc);
			h_exec(db, "ROLLBACK", NULL);
		}
		if (pragmas(db) != pragmas0 && st->bad_pragmas++ == 0)
			printf("    oom %s: fail at %lld%s left the pragmas %03lld (were %03lld)\n", s->name, at, sticky ? "+" : "",
				   pragmas(db), pragmas0);
		now = dump(db);
		/*
		 * SQLITE_NOMEM (not a premix error) may come from SQLite itself
		 * after premix committed and returned -- delivering the result row;
		 * as for any statement failing with SQLITE_NOMEM the application
		 * then looks (premix_status()).  Wholly after is fine then; torn
		 * never is, and a premix error must leave everything as it was.
		 */
		if (!same_str(now, before) && !(rc == SQLITE_NOMEM && same_str(now, after)) && st->torn++ == 0)
		{
			printf("    oom %s: fail at %lld%s (rc %d: %.200s) left the database %s\n", s->name, at, sticky ? "+" : "",
				   rc, err, same_str(now, after) ? "changed although the call failed" : "torn");
		}
		free(now);
	}
	ok = h_text(db, "PRAGMA integrity_check", NULL);
	if (!same_str(ok, "ok") || h_int(db, "SELECT count(*) FROM pragma_foreign_key_check") != 0)
		st->bad_integrity++;
	free(ok);
	free(r);
	free(err);
	if (sqlite3_close(db) != SQLITE_OK)
	{
		if (st->unfinalized++ == 0)
			printf("    oom %s: fail at %lld%s left a statement unfinalized\n", s->name, at, sticky ? "+" : "");
		sqlite3_close_v2(db);
	}
}

/* How many values of N to try per sweep (see the file header). */
static long long
oom_points(void)
{
	const char *e = getenv("PREMIX_OOM_POINTS");

	return e ? atoll(e) : (H_ASAN ? 1000 : 4);
}

/*
 * The sweep: base file at basepath; the call s.  Counts the allocations of
 * an undisturbed call, then fails allocation N (once; then N and all after
 * it) for N from 1 on -- every N when the call makes at most points
 * allocations, else points values spread evenly -- and last with none.
 */
static void
oom_sweep(const Sweep *s)
{
	sqlite3    *db = open_work(s);
	char	   *before = dump(db),
			   *after,
			   *err,
			   *r;
	long long	pragmas0 = pragmas(db),
				total,
				points = oom_points(),
				step;
	int			rc;
	SweepStats	st;
	char		name[200];

	memset(&st, 0, sizeof(st));
	oom_arm(0, 0);
	r = q4(db, &err, &rc, s->sql, s->p1, s->p2, s->p3, s->p4);
	oom_disarm();
	total = oom_n;
	snprintf(name, sizeof(name), "oom %s: the undisturbed call works", s->name);
	CHECK(name, r && !err && (!s->want || strstr(r, s->want)));
	if (err || !r)
		printf("    error: %s\n", err ? err : "(no result)");
	after = dump(db);
	free(r);
	free(err);
	sqlite3_close(db);

	step = points <= 0 ? total + 1 : (total <= points ? 1 : (total + points - 1) / points);
	for (int sticky = 1; sticky >= 0; sticky--)
		for (long long at = sticky ? 1 : 1 + step / 2; at <= total; at += step)
			attempt(s, at, sticky, before, after, pragmas0, &st);
	/* and once with memory enough: the call succeeds */
	{
		int			ok0 = st.succeeded;

		attempt(s, 0, 0, before, after, pragmas0, &st);
		snprintf(name, sizeof(name), "oom %s: the call succeeds once there is memory", s->name);
		CHECK(name, st.succeeded == ok0 + 1);
	}
	printf("    oom %s: %lld allocations, %d calls (every %lld%s), %d failed, %d succeeded; SQLSTATEs:%s\n",
		   s->name, total, st.calls, step, step == 1 ? "" : "th", st.failed, st.succeeded,
		   st.states[0] ? st.states : " (none: all SQLITE_NOMEM)");
	snprintf(name, sizeof(name), "oom %s: failures are premix errors or SQLITE_NOMEM", s->name);
	CHECK(name, st.not_premix == 0);
	snprintf(name, sizeof(name), "oom %s: a premix error for out of memory says so (53200, XX000, 58000)", s->name);
	CHECK(name, st.misleading == 0);
	snprintf(name, sizeof(name), "oom %s: only SQLITE_NOMEM leaves the transaction to the application", s->name);
	CHECK(name, st.left_open == 0);
	snprintf(name, sizeof(name), "oom %s: pragmas restored (foreign_keys, legacy_alter_table, defer_foreign_keys)", s->name);
	CHECK(name, st.bad_pragmas == 0);
	snprintf(name, sizeof(name), "oom %s: wholly before (failed) or wholly after (succeeded)", s->name);
	CHECK(name, st.torn == 0);
	snprintf(name, sizeof(name), "oom %s: a call that succeeds returns the right result", s->name);
	CHECK(name, st.wrong_result == 0);
	snprintf(name, sizeof(name), "oom %s: integrity_check and foreign_key_check clean", s->name);
	CHECK(name, st.bad_integrity == 0);
	snprintf(name, sizeof(name), "oom %s: no statement left unfinalized (sqlite3_close works)", s->name);
	CHECK(name, st.unfinalized == 0);
	free(before);
	free(after);
}

/*
 * The sweep in a child process, so that a crash there (a sanitizer
 * report ends the process) is one FAIL and the other checks still run.
 * The child prints its own PASS/FAIL lines and exits 0, or 3 when one
 * failed; anything else is a crash.
 */
static void
oom_sweep_isolated(const Sweep *s)
{
	pid_t		pid;
	int			status = 0;
	char		name[200];

	fflush(stdout);
	pid = fork();
	if (pid == 0)
	{
		oom_sweep(s);
		fflush(stdout);
		_exit(h_failures ? 3 : 0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
	{
		oom_sweep(s);			/* no fork: in this process */
		return;
	}
	snprintf(name, sizeof(name), "oom %s: the sweep ran to its end (no crash)", s->name);
	CHECK(name, WIFEXITED(status) && (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 3));
	if (!WIFEXITED(status) || (WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 3))
		printf("    the child %s %d (its report is above or on stderr)\n",
			   WIFEXITED(status) ? "exited with" : "was killed by signal",
			   WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 3)
		h_failures++;
}

static void
test_out_of_memory(void)
{
	sqlite3    *db;
	char	   *err;
	char	   *r;

	/* premix_run: a rename (no rows needed) and a drop (rows: the probe is rolled back, second run) */
	db = fresh_at(basepath);
	sqlite3_close(db);
	{
		Sweep		s = {"premix_run", "SELECT premix_run(?1, ?2, ?3, ?4, 1)", "20260101000700", "ren_drop",
			UP_REN_DROP, DOWN_REN_DROP, "PRAGMA foreign_keys = ON; PRAGMA legacy_alter_table = ON",
		"\"applied\": true"};

		oom_sweep_isolated(&s);
	}

	/* premix_rollback of a trashed migration (a dropped column and a dropped table) */
	db = fresh_at(basepath);
	h_exec(db, "PRAGMA foreign_keys = ON", NULL);
	r = q4(db, &err, NULL, "SELECT premix_migrate(?1, 1)", T_DROP_EMAIL_AUDIT, NULL, NULL, NULL);
	CHECK("oom setup: migrate to the trash", r && !err && trash_tables(db) == 2);
	free(r);
	free(err);
	sqlite3_close(db);
	{
		Sweep		s = {"premix_rollback", "SELECT premix_rollback()", NULL, NULL, NULL, NULL,
			"PRAGMA foreign_keys = ON; PRAGMA legacy_alter_table = ON", "\"ledger_id\": 1"};

		oom_sweep_isolated(&s);
	}

	/* premix_status with drift (the explanation makes a plan) */
	db = fresh_at(basepath);
	free(run(db, "20260101000700", "ren_drop", UP_REN_DROP, DOWN_REN_DROP, 1, &err));
	free(err);
	h_exec(db, "ALTER TABLE users ADD COLUMN zz TEXT", NULL);
	sqlite3_close(db);
	{
		Sweep		s = {"premix_status", "SELECT premix_status()", NULL, NULL, NULL, NULL, NULL, "\"drift\": true"};

		oom_sweep_isolated(&s);
	}

	/* premix_purge of the trash */
	db = fresh_at(basepath);
	r = q4(db, &err, NULL, "SELECT premix_migrate(?1, 1)", T_DROP_EMAIL_AUDIT, NULL, NULL, NULL);
	free(r);
	free(err);
	sqlite3_close(db);
	{
		Sweep		s = {"premix_purge", "SELECT premix_purge(NULL, 1)", NULL, NULL, NULL, NULL,
			"PRAGMA foreign_keys = ON", "\"rows\": 5"};

		oom_sweep_isolated(&s);
	}
	remove_file_db(basepath);
}

/* ------------------------------------------------------------- loop */

/*
 * run / rollback / run, a trashed migrate rolled back, status, script and
 * an edited run, many times: every call behaves, nothing accumulates
 * except ledger rows.
 */
static void
test_loop(int rounds)
{
	sqlite3    *db = fresh();
	char	   *users0 = NULL;
	char	   *schema0 = NULL;
	int			bad = 0;

	h_exec(db, "PRAGMA foreign_keys = ON", NULL);
	for (int i = 0; i < rounds; i++)
	{
		char		version[32];
		char	   *err = NULL;
		char	   *r;

		snprintf(version, sizeof(version), "202601010%05d", i);
		r = run(db, version, "ren_drop", UP_REN_DROP, DOWN_REN_DROP, 1, &err);
		if (!r || err || !jis(db, r, "$.applied", "1"))
			bad++;
		free(r);
		free(err);
		r = h_text(db, "SELECT premix_rollback()", &err);
		if (!r || err)
			bad++;
		free(r);
		free(err);
		r = run(db, version, "ren_drop", UP_REN_DROP, DOWN_REN_DROP, 1, &err);
		if (!r || err || !jis(db, r, "$.applied", "1"))
			bad++;
		free(r);
		free(err);
		r = run(db, version, "ren_drop", UP_REN_DROP "-- edited\n", DOWN_REN_DROP, 1, &err);
		if (r || !has_state(err, "PX001"))
			bad++;
		free(r);
		free(err);
		r = h_text(db, "SELECT json_extract(premix_status(), '$.drift')", &err);
		if (!same_str(r, "0"))
			bad++;
		free(r);
		free(err);
		r = h_text(db, "SELECT premix_rollback()", &err);
		if (!r || err)
			bad++;
		free(r);
		free(err);
		/* a trashed migrate, rolled back */
		r = q4(db, &err, NULL, "SELECT premix_migrate(?1, 1)", T_DROP_EMAIL_AUDIT, NULL, NULL, NULL);
		if (!r || err)
			bad++;
		free(r);
		free(err);
		r = h_text(db, "SELECT premix_script(premix_diff(premix_schema()))", &err);
		if (!r || err)
			bad++;
		free(r);
		free(err);
		r = h_text(db, "SELECT premix_rollback()", &err);
		if (!r || err)
			bad++;
		free(r);
		free(err);
		r = h_text(db, "SELECT premix_purge(NULL, 1)", &err);
		if (!r || err)
			bad++;
		free(r);
		free(err);
		if (i == 0)
		{
			/* the down SQL of ren_drop adds legacy back empty: compare with round 0's end */
			users0 = rows_of(db, "users");
			schema0 = h_text(db, "SELECT premix_schema()", NULL);
			if (bad)
				printf("    loop: round 0 went wrong\n");
		}
	}
	CHECK("loop: every call behaved", bad == 0);
	CHECK("loop: ledger has three rows per round, all rolled back", ledger_rows(db) == 3LL * rounds &&
		  h_int(db, "SELECT count(*) FROM premix_migrations WHERE rolled_back_at IS NULL") == 0);
	{
		char	   *u = rows_of(db, "users");
		char	   *s = h_text(db, "SELECT premix_schema()", NULL);

		CHECK("loop: rows and schema as after the first round", same_str(u, users0) && same_str(s, schema0));
		free(u);
		free(s);
	}
	CHECK("loop: trash empty, autocommit", trash_tables(db) == 0 && sqlite3_get_autocommit(db) == 1);
	free(users0);
	free(schema0);
	sqlite3_close(db);
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR");
	int			rounds = getenv("PREMIX_LOOP") ? atoi(getenv("PREMIX_LOOP")) : (H_ASAN ? 50 : 12);
	sqlite3    *anchor;

	oom_install();
	snprintf(dbpath, sizeof(dbpath), "%s/premix_test_history_%d.db", tmp ? tmp : "/tmp", (int) getpid());
	snprintf(basepath, sizeof(basepath), "%s.base", dbpath);
	/* keeps the extension loaded while connections come and go */
	anchor = h_open(":memory:");
	test_run_once();
	test_drop_column();
	test_blocked_script();
	test_in_transaction();
	test_trash_rollback_purge();
	test_status();
	test_script();
	test_error_paths();
	test_out_of_memory();
	test_loop(rounds);
	sqlite3_close(anchor);
	remove_file_db(dbpath);
	return h_done();
}
