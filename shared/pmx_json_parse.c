/*-------------------------------------------------------------------------
 *
 * pmx_json_parse.c
 *	  JSON text (RFC 8259) into the arena DOM, in one pass.
 *
 * A recursive-descent reader that builds PmxJson nodes directly in the
 * context's arena: strings without escapes are copied once, the members of
 * an array or object are gathered on one shared scratch stack and copied
 * into exact-size arena arrays when the container closes.  Nesting is
 * limited to PMX_JSON_MAX_DEPTH, so the recursion is bounded.
 *
 * What it accepts is strict JSON and nothing else: an object or array at
 * top level, whitespace only around it; keys unique within an object;
 * strings of valid UTF-8 without control characters or \u0000 (the DOM
 * holds C strings); integers that fit a long long (otherwise an error, not
 * a silently rounded value); reals that do not overflow a double.  Every
 * error names the line, column (in characters) and byte position of the
 * offending token and what was expected there.
 *
 * IDENTIFICATION
 *	  shared/pmx_json_parse.c
 *
 *-------------------------------------------------------------------------
 */
#include <errno.h>
#include <stdio.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pmx_json.h"

/* Parser state; the scratch stack holds the members of open containers. */
typedef struct Parser
{
	PmxCtx	   *ctx;
	const char *what;			/* "target", "plan": named in errors */
	const unsigned char *text;
	const unsigned char *p;		/* next byte to read */
	PmxJson   **stack;			/* values of the open containers (malloc) */
	const char **keys;			/* their keys (objects; malloc) */
	size_t		nstack,
				capstack;
	bool		failed;
} Parser;

/*
 * Record a syntax error at byte at: the message gives line, column and
 * position.  Returns NULL so callers can `return fail(...)`.
 */
static PmxJson *
fail_at(Parser *ps, const unsigned char *at, const char *fmt, const char *arg)
{
	int			line = 1,
				column = 1;
	char		detail[160];

	if (ps->failed)
		return NULL;
	ps->failed = true;
	for (const unsigned char *q = ps->text; q < at; q++)
	{
		if (*q == '\n')
			line++, column = 1;
		else if ((*q & 0xC0) != 0x80)	/* count characters, not bytes */
			column++;
	}
	snprintf(detail, sizeof(detail), fmt, arg);
	pmx_error(ps->ctx, PMX_E_JSON,
			  "malformed JSON in %s at line %d, column %d (position %ld): %s",
			  ps->what, line, column, (long) (at - ps->text), detail);
	pmx_error_hint(ps->ctx, "Check the %s JSON near position %ld.", ps->what,
				   (long) (at - ps->text));
	return NULL;
}

/* A short printable description of the token at p, for "found ..." messages. */
static const char *
describe(const unsigned char *p, char *buf, size_t size)
{
	size_t		n = 0;

	if (!*p)
		return "the end of the text";
	while (p[n] && n < 12 && p[n] >= 0x20 && p[n] < 0x7F &&
		   (n == 0 || !strchr(" \t\r\n,:{}[]", p[n])))
		n++;
	if (n == 0)
	{
		snprintf(buf, size, "byte 0x%02X", p[0]);
		return buf;
	}
	snprintf(buf, size, "'%.*s'", (int) n, (const char *) p);
	return buf;
}

/* fail_at with "expected X, found <token at p>". */
static PmxJson *
expected(Parser *ps, const char *what_expected)
{
	char		buf[32],
				msg[96];

	snprintf(msg, sizeof(msg), "expected %s, found %%s", what_expected);
	return fail_at(ps, ps->p, msg, describe(ps->p, buf, sizeof(buf)));
}

/* Skip JSON whitespace. */
static inline void
skip_ws(Parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\r' || *ps->p == '\t')
		ps->p++;
}

/*
 * Length of the valid UTF-8 sequence at p (2..4), or 0 when it is not one:
 * overlong forms, surrogates and code points above U+10FFFF are refused.
 */
