/*-------------------------------------------------------------------------
 *
 * error.c
 *	  PxErr: filling, printing, and mapping to the exit status; small
 *	  string helpers that abort on out of memory.
 *
 * IDENTIFICATION
 *	  cli/error.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/*
 * SQLSTATEs that mean "refused" (exit 2) rather than "failed" (exit 1):
 * a destructive step not allowed (55000) and a step blocked by the rows
 * that are there (not null, unique, foreign key, check; a dependent view
 * or trigger).
 */
static const char *const refused_states[] = {
	"55000", "23502", "23505", "23503", "23514", "2BP01"
};

/* exits the process on out of memory; never returns NULL */
static void *
px_nonnull(void *p)
{
	if (p == NULL)
	{
		fputs("premix: out of memory\n", stderr);
		exit(PX_EXIT_ERROR);
	}
	return p;
}

/* malloc'd copy of s (NULL stays NULL); caller frees */
char *
px_strdup(const char *s)
{
	return s ? px_nonnull(strdup(s)) : NULL;
}

/* malloc'd copy of the first n bytes of s; caller frees */
char *
px_strndup(const char *s, size_t n)
{
	return px_nonnull(strndup(s, n));
}

/* malloc'd vprintf; caller frees */
static char *
px_vprintf(const char *fmt, va_list ap)
{
	va_list		ap2;
	int			n;
	char	   *s;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		n = 0;
	s = px_nonnull(malloc((size_t) n + 1));
	vsnprintf(s, (size_t) n + 1, fmt, ap);
	return s;
}

/* malloc'd printf; caller frees */
char *
px_printf(const char *fmt,...)
{
	va_list		ap;
	char	   *s;

	va_start(ap, fmt);
	s = px_vprintf(fmt, ap);
	va_end(ap);
	return s;
}

/* sets the message (and SQLSTATE, may be NULL) of err, replacing any */
void
px_err_set(PxErr *err, const char *sqlstate, const char *fmt,...)
{
	va_list		ap;

	px_err_clear(err);
	va_start(ap, fmt);
	err->message = px_vprintf(fmt, ap);
	va_end(ap);
	if (sqlstate)
		snprintf(err->sqlstate, sizeof(err->sqlstate), "%s", sqlstate);
}

/* sets the HINT of err, replacing any */
void
px_err_hint(PxErr *err, const char *fmt,...)
{
	va_list		ap;

	free(err->hint);
	va_start(ap, fmt);
	err->hint = px_vprintf(fmt, ap);
	va_end(ap);
}

/* sets the DETAIL of err, replacing any */
void
px_err_detail(PxErr *err, const char *fmt,...)
{
	va_list		ap;

	free(err->detail);
	va_start(ap, fmt);
	err->detail = px_vprintf(fmt, ap);
	va_end(ap);
}

/* frees the strings of err and empties it (err itself is the caller's) */
void
px_err_clear(PxErr *err)
{
	free(err->message);
	free(err->detail);
	free(err->hint);
	memset(err, 0, sizeof(*err));
}

/*
 * Prints err on stderr the way psql does: "premix CMD: ERROR:  message",
 * then DETAIL, HINT and the SQLSTATE when known.
 */
void
px_err_print(const char *cmd, const PxErr *err)
{
	fflush(stdout);
	fprintf(stderr, "premix%s%s: ERROR:  %s\n", cmd ? " " : "", cmd ? cmd : "",
			err->message ? err->message : "unknown error");
	if (err->detail)
		fprintf(stderr, "DETAIL:  %s\n", err->detail);
	if (err->hint)
		fprintf(stderr, "HINT:  %s\n", err->hint);
	if (err->sqlstate[0])
		fprintf(stderr, "SQLSTATE:  %s\n", err->sqlstate);
}

/* the exit status for err: 2 when the database refused, else 1 */
int
px_err_exit_code(const PxErr *err)
{
	for (size_t i = 0; i < sizeof(refused_states) / sizeof(refused_states[0]); i++)
		if (strcmp(err->sqlstate, refused_states[i]) == 0)
			return PX_EXIT_REFUSED;
	return PX_EXIT_ERROR;
}
