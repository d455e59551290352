/*-------------------------------------------------------------------------
 *
 * conn_sqlite.c
 *	  PxConn over libsqlite3: opens the file, loads the premix extension
 *	  (extension loading is enabled only for that one call), binds every
 *	  value as a parameter.
 *
 * The extension reports errors as one text:
 *	  "premix: message\nDETAIL: ...\nHINT: ...\nSQLSTATE: XXXXX"
 * which is split back into a PxErr here.
 *
 * IDENTIFICATION
 *	  cli/conn_sqlite.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "cli.h"

/* the extension's file: $PREMIX_SQLITE_EXT, else "premix" (system library path) */
static const char *
extension_path(void)
{
	const char *p = getenv("PREMIX_SQLITE_EXT");

	return p && p[0] ? p : "premix";
}

/*
 * Splits the extension's error text into err: the message without the
 * "premix: " prefix, then the DETAIL, HINT and SQLSTATE lines when present.
 * A text without them (an error of SQLite itself) is the message.
 */
static void
sqlite_parse_error(const char *text, PxErr *err)
{
	const char *end = text + strlen(text);
	const char *state = NULL;
	const char *hint = NULL;
	const char *detail = NULL;
	const char *p;

	if (strncmp(text, "premix: ", 8) == 0)
		text += 8;
	/* the SQLSTATE line is the last one */
	for (p = text; (p = strstr(p, "\nSQLSTATE: ")) != NULL; p++)
		state = p;
	if (state)
		end = state;
	detail = strstr(text, "\nDETAIL: ");
	if (detail && detail >= end)
		detail = NULL;
	hint = strstr(detail ? detail : text, "\nHINT: ");
	if (hint && hint >= end)
		hint = NULL;

	px_err_clear(err);
	err->message = px_strndup(text, (size_t) ((detail ? detail : hint ? hint : end) - text));
	if (detail)
		err->detail = px_strndup(detail + 9, (size_t) ((hint ? hint : end) - (detail + 9)));
	if (hint)
		err->hint = px_strndup(hint + 7, (size_t) (end - (hint + 7)));
	if (state)
	{
		size_t		n = strspn(state + 11, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ");

		if (n == 5)
			memcpy(err->sqlstate, state + 11, 5);
	}
}

/* fills err from the connection's last error */
static void
sqlite_db_error(sqlite3 *db, PxErr *err)
{
	sqlite_parse_error(sqlite3_errmsg(db), err);
}

/* PxConnOps.call for SQLite */
static int
sqlite_call(void *h, const char *fn, const PxArg *args, int nargs, char **out, PxErr *err)
{
	sqlite3    *db = h;
	sqlite3_stmt *st = NULL;
	char		sql[256];
	size_t		len;
	int			rc;

	if (nargs > 8 || strspn(fn, "abcdefghijklmnopqrstuvwxyz_") != strlen(fn))
	{
		px_err_set(err, "XX000", "internal error: bad call of %s", fn);
		return -1;
	}
	len = (size_t) snprintf(sql, sizeof(sql), "SELECT %s(", fn);
	for (int i = 0; i < nargs; i++)
		len += (size_t) snprintf(sql + len, sizeof(sql) - len, "%s?%d", i ? ", " : "", i + 1);
	snprintf(sql + len, sizeof(sql) - len, ")");

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
	{
		sqlite_db_error(db, err);
		if (strstr(sqlite3_errmsg(db), "no such function") != NULL)
			px_err_hint(err, "The loaded premix extension (%s) has no %s: rebuild or reinstall it.",
						extension_path(), fn);
		sqlite3_finalize(st);
		return -1;
	}
	for (int i = 0; i < nargs; i++)
	{
		if (args[i].value == NULL)
			rc = sqlite3_bind_null(st, i + 1);
		else if (args[i].type == PX_ARG_BOOL)
			rc = sqlite3_bind_int(st, i + 1, strcmp(args[i].value, "true") == 0);
		else
			rc = sqlite3_bind_text(st, i + 1, args[i].value, -1, SQLITE_STATIC);
		if (rc != SQLITE_OK)
		{
			sqlite_db_error(db, err);
			sqlite3_finalize(st);
			return -1;
		}
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
	{
		const unsigned char *v = sqlite3_column_text(st, 0);

		if (v == NULL && sqlite3_column_type(st, 0) != SQLITE_NULL)
		{
			px_err_set(err, NULL, "out of memory");
			sqlite3_finalize(st);
			return -1;
		}
		*out = v ? px_strdup((const char *) v) : NULL;
		rc = sqlite3_step(st);
	}
	if (rc != SQLITE_DONE)
	{
		sqlite_db_error(db, err);
		free(*out);
		*out = NULL;
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

/* PxConnOps.exec for SQLite */
static int
sqlite_exec(void *h, const char *sql, PxErr *err)
{
	sqlite3    *db = h;
	char	   *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
	{
		sqlite_parse_error(msg ? msg : sqlite3_errmsg(db), err);
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* PxConnOps.close for SQLite */
static void
sqlite_close(void *h)
{
	sqlite3_close(h);
}

static const PxConnOps sqlite_ops = {"sqlite", sqlite_call, sqlite_exec, sqlite_close};

/*
 * Opens the SQLite file at path (see PxOpenMode) and loads the premix
 * extension with entry point sqlite3_premix_init.  Returns 0, or -1 with
 * err filled (nothing left open).
 */
int
px_sqlite_open(const char *path, PxOpenMode mode, PxConn *conn, PxErr *err)
{
	sqlite3    *db = NULL;
	char	   *msg = NULL;
	const char *open_path = path;
	int			flags = SQLITE_OPEN_READWRITE;

	if (access(path, F_OK) != 0)
	{
		if (mode == PX_OPEN_EXISTING)
		{
			px_err_set(err, NULL, "database file \"%s\" does not exist", path);
			px_err_hint(err, "Check the path; `premix up` creates a new database file.");
			return -1;
		}
		if (mode == PX_OPEN_EMPTY_IF_MISSING)
		{
			open_path = ":memory:";
			conn->note = px_printf("database file \"%s\" does not exist yet: reading it as an empty database (nothing is created)", path);
		}
		else
			flags |= SQLITE_OPEN_CREATE;
	}
	if (sqlite3_open_v2(open_path, &db, flags, NULL) != SQLITE_OK)
	{
		px_err_set(err, NULL, "could not open database file \"%s\": %s", path,
				   db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return -1;
	}
	sqlite3_busy_timeout(db, 5000);
	sqlite3_extended_result_codes(db, 1);

	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 1, (int *) 0);
	if (sqlite3_load_extension(db, extension_path(), "sqlite3_premix_init", &msg) != SQLITE_OK)
	{
		px_err_set(err, NULL, "could not load the premix SQLite extension \"%s\"", extension_path());
		if (msg)
			px_err_detail(err, "%s", msg);
		px_err_hint(err, "Run `make install` (it puts premix.so where SQLite finds it), or set PREMIX_SQLITE_EXT to the extension's path.");
		sqlite3_free(msg);
		sqlite3_close(db);
		return -1;
	}
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, (int *) 0);

	/* the file must really be a database: read its schema once */
	if (sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, &msg) != SQLITE_OK)
	{
		px_err_set(err, NULL, "could not read database file \"%s\": %s", path,
				   msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		sqlite3_close(db);
		return -1;
	}
	conn->ops = &sqlite_ops;
	conn->h = db;
	return 0;
}
