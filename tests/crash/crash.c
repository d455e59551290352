/*-------------------------------------------------------------------------
 *
 * crash.c
 *	  Crash test for premix_migrate on SQLite: a child process is killed
 *	  with SIGKILL at random points during a large apply; afterwards the
 *	  database must pass PRAGMA integrity_check and foreign_key_check, and
 *	  its schema must be either wholly the one before the apply or wholly
 *	  the one after it -- never a mix.
 *
 * How it works:
 *	 1. Build a template database per journal mode (DELETE and WAL): a big
 *		table "parent" (CRASH_ROWS rows, default 400000) with an index and
 *		NULLs in "note", and a table "child" with a foreign key to it.
 *	 2. Snapshot the "before" state of the template: premix_schema(), the
 *		sqlite_schema rows (without rootpage), a data signature and the
 *		number of ledger rows.
 *	 3. Calibrate: copy the template, fork a child that opens the copy with
 *		foreign_keys on, loads premix and runs premix_migrate(TARGET) to the
 *		end.  The target widens parent.score (integer -> bigint), makes
 *		parent.note NOT NULL with a default that backfills the NULLs and adds
 *		an index, so premix rebuilds the whole table (12-step recipe) inside
 *		its savepoint.  The child's lifetime is the calibration time D; the
 *		result must verify as "after" and gives the "after" snapshot.
 *	 4. Iterations: copy the template, fork the same child, sleep a random
 *		time in [0, 1.2 D] and SIGKILL it (a child that finished first is an
 *		"after" sample).  Reopen the file in this process and verify it:
 *		integrity_check exactly "ok", foreign_key_check empty, and then
 *		premix_schema(), sqlite_schema, the data signature and the ledger
 *		must all be those of "before" (no ledger row, NULLs still there) or
 *		all those of "after" (one ledger row, no NULL left in parent.note).
 *		The delays are stratified: the interval is cut into as many equal
 *		slices as there are iterations, each iteration draws uniformly
 *		inside one slice, and the slices are shuffled.  The kills then cover
 *		the whole apply in every run, while each delay stays random.  If the
 *		machine's speed changed since the calibration (other jobs) and a
 *		mode saw only one state, a few extra kills aim at the missing one.
 *	 5. One PASS/FAIL line per calibration and iteration, then a summary
 *		line that passes only if each journal mode saw both "before" and
 *		"after" (otherwise the kills never straddled the commit and proved
 *		nothing).
 *
 * Usage: crash WORKDIR [EXTENSION]
 *	  EXTENSION (or $PREMIX_EXT; default sqlite_premix/premix) is passed to
 *	  sqlite3_load_extension.  Environment: CRASH_SEED (fix the random seed;
 *	  printed on every run: the same seed gives the same kill points as
 *	  fractions of D), CRASH_CAL_MS (use this D in ms for the delays instead
 *	  of the measured one, to repeat kill times exactly), CRASH_ITERS (iterations per journal mode,
 *	  default 12), CRASH_ROWS (rows in the big table, default 400000),
 *	  CRASH_KEEP=1 (keep every iteration's database, not only failed ones).
 *
 * Output lines start "PASS " or "FAIL " (tests/run.sh counts them); other
 * lines start with "# ".  Exit status 1 when anything failed.
 *
 * IDENTIFICATION
 *	  tests/crash/crash.c
 *
 *-------------------------------------------------------------------------
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The target: rebuild "parent" (type widening + SET NOT NULL with a backfill + new index). */
static const char TARGET[] =
	"{\"tables\": ["
	"{\"name\": \"child\", \"columns\": ["
	"{\"name\": \"id\", \"type\": \"integer\"},"
	"{\"name\": \"parent_id\", \"type\": \"integer\", \"nullable\": false},"
	"{\"name\": \"v\", \"type\": \"text\"}],"
	"\"primary_key\": {\"columns\": [\"id\"]},"
	"\"foreign_keys\": [{\"columns\": [\"parent_id\"], \"ref_table\": \"parent\","
	" \"ref_columns\": [\"id\"], \"on_delete\": \"cascade\"}],"
	"\"indexes\": [{\"name\": \"child_parent_idx\", \"columns\": [\"parent_id\"]}]},"
	"{\"name\": \"parent\", \"columns\": ["
	"{\"name\": \"id\", \"type\": \"integer\"},"
	"{\"name\": \"name\", \"type\": \"text\", \"nullable\": false},"
	"{\"name\": \"score\", \"type\": \"bigint\"},"
	"{\"name\": \"note\", \"type\": \"text\", \"nullable\": false, \"default\": \"'none'\"}],"
	"\"primary_key\": {\"columns\": [\"id\"]},"
	"\"indexes\": [{\"name\": \"parent_name_idx\", \"columns\": [\"name\"]},"
	"{\"name\": \"parent_score_idx\", \"columns\": [\"score\"]}]}"
	"]}";