static int
utf8_seq(const unsigned char *p)
{
	unsigned char c = p[0];

	if (c >= 0xC2 && c <= 0xDF)
		return (p[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF)
	{
		unsigned char lo = c == 0xE0 ? 0xA0 : 0x80,
					hi = c == 0xED ? 0x9F : 0xBF;

		return p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 ? 3 : 0;
	}
	if (c >= 0xF0 && c <= 0xF4)
	{
		unsigned char lo = c == 0xF0 ? 0x90 : 0x80,
					hi = c == 0xF4 ? 0x8F : 0xBF;

		return p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 &&
			(p[3] & 0xC0) == 0x80 ? 4 : 0;
	}
	return 0;
}

/* The value of 4 hex digits at p, or -1. */
static long
hex4(const unsigned char *p)
{
	long		v = 0;

	for (int i = 0; i < 4; i++)
	{
		int			c = p[i],
					d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* Append code point cp as UTF-8 at out; returns the bytes written. */
static int
put_utf8(char *out, long cp)
{
	if (cp < 0x80)
		return out[0] = (char) cp, 1;
	if (cp < 0x800)
	{
		out[0] = (char) (0xC0 | (cp >> 6));
		out[1] = (char) (0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000)
	{
		out[0] = (char) (0xE0 | (cp >> 12));
		out[1] = (char) (0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char) (0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char) (0xF0 | (cp >> 18));
	out[1] = (char) (0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char) (0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char) (0x80 | (cp & 0x3F));
	return 4;
}

/*
 * Read the string whose opening quote is at ps->p into the arena; ps->p
 * ends after the closing quote.  NULL on error (recorded).
 */
static char *
read_string(Parser *ps)
{
	const unsigned char *start = ++ps->p,
			   *q = start;
	bool		escapes = false;
	char	   *out,
			   *o;

	/* pass 1: validate and find the end */
	for (;;)
	{
		unsigned char c = *q;

		if (c == '"')
			break;
		if (c == '\\')
		{
			escapes = true;
			q++;
			if (*q == 'u')
			{
				long		cp = hex4(q + 1);

				if (cp < 0)
					return (char *) fail_at(ps, q - 1, "%s", "\\u must be followed by 4 hex digits");
				if (cp == 0)
					return (char *) fail_at(ps, q - 1, "%s", "\\u0000 is not allowed in a string");
				if (cp >= 0xDC00 && cp <= 0xDFFF)
					return (char *) fail_at(ps, q - 1, "%s", "a \\u low surrogate without a high surrogate before it");
				if (cp >= 0xD800 && cp <= 0xDBFF)
				{
					long		lo = q[5] == '\\' && q[6] == 'u' ? hex4(q + 7) : -1;

					if (lo < 0xDC00 || lo > 0xDFFF)
						return (char *) fail_at(ps, q - 1, "%s", "a \\u high surrogate without a low surrogate after it");
					q += 6;
				}
				q += 5;
			}
			else if (*q && strchr("\"\\/bfnrt", *q))
				q++;
			else
				return (char *) fail_at(ps, q - 1, "%s", "invalid escape in a string (valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
		}
		else if (c == 0)
			return (char *) fail_at(ps, start - 1, "%s", "unterminated string");
		else if (c < 0x20)
			return (char *) fail_at(ps, q, "%s", "control character in a string (write it as a \\u escape)");
		else if (c < 0x80)
			q++;
		else
		{
			int			n = utf8_seq(q);

			if (!n)
				return (char *) fail_at(ps, q, "%s", "invalid UTF-8 in a string");
			q += n;
		}
	}
	ps->p = q + 1;
	if (!escapes)
		return pmx_strndup(ps->ctx, (const char *) start, (size_t) (q - start));

	/* pass 2: decode (never longer than the source) */
	if (!(out = pmx_alloc(ps->ctx, (size_t) (q - start) + 1)))
		return NULL;
	o = out;
	for (const unsigned char *r = start; r < q;)
	{
		if (*r != '\\')
		{
			*o++ = (char) *r++;
			continue;
		}
		r++;
		switch (*r)
		{
			case 'b':
				*o++ = '\b';
				break;
			case 'f':
				*o++ = '\f';
				break;
			case 'n':
				*o++ = '\n';
				break;
			case 'r':
				*o++ = '\r';
				break;
			case 't':
				*o++ = '\t';
				break;
			case 'u':
				{
					long		cp = hex4(r + 1);

					r += 4;
					if (cp >= 0xD800 && cp <= 0xDBFF)
					{
						cp = 0x10000 + ((cp - 0xD800) << 10) + (hex4(r + 3) - 0xDC00);
						r += 6;
					}
					o += put_utf8(o, cp);
					break;
				}
			default:			/* " \ / */
				*o++ = (char) *r;
				break;
		}
		r++;
	}
	*o = '\0';
	return out;
}

/*
 * Read a number at ps->p into n: an integer when it has no fraction or
 * exponent (an error when it does not fit a long long), a real otherwise.
 * NULL on error.
 */
static PmxJson *
read_number(Parser *ps, PmxJson *n)
{
	const unsigned char *start = ps->p,
			   *q = start;
	bool		is_real = false;
	char		local[64],
			   *buf = local;
	size_t		len;

	if (*q == '-')
		q++;
	if (*q == '0')
	{
		q++;
		if (*q >= '0' && *q <= '9')
			return fail_at(ps, start, "%s", "a number must not start with 0");
	}
	else if (*q >= '1' && *q <= '9')
		while (*q >= '0' && *q <= '9')
			q++;
	else
		return fail_at(ps, start, "%s", "invalid number");
	if (*q == '.')
	{
		is_real = true;
		q++;
		if (!(*q >= '0' && *q <= '9'))
			return fail_at(ps, q, "%s", "a digit must follow the decimal point");
		while (*q >= '0' && *q <= '9')
			q++;
	}
	if (*q == 'e' || *q == 'E')
	{
		is_real = true;
		q++;
		if (*q == '+' || *q == '-')
			q++;
		if (!(*q >= '0' && *q <= '9'))
			return fail_at(ps, q, "%s", "a digit must follow the exponent");
		while (*q >= '0' && *q <= '9')
			q++;
	}
	len = (size_t) (q - start);
	if (len >= sizeof(local) && !(buf = pmx_alloc(ps->ctx, len + 1)))
		return NULL;
	memcpy(buf, start, len);
	buf[len] = '\0';
	errno = 0;
	if (!is_real)
	{
		n->type = PMX_JSON_INT;
		n->i = strtoll(buf, NULL, 10);
		if (errno == ERANGE)
			return fail_at(ps, start, "%s", "integer too big (the largest is 9223372036854775807)");
	}
	else
	{
		const char *point = localeconv()->decimal_point;

		/* strtod follows LC_NUMERIC: give it the locale's decimal point */
		if (point && point[0] && point[0] != '.' && !point[1])
		{
			char	   *dot = strchr(buf, '.');

			if (dot)
				*dot = point[0];
		}
		n->type = PMX_JSON_REAL;
		n->r = strtod(buf, NULL);
		if (errno == ERANGE && (n->r == HUGE_VAL || n->r == -HUGE_VAL))
			return fail_at(ps, start, "%s", "real number too big for a double");
	}
	ps->p = q;
	return n;
}

/* Push value (and key) on the scratch stack; false on OOM (recorded). */
static bool
push(Parser *ps, const char *key, PmxJson *value)
{
	if (ps->nstack == ps->capstack)
	{
		size_t		cap = ps->capstack ? ps->capstack * 2 : 256;
		PmxJson   **s = realloc(ps->stack, cap * sizeof(PmxJson *));
		const char **k;

		if (s)
			ps->stack = s;
		k = s ? realloc(ps->keys, cap * sizeof(char *)) : NULL;
		if (!k)
		{
			pmx_error(ps->ctx, PMX_E_NOMEM, "out of memory reading the %s JSON", ps->what);
			return false;
		}
		ps->keys = k;
		ps->capstack = cap;
	}
	ps->keys[ps->nstack] = key;
	ps->stack[ps->nstack++] = value;
	return true;
}

/* qsort order of key pointers. */
static int
cmp_key(const void *a, const void *b)
{
	return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/*
 * The first key of keys[0..n) that occurs twice, or NULL: pairwise for a
 * small object, by sorting a copy for a large one (no quadratic case).
 */
static const char *
duplicate_key(Parser *ps, const char **keys, size_t n)
{
	const char **sorted;
	const char *dup = NULL;

	if (n <= 16)
	{
		for (size_t i = 1; i < n; i++)
			for (size_t j = 0; j < i; j++)
				if (strcmp(keys[i], keys[j]) == 0)
					return keys[i];
		return NULL;
	}
	if (!(sorted = pmx_alloc(ps->ctx, n * sizeof(char *))))
	{
		ps->failed = true;
		return NULL;
	}
	memcpy(sorted, keys, n * sizeof(char *));
	qsort(sorted, n, sizeof(char *), cmp_key);
	for (size_t i = 1; i < n && !dup; i++)
		if (strcmp(sorted[i], sorted[i - 1]) == 0)
			dup = sorted[i];
	return dup;
}

static PmxJson *read_value(Parser *ps, int depth);

/*
 * Move the top n entries of the scratch stack into node's arena arrays
 * (with keys when it is an object).  False on OOM.
 */
static bool
pop_into(Parser *ps, PmxJson *node, size_t base, bool with_keys)
{
	size_t		n = ps->nstack - base;

	node->n = n;
	if (!(node->items = pmx_alloc(ps->ctx, (n ? n : 1) * sizeof(PmxJson *))))
		return false;
	if (n)
		memcpy(node->items, ps->stack + base, n * sizeof(PmxJson *));
	if (with_keys)
	{
		if (!(node->keys = pmx_alloc(ps->ctx, (n ? n : 1) * sizeof(char *))))
			return false;
		if (n)
			memcpy(node->keys, ps->keys + base, n * sizeof(char *));
	}
	ps->nstack = base;
	return true;
}

/* Read the array whose '[' is at ps->p into n. NULL on error. */
static PmxJson *
read_array(Parser *ps, PmxJson *n, int depth)
{
	size_t		base = ps->nstack;

	n->type = PMX_JSON_ARRAY;
	ps->p++;
	skip_ws(ps);
	if (*ps->p == ']')
		ps->p++;
	else
		for (;;)
		{
			PmxJson    *v = read_value(ps, depth + 1);

			if (!v || !push(ps, NULL, v))
				return NULL;
			skip_ws(ps);
			if (*ps->p == ']')
			{
				ps->p++;
				break;
			}
			if (*ps->p != ',')
				return expected(ps, "',' or ']' in an array");
			ps->p++;
		}
	return pop_into(ps, n, base, false) ? n : NULL;
}

/* Read the object whose '{' is at ps->p into n. NULL on error. */
static PmxJson *
read_object(Parser *ps, PmxJson *n, int depth)
{
	size_t		base = ps->nstack;
	const unsigned char *open = ps->p;
	const char *dup;

	n->type = PMX_JSON_OBJECT;
	ps->p++;
	skip_ws(ps);
	if (*ps->p == '}')
		ps->p++;
	else
		for (;;)
		{
			const unsigned char *key_at;
			char	   *key;
			PmxJson    *v;

			if (*ps->p != '"')
				return expected(ps, "a member name in double quotes");
			key_at = ps->p;
			if (!(key = read_string(ps)))
				return NULL;
			/* a duplicate among a few members is caught here, at its place */
			if (ps->nstack - base < 16)
				for (size_t i = base; i < ps->nstack; i++)
					if (strcmp(ps->keys[i], key) == 0)
						return fail_at(ps, key_at, "duplicate member \"%s\" in an object", key);
			skip_ws(ps);
			if (*ps->p != ':')
				return expected(ps, "':' after a member name");
			ps->p++;
			if (!(v = read_value(ps, depth + 1)) || !push(ps, key, v))
				return NULL;
			skip_ws(ps);
			if (*ps->p == '}')
			{
				ps->p++;
				break;
			}
			if (*ps->p != ',')
				return expected(ps, "',' or '}' in an object");
			ps->p++;
			skip_ws(ps);
		}
	if (ps->nstack - base > 16 &&
		(dup = duplicate_key(ps, ps->keys + base, ps->nstack - base)) != NULL)
		return fail_at(ps, open, "duplicate member \"%s\" in the object that starts here", dup);
	if (ps->failed)				/* OOM in duplicate_key */
		return NULL;
	return pop_into(ps, n, base, true) ? n : NULL;
}

/* True when the literal word is at p and not followed by more letters. */
static bool
literal(const unsigned char *p, const char *word, size_t len)
{
	return strncmp((const char *) p, word, len) == 0 &&
		!((p[len] >= 'a' && p[len] <= 'z') || (p[len] >= 'A' && p[len] <= 'Z') ||
		  (p[len] >= '0' && p[len] <= '9'));
}

/* Read any value at ps->p (after whitespace). NULL on error. */
static PmxJson *
read_value(Parser *ps, int depth)
{
	PmxJson    *n;

	skip_ws(ps);
	if (depth > PMX_JSON_MAX_DEPTH)
	{
		pmx_error(ps->ctx, PMX_E_JSON, "JSON nesting in the %s is deeper than %d levels",
				  ps->what, PMX_JSON_MAX_DEPTH);
		pmx_error_hint(ps->ctx, "A target or plan never nests that deep: check the JSON's brackets.");
		ps->failed = true;
		return NULL;
	}
	if (!(n = pmx_alloc(ps->ctx, sizeof(PmxJson))))
		return NULL;
	switch (*ps->p)
	{
		case '{':
			return read_object(ps, n, depth);
		case '[':
			return read_array(ps, n, depth);
		case '"':
			n->type = PMX_JSON_STRING;
			return (n->s = read_string(ps)) ? n : NULL;
		case 't':
		case 'f':
		case 'n':
			if (literal(ps->p, "true", 4))
				n->type = PMX_JSON_BOOL, n->b = true, ps->p += 4;
			else if (literal(ps->p, "false", 5))
				n->type = PMX_JSON_BOOL, ps->p += 5;
			else if (literal(ps->p, "null", 4))
				n->type = PMX_JSON_NULL, ps->p += 4;
			else
				return expected(ps, "a value (true, false, null, a number, a string, an array or an object)");
			return n;
		default:
			if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9'))
				return read_number(ps, n);
			return expected(ps, "a value (true, false, null, a number, a string, an array or an object)");
	}
}

/*
 * Parse text into an arena DOM.  On malformed JSON records PMX_E_JSON with
 * the line, column and byte position and returns NULL; nothing to free
 * either way (the scratch stack is released here).
 */
PmxJson *
pmx_json_parse(PmxCtx *ctx, const char *text, const char *what)
{
	Parser		ps = {0};
	PmxJson    *root = NULL;

	if (!text)
	{
		pmx_error(ctx, PMX_E_INVALID, "the %s is NULL", what);
		pmx_error_hint(ctx, "Pass the %s as JSON text.", what);
		return NULL;
	}
	ps.ctx = ctx;
	ps.what = what;
	ps.text = ps.p = (const unsigned char *) text;
	skip_ws(&ps);
	if (*ps.p != '{' && *ps.p != '[')
		expected(&ps, "'{' or '[' (the text must be a JSON object or array)");
	else if ((root = read_value(&ps, 0)) != NULL)
	{
		skip_ws(&ps);
		if (*ps.p)
			root = expected(&ps, "the end of the text after the JSON value");
	}
	free(ps.stack);
	free(ps.keys);
	return root;
}
