/*-------------------------------------------------------------------------
 *
 * conn_pg.c
 *	  PxConn over libpq.  Every value goes to the server as a parameter of
 *	  PQexecParams, with an explicit cast in the SQL text
 *	  ("SELECT premix_run($1::text, ..., $5::boolean, $6::jsonb)").
 *
 * IDENTIFICATION
 *	  cli/conn_pg.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "cli.h"

#define PX_MAX_ARGS 8

/* copies the error of a failed result into err */
static void
pg_result_error(const PGresult *res, PGconn *pg, PxErr *err)
{
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
	const char *hint = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_HINT) : NULL;

	if (msg == NULL)
	{
		/* no structured error (connection lost): libpq's text, trimmed */
		char	   *m = px_strdup(PQerrorMessage(pg));
		size_t		n = strlen(m);

		while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' '))
			m[--n] = '\0';
		px_err_set(err, state, "%s", m[0] ? m : "the server returned no result");
		free(m);
	}
	else
		px_err_set(err, state, "%s", strncmp(msg, "premix: ", 8) == 0 ? msg + 8 : msg);
	if (detail)
		px_err_detail(err, "%s", detail);
	if (hint)
		px_err_hint(err, "%s", hint);
}

/*
 * After "function fn(...) does not exist" (42883) for the call itself:
 * when no function of that name is visible at all, the extension is
 * missing (or older than this command); say so.
 */
static void
pg_explain_missing(PGconn *pg, const char *fn, PxErr *err)
{
	char	   *prefix = px_printf("function %s(", fn);
	bool		about_call = err->message && strncmp(err->message, prefix, strlen(prefix)) == 0;
	const char *values[1] = {fn};
	PGresult   *res;

	free(prefix);
	if (!about_call)
		return;
	res = PQexecParams(pg,
					   "SELECT count(*) FROM pg_catalog.pg_proc "
					   "WHERE proname = $1 AND pg_catalog.pg_function_is_visible(oid)",
					   1, NULL, values, NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
		strcmp(PQgetvalue(res, 0, 0), "0") == 0)
	{
		px_err_set(err, "42883", "function %s does not exist in this database", fn);
		px_err_detail(err, "The premix extension is not installed in this database, not on the search_path, or older than this command.");
		px_err_hint(err, "Run CREATE EXTENSION premix (or ALTER EXTENSION premix UPDATE) in this database.");
	}
	PQclear(res);
}

/* PxConnOps.call for PostgreSQL */
static int
pg_call(void *h, const char *fn, const PxArg *args, int nargs, char **out, PxErr *err)
{
	PGconn	   *pg = h;
	const char *values[PX_MAX_ARGS];
	char		sql[256];
	size_t		len;
	PGresult   *res;
	int			rc = -1;

	if (nargs > PX_MAX_ARGS || strspn(fn, "abcdefghijklmnopqrstuvwxyz_") != strlen(fn))
	{
		px_err_set(err, "XX000", "internal error: bad call of %s", fn);
		return -1;
	}
	len = (size_t) snprintf(sql, sizeof(sql), "SELECT %s(", fn);
	for (int i = 0; i < nargs; i++)
	{
		const char *cast = args[i].type == PX_ARG_BOOL ? "boolean"
			: args[i].type == PX_ARG_JSON ? "jsonb" : "text";

		len += (size_t) snprintf(sql + len, sizeof(sql) - len, "%s$%d::%s",
								 i ? ", " : "", i + 1, cast);
		values[i] = args[i].value;
	}
	snprintf(sql + len, sizeof(sql) - len, ")::text");

	res = PQexecParams(pg, sql, nargs, NULL, values, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
	{
		pg_result_error(res, pg, err);
		if (strcmp(err->sqlstate, "42883") == 0)
			pg_explain_missing(pg, fn, err);
	}
	else if (PQntuples(res) != 1 || PQnfields(res) != 1)
		px_err_set(err, "XX000", "%s returned %d rows", fn, PQntuples(res));
	else
	{
		*out = PQgetisnull(res, 0, 0) ? NULL : px_strdup(PQgetvalue(res, 0, 0));
		rc = 0;
	}
	PQclear(res);
	return rc;
}

/* PxConnOps.exec for PostgreSQL: plain PQexec, outside any parameter */
static int
pg_exec(void *h, const char *sql, PxErr *err)
{
	PGconn	   *pg = h;
	PGresult   *res = PQexec(pg, sql);
	ExecStatusType st = PQresultStatus(res);
	int			rc = 0;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY)
	{
		pg_result_error(res, pg, err);
		rc = -1;
	}
	PQclear(res);
	return rc;
}

/* PxConnOps.close for PostgreSQL */
static void
pg_close(void *h)
{
	PQfinish(h);
}

/* notices (premix's NOTICE/WARNING) go to stderr, as psql prints them */
static void
pg_notice(void *arg, const char *message)
{
	(void) arg;
	fputs(message, stderr);
}

static const PxConnOps pg_ops = {"postgresql", pg_call, pg_exec, pg_close};

/*
 * Connects with libpq: conninfo is a postgres:// URI or a key=value
 * string, handed to libpq as is (fallback application_name "premix").
 * Returns 0, or -1 with libpq's reason in err.
 */
int
px_pg_open(const char *conninfo, PxConn *conn, PxErr *err)
{
	const char *const keys[] = {"dbname", "fallback_application_name", NULL};
	const char *const values[] = {conninfo, "premix", NULL};
	PGconn	   *pg = PQconnectdbParams(keys, values, 1);

	if (pg == NULL)
	{
		px_err_set(err, NULL, "out of memory connecting to PostgreSQL");
		return -1;
	}
	if (PQstatus(pg) != CONNECTION_OK)
	{
		char	   *m = px_strdup(PQerrorMessage(pg));
		size_t		n = strlen(m);

		while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' '))
			m[--n] = '\0';
		px_err_set(err, "08001", "could not connect to PostgreSQL");
		px_err_detail(err, "%s", m);
		free(m);
		PQfinish(pg);
		return -1;
	}
	PQsetNoticeProcessor(pg, pg_notice, NULL);
	conn->ops = &pg_ops;
	conn->h = pg;
	return 0;
}
