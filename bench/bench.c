/*-------------------------------------------------------------------------
 *
 * bench.c
 *	  premix benchmark (figures, not a test).
 *
 * For each N (default 100, 1000, 10000) this program
 *	 1. generates (or reuses) bench/out/bench_N.db: N tables of 6-10 columns
 *		of mixed types, a primary key, FKs to earlier tables with ON DELETE
 *		actions, a unique index or constraint, plain, composite and partial
 *		indexes, named CHECKs, COLLATE NOCASE columns and 3 rows per table;
 *	 2. times the floor (a): reading the same catalog once with plain
 *		queries over sqlite_schema and pragma_table_xinfo,
 *		pragma_foreign_key_list, pragma_index_list/pragma_index_xinfo,
 *		stepping through every row and column;
 *	 3. times SELECT premix_schema() alone, and (b) SELECT
 *		premix_diff(premix_schema()) (checked to be an empty plan);
 *	 4. times (c) premix_diff(target), where target is premix_schema()'s
 *		JSON with 5% new tables and 10% of the tables altered (a column
 *		added, a varchar(n) widened to varchar(2n), or an index added).
 *	 5. times (c) again with the live model cached from the run before.
 * Before each timed statement of 2-4 the schema is changed and changed
 * back, untimed, so that premix's per-connection model cache misses and the
 * catalog is read afresh (see start_cold).
 * Each figure is the median of up to 5 repetitions (3 from 10,000 tables;
 * no new repetition once a figure has used its time budget, so the whole
 * run stays within minutes), measured with clock_gettime(CLOCK_MONOTONIC)
 * around the statement's prepare + step on an already open connection
 * whose schema is loaded.
 *
 * The table is printed on stdout and written to a Markdown file; the
 * targets and plans of (c) are kept in the output directory.
 *
 * Usage: bench [-e extension] [-o outdir] [-r results.md] [-n N[,N...]]
 *				[-f] [-b seconds] [-p N]
 *	 -f   regenerate the databases even when a matching one exists
 *	 -b   time budget of one figure in seconds (default 40)
 *	 -p N profiling mode: one premix_diff(premix_schema()) on the N-table
 *		  database and nothing else (for valgrind --tool=callgrind)
 *
 * IDENTIFICATION
 *	  bench/bench.c
 *
 *-------------------------------------------------------------------------
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

/* Bump when the generated schema changes: older databases are rebuilt. */
#define GEN_VERSION 5
/* PRAGMA application_id of a bench database ("pmxb"). */
#define BENCH_APP_ID 0x706d7862
#define ROWS_PER_TABLE 3
#define MAX_SIZES 8

/* A growable NUL-terminated string. */
typedef struct Buf
{
	char	   *p;
	size_t		n,
				cap;
} Buf;

/* One timed figure: the median of the repetitions that were run. */
typedef struct Figure
{
	double		ms;				/* median wall-clock time */
	double		cpu_ms;			/* median CPU time of the thread */
	int			reps;			/* repetitions run */
} Figure;

/* Medians and counts for one N. */
typedef struct Result
{
	int			ntables;
	double		gen_s;			/* generation seconds, < 0 when reused */
	Figure		floor;			/* (a) */
	Figure		floor3;			/* the 3 queries premix itself runs */
	Figure		schema;			/* premix_schema() */
	Figure		same;			/* (b) premix_diff(premix_schema()) */
	Figure		target;			/* (c) premix_diff(target) */
	Figure		warm;			/* (c) again, the live model cached */
	long		floor_rows;		/* catalog rows the floor stepped through */
	int			same_steps;		/* steps in (b)'s plan (must be 0) */
	int			target_steps;	/* steps in (c)'s plan */
	int			expected_steps; /* steps (c) should have */
	int			added,			/* tables added / altered in (c)'s target */
				altered;
	char		ops[512];		/* (c)'s steps by op, "op n, op n" */
} Result;

static const char *ext_path = "sqlite_premix/premix";
static const char *out_dir = "bench/out";
static const char *results_path = "bench/RESULTS.md";
/* Seconds one figure may take: repetitions stop once it is spent. */
static double budget_s = 40;

