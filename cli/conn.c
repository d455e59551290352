/*-------------------------------------------------------------------------
 *
 * conn.c
 *	  Choosing the database from the --db URL, and the calls every command
 *	  makes through the PxConn interface.
 *
 *	  postgres://...  postgresql://...   libpq URI, passed as is
 *	  host=... dbname=...                any libpq conninfo (holds '=')
 *	  sqlite:PATH  sqlite://PATH         a SQLite file (sqlite:///abs/path)
 *
 * IDENTIFICATION
 *	  cli/conn.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* true when s starts with prefix */
static bool
starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/*
 * Opens the database the URL names.  Returns 0 with conn filled (close it
 * with px_disconnect), or -1 with err filled.  The URL is never echoed in
 * an error: it may hold a password.
 */
int
px_connect(const char *url, PxOpenMode mode, PxConn *conn, PxErr *err)
{
	memset(conn, 0, sizeof(*conn));
	if (url == NULL || url[0] == '\0')
	{
		px_err_set(err, NULL, "no database given");
		px_err_hint(err, "Pass --db URL (postgres://..., or sqlite:PATH), or set PREMIX_DB.");
		return -1;
	}
	if (starts_with(url, "postgres://") || starts_with(url, "postgresql://") ||
		(strchr(url, '=') != NULL && !starts_with(url, "sqlite:")))
		return px_pg_open(url, conn, err);
	if (starts_with(url, "sqlite:"))
	{
		const char *path = url + strlen("sqlite:");

		if (starts_with(path, "//"))
			path += 2;
		if (path[0] == '\0')
		{
			px_err_set(err, NULL, "the sqlite: URL names no file");
			px_err_hint(err, "Write sqlite:PATH, e.g. sqlite:app.db or sqlite:///var/lib/app.db.");
			return -1;
		}
		return px_sqlite_open(path, mode, conn, err);
	}
	px_err_set(err, NULL, "unrecognised database URL");
	px_err_detail(err, "A URL starts with postgres://, postgresql:// or sqlite:, or is a libpq connection string such as \"host=/tmp dbname=app\".");
	px_err_hint(err, "Examples: --db postgres://user@localhost/app, --db sqlite:app.db.");
	return -1;
}

/* closes the connection (a zeroed conn is fine) */
void
px_disconnect(PxConn *conn)
{
	if (conn->ops)
		conn->ops->close(conn->h);
	free(conn->note);
	memset(conn, 0, sizeof(*conn));
}

/* SELECT fn(args...); see PxConnOps.call */
int
px_call(PxConn *conn, const char *fn, const PxArg *args, int nargs, char **out, PxErr *err)
{
	*out = NULL;
	return conn->ops->call(conn->h, fn, args, nargs, out, err);
}

/* runs sql without parameters; see PxConnOps.exec */
int
px_exec(PxConn *conn, const char *sql, PxErr *err)
{
	return conn->ops->exec(conn->h, sql, err);
}
