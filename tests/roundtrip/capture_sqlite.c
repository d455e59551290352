/*
 * tests/roundtrip/capture_sqlite.c: a SQLite loadable extension used only by
 * tests/roundtrip/extract.py to turn the SQLite golden tests into round-trip
 * scenarios.
 *
 * It loads the real extension (sqlite_premix/premix.so, path in RT_PREMIX)
 * with a copy of the API table whose create_function is intercepted, so every
 * premix_* function is registered through a wrapper.  premix_diff,
 * premix_preview, premix_apply and premix_migrate write, before calling the
 * real function, the database as it is at that moment (its CREATE text and
 * rows as INSERTs, like the shell's .dump) and the call's target or plan and
 * options into RT_CAPTURE_DIR/NNNN.sql.  The wrapped function then runs as
 * before, so the test goes on exactly as it would.
 *
 * Build: gcc -fPIC -shared -o capture.so capture_sqlite.c -ldl
 * Use:   .load capture  (instead of .load sqlite_premix/premix)
 */
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*xfunc) (sqlite3_context *, int, sqlite3_value **);

#define MAXF 32
static struct
{
	char		name[64];
	int			nargs;
	xfunc		fn;
}			real[MAXF];
static int	nreal;
static int	seq;
static sqlite3_api_routines api_copy;

static xfunc
find_real(const char *name, int nargs)
{
	for (int i = 0; i < nreal; i++)
		if (strcmp(real[i].name, name) == 0 && real[i].nargs == nargs)
			return real[i].fn;
	return NULL;
}

/* run q, write column 0 of every row followed by suffix */
static void
emit_rows(sqlite3 *db, FILE *f, const char *q, const char *suffix)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK)
	{
		fprintf(f, "-- @error %s\n", sqlite3_errmsg(db));
		return;
	}
	while (sqlite3_step(st) == SQLITE_ROW)
		if (sqlite3_column_text(st, 0))
			fprintf(f, "%s%s", (const char *) sqlite3_column_text(st, 0), suffix);
	sqlite3_finalize(st);
}

static void
dump_db(sqlite3 *db, FILE *f)
{
	sqlite3_stmt *st;
	const char *user = "name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND tbl_name NOT LIKE 'premix\\_%' ESCAPE '\\'";
	char	   *q;

	/* tables first */
	q = sqlite3_mprintf("SELECT sql FROM main.sqlite_schema WHERE type = 'table' AND %s ORDER BY rowid", user);
	emit_rows(db, f, q, ";\n");
	sqlite3_free(q);
	/* rows: one INSERT per row, columns named (generated columns left out) */
	q = sqlite3_mprintf("SELECT name, sql LIKE 'CREATE VIRTUAL%%' FROM main.sqlite_schema WHERE type = 'table' AND %s ORDER BY rowid", user);
	if (sqlite3_prepare_v2(db, q, -1, &st, NULL) == SQLITE_OK)
	{
		while (sqlite3_step(st) == SQLITE_ROW)
		{
			const char *t = (const char *) sqlite3_column_text(st, 0);
			char	   *cq;

			if (sqlite3_column_int(st, 1))
				continue;
			/* SELECT 'INSERT INTO "t"("a","b") VALUES(' || quote("a") || ',' || quote("b") || ');' FROM "t" */
			{
				sqlite3_stmt *ci;
				char	   *cols = sqlite3_mprintf("");
				char	   *vals = sqlite3_mprintf("");
				char	   *tq = sqlite3_mprintf("\"%w\"", t);
				char	   *ins;

				cq = sqlite3_mprintf("SELECT name FROM pragma_table_info(%Q) ORDER BY cid", t);
				if (sqlite3_prepare_v2(db, cq, -1, &ci, NULL) == SQLITE_OK)
				{
					while (sqlite3_step(ci) == SQLITE_ROW)
					{
						const char *c = (const char *) sqlite3_column_text(ci, 0);
						char	   *cid = sqlite3_mprintf("\"%w\"", c);
						char	   *n1 = sqlite3_mprintf("%s%s%s", cols, *cols ? "," : "", cid);
						char	   *n2 = sqlite3_mprintf("%s%squote(%s)", vals, *vals ? " || ',' || " : "", cid);

						sqlite3_free(cols);
						sqlite3_free(vals);
						sqlite3_free(cid);
						cols = n1;
						vals = n2;
					}
					sqlite3_finalize(ci);
				}
				ins = sqlite3_mprintf("SELECT %Q || %s || ');' FROM %s", 
									  sqlite3_mprintf("INSERT INTO %s(%s) VALUES(", tq, cols), vals, tq);
				emit_rows(db, f, ins, "\n");
				sqlite3_free(ins);
				sqlite3_free(cols);
				sqlite3_free(vals);
				sqlite3_free(tq);
			}
			sqlite3_free(cq);
		}
	}
	sqlite3_finalize(st);
	sqlite3_free(q);
	/* AUTOINCREMENT counters */
	if (sqlite3_table_column_metadata(db, "main", "sqlite_sequence", "name", NULL, NULL, NULL, NULL, NULL) == SQLITE_OK)
	{
		fputs("DELETE FROM sqlite_sequence;\n", f);
		emit_rows(db, f, "SELECT 'INSERT INTO sqlite_sequence VALUES(' || quote(name) || ',' || quote(seq) || ');' FROM main.sqlite_sequence", "\n");
	}
	/* indexes, views, triggers after the rows (triggers must not fire on them) */
	q = sqlite3_mprintf("SELECT sql FROM main.sqlite_schema WHERE type IN ('index', 'view', 'trigger') AND sql IS NOT NULL AND %s ORDER BY rowid", user);
	emit_rows(db, f, q, ";\n");
	sqlite3_free(q);
	if (sqlite3_prepare_v2(db, "PRAGMA foreign_keys", -1, &st, NULL) == SQLITE_OK)
	{
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0))
			fputs("PRAGMA foreign_keys = ON;\n", f);
		sqlite3_finalize(st);
	}
}

