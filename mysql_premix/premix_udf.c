/*-------------------------------------------------------------------------
 *
 * premix_udf.c
 *	  The MySQL/MariaDB UDF shim: premix_version(),
 *	  premix_diff(current, target [, options]), premix_preview(plan) and
 *	  premix_parity(a_json, b_json) over the core, as
 *	  foo_init / foo / foo_deinit triples (premix.sql creates them).
 *
 * A UDF cannot run SQL (the ABI hands it no session), so only the core's
 * pure functions are exposed here; the stored procedures of premix.sql
 * read information_schema and run the SQL.
 *
 * The contract, the same for every premix UDF:
 *
 *	 - _init checks the argument count and coerces every argument to a
 *	   string (arg_type = STRING_RESULT: a number arrives as its text).  A
 *	   wrong count is refused there, with the usage in `message` (the
 *	   server shows it as ERROR 1123 "Can't initialize function").
 *
 *	 - At row time a UDF cannot raise an error with a message: setting
 *	   *error only makes the result NULL.  So every failure that has a
 *	   message -- a NULL argument, malformed JSON, any core error -- is
 *	   returned as a JSON object, never as NULL:
 *		 {"error": {"sqlstate": "22P02", "message": "...",
 *					"detail": "..." | null, "hint": "..." | null}}
 *	   No successful result has a top-level "error" key (parity returns an
 *	   array, plans and documents have other keys), so a caller tells them
 *	   apart with JSON_EXISTS(r, '$.error'); premix.sql's
 *	   premix_raise_error(r) turns such a result into
 *	   SIGNAL SQLSTATE '45000' with the message, detail and hint in
 *	   MESSAGE_TEXT (SIGNAL takes only a literal SQLSTATE; the real one is
 *	   the first word of the text).  A NULL argument is an error, not
 *	   NULL-in-NULL-out: a NULL document is almost always a readfile() or
 *	   premix_schema that failed, and a NULL result would hide that.
 *
 *	 - NULL (*error = 1) is returned only when not even the error object
 *	   can be allocated (out of memory).
 *
 * Memory: the core gets malloc/free.  Each row call makes its own PmxCtx
 * and frees it before returning; the result is copied into a malloc'ed
 * buffer kept in initid->ptr (replaced on the next row, freed in
 * _deinit), because the server reads it after the call returns.  No
 * global mutable state: the server calls UDFs from many threads at once.
 *
 * ABI note: Connector/C's UDF_ARGS and UDF_INIT (mariadb_com.h) are
 * prefixes of the server's (which add attributes and an extension
 * pointer); only the shared fields are used here.  The result buffer the
 * server passes is 255 bytes.
 *
 * IDENTIFICATION
 *	  mysql_premix/premix_udf.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mysql.h>

#include "premix.h"

/* The longest result the server is told to expect (its MAX_BLOB_WIDTH). */
#define MYPMX_MAX_LENGTH 16777216UL

/* One premix UDF: its SQL name and argument names (for messages). */
typedef struct MypmxFn
{
	const char *name;
	unsigned int nargs;			/* at most */
	unsigned int min_args;		/* at least */
	const char *const *argnames;
	const char *usage;			/* the argument list, for messages */
	const char *null_hint;		/* the hint when an argument is NULL */
	/* the core call: argv[0..nargs) (NULL past the count given) -> *out */
	int			(*call) (PmxCtx *ctx, char *const *argv, char **out);
} MypmxFn;

/* The core calls behind the UDFs. */
static int
call_parity(PmxCtx *ctx, char *const *argv, char **out)
{
	return pmx_parity(ctx, argv[0], argv[1], out);
}

static int
call_diff(PmxCtx *ctx, char *const *argv, char **out)
{
	return pmx_diff_docs(ctx, argv[0], argv[1], argv[2], out);
}

static int
call_preview(PmxCtx *ctx, char *const *argv, char **out)
{
	return pmx_preview_doc(ctx, argv[0], out);
}