/* Print a message to stderr and exit 1. */
static void
die(const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	fputs("bench: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

/* Append formatted text to b; exits on OOM. */
static void
buf_printf(Buf *b, const char *fmt,...)
{
	va_list		ap;
	int			len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0)
		die("vsnprintf failed");
	if (b->n + (size_t) len + 1 > b->cap)
	{
		size_t		cap = b->cap ? b->cap : 4096;

		while (b->n + (size_t) len + 1 > cap)
			cap *= 2;
		if (!(b->p = realloc(b->p, cap)))
			die("out of memory");
		b->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(b->p + b->n, (size_t) len + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t) len;
}

/* Append len bytes of s to b. */
static void
buf_append(Buf *b, const char *s, size_t len)
{
	buf_printf(b, "%.*s", (int) len, s);
}

/* Monotonic clock in nanoseconds. */
static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* CPU time of the calling thread in nanoseconds. */
static int64_t
cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Milliseconds between two now_ns() or cpu_ns() readings. */
static double
ms_since(int64_t t0, int64_t t1)
{
	return (double) (t1 - t0) / 1e6;
}

/* qsort comparator for doubles. */
static int
cmp_double(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return (x > y) - (x < y);
}

/* Median of v[0..n-1] (sorts v). */
static double
median(double *v, int n)
{
	qsort(v, (size_t) n, sizeof(double), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Deterministic pseudo-random numbers (64-bit LCG, high bits). */
static unsigned
rnd(uint64_t *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned) (*state >> 33);
}

/* Name of generated table i: a word and a number, e.g. "orders_00042". */
static void
table_name(int i, char *out, size_t size)
{
	static const char *const words[] = {
		"accounts", "orders", "invoices", "products", "customers", "payments",
		"shipments", "suppliers", "events", "tickets", "projects", "tasks",
	};

	snprintf(out, size, "%s_%05d", words[i % 12], i);
}

/* Run sql (one or more statements) or exit with the error. */
static void
exec_or_die(sqlite3 *db, const char *sql)
{
	char	   *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		die("%s\n  in: %.300s", err ? err : sqlite3_errmsg(db), sql);
}

/*
 * Append table i's CREATE TABLE, CREATE INDEX and INSERT statements to b.
 * Columns: id (INTEGER PRIMARY KEY, AUTOINCREMENT on every 7th table),
 * code varchar(32) NOCASE unique, name varchar(80) (the column (c) widens),
 * 0-2 FKs to earlier tables, and optional columns from a pool until the
 * table has 6 to 10 columns.
 */
static void
gen_table(Buf *b, int i)
{
	static const char *const on_delete[] = {
		" ON DELETE CASCADE", " ON DELETE SET NULL", " ON DELETE RESTRICT", ""
	};
	uint64_t	seed = 0x9e3779b97f4a7c15ULL ^ (uint64_t) i * 0x100000001b3ULL;
	char		t[64],
				parent[64];
	int			target_cols = 6 + (int) (rnd(&seed) % 5);
	int			nfk = i == 0 ? 0 : (int) (rnd(&seed) % 3);
	int			parents[2] = {-1, -1};
	int			ncols = 3;
	bool		inline_unique = i % 4 == 0;
	bool		has_qty = false,
				has_active = false,
				has_created = false,
				has_price = false,
				has_note = false,
				has_meta = false,
				has_score = false,
				has_uuid = false,
				has_blob = false;
	int			pool_order[9];

	table_name(i, t, sizeof t);
	buf_printf(b, "CREATE TABLE %s (\n  id INTEGER %sPRIMARY KEY%s,\n"
			   "  code TEXT NOT NULL COLLATE NOCASE CHECK (length(code) <= 32),\n"
			   "  name TEXT NOT NULL CHECK (length(name) <= 80)",
			   t, i % 7 == 0 ? "" : "NOT NULL ", i % 7 == 0 ? " AUTOINCREMENT" : "");
	for (int k = 0; k < nfk; k++)
	{
		int			p = (int) (rnd(&seed) % (unsigned) i);

		if (k == 1 && p == parents[0])
			break;
		parents[k] = p;
		table_name(p, parent, sizeof parent);
		buf_printf(b, ",\n  %s_id INTEGER REFERENCES %s (id)%s",
				   parent, parent, on_delete[rnd(&seed) % 4]);
		ncols++;
	}
	/* optional columns in a per-table shuffled order */
	for (int k = 0; k < 9; k++)
		pool_order[k] = k;
	for (int k = 8; k > 0; k--)
	{
		int			j = (int) (rnd(&seed) % (unsigned) (k + 1)),
					tmp = pool_order[k];

		pool_order[k] = pool_order[j];
		pool_order[j] = tmp;
	}
	for (int k = 0; k < 9 && ncols < target_cols; k++, ncols++)
	{
		switch (pool_order[k])
		{
			case 0:
				has_qty = true;
				buf_printf(b, ",\n  qty INTEGER NOT NULL DEFAULT 0");
				break;
			case 1:
				has_price = true;
				buf_printf(b, ",\n  price NUMERIC(10,2)");
				break;
			case 2:
				has_active = true;
				buf_printf(b, ",\n  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))");
				break;
			case 3:
				has_created = true;
				buf_printf(b, ",\n  created_at TEXT NOT NULL DEFAULT %s",
						   i % 2 ? "(datetime('now'))" : "CURRENT_TIMESTAMP");
				break;
			case 4:
				has_note = true;
				buf_printf(b, ",\n  note TEXT COLLATE NOCASE");
				break;
			case 5:
				has_meta = true;
				buf_printf(b, ",\n  meta TEXT CHECK (json_valid(meta))");
				break;
			case 6:
				has_score = true;
				buf_printf(b, ",\n  score REAL DEFAULT 0.5");
				break;
			case 7:
				has_uuid = true;
				buf_printf(b, ",\n  ext_uuid TEXT CHECK (length(ext_uuid) = 36)");
				break;
			default:
				has_blob = true;
				buf_printf(b, ",\n  payload BLOB");
				break;
		}
	}
	if (inline_unique)
		buf_printf(b, ",\n  CONSTRAINT %s_code_key UNIQUE (code)", t);
	if (has_qty)
		buf_printf(b, ",\n  CONSTRAINT %s_qty_check CHECK (qty >= 0)", t);
	if (has_price)
		buf_printf(b, ",\n  CONSTRAINT %s_price_check CHECK (price >= 0 AND price < 100000000)", t);
	buf_printf(b, "\n);\n");

	/* indexes: unique on code, one per FK, composite and partial ones */
	if (!inline_unique)
		buf_printf(b, "CREATE UNIQUE INDEX %s_code_key ON %s (code);\n", t, t);
	for (int k = 0; k < 2; k++)
		if (parents[k] >= 0)
		{
			table_name(parents[k], parent, sizeof parent);
			buf_printf(b, "CREATE INDEX %s_%s_id_idx ON %s (%s_id);\n", t, parent, t, parent);
		}
	if (has_created)
		buf_printf(b, "CREATE INDEX %s_created_at_idx ON %s (created_at%s);\n",
				   t, t, has_qty ? ", qty" : "");
	if (has_active)
		buf_printf(b, "CREATE INDEX %s_name_active_idx ON %s (name) WHERE active = 1;\n", t, t);

	/* rows: ids 1..3 everywhere, so every FK value 1..3 has its parent */
	for (int r = 1; r <= ROWS_PER_TABLE; r++)
	{
		buf_printf(b, "INSERT INTO %s (id, code, name", t);
		for (int k = 0; k < 2; k++)
			if (parents[k] >= 0)
			{
				table_name(parents[k], parent, sizeof parent);
				buf_printf(b, ", %s_id", parent);
			}
		buf_printf(b, "%s%s%s%s%s%s%s%s%s) VALUES (%d, 'C%d-%d', 'name %d of %s'",
				   has_qty ? ", qty" : "", has_price ? ", price" : "",
				   has_active ? ", active" : "", has_created ? ", created_at" : "",
				   has_note ? ", note" : "", has_meta ? ", meta" : "",
				   has_score ? ", score" : "", has_uuid ? ", ext_uuid" : "",
				   has_blob ? ", payload" : "", r, i, r, r, t);
		for (int k = 0; k < 2; k++)
			if (parents[k] >= 0)
			{
				if (r == 3)
					buf_printf(b, ", NULL");
				else
					buf_printf(b, ", %d", r);
			}
		if (has_qty)
			buf_printf(b, ", %d", r * 10);
		if (has_price)
			buf_printf(b, ", %d.%02d", r * 7, r * 11);
		if (has_active)
			buf_printf(b, ", %d", r % 2);
		if (has_created)
			buf_printf(b, ", '2024-0%d-1%dT10:00:00Z'", r, r);
		if (has_note)
			buf_printf(b, ", %s", r == 2 ? "NULL" : "'a note'");
		if (has_meta)
			buf_printf(b, ", '{\"k\": %d}'", r);
		if (has_score)
			buf_printf(b, ", %d.25", r);
		if (has_uuid)
			buf_printf(b, ", '%08x-0000-4000-8000-%012d'", (unsigned) i, r);
		if (has_blob)
			buf_printf(b, ", x'00%02x'", r);
		buf_printf(b, ");\n");
	}
}

/*
 * Open path read-write with the premix extension loaded and the schema
 * already parsed (the first statement on a connection reads the whole
 * sqlite_schema; that is not part of any figure).
 */
static sqlite3 *
open_db(const char *path)
{
	sqlite3    *db = NULL;
	char	   *err = NULL;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
		die("cannot open %s: %s", path, sqlite3_errmsg(db));
	sqlite3_enable_load_extension(db, 1);
	if (sqlite3_load_extension(db, ext_path, NULL, &err) != SQLITE_OK)
		die("cannot load %s: %s", ext_path, err ? err : "?");
	sqlite3_enable_load_extension(db, 0);
	exec_or_die(db, "SELECT count(*) FROM sqlite_schema");
	return db;
}

/* First column of the first row of sql as an integer (0 when none). */
static long long
query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long	v = 0;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		die("%s\n  in: %s", sqlite3_errmsg(db), sql);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* True when path holds a complete database made by this generator for n. */
static bool
db_is_current(const char *path, int n)
{
	sqlite3    *db = NULL;
	bool		ok = false;

	if (access(path, R_OK) != 0)
		return false;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK)
		ok = query_int(db, "PRAGMA application_id") == BENCH_APP_ID &&
			query_int(db, "PRAGMA user_version") == GEN_VERSION &&
			query_int(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' "
					  "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'") == n;
	sqlite3_close(db);
	return ok;
}

/*
 * Create path with n generated tables in one transaction; the stamp
 * (application_id, user_version) is written last so an interrupted run is
 * never reused.  Returns the seconds it took.
 */
static double
generate_db(const char *path, int n)
{
	sqlite3    *db = NULL;
	Buf			b = {0};
	int64_t		t0 = now_ns();

	remove(path);
	if (sqlite3_open(path, &db) != SQLITE_OK)
		die("cannot create %s: %s", path, sqlite3_errmsg(db));
	exec_or_die(db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN");
	for (int i = 0; i < n; i++)
	{
		b.n = 0;
		gen_table(&b, i);
		exec_or_die(db, b.p);
	}
	exec_or_die(db, "COMMIT");
	b.n = 0;
	buf_printf(&b, "PRAGMA application_id = %d; PRAGMA user_version = %d",
			   BENCH_APP_ID, GEN_VERSION);
	exec_or_die(db, b.p);
	sqlite3_close(db);
	free(b.p);
	return (double) (now_ns() - t0) / 1e9;
}

/* Step through every row of sql, reading each column as text; row count. */
static long
drain(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long		rows = 0;
	size_t		bytes = 0;
	int			rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		die("%s\n  in: %s", sqlite3_errmsg(db), sql);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
	{
		int			nc = sqlite3_column_count(st);

		for (int c = 0; c < nc; c++)
			if (sqlite3_column_text(st, c))
				bytes += (size_t) sqlite3_column_bytes(st, c);
		rows++;
	}
	if (rc != SQLITE_DONE)
		die("%s\n  in: %s", sqlite3_errmsg(db), sql);
	sqlite3_finalize(st);
	(void) bytes;
	return rows;
}

#define USER_TABLES "m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"

/* The catalog floor's queries: the first three are the ones premix runs. */
static const char *const floor_sql[] = {
	"SELECT m.type, m.name, m.tbl_name, m.sql FROM sqlite_schema m",
	"SELECT m.name, p.cid, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk, p.hidden "
	"FROM sqlite_schema m, pragma_table_xinfo(m.name) p WHERE " USER_TABLES,
	"SELECT m.name, p.id, p.seq, p.\"table\", p.\"from\", p.\"to\", p.on_update, p.on_delete "
	"FROM sqlite_schema m, pragma_foreign_key_list(m.name) p WHERE " USER_TABLES,
	"SELECT m.name, il.name, il.\"unique\", il.origin, il.partial, "
	"ix.seqno, ix.cid, ix.name, ix.\"desc\", ix.coll, ix.key "
	"FROM sqlite_schema m, pragma_index_list(m.name) il, pragma_index_xinfo(il.name) ix "
	"WHERE " USER_TABLES,
};

/*
 * One floor reading: every query of floor_sql drained once.  *ms3 gets the
 * time of the first three alone, *cpu the CPU time of the whole, *rows the
 * rows stepped through.
 */
static double
time_floor(sqlite3 *db, double *ms3, double *cpu, long *rows)
{
	int64_t		c0 = cpu_ns(),
				t0 = now_ns(),
				t3 = 0;

	*rows = 0;
	for (int q = 0; q < 4; q++)
	{
		if (q == 3)
			t3 = now_ns();
		*rows += drain(db, floor_sql[q]);
	}
	*ms3 = ms_since(t0, t3);
	*cpu = ms_since(c0, cpu_ns());
	return ms_since(t0, now_ns());
}

/*
 * Run sql (one text parameter ?1 when arg is not NULL) and return its
 * milliseconds, its CPU milliseconds in *cpu; the first column of the
 * single row is copied to *out when out is not NULL (the copy is outside
 * the timed part).
 */
static double
time_text_query(sqlite3 *db, const char *sql, const char *arg, char **out, double *cpu)
{
	sqlite3_stmt *st;
	int64_t		t0,
				t1,
				c0;
	int			rc;

	c0 = cpu_ns();
	t0 = now_ns();
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		die("%s\n  in: %s", sqlite3_errmsg(db), sql);
	if (arg)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	t1 = now_ns();
	*cpu = ms_since(c0, cpu_ns());
	if (rc != SQLITE_ROW)
		die("%s failed: %s", sql, sqlite3_errmsg(db));
	if (out)
	{
		const char *v = (const char *) sqlite3_column_text(st, 0);

		free(*out);
		if (!v || !(*out = strdup(v)))
			die("%s returned NULL", sql);
	}
	sqlite3_finalize(st);
	return ms_since(t0, t1);
}

/*
 * Untimed, before each timed statement: change the schema and change it
 * back (CREATE and DROP of a table), so that the connection's cached live
 * model (pmx_schema_cache.c) no longer matches and the statement reads the
 * catalog afresh, as after any migration; then let SQLite load the schema
 * again, so that its re-parse is not timed either.
 */
static void
start_cold(sqlite3 *db)
{
	exec_or_die(db, "CREATE TABLE premix_bench_bump(x); DROP TABLE premix_bench_bump;");
	drain(db, "SELECT count(*) FROM sqlite_schema");
}

/* Number of steps in plan, and "op n, op n" into ops (when not NULL). */
static int
plan_steps(sqlite3 *db, const char *plan, char *ops, size_t size)
{
	sqlite3_stmt *st;
	int			n;
	size_t		used = 0;

	if (sqlite3_prepare_v2(db, "SELECT json_extract(value, '$.op'), count(*) "
						   "FROM json_each(?1, '$.steps') GROUP BY 1 ORDER BY 2 DESC, 1",
						   -1, &st, NULL) != SQLITE_OK)
		die("%s", sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, plan, -1, SQLITE_STATIC);
	n = 0;
	if (ops && size)
		ops[0] = '\0';
	while (sqlite3_step(st) == SQLITE_ROW)
	{
		int			c = sqlite3_column_int(st, 1);

		n += c;
		if (ops && used < size)
			used += (size_t) snprintf(ops + used, size - used, "%s%s %d",
									  used ? ", " : "", sqlite3_column_text(st, 0), c);
	}
	sqlite3_finalize(st);
	return n;
}

/*
 * Replace the type varchar(N) of column "name" in the minified JSON object
 * json (length len) by varchar(2N) and append the result to b; a plain
 * copy when there is no such column.
 */
static void
append_widened(Buf *b, const char *json, size_t len)
{
	const char *key = "\"name\":\"name\",\"type\":\"varchar(";
	const char *p = strstr(json, key);

	if (!p || (size_t) (p - json) >= len)
	{
		buf_append(b, json, len);
		return;
	}
	p += strlen(key);
	buf_append(b, json, (size_t) (p - json));
	buf_printf(b, "%ld", 2 * strtol(p, NULL, 10));
	while (*p >= '0' && *p <= '9')
		p++;
	buf_append(b, p, len - (size_t) (p - json));
}

/* Append new table k (of the 5%) as target JSON; its FK points at table ref. */
static void
append_new_table(Buf *b, int k, int ref)
{
	char		parent[64];

	table_name(ref, parent, sizeof parent);
	buf_printf(b,
			   "{\"name\":\"added_%05d\",\"columns\":["
			   "{\"name\":\"id\",\"type\":\"integer\",\"nullable\":false},"
			   "{\"name\":\"%s_id\",\"type\":\"integer\"},"
			   "{\"name\":\"label\",\"type\":\"varchar(40)\",\"nullable\":false,\"collation\":\"nocase\"},"
			   "{\"name\":\"amount\",\"type\":\"numeric(12,2)\",\"nullable\":false,\"default\":\"0\"},"
			   "{\"name\":\"flag\",\"type\":\"boolean\",\"nullable\":false,\"default\":\"0\"},"
			   "{\"name\":\"created_at\",\"type\":\"timestamp\"},"
			   "{\"name\":\"body\",\"type\":\"text\"}],"
			   "\"primary_key\":{\"columns\":[\"id\"]},"
			   "\"foreign_keys\":[{\"columns\":[\"%s_id\"],\"ref_table\":\"%s\","
			   "\"ref_columns\":[\"id\"],\"on_delete\":\"cascade\"}],"
			   "\"checks\":[{\"name\":\"added_%05d_amount_check\",\"expression\":\"amount >= 0\"}],"
			   "\"indexes\":[{\"name\":\"added_%05d_label_key\",\"columns\":[\"label\"],\"unique\":true},"
			   "{\"name\":\"added_%05d_%s_id_idx\",\"columns\":[\"%s_id\"]}]}",
			   k, parent, parent, parent, k, k, k, parent, parent);
}

/*
 * The realistic target for an n-table database: premix_schema() with every
 * tenth table altered in turn by one of (a nullable column added, the
 * varchar(80) column widened to varchar(160), an index added) and n/20
 * new tables appended.  Built with the JSON functions of SQLite, one pass.
 */
static char *
build_target(sqlite3 *db, int n, int *added, int *altered)
{
	sqlite3_stmt *st;
	Buf			b = {0};
	int			nalt = 0,
				nadd = n / 20,
				rc;
	const char *sql =
		"SELECT key, CASE WHEN key % 10 = 5 AND (key / 10) % 3 = 0 "
		"  THEN json_set(value, '$.columns[#]', json('{\"name\":\"bench_note\",\"type\":\"text\"}')) "
		"  WHEN key % 10 = 5 AND (key / 10) % 3 = 2 "
		"  THEN json_set(value, '$.indexes', json_insert(coalesce(json_extract(value, '$.indexes'), '[]'), "
		"       '$[#]', json_object('name', json_extract(value, '$.name') || '_bench_idx', "
		"       'columns', json_array('name', 'code')))) "
		"  ELSE json(value) END "
		"FROM json_each(premix_schema(), '$.tables') ORDER BY key";

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		die("%s\n  in: %s", sqlite3_errmsg(db), sql);
	buf_printf(&b, "{\"tables\":[");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
	{
		int			key = sqlite3_column_int(st, 0);
		const char *v = (const char *) sqlite3_column_text(st, 1);
		size_t		len = (size_t) sqlite3_column_bytes(st, 1);

		if (key > 0)
			buf_printf(&b, ",");
		if (key % 10 == 5 && (key / 10) % 3 == 1)
			append_widened(&b, v, len);
		else
			buf_append(&b, v, len);
		if (key % 10 == 5)
			nalt++;
	}
	if (rc != SQLITE_DONE)
		die("building the target: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	for (int k = 0; k < nadd; k++)
	{
		buf_printf(&b, ",");
		append_new_table(&b, k, (k * 37) % n);
	}
	buf_printf(&b, "]}");
	*added = nadd;
	*altered = nalt;
	return b.p;
}

/*
 * True while repetition i of a figure that started at t0 should run: at
 * least one, at most reps, and no new one once budget_s is spent.
 */
static bool
another_rep(int i, int reps, int64_t t0)
{
	return i < reps && (i == 0 || (double) (now_ns() - t0) / 1e9 < budget_s);
}

/* Fill f with the medians of wall times v[] and CPU times c[] (n each; c may be NULL). */
static void
set_figure(Figure *f, double *v, double *c, int n)
{
	f->reps = n;
	f->ms = median(v, n);
	f->cpu_ms = c ? median(c, n) : 0;
}

/* Write s to out_dir/name (for inspection; failures are ignored). */
static void
save_file(const char *name, const char *s)
{
	char		path[600];
	FILE	   *f;

	snprintf(path, sizeof path, "%s/%s", out_dir, name);
	if ((f = fopen(path, "w")))
	{
		fputs(s, f);
		fclose(f);
	}
}

/* Measure everything for n tables, up to reps repetitions each, into *r. */
static void
run_size(int n, int reps, bool fresh, Result *r)
{
	char		path[512],
				name[64];
	sqlite3    *db;
	double		v[16],
				v3[16],
				c[16];
	char	   *plan = NULL,
			   *target;
	int64_t		t0;
	int			i;

	if (reps > 16)
		reps = 16;
	memset(r, 0, sizeof(*r));
	r->ntables = n;
	snprintf(path, sizeof path, "%s/bench_%d.db", out_dir, n);
	if (fresh || !db_is_current(path, n))
	{
		fprintf(stderr, "bench: generating %d tables in %s ...\n", n, path);
		r->gen_s = generate_db(path, n);
	}
	else
		r->gen_s = -1;
	db = open_db(path);

	fprintf(stderr, "bench: N=%d: floor", n);
	drain(db, floor_sql[0]);	/* untimed warm-up of the page cache */
	for (i = 0, t0 = now_ns(); another_rep(i, reps, t0); i++)
	{
		start_cold(db);
		v[i] = time_floor(db, &v3[i], &c[i], &r->floor_rows);
	}
	set_figure(&r->floor, v, c, i);
	set_figure(&r->floor3, v3, NULL, i);

	fprintf(stderr, ", premix_schema()");
	for (i = 0, t0 = now_ns(); another_rep(i, reps, t0); i++)
	{
		start_cold(db);
		v[i] = time_text_query(db, "SELECT premix_schema()", NULL, NULL, &c[i]);
	}
	set_figure(&r->schema, v, c, i);

	fprintf(stderr, ", (b)");
	for (i = 0, t0 = now_ns(); another_rep(i, reps, t0); i++)
	{
		start_cold(db);
		v[i] = time_text_query(db, "SELECT premix_diff(premix_schema())", NULL, &plan, &c[i]);
		fprintf(stderr, " %.0fms", v[i]);
	}
	set_figure(&r->same, v, c, i);
	r->same_steps = plan_steps(db, plan, NULL, 0);
	if (r->same_steps != 0)
		fprintf(stderr, "\nbench: BUG: premix_diff(premix_schema()) has %d steps at N=%d: %.600s\n",
				r->same_steps, n, plan);

	fprintf(stderr, ", (c)");
	target = build_target(db, n, &r->added, &r->altered);
	/* each altered table is one step; each added table, its 2 indexes too */
	r->expected_steps = r->altered + 3 * r->added;
	for (i = 0, t0 = now_ns(); another_rep(i, reps, t0); i++)
	{
		start_cold(db);
		v[i] = time_text_query(db, "SELECT premix_diff(?1)", target, &plan, &c[i]);
		fprintf(stderr, " %.0fms", v[i]);
	}
	set_figure(&r->target, v, c, i);
	fprintf(stderr, ", (c) warm");
	for (i = 0, t0 = now_ns(); another_rep(i, reps, t0); i++)
		v[i] = time_text_query(db, "SELECT premix_diff(?1)", target, &plan, &c[i]);
	set_figure(&r->warm, v, c, i);
	r->target_steps = plan_steps(db, plan, r->ops, sizeof r->ops);
	fprintf(stderr, " done\n");
	if (r->target_steps != r->expected_steps)
		fprintf(stderr, "bench: note: (c) has %d steps, %d expected (%s)\n",
				r->target_steps, r->expected_steps, r->ops);
	snprintf(name, sizeof name, "target_%d.json", n);
	save_file(name, target);
	snprintf(name, sizeof name, "plan_%d.json", n);
	save_file(name, plan);

	free(plan);
	free(target);
	sqlite3_close(db);
}

/* Write the figures table for results[0..n-1] to f. */
static void
print_table(FILE *f, const Result *res, int n)
{
	fprintf(f, "| tables | (a) floor ms | premix_schema() ms | (b) diff(schema()) ms | (b)/(a) "
			"| (c) realistic diff ms | (c)/(a) | (c) warm ms | (a) µs/table | (b) µs/table | (c) µs/table "
			"| reps a/schema/b/c |\n");
	fprintf(f, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
	for (int i = 0; i < n; i++)
	{
		const Result *r = &res[i];
		double		k = 1000.0 / r->ntables;

		fprintf(f, "| %d | %.2f | %.2f | %.2f | %.1fx | %.2f | %.1fx | %.2f | %.1f | %.1f | %.1f | %d/%d/%d/%d |\n",
				r->ntables, r->floor.ms, r->schema.ms, r->same.ms,
				r->same.ms / r->floor.ms, r->target.ms, r->target.ms / r->floor.ms, r->warm.ms,
				r->floor.ms * k, r->same.ms * k, r->target.ms * k,
				r->floor.reps, r->schema.reps, r->same.reps, r->target.reps);
	}
}

/* Write the details (floor split, plans, generation) for results to f. */
static void
print_details(FILE *f, const Result *res, int n)
{
	fprintf(f, "| tables | catalog rows read by (a) | premix's 3 queries alone ms "
			"| (a) CPU ms | (b) CPU ms | (b)/(a) by CPU | (b) steps "
			"| (c) added / altered tables | (c) steps (expected) | (c) steps by op | generation s |\n");
	fprintf(f, "|---:|---:|---:|---:|---:|---:|---:|---|---|---|---:|\n");
	for (int i = 0; i < n; i++)
	{
		const Result *r = &res[i];
		char		gen[32];

		if (r->gen_s < 0)
			snprintf(gen, sizeof gen, "reused");
		else
			snprintf(gen, sizeof gen, "%.1f", r->gen_s);
		fprintf(f, "| %d | %ld | %.2f | %.2f | %.2f | %.1fx | %d | %d / %d | %d (%d) | %s | %s |\n",
				r->ntables, r->floor_rows, r->floor3.ms, r->floor.cpu_ms, r->same.cpu_ms,
				r->same.cpu_ms / r->floor.cpu_ms, r->same_steps,
				r->added, r->altered, r->target_steps, r->expected_steps, r->ops, gen);
	}
}

/* The 1-minute load average from /proc/loadavg, or -1. */
static double
load_average(void)
{
	FILE	   *f = fopen("/proc/loadavg", "r");
	double		l = -1;

	if (f)
	{
		if (fscanf(f, "%lf", &l) != 1)
			l = -1;
		fclose(f);
	}
	return l;
}

/* PRETTY_NAME from /etc/os-release into out (empty when unknown). */
static void
os_name(char *out, size_t size)
{
	FILE	   *f = fopen("/etc/os-release", "r");
	char		line[256];

	out[0] = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, "PRETTY_NAME=", 12) == 0)
		{
			char	   *v = line + 12;

			v[strcspn(v, "\n")] = '\0';
			if (*v == '"')
			{
				v++;
				v[strcspn(v, "\"")] = '\0';
			}
			snprintf(out, size, "%s, ", v);
			break;
		}
	fclose(f);
}

/* Write the whole report (context, legend, both tables) to f. */
static void
print_report(FILE *f, const char *date, const char *cmd, const Result *res, int n)
{
	struct utsname un;
	char		os[320];

	uname(&un);
	os_name(os, sizeof os);
	fprintf(f, "- date: %s\n", date);
	fprintf(f, "- machine: %ld cores (nproc), %s%s %s %s; load average at the end %.2f\n",
			sysconf(_SC_NPROCESSORS_ONLN), os, un.sysname, un.release, un.machine, load_average());
	fprintf(f, "- SQLite %s (libsqlite3, used by the bench and by the extension)\n",
			sqlite3_libversion());
	fprintf(f, "- reproduce: `make bench` from the repository root (it builds "
			"sqlite_premix/premix.so, then `sh bench/run.sh` builds and runs `%s`)\n", cmd);
	fprintf(f, "- each figure is the median of its repetitions (last column; at most 5, "
			"3 from 10,000 tables, and no new one once a figure has taken %.0f s), timed with "
			"clock_gettime(CLOCK_MONOTONIC) around prepare + step of one statement on an open "
			"connection whose schema is already loaded\n\n", budget_s);
	fprintf(f, "(a) the floor: the catalog read once with plain queries, every row and column "
			"stepped through: sqlite_schema; sqlite_schema x pragma_table_xinfo; "
			"x pragma_foreign_key_list; x pragma_index_list x pragma_index_xinfo.  \n"
			"(b) `SELECT premix_diff(premix_schema())`, checked to be an empty plan.  \n"
			"(c) `SELECT premix_diff(?)` with target = premix_schema() plus 5%% new tables "
			"(with FKs, a unique and a plain index each) and 10%% of the tables altered, in turn: "
			"a nullable column added, varchar(80) widened to varchar(160), an index added. "
			"Every table holds %d rows for the data checks.  \n"
			"Before every timed statement of (a), premix_schema(), (b) and (c), a table is created "
			"and dropped (untimed) and SQLite re-reads its schema (untimed): the connection's "
			"cached live model no longer matches, so premix reads the catalog afresh, as after "
			"any migration (inside (b), premix_diff finds the model premix_schema() has just read). "
			"(c) warm: (c) repeated with nothing changed in between, the live model cached (a "
			"preview followed by a migrate).\n\n", ROWS_PER_TABLE);
	print_table(f, res, n);
	fprintf(f, "\n");
	print_details(f, res, n);
}

/* Parse "100,1000" into sizes; returns the count. */
static int
parse_sizes(const char *s, int *sizes)
{
	int			n = 0;

	while (*s && n < MAX_SIZES)
	{
		char	   *end;
		long		v = strtol(s, &end, 10);

		if (end == s || v < 1 || v > 1000000)
			die("bad size list: %s", s);
		sizes[n++] = (int) v;
		s = *end == ',' ? end + 1 : end;
	}
	return n;
}

/* Profiling mode: one premix_diff(premix_schema()) on the n-table database. */
static int
profile_once(int n)
{
	char		path[512];
	sqlite3    *db;
	double		ms,
				cpu;

	snprintf(path, sizeof path, "%s/bench_%d.db", out_dir, n);
	if (!db_is_current(path, n))
		generate_db(path, n);
	db = open_db(path);
	ms = time_text_query(db, "SELECT premix_diff(premix_schema())", NULL, NULL, &cpu);
	printf("premix_diff(premix_schema()) on %d tables: %.2f ms (CPU %.2f ms)\n", n, ms, cpu);
	sqlite3_close(db);
	return 0;
}

/* Parse options, run every size, print and write the results. */
int
main(int argc, char **argv)
{
	int			sizes[MAX_SIZES] = {100, 1000, 10000};
	int			nsizes = 3;
	bool		fresh = false;
	int			profile_n = 0;
	int			opt;
	Result		res[MAX_SIZES];
	char		date[64];
	time_t		now = time(NULL);
	FILE	   *md;
	Buf			cmd = {0};

	while ((opt = getopt(argc, argv, "e:o:r:n:fp:b:")) != -1)
	{
		switch (opt)
		{
			case 'e':
				ext_path = optarg;
				break;
			case 'o':
				out_dir = optarg;
				break;
			case 'r':
				results_path = optarg;
				break;
			case 'n':
				nsizes = parse_sizes(optarg, sizes);
				break;
			case 'f':
				fresh = true;
				break;
			case 'p':
				profile_n = atoi(optarg);
				break;
			case 'b':
				budget_s = atof(optarg);
				break;
			default:
				die("usage: bench [-e extension] [-o outdir] [-r results.md] [-n N,...] [-f] [-b seconds] [-p N]");
		}
	}
	if (profile_n > 0)
		return profile_once(profile_n);

	for (int i = 0; i < nsizes; i++)
		run_size(sizes[i], sizes[i] >= 10000 ? 3 : 5, fresh, &res[i]);

	strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S %Z", localtime(&now));
	for (int i = 0; i < argc; i++)
		buf_printf(&cmd, "%s%s", i ? " " : "", argv[i]);

	printf("\n");
	print_report(stdout, date, cmd.p, res, nsizes);
	if (!(md = fopen(results_path, "w")))
		die("cannot write %s", results_path);
	fprintf(md, "# premix benchmark results\n\n");
	print_report(md, date, cmd.p, res, nsizes);
	fclose(md);
	fprintf(stderr, "bench: written to %s\n", results_path);
	free(cmd.p);
	return 0;
}
