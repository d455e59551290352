/*
 * history.h -- what the tests of the migration history functions
 * (test_history.c, test_history_oom.c) share: the database file they
 * work on, dumps of a database's schema, rows and ledger to compare
 * before and after, calls of premix_run / premix_rollback / premix_status
 * with bound parameters, and the scripts and targets they apply.  Each
 * test program includes it once (static functions, as harness.h).
 */
#ifndef PREMIX_HISTORY_H
#define PREMIX_HISTORY_H

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

#endif							/* PREMIX_HISTORY_H */