static const char *const parity_args[] = {"a_json", "b_json"};
static const char *const diff_args[] = {"current_json", "target_json", "options"};
static const char *const preview_args[] = {"plan"};

static const MypmxFn fn_version = {"premix_version", 0, 0, NULL, "", NULL, NULL};
static const MypmxFn fn_parity = {"premix_parity", 2, 2, parity_args, "a_json, b_json",
	"Pass two schema documents (premix_schema() output); a NULL usually means reading a document failed.",
call_parity};
static const MypmxFn fn_diff = {"premix_diff", 3, 2, diff_args, "current, target [, options]",
	"Pass the current schema (CALL premix.premix_schema('db', @js)) and a target document; a NULL usually means reading one failed.",
call_diff};
static const MypmxFn fn_preview = {"premix_preview", 1, 1, preview_args, "plan",
	"Pass a plan from premix_diff(current, target).",
call_preview};

/* The core's allocator: plain malloc and free. */
static void *
mypmx_alloc(void *ud, size_t size)
{
	(void) ud;
	return malloc(size);
}

static void
mypmx_free(void *ud, void *p)
{
	(void) ud;
	free(p);
}

static const PmxAllocator mypmx_allocator = {NULL, mypmx_alloc, mypmx_free};

/*
 * _init for every premix UDF: the argument count, every argument coerced
 * to a string.  Returns 1 with the reason in message (at most
 * MYSQL_ERRMSG_SIZE bytes) on a wrong count, else 0.
 */
static my_bool
mypmx_init(const MypmxFn *fn, UDF_INIT *initid, UDF_ARGS *args, char *message)
{
	if (args->arg_count > fn->nargs || args->arg_count < fn->min_args)
	{
		/* the server shows only the first 80 bytes of message */
		if (fn->nargs == 0)
			snprintf(message, MYSQL_ERRMSG_SIZE, "%s takes no arguments, not %u",
					 fn->name, args->arg_count);
		else if (fn->min_args < fn->nargs)
			snprintf(message, MYSQL_ERRMSG_SIZE, "%s takes %u to %u arguments (%s), not %u",
					 fn->name, fn->min_args, fn->nargs, fn->usage, args->arg_count);
		else
			snprintf(message, MYSQL_ERRMSG_SIZE, "%s takes %u argument%s (%s), not %u",
					 fn->name, fn->nargs, fn->nargs == 1 ? "" : "s", fn->usage,
					 args->arg_count);
		return 1;
	}
	for (unsigned int i = 0; i < args->arg_count; i++)
		args->arg_type[i] = STRING_RESULT;
	initid->maybe_null = 1;		/* NULL only when out of memory */
	initid->max_length = MYPMX_MAX_LENGTH;
	initid->ptr = NULL;
	return 0;
}

/* Append s to the buffer b (of capacity cap, length *n) as a JSON string. */
static void
mypmx_json_string(char *b, size_t *n, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	if (!s)
	{
		memcpy(b + *n, "null", 4);
		*n += 4;
		return;
	}
	b[(*n)++] = '"';
	for (const unsigned char *p = (const unsigned char *) s; *p; p++)
	{
		if (*p == '"' || *p == '\\')
		{
			b[(*n)++] = '\\';
			b[(*n)++] = (char) *p;
		}
		else if (*p == '\n')
		{
			b[(*n)++] = '\\';
			b[(*n)++] = 'n';
		}
		else if (*p < 0x20)
		{
			memcpy(b + *n, "\\u00", 4);
			b[*n + 4] = hex[*p >> 4];
			b[*n + 5] = hex[*p & 15];
			*n += 6;
		}
		else
			b[(*n)++] = (char) *p;
	}
	b[(*n)++] = '"';
}

/* Room a string takes as JSON: at most 6 bytes per byte, quotes, or null. */
static size_t
mypmx_json_room(const char *s)
{
	return s ? strlen(s) * 6 + 2 : 4;
}

/*
 * The error object {"error": {"sqlstate", "message", "detail", "hint"}}
 * in a new malloc'ed buffer, its length in *len; NULL when out of memory.
 */
