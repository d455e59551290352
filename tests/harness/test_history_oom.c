/*
 * test_history_oom.c -- the migration history functions under memory
 * failure and in a loop, through the real libsqlite3 API (the functional
 * tests are test_history.c's).
 *
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
 *    an undisturbed call does.
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
#include "history.h"

static char basepath[300];	/* the database every attempt starts from */

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
	{
		/* each kind of bad outcome, counted over every call: none */
		const struct
		{
			const char *what;
			int			count;
		}			bad[] = {
			{"failures are premix errors or SQLITE_NOMEM", st.not_premix},
			{"a premix error for out of memory says so (53200, XX000, 58000)", st.misleading},
			{"only SQLITE_NOMEM leaves the transaction to the application", st.left_open},
			{"pragmas restored (foreign_keys, legacy_alter_table, defer_foreign_keys)", st.bad_pragmas},
			{"wholly before (failed) or wholly after (succeeded)", st.torn},
			{"a call that succeeds returns the right result", st.wrong_result},
			{"integrity_check and foreign_key_check clean", st.bad_integrity},
			{"no statement left unfinalized (sqlite3_close works)", st.unfinalized},
		};

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		{
			snprintf(name, sizeof(name), "oom %s: %s", s->name, bad[i].what);
			CHECK(name, bad[i].count == 0);
		}
	}
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

/* Run sql in the loop (one value back); a failure or an error counts in *bad. */
static void
loop_call(sqlite3 *db, const char *sql, int *bad)
{
	char	   *err = NULL;
	char	   *r = h_text(db, sql, &err);

	if (!r || err)
		(*bad)++;
	free(r);
	free(err);
}

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
		loop_call(db, "SELECT premix_rollback()", &bad);
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
		loop_call(db, "SELECT premix_rollback()", &bad);
		/* a trashed migrate, rolled back */
		r = q4(db, &err, NULL, "SELECT premix_migrate(?1, 1)", T_DROP_EMAIL_AUDIT, NULL, NULL, NULL);
		if (!r || err)
			bad++;
		free(r);
		free(err);
		loop_call(db, "SELECT premix_script(premix_diff(premix_schema()))", &bad);
		loop_call(db, "SELECT premix_rollback()", &bad);
		loop_call(db, "SELECT premix_purge(NULL, 1)", &bad);
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
	snprintf(dbpath, sizeof(dbpath), "%s/premix_test_history_oom_%d.db", tmp ? tmp : "/tmp", (int) getpid());
	snprintf(basepath, sizeof(basepath), "%s.base", dbpath);
	/* keeps the extension loaded while connections come and go */
	anchor = h_open(":memory:");
	test_out_of_memory();
	test_loop(rounds);
	sqlite3_close(anchor);
	remove_file_db(dbpath);
	return h_done();
}