static int
is_plan(const char *s)
{
	/* a plan has "steps" and "from"; a target has "tables" or is DDL */
	return s && strstr(s, "\"steps\"") && strstr(s, "\"from\"");
}

static void
capture(sqlite3_context *ctx, const char *fname, int argc, sqlite3_value **argv)
{
	const char *dir = getenv("RT_CAPTURE_DIR");
	const char *src = getenv("RT_SOURCE");
	sqlite3    *db = sqlite3_context_db_handle(ctx);
	const char *what;
	const char *options = NULL;
	char		path[4096];
	FILE	   *f;

	if (!dir || argc < 1 || sqlite3_value_type(argv[0]) == SQLITE_NULL)
		return;
	what = (const char *) sqlite3_value_text(argv[0]);
	if (!what)
		return;
	if ((strcmp(fname, "premix_diff") == 0 || strcmp(fname, "premix_preview") == 0) && argc >= 2)
		options = (const char *) sqlite3_value_text(argv[1]);
	if (strcmp(fname, "premix_migrate") == 0 && argc >= 3)
		options = (const char *) sqlite3_value_text(argv[2]);
	snprintf(path, sizeof path, "%s/%04d.sql", dir, ++seq);
	f = fopen(path, "w");
	if (!f)
		return;
	fprintf(f, "-- @source %s call %d %s\n", src ? src : "?", seq, fname);
	if (options)
		fprintf(f, "-- @options %s\n", options);
	dump_db(db, f);
	fprintf(f, "-- @%s\n%s\n", is_plan(what) ? "plan" : "target", what);
	fclose(f);
}

#define WRAP(NAME) \
static void w_##NAME(sqlite3_context *c, int n, sqlite3_value **v) \
{ \
	capture(c, #NAME, n, v); \
	find_real(#NAME, n)(c, n, v); \
}
WRAP(premix_diff)
WRAP(premix_preview)
WRAP(premix_apply)
WRAP(premix_migrate)

static int
intercept(sqlite3 *db, const char *name, int nargs, int enc, void *app,
		  xfunc fn, xfunc step, void (*final) (sqlite3_context *))
{
	xfunc		w = fn;

	if (nreal < MAXF && fn)
	{
		snprintf(real[nreal].name, sizeof real[nreal].name, "%s", name);
		real[nreal].nargs = nargs;
		real[nreal].fn = fn;
		nreal++;
	}
	if (strcmp(name, "premix_diff") == 0)
		w = w_premix_diff;
	else if (strcmp(name, "premix_preview") == 0)
		w = w_premix_preview;
	else if (strcmp(name, "premix_apply") == 0)
		w = w_premix_apply;
	else if (strcmp(name, "premix_migrate") == 0)
		w = w_premix_migrate;
	return sqlite3_api->create_function(db, name, nargs, enc, app, w, step, final);
}

int
sqlite3_capture_init(sqlite3 *db, char **err, const sqlite3_api_routines *api)
{
	const char *lib = getenv("RT_PREMIX");
	void	   *h;
	int			(*init) (sqlite3 *, char **, const sqlite3_api_routines *);

	SQLITE_EXTENSION_INIT2(api);
	h = dlopen(lib ? lib : "sqlite_premix/premix.so", RTLD_NOW | RTLD_LOCAL);
	if (!h)
	{
		*err = sqlite3_mprintf("capture: %s", dlerror());
		return SQLITE_ERROR;
	}
	init = (int (*) (sqlite3 *, char **, const sqlite3_api_routines *)) dlsym(h, "sqlite3_premix_init");
	if (!init)
	{
		*err = sqlite3_mprintf("capture: no sqlite3_premix_init");
		return SQLITE_ERROR;
	}
	api_copy = *api;
	api_copy.create_function = intercept;
	return init(db, err, &api_copy);
}