static char *
mypmx_error_json(const char *sqlstate, const char *message, const char *detail,
				 const char *hint, size_t *len)
{
	static const char *const keys[] = {"{\"error\": {\"sqlstate\": ", ", \"message\": ",
	", \"detail\": ", ", \"hint\": "};
	const char *vals[4] = {sqlstate, message ? message : "unknown error", detail, hint};
	size_t		room = 16;
	size_t		n = 0;
	char	   *b;

	for (int i = 0; i < 4; i++)
		room += strlen(keys[i]) + mypmx_json_room(vals[i]);
	if (!(b = malloc(room)))
		return NULL;
	for (int i = 0; i < 4; i++)
	{
		memcpy(b + n, keys[i], strlen(keys[i]));
		n += strlen(keys[i]);
		mypmx_json_string(b, &n, vals[i]);
	}
	memcpy(b + n, "}}", 3);
	*len = n + 2;
	return b;
}

/* The core's error in ctx as an error object (see mypmx_error_json). */
static char *
mypmx_core_error_json(PmxCtx *ctx, size_t *len)
{
	const PmxError *e = pmx_ctx_error(ctx);
	const char *state = e->code == PMX_E_SQL && e->db_sqlstate[0] ? e->db_sqlstate
		: e->sqlstate[0] ? e->sqlstate : "XX000";

	return mypmx_error_json(state, e->message, e->detail, e->hint, len);
}

/*
 * Argument i as a NUL-terminated malloc'ed copy in *out (the server's
 * value is not terminated).  Returns NULL on success, else an error
 * object (a NULL argument, a NUL byte inside) -- or NULL with *out NULL
 * and *oom set when memory ran out.
 */
static char *
mypmx_arg(const MypmxFn *fn, UDF_ARGS *args, unsigned int i, char **out,
		  size_t *errlen, int *oom)
{
	char		msg[256];
	char	   *err;
	unsigned long n = args->lengths[i];

	*out = NULL;
	if (!args->args[i])
	{
		snprintf(msg, sizeof(msg), "%s: argument %u (%s) is NULL", fn->name, i + 1, fn->argnames[i]);
		err = mypmx_error_json("22004", msg, NULL, fn->null_hint, errlen);
		*oom = !err;
		return err;
	}
	if (memchr(args->args[i], '\0', n))
	{
		snprintf(msg, sizeof(msg), "%s: argument %u (%s) holds a NUL character", fn->name, i + 1, fn->argnames[i]);
		err = mypmx_error_json("22P02", msg, NULL,
							   "Remove the NUL byte: premix reads text up to the end, not up to a NUL.", errlen);
		*oom = !err;
		return err;
	}
	if (!(*out = malloc(n + 1)))
	{
		*oom = 1;
		return NULL;
	}
	memcpy(*out, args->args[i], n);
	(*out)[n] = '\0';
	return NULL;
}

/*
 * Keep text (malloc'ed, len bytes) as this row's result: the previous
 * row's buffer is freed, text goes into initid->ptr.  Returns text.
 */
static char *
mypmx_keep(UDF_INIT *initid, char *text, size_t len, unsigned long *length)
{
	free(initid->ptr);
	initid->ptr = text;
	*length = (unsigned long) len;
	return text;
}

/* premix_version() */
PMX_API my_bool
premix_version_init(UDF_INIT *initid, UDF_ARGS *args, char *message)
{
	if (mypmx_init(&fn_version, initid, args, message))
		return 1;
	initid->maybe_null = 0;
	initid->max_length = (unsigned int) strlen(PREMIX_VERSION);
	initid->const_item = 1;
	return 0;
}

PMX_API char *
premix_version(UDF_INIT *initid, UDF_ARGS *args, char *result,
			   unsigned long *length, char *is_null, char *error)
{
	(void) initid;
	(void) args;
	*is_null = 0;
	*error = 0;
	*length = (unsigned long) strlen(PREMIX_VERSION);
	memcpy(result, PREMIX_VERSION, *length + 1);	/* result holds 255 bytes */
	return result;
}

