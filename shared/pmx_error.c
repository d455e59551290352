/*-------------------------------------------------------------------------
 *
 * pmx_error.c
 *	  Structured errors: code, SQLSTATE, message, detail, hint.
 *
 * The core never raises.  A failing function records the error here and
 * returns PMX_ERROR; the host turns it into ereport() or
 * sqlite3_result_error().  The first error wins: a later pmx_error() while
 * one is set keeps the original message (the root cause), so callers can
 * add context without losing it.
 *
 * IDENTIFICATION
 *	  shared/pmx_error.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pmx_internal.h"

static const char *const nomem_message = "out of memory";

/* The fixed SQLSTATE of each error class. */
const char *
pmx_error_sqlstate(PmxErrCode code)
{
	switch (code)
	{
		case PMX_E_NONE:
			return "00000";
		case PMX_E_JSON:
			return "22P02";
		case PMX_E_INVALID:
			return "22023";
		case PMX_E_DUPLICATE:
			return "42710";
		case PMX_E_UNKNOWN_OBJECT:
			return "42704";
		case PMX_E_UNSUPPORTED:
			return "0A000";
		case PMX_E_DEPENDENT:
			return "2BP01";
		case PMX_E_DESTRUCTIVE:
			return "55000";
		case PMX_E_BLOCKED_NULLS:
			return "23502";
		case PMX_E_BLOCKED_UNIQUE:
			return "23505";
		case PMX_E_BLOCKED_FK:
			return "23503";
		case PMX_E_BLOCKED_CHECK:
			return "23514";
		case PMX_E_STALE:
			return "40001";
		case PMX_E_HISTORY:
			return "PX001";
		case PMX_E_SQL:
			return "58000";
		case PMX_E_MISUSE:
			return "25000";
		case PMX_E_NOMEM:
			return "53200";
		case PMX_E_INTERNAL:
			return "XX000";
	}
	return "XX000";
}

/*
 * Record an error with its primary message.  If an error is already set it
 * is kept (first error wins).  Always returns PMX_ERROR so callers can
 * write "return pmx_error(...)".
 */
int
pmx_error(PmxCtx *ctx, PmxErrCode code, const char *fmt,...)
{
	va_list		ap;
	char	   *msg;

	if (ctx->err.code != PMX_E_NONE)
		return PMX_ERROR;
	va_start(ap, fmt);
	msg = pmx_vsprintf(ctx, fmt, ap);
	va_end(ap);
	if (ctx->err.code != PMX_E_NONE)	/* OOM while formatting */
		return PMX_ERROR;
	ctx->err.code = code;
	memcpy(ctx->err.sqlstate, pmx_error_sqlstate(code), 6);
	ctx->err.message = msg;
	ctx->err.detail = NULL;
	ctx->err.hint = NULL;
	ctx->err.db_sqlstate[0] = '\0';
	return PMX_ERROR;
}

/* Format into *field of the current error (kept as is on OOM). */
static int
error_text(PmxCtx *ctx, const char **field, const char *fmt, va_list ap)
{
	char	   *s;

	if (ctx->err.code == PMX_E_NOMEM)
		return PMX_ERROR;
	s = pmx_vsprintf(ctx, fmt, ap);
	if (s)
		*field = s;
	return PMX_ERROR;
}

/* Set the detail sentence of the current error.  Returns PMX_ERROR. */
int
pmx_error_detail(PmxCtx *ctx, const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	error_text(ctx, &ctx->err.detail, fmt, ap);
	va_end(ap);
	return PMX_ERROR;
}

/* Set the hint sentence of the current error.  Returns PMX_ERROR. */
int
pmx_error_hint(PmxCtx *ctx, const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	error_text(ctx, &ctx->err.hint, fmt, ap);
	va_end(ap);
	return PMX_ERROR;
}

/* Record out-of-memory without allocating.  Returns PMX_ERROR. */
int
pmx_error_nomem(PmxCtx *ctx)
{
	ctx->err.code = PMX_E_NOMEM;
	memcpy(ctx->err.sqlstate, pmx_error_sqlstate(PMX_E_NOMEM), 6);
	ctx->err.message = nomem_message;
	ctx->err.detail = NULL;
	ctx->err.hint = NULL;
	return PMX_ERROR;
}

/*
 * Record an error reported by the database while running sql (either may
 * be NULL).  Used by host callbacks.  Returns PMX_ERROR.
 */
int
pmx_error_sql(PmxCtx *ctx, const char *db_message, const char *sql)
{
	pmx_error(ctx, PMX_E_SQL, "%s", db_message ? db_message : "database error");
	if (sql && ctx->err.code == PMX_E_SQL && !ctx->err.detail)
		pmx_error_detail(ctx, "While running: %s", pmx_clip(ctx, sql, 300));
	return PMX_ERROR;
}

/* See premix.h: the database's own SQLSTATE of the SQL error just reported. */
void
pmx_error_sql_state(PmxCtx *ctx, const char *sqlstate)
{
	if (ctx->err.code == PMX_E_SQL && sqlstate && strlen(sqlstate) == 5)
		memcpy(ctx->err.db_sqlstate, sqlstate, 6);
}

/* True when an error is recorded. */
bool
pmx_error_is_set(const PmxCtx *ctx)
{
	return ctx->err.code != PMX_E_NONE;
}

/* Forget the recorded error (used when an error is expected and handled). */
void
pmx_error_clear(PmxCtx *ctx)
{
	memset(&ctx->err, 0, sizeof(ctx->err));
}

/*
 * Record an error a host detected itself (texts copied into the arena).
 * Returns PMX_ERROR.
 */
int
pmx_error_report(PmxCtx *ctx, PmxErrCode code, const char *message,
				 const char *detail, const char *hint)
{
	pmx_error(ctx, code, "%s", message);
	if (detail)
		pmx_error_detail(ctx, "%s", detail);
	if (hint)
		pmx_error_hint(ctx, "%s", hint);
	return PMX_ERROR;
}

/* The public form of pmx_error_clear, for hosts. */
void
pmx_ctx_clear_error(PmxCtx *ctx)
{
	pmx_error_clear(ctx);
}