/* What the database looks like in one state (all strings malloc'ed). */
typedef struct Snapshot
{
	char	   *schema;			/* premix_schema() */
	char	   *master;			/* sqlite_schema rows, rootpage left out */
	char	   *data;			/* data signature of both tables */
	long long	ledger;			/* rows in premix_migrations (0 when absent) */
	long long	nulls;			/* parent rows whose note IS NULL */
} Snapshot;

/* Outcome of verifying one database file. */
enum State
{
	ST_BEFORE, ST_AFTER, ST_BAD
};

static const char *ext_path;	/* extension to load */
static const char *workdir;		/* where the databases live */
static long long nrows;			/* rows in parent */
static uint64_t rng_state;		/* splitmix64 state */

/* Monotonic clock in milliseconds. */
static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* splitmix64: a small PRNG whose sequence depends only on the seed. */
static uint64_t
rng_next(void)
{
	uint64_t	z = (rng_state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* Uniform double in [0, 1). */
static double
rng_unit(void)
{
	return (rng_next() >> 11) * (1.0 / 9007199254740992.0);
}

/* snprintf into a fresh malloc'ed string. */
static char *
strf(const char *fmt,...)
{
	va_list		ap;
	char	   *s;
	int			n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = malloc((size_t) n + 1);
	if (!s)
		abort();
	va_start(ap, fmt);
	vsnprintf(s, (size_t) n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* A byte count as text, e.g. "12.3MB" (static buffer: one use per expression). */
static const char *
strf_size(long long n)
{
	static char buf[32];

	if (n >= 1024 * 1024)
		snprintf(buf, sizeof(buf), "%.1fMB", n / 1048576.0);
	else
		snprintf(buf, sizeof(buf), "%.1fKB", n / 1024.0);
	return buf;
}

/* Environment variable as an integer, or def when unset or empty. */
static long long
env_int(const char *name, long long def)
{
	const char *v = getenv(name);

	return v && *v ? strtoll(v, NULL, 10) : def;
}

/* Remove a database file and its journal, WAL and shared-memory files. */
static void
remove_db(const char *path)
{
	static const char *const suffix[] = {"", "-journal", "-wal", "-shm"};

	for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++)
	{
		char	   *p = strf("%s%s", path, suffix[i]);

		unlink(p);
		free(p);
	}
}

/* Copy file src to dst; returns 0 on success. */
static int
copy_file(const char *src, const char *dst)
{
	char		buf[1 << 16];
	int			in = open(src, O_RDONLY),
				out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ssize_t		n = 0;

	if (in < 0 || out < 0)
	{
		if (in >= 0)
			close(in);
		if (out >= 0)
			close(out);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
	{
		for (ssize_t off = 0; off < n;)
		{
			ssize_t		w = write(out, buf + off, (size_t) (n - off));

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
			{
				n = -1;
				goto done;
			}
			off += w;
		}
	}
done:
	close(in);
	return (close(out) == 0 && n == 0) ? 0 : -1;
}

/* Open path read-write; with load=1 also load premix.  *err gets a message on failure. */
static sqlite3 *
db_open(const char *path, int load, char **err)
{
	sqlite3    *db = NULL;
	char	   *msg = NULL;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
	{
		*err = strf("cannot open %s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 5000);
	if (load)
	{
		sqlite3_enable_load_extension(db, 1);
		if (sqlite3_load_extension(db, ext_path, NULL, &msg) != SQLITE_OK)
		{
			*err = strf("cannot load %s: %s", ext_path, msg ? msg : "?");
			sqlite3_free(msg);
			sqlite3_close(db);
			return NULL;
		}
	}
	return db;
}

/* Run statements that return nothing of interest; returns a malloc'ed error or NULL. */
static char *
exec_sql(sqlite3 *db, const char *sql)
{
	char	   *msg = NULL;
	char	   *out = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		out = strf("%s", msg ? msg : sqlite3_errmsg(db));
	sqlite3_free(msg);
	return out;
}

/*
 * Every row of sql as text: columns joined by '|', rows ended by '\n'
 * (NULL shows as "NULL").  Returns a malloc'ed string, or NULL with *err set.
 */
static char *
query_dump(sqlite3 *db, const char *sql, char **err)
{
	sqlite3_stmt *st = NULL;
	char	   *out = strf("%s", "");
	size_t		len = 0;
	int			rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
	{
		*err = strf("%s: %s", sql, sqlite3_errmsg(db));
		free(out);
		return NULL;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
	{
		for (int c = 0; c < sqlite3_column_count(st); c++)
		{
			const char *v = (const char *) sqlite3_column_text(st, c);
			size_t		vl = v ? strlen(v) : 4;

			out = realloc(out, len + vl + 2);
			if (!out)
				abort();
			memcpy(out + len, v ? v : "NULL", vl);
			len += vl;
			out[len++] = c + 1 < sqlite3_column_count(st) ? '|' : '\n';
			out[len] = '\0';
		}
	}
	if (rc != SQLITE_DONE)
	{
		*err = strf("%s: %s", sql, sqlite3_errmsg(db));
		free(out);
		out = NULL;
	}
	sqlite3_finalize(st);
	return out;
}

/* First column of the first row as an integer; -1 with *err set on error. */
static long long
query_int(sqlite3 *db, const char *sql, char **err)
{
	char	   *s = query_dump(db, sql, err);
	long long	v = s ? strtoll(s, NULL, 10) : -1;

	free(s);
	return v;
}

/* Free the strings of a snapshot. */
static void
snap_free(Snapshot *s)
{
	free(s->schema);
	free(s->master);
	free(s->data);
	memset(s, 0, sizeof(*s));
}

/*
 * Read the state of the database at path into *s: the checks that need no
 * extension first, then premix_schema().  Returns NULL, or a malloc'ed
 * message describing what is wrong (integrity, foreign keys, a query error).
 */
static char *
take_snapshot(const char *path, Snapshot *s)
{
	sqlite3    *db;
	char	   *err = NULL;
	char	   *v;

	memset(s, 0, sizeof(*s));
	/* plain connection: the first read rolls back a hot journal / recovers the WAL */
	if (!(db = db_open(path, 0, &err)))
		return err;
	if ((err = exec_sql(db, "PRAGMA cache_size = -65536")))
		goto out;
	if (!(v = query_dump(db, "PRAGMA integrity_check", &err)))
		goto out;
	if (strcmp(v, "ok\n") != 0)
	{
		err = strf("integrity_check: %.400s", v);
		free(v);
		goto out;
	}
	free(v);
	if (!(v = query_dump(db, "PRAGMA foreign_key_check", &err)))
		goto out;
	if (*v)
	{
		err = strf("foreign_key_check reports rows: %.400s", v);
		free(v);
		goto out;
	}
	free(v);
	if (!(s->master = query_dump(db, "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name", &err)))
		goto out;
	if (!(s->data = query_dump(db,
							   "SELECT count(*), total(id), total(score), total(length(name)),"
							   " sum(note IS NULL), sum(note = 'none'), total(length(note)) FROM parent",
							   &err)))
		goto out;
	v = query_dump(db, "SELECT count(*), total(parent_id), total(length(v)) FROM child", &err);
	if (!v)
		goto out;
	s->data = realloc(s->data, strlen(s->data) + strlen(v) + 1);
	if (!s->data)
		abort();
	strcat(s->data, v);
	free(v);
	if ((s->nulls = query_int(db, "SELECT count(*) FROM parent WHERE note IS NULL", &err)) < 0)
		goto out;
	if (query_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'premix_migrations'", &err) > 0)
		s->ledger = query_int(db, "SELECT count(*) FROM premix_migrations", &err);
	if (err)
		goto out;
	{
		long long	n = query_int(db, "SELECT count(*) FROM parent", &err);

		if (err)
			goto out;
		if (n != nrows)
		{
			err = strf("parent has %lld rows, expected %lld", n, nrows);
			goto out;
		}
	}
	sqlite3_close(db);
	/* then premix's own view of the schema */
	if (!(db = db_open(path, 1, &err)))
		return err;
	s->schema = query_dump(db, "SELECT premix_schema()", &err);
out:
	sqlite3_close(db);
	return err;
}

/*
 * Compare a snapshot with the before and after states.  Returns the state;
 * for ST_BAD, *why gets a malloc'ed explanation.
 */
static enum State
classify(const Snapshot *s, const Snapshot *before, const Snapshot *after, char **why)
{
	int			sb = strcmp(s->schema, before->schema) == 0,
				sa = strcmp(s->schema, after->schema) == 0,
				mb = strcmp(s->master, before->master) == 0,
				ma = strcmp(s->master, after->master) == 0,
				db = strcmp(s->data, before->data) == 0,
				da = strcmp(s->data, after->data) == 0;

	if (sb && mb && db && s->ledger == 0)
		return ST_BEFORE;
	if (sa && ma && da && s->ledger == 1 && s->nulls == 0)
		return ST_AFTER;
	*why = strf("neither before nor after: premix_schema %s, sqlite_schema %s, data %s, "
				"%lld ledger rows, %lld NULL notes",
				sb ? "= before" : sa ? "= after" : "= neither",
				mb ? "= before" : ma ? "= after" : "= neither",
				db ? "= before" : da ? "= after" : "= neither",
				s->ledger, s->nulls);
	return ST_BAD;
}

/* The child: open, enforce foreign keys, load premix, migrate; never returns. */
static void
child_main(const char *path)
{
	char	   *err = NULL;
	sqlite3    *db = db_open(path, 1, &err);
	sqlite3_stmt *st = NULL;

	if (!db)
	{
		fprintf(stderr, "# child: %s\n", err);
		_exit(2);
	}
	if ((err = exec_sql(db, "PRAGMA foreign_keys = ON")))
	{
		fprintf(stderr, "# child: %s\n", err);
		_exit(2);
	}
	if (sqlite3_prepare_v2(db, "SELECT premix_migrate(?1)", -1, &st, NULL) != SQLITE_OK ||
		sqlite3_bind_text(st, 1, TARGET, -1, SQLITE_STATIC) != SQLITE_OK ||
		sqlite3_step(st) != SQLITE_ROW)
	{
		fprintf(stderr, "# child: premix_migrate failed: %s\n", sqlite3_errmsg(db));
		_exit(3);
	}
	sqlite3_finalize(st);
	if (sqlite3_close(db) != SQLITE_OK)
	{
		fprintf(stderr, "# child: close failed\n");
		_exit(4);
	}
	_exit(0);
}

/*
 * Fork a child migrating path.  kill_ms < 0: wait for it to finish.  Else
 * SIGKILL it kill_ms after the fork unless it has ended by then.  *elapsed
 * gets the time from the fork to the end of the child (to the kill when it
 * was killed).  SIGCHLD is blocked in main, so sigtimedwait wakes up the
 * moment the child ends.  Returns the wait status, or -1 if fork failed.
 */
static int
run_child(const char *path, double kill_ms, double *elapsed)
{
	double		t0;
	pid_t		pid;
	int			status = 0;
	sigset_t	chld;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	fflush(stdout);
	fflush(stderr);
	t0 = now_ms();
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		child_main(path);
	if (kill_ms >= 0)
	{
		double		deadline = t0 + kill_ms,
					left;

		while ((left = deadline - now_ms()) > 0)
		{
			struct timespec ts = {(time_t) (left / 1000), (long) (((long long) (left * 1e6)) % 1000000000LL)};

			if (sigtimedwait(&chld, NULL, &ts) == SIGCHLD && waitpid(pid, &status, WNOHANG) == pid)
			{
				*elapsed = now_ms() - t0;
				return status;
			}
		}
		*elapsed = now_ms() - t0;
		kill(pid, SIGKILL);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (kill_ms < 0)
		*elapsed = now_ms() - t0;
	/* drop the SIGCHLD of this child, so the next wait starts clean */
	{
		struct timespec zero = {0, 0};

		while (sigtimedwait(&chld, NULL, &zero) == SIGCHLD)
			;
	}
	return status;
}

/* Size of path+suffix in bytes, -1 if it does not exist. */
static long long
file_size(const char *path, const char *suffix)
{
	struct stat st;
	char	   *p = strf("%s%s", path, suffix);
	int			rc = stat(p, &st);

	free(p);
	return rc == 0 ? (long long) st.st_size : -1;
}

/* Describe a wait status that is not what we wanted. */
static char *
status_text(int status)
{
	if (status == -1)
		return strf("fork failed: %s", strerror(errno));
	if (WIFEXITED(status))
		return strf("child exited with status %d", WEXITSTATUS(status));
	if (WIFSIGNALED(status))
		return strf("child died of signal %d", WTERMSIG(status));
	return strf("child wait status %d", status);
}

/* Create the template database for one journal mode. */
static char *
build_template(const char *path, const char *mode)
{
	char	   *err = NULL;
	sqlite3    *db;
	char	   *sql;

	remove_db(path);
	if (!(db = db_open(path, 0, &err)))
		return err;
	sql = strf("PRAGMA journal_mode = %s;"
			   "PRAGMA foreign_keys = ON;"
			   "BEGIN;"
			   "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL, score INTEGER, note TEXT);"
			   "CREATE TABLE child (id INTEGER PRIMARY KEY,"
			   " parent_id INTEGER NOT NULL REFERENCES parent (id) ON DELETE CASCADE, v TEXT);"
			   "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < %lld)"
			   " INSERT INTO parent SELECT i, printf('name-%%07d', (i * 7919) %% 1000003), i %% 1000,"
			   " CASE WHEN i %% 3 = 0 THEN NULL WHEN i %% 5 = 0 THEN 'none' ELSE 'note ' || i END FROM c;"
			   "CREATE INDEX parent_name_idx ON parent (name);"
			   "INSERT INTO child (parent_id, v) SELECT id, 'child of ' || id FROM parent WHERE id %% 4 = 0;"
			   "CREATE INDEX child_parent_idx ON child (parent_id);"
			   "COMMIT;", mode, nrows);
	err = exec_sql(db, sql);
	free(sql);
	if (!err)
	{
		char	   *jm = query_dump(db, "PRAGMA journal_mode", &err);

		if (jm && strncasecmp(jm, mode, strlen(mode)) != 0)
			err = strf("journal_mode is %s, wanted %s", jm, mode);
		free(jm);
	}
	if (sqlite3_close(db) != SQLITE_OK && !err)
		err = strf("close failed");
	return err;
}

/* Print one result line; returns 1 for a failure so callers can count. */
static int
report(int ok, const char *fmt,...)
{
	va_list		ap;

	fputs(ok ? "PASS " : "FAIL ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	return ok ? 0 : 1;
}

/*
 * Verify the database at path after a (possibly killed) child and print
 * its PASS/FAIL line.  want is ST_AFTER for a calibration run (it must have
 * finished), else ST_BAD (= either state will do).  after is NULL for the
 * first calibration, which defines "after"; its snapshot goes to *out.
 * Returns the state found, ST_BAD on any failure.
 */
static enum State
verify(const char *label, const char *path, const char *how, enum State want,
	   const Snapshot *before, const Snapshot *after, Snapshot *out, uint64_t seed)
{
	Snapshot	s;
	char	   *why = NULL;
	enum State	st = ST_BAD;

	why = take_snapshot(path, &s);
	if (!why)
	{
		if (after)
			st = classify(&s, before, after, &why);
		else if (s.ledger == 1 && s.nulls == 0 && strcmp(s.schema, before->schema) != 0 &&
				 strcmp(s.master, before->master) != 0)
			st = ST_AFTER;		/* the calibration run defines "after" */
		else
			why = strf("calibration result is not a finished migration: %lld ledger rows, %lld NULL notes",
					   s.ledger, s.nulls);
	}
	if (!why && want != ST_BAD && st != want)
		why = strf("expected after, found before");
	if (why)
	{
		report(0, "%s %s: %s (seed %llu; database kept at %s)", label, how, why,
			   (unsigned long long) seed, path);
		/* what the schema is instead, as comment lines under the FAIL */
		for (const char *p = s.master; p && *p;)
		{
			const char *nl = strchr(p, '\n');
			int			len = nl ? (int) (nl - p) : (int) strlen(p);

			printf("#   %.*s\n", len, p);
			p += len + (nl != NULL);
		}
		free(why);
		snap_free(&s);
		return ST_BAD;
	}
	report(1, "%s %s: %s, integrity ok", label, how, st == ST_BEFORE ? "before" : "after");
	if (out)
		*out = s;
	else
		snap_free(&s);
	return st;
}

/* Per-mode counters and settings shared by the iterations of one journal mode. */
typedef struct Mode
{
	const char *name;			/* "delete" or "wal" */
	const char *recover;		/* the file a kill can leave: "-journal" or "-wal" */
	char	   *tmpl;			/* template database */
	double		dur;			/* calibration: uninterrupted child lifetime, ms */
	int			nbefore,
				nafter,
				nfinished,		/* "after" because the child ended before the kill */
				nrecover,		/* kills that left a journal / WAL frames behind */
				failures;
} Mode;

/*
 * One iteration: copy the template, start the child, kill it kill_ms after
 * the fork, verify, count.  Databases of failed iterations are kept.
 */
static void
one_kill(Mode *md, int n, double kill_ms, const char *note,
		 const Snapshot *before, const Snapshot *after, uint64_t seed, int keep)
{
	char	   *db = strf("%s/%s-%02d.db", workdir, md->name, n);
	char	   *label = strf("%s/%02d", md->name, n);
	char	   *how = NULL;
	char	   *err;
	double		elapsed;
	long long	jsize;
	int			status;
	enum State	st;

	remove_db(db);
	if (copy_file(md->tmpl, db) != 0)
	{
		md->failures += report(0, "%s: cannot copy %s to %s", label, md->tmpl, db);
		goto out;
	}
	status = run_child(db, kill_ms, &elapsed);
	/* what the kill left to recover: a hot rollback journal, or WAL frames past the 32-byte header */
	jsize = file_size(db, md->recover);
	if (jsize > 32)
		md->nrecover++;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
		how = strf("killed at %.0fms = %.2f D%s (%s %s)", kill_ms, kill_ms / md->dur, note, md->recover + 1,
				   jsize > 32 ? strf_size(jsize) : "none");
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
	{
		how = strf("finished at %.0fms, before the kill at %.0fms%s", elapsed, kill_ms, note);
		md->nfinished++;
	}
	else
	{
		err = status_text(status);
		md->failures += report(0, "%s: the apply failed on its own (kill planned at %.0fms): %s (seed %llu; database kept at %s)",
							   label, kill_ms, err, (unsigned long long) seed, db);
		free(err);
		goto out;
	}
	st = verify(label, db, how, ST_BAD, before, after, NULL, seed);
	if (st == ST_BEFORE)
		md->nbefore++;
	else if (st == ST_AFTER)
		md->nafter++;
	else
		md->failures++;
	if (st != ST_BAD && !keep)
		remove_db(db);
out:
	free(how);
	free(label);
	free(db);
}

/*
 * Build the template of one mode and run its calibration.  The first mode
 * also takes the "before" snapshot and, from its calibration, the "after"
 * one.  Returns 0 when the iterations can go ahead.
 */
static int
prepare_mode(Mode *md, Snapshot *before, Snapshot *after, uint64_t seed, int keep)
{
	char	   *cal = strf("%s/%s-calibrate.db", workdir, md->name);
	char	   *label = strf("%s/calibrate", md->name);
	char	   *err = NULL;
	char	   *how = NULL;
	double		t0 = now_ms();
	int			status,
				rc = -1;
	Snapshot	got;

	if ((err = build_template(md->tmpl, md->name)) ||
		(!before->schema && (err = take_snapshot(md->tmpl, before))))
	{
		md->failures += report(0, "%s/template: %s (seed %llu)", md->name, err, (unsigned long long) seed);
		goto out;
	}
	printf("# %s: template of %lld rows built in %.0fms\n", md->name, nrows, now_ms() - t0);
	remove_db(cal);
	if (copy_file(md->tmpl, cal) != 0)
	{
		md->failures += report(0, "%s: cannot copy %s to %s", label, md->tmpl, cal);
		goto out;
	}
	status = run_child(cal, -1, &md->dur);
	how = strf("uninterrupted apply %.0fms", md->dur);
	if (env_int("CRASH_CAL_MS", 0) > 0)
		md->dur = (double) env_int("CRASH_CAL_MS", 0);
	if (status != 0)
	{
		err = status_text(status);
		md->failures += report(0, "%s: the uninterrupted apply failed: %s (database kept at %s)",
							   label, err, cal);
		goto out;
	}
	if (verify(label, cal, how, ST_AFTER, before, after->schema ? after : NULL, &got, seed) != ST_AFTER)
	{
		md->failures++;
		goto out;
	}
	if (!after->schema)
		*after = got;
	else
		snap_free(&got);
	if (!keep)
		remove_db(cal);
	rc = 0;
out:
	free(err);
	free(how);
	free(label);
	free(cal);
	return rc;
}

/* Fisher-Yates shuffle of n ints. */
static void
shuffle(int *v, int n)
{
	for (int i = n - 1; i > 0; i--)
	{
		int			j = (int) (rng_next() % (uint64_t) (i + 1));
		int			t = v[i];

		v[i] = v[j];
		v[j] = t;
	}
}

/*
 * The kills of one mode.  Delays are stratified over [0, 1.2 D] (see the
 * file header).  If the machine got slower or faster than during the
 * calibration and one state was never seen, up to MAX_TOPUP extra kills are
 * aimed at the missing state: later and later for "after", early in the
 * apply for "before".
 */
#define MAX_TOPUP 3
static void
run_mode(Mode *md, int iters, const Snapshot *before, const Snapshot *after, uint64_t seed, int keep)
{
	int		   *slot = malloc(sizeof(int) * (size_t) iters);
	int			n = 0;

	if (!slot)
		abort();
	for (int i = 0; i < iters; i++)
		slot[i] = i;
	shuffle(slot, iters);
	for (int i = 0; i < iters; i++)
		one_kill(md, ++n, (slot[i] + rng_unit()) * 1.2 * md->dur / iters, "", before, after, seed, keep);
	for (int k = 0; k < MAX_TOPUP && (md->nbefore == 0 || md->nafter == 0); k++)
	{
		double		factor = 1.8;

		for (int j = 0; j < k; j++)
			factor *= 1.5;
		if (md->nafter == 0)
			one_kill(md, ++n, md->dur * factor, ", extra kill aimed at after", before, after, seed, keep);
		else
			one_kill(md, ++n, md->dur * (0.1 + 0.4 * rng_unit()), ", extra kill aimed at before",
					 before, after, seed, keep);
	}
	free(slot);
}

/* Entry point: see the file header. */
int
main(int argc, char **argv)
{
	Mode		modes[] = {{.name = "delete", .recover = "-journal"}, {.name = "wal", .recover = "-wal"}};
	const int	nmodes = (int) (sizeof(modes) / sizeof(modes[0]));
	uint64_t	seed;
	int			iters,
				keep = (int) env_int("CRASH_KEEP", 0),
				failures = 0,
				nbefore = 0,
				nafter = 0,
				nfinished = 0,
				nrecover = 0,
				both = 1;
	double		t_start = now_ms();
	Snapshot	before = {0},
				after = {0};
	sigset_t	chld;

	if (argc < 2)
	{
		fprintf(stderr, "usage: %s WORKDIR [EXTENSION]\n", argv[0]);
		return 2;
	}
	workdir = argv[1];
	ext_path = argc > 2 ? argv[2] : getenv("PREMIX_EXT");
	if (!ext_path || !*ext_path)
		ext_path = "sqlite_premix/premix";
	seed = (uint64_t) env_int("CRASH_SEED", 0);
	if (!seed)
		seed = (((uint64_t) time(NULL) * 1000003u) ^ (uint64_t) getpid()) % 1000000000ULL + 1;
	rng_state = seed;
	iters = (int) env_int("CRASH_ITERS", 12);
	nrows = env_int("CRASH_ROWS", 400000);
	if (iters < 1 || nrows < 1)
	{
		fprintf(stderr, "CRASH_ITERS and CRASH_ROWS must be positive\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* run_child waits for SIGCHLD with sigtimedwait: keep it pending, not delivered */
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	printf("# crash: seed %llu (CRASH_SEED=%llu repeats the kill points), %d kills per mode, %lld rows, extension %s\n",
		   (unsigned long long) seed, (unsigned long long) seed, iters, nrows, ext_path);
	if (env_int("CRASH_CAL_MS", 0) > 0)
		printf("# crash: kill delays use D = %lldms (CRASH_CAL_MS), not the measured time\n",
			   env_int("CRASH_CAL_MS", 0));

	for (int m = 0; m < nmodes; m++)
	{
		Mode	   *md = &modes[m];

		md->tmpl = strf("%s/template-%s.db", workdir, md->name);
		if (prepare_mode(md, &before, &after, seed, keep) == 0)
			run_mode(md, iters, &before, &after, seed, keep);
		else
			both = 0;
		if (!keep)
			remove_db(md->tmpl);
		free(md->tmpl);
		printf("# %s: %d before, %d after (%d finished before the kill), %d left a %s to recover\n",
			   md->name, md->nbefore, md->nafter, md->nfinished, md->nrecover, md->recover + 1);
		if (md->nbefore == 0 || md->nafter == 0)
			both = 0;
		failures += md->failures;
		nbefore += md->nbefore;
		nafter += md->nafter;
		nfinished += md->nfinished;
		nrecover += md->nrecover;
	}

	/* both states must have been seen in every mode, or the kills proved nothing */
	failures += report(both,
					   "summary: %d before, %d after (%d finished before the kill), %d kills left a journal/WAL to recover, "
					   "%d failed (seed %llu, %.1fs)%s",
					   nbefore, nafter, nfinished, nrecover, failures, (unsigned long long) seed,
					   (now_ms() - t_start) / 1000.0,
					   both ? "" : "; a journal mode did not see both states: the kills never straddled the commit");
	snap_free(&before);
	snap_free(&after);
	return failures ? 1 : 0;
}