PMX_API void
premix_version_deinit(UDF_INIT *initid)
{
	(void) initid;
}

/*
 * premix_parity(a_json, b_json): the mismatches of two schema documents,
 * possibly of different dialects, as a JSON array ([] when equivalent);
 * an error object (see the file header) on bad input.
 */
PMX_API my_bool
premix_parity_init(UDF_INIT *initid, UDF_ARGS *args, char *message)
{
	return mypmx_init(&fn_parity, initid, args, message);
}

/*
 * Row time of a premix UDF with arguments: copy them, run fn->call in a
 * context of its own, keep the result (or the error object) in
 * initid->ptr.  NULL with *is_null and *error set only when out of memory.
 */
static char *
mypmx_row(const MypmxFn *fn, UDF_INIT *initid, UDF_ARGS *args,
		  unsigned long *length, char *is_null, char *error)
{
	char	   *argv[3] = {NULL, NULL, NULL};
	char	   *out = NULL,
			   *text = NULL;
	size_t		len = 0;
	int			oom = 0;
	PmxCtx	   *ctx = NULL;

	*is_null = 0;
	*error = 0;
	for (unsigned int i = 0; i < args->arg_count && i < 3 && !text && !oom; i++)
		text = mypmx_arg(fn, args, i, &argv[i], &len, &oom);
	if (!text && !oom)
	{
		if (!(ctx = pmx_ctx_new(&mypmx_allocator)))
			oom = 1;
		else if (fn->call(ctx, argv, &out) == PMX_OK)
		{
			len = strlen(out);
			if ((text = malloc(len + 1)))
				memcpy(text, out, len + 1);
		}
		else
			text = mypmx_core_error_json(ctx, &len);
		pmx_ctx_free(ctx);
	}
	for (int i = 0; i < 3; i++)
		free(argv[i]);
	if (!text)
	{
		*is_null = 1;
		*error = 1;
		return NULL;
	}
	return mypmx_keep(initid, text, len, length);
}

/* Free the last row's result. */
static void
mypmx_deinit(UDF_INIT *initid)
{
	free(initid->ptr);
	initid->ptr = NULL;
}

PMX_API char *
premix_parity(UDF_INIT *initid, UDF_ARGS *args, char *result,
			  unsigned long *length, char *is_null, char *error)
{
	(void) result;
	return mypmx_row(&fn_parity, initid, args, length, is_null, error);
}

PMX_API void
premix_parity_deinit(UDF_INIT *initid)
{
	mypmx_deinit(initid);
}

/*
 * premix_diff(current_json, target_json [, options]): the MySQL plan for
 * target against the current schema document (see pmx_diff_docs.c).
 */
PMX_API my_bool
premix_diff_init(UDF_INIT *initid, UDF_ARGS *args, char *message)
{
	return mypmx_init(&fn_diff, initid, args, message);
}

PMX_API char *
premix_diff(UDF_INIT *initid, UDF_ARGS *args, char *result,
			unsigned long *length, char *is_null, char *error)
{
	(void) result;
	return mypmx_row(&fn_diff, initid, args, length, is_null, error);
}

PMX_API void
premix_diff_deinit(UDF_INIT *initid)
{
	mypmx_deinit(initid);
}

/* premix_preview(plan): the plan as text, step by step. */
PMX_API my_bool
premix_preview_init(UDF_INIT *initid, UDF_ARGS *args, char *message)
{
	return mypmx_init(&fn_preview, initid, args, message);
}

PMX_API char *
premix_preview(UDF_INIT *initid, UDF_ARGS *args, char *result,
			   unsigned long *length, char *is_null, char *error)
{
	(void) result;
	return mypmx_row(&fn_preview, initid, args, length, is_null, error);
}

PMX_API void
premix_preview_deinit(UDF_INIT *initid)
{
	mypmx_deinit(initid);
}
