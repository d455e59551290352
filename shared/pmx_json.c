/*-------------------------------------------------------------------------
 *
 * pmx_json.c
 *	  Reading the arena DOM (member lookup, unknown-key checks) and the
 *	  deterministic JSON writer.  The parser is pmx_json_parse.c.
 *
 * IDENTIFICATION
 *	  shared/pmx_json.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pmx_json.h"

/* The member key of obj, or NULL when obj is not an object or has none. */
PmxJson *
pmx_json_get(const PmxJson *obj, const char *key)
{
	if (!obj || obj->type != PMX_JSON_OBJECT)
		return NULL;
	/* the first byte first: most members of an object differ there */
	for (size_t i = 0; i < obj->n; i++)
		if (obj->keys[i][0] == key[0] && strcmp(obj->keys[i], key) == 0)
			return obj->items[i];
	return NULL;
}

/* Unknown-key check shared by every reader; see pmx_json.h. */
int
pmx_json_check_keys(PmxCtx *ctx, const PmxJson *obj, const char *path,
					const char *root_name, const char *const *allowed)
{
	if (!obj || obj->type != PMX_JSON_OBJECT)
		return pmx_error(ctx, PMX_E_INVALID, "%s must be a JSON object, not %s",
						 *path ? path : root_name, obj ? pmx_json_type_name(obj->type) : "missing");
	for (size_t i = 0; i < obj->n; i++)
	{
		size_t		nallowed = 0;
		bool		known = false;
		const char *near;
		PmxBuf		list;

		for (; allowed[nallowed] && !known; nallowed++)
			known = obj->keys[i][0] == allowed[nallowed][0] &&
				strcmp(obj->keys[i], allowed[nallowed]) == 0;
		if (known)
			continue;
		while (allowed[nallowed])	/* all of them, for the message */
			nallowed++;
		near = pmx_nearest(obj->keys[i], allowed, nallowed, -1);
		pmx_buf_init(&list, ctx);
		for (size_t k = 0; k < nallowed; k++)
			pmx_buf_appendf(&list, "%s%s", k ? ", " : "", allowed[k]);
		if (*path)
			pmx_error(ctx, PMX_E_INVALID, "unknown key \"%s\" at %s.%s", obj->keys[i],
					  path, obj->keys[i]);
		else
			pmx_error(ctx, PMX_E_INVALID, "unknown key \"%s\" in %s", obj->keys[i], root_name);
		pmx_error_detail(ctx, "Known keys here: %s.", list.data ? list.data : "");
		if (near)
			pmx_error_hint(ctx, "Did you mean \"%s\"?", near);
		return PMX_ERROR;
	}
	return PMX_OK;
}

/* A word for a JSON type, for messages ("expected a string, got array"). */
const char *
pmx_json_type_name(PmxJsonType t)
{
	switch (t)
	{
		case PMX_JSON_NULL:
			return "null";
		case PMX_JSON_BOOL:
			return "boolean";
		case PMX_JSON_INT:
		case PMX_JSON_REAL:
			return "number";
		case PMX_JSON_STRING:
			return "string";
		case PMX_JSON_ARRAY:
			return "array";
		case PMX_JSON_OBJECT:
			return "object";
	}
	return "value";
}

/* ---------------------------------------------------------------- writer */

/* Length of the well-formed UTF-8 sequence at p, or -1. */
static int
utf8_len(const unsigned char *p)
{
	int			n;
	unsigned int cp;

	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xE0) == 0xC0)
		n = 2, cp = p[0] & 0x1F;
	else if ((p[0] & 0xF0) == 0xE0)
		n = 3, cp = p[0] & 0x0F;
	else if ((p[0] & 0xF8) == 0xF0)
		n = 4, cp = p[0] & 0x07;
	else
		return -1;
	for (int i = 1; i < n; i++)
	{
		if ((p[i] & 0xC0) != 0x80)
			return -1;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
		cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	return n;
}

/* true for the bytes a JSON string holds as they are: printable ASCII but " and \ */
#define PL1(b) ((b) >= 0x20 && (b) != '"' && (b) != '\\')
#define PL2(b) PL1(b), PL1((b) + 1)
#define PL4(b) PL2(b), PL2((b) + 2)
#define PL8(b) PL4(b), PL4((b) + 4)
#define PL16(b) PL8(b), PL8((b) + 8)
static const bool json_plain[256] = {	/* 0x80 and up: false (UTF-8 checked) */
	PL16(0x00), PL16(0x10), PL16(0x20), PL16(0x30),
	PL16(0x40), PL16(0x50), PL16(0x60), PL16(0x70)
};
#undef PL16
#undef PL8
#undef PL4
#undef PL2
#undef PL1

/* Append s as a JSON string literal with RFC 8259 escapes. */
void
pmx_json_quote(PmxBuf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *) s;
	const unsigned char *run = p;

	/* most strings need no escape: one copy */
	while (json_plain[*p])
		p++;
	if (!*p)
	{
		size_t		n = (size_t) (p - run);
		char	   *o = pmx_buf_extend(b, n + 2);

		if (o)
		{
			o[0] = '"';
			memcpy(o + 1, run, n);
			o[n + 1] = '"';
		}
		return;
	}
	/* p is at the first byte to escape; the run before it is copied below */
	pmx_buf_putc(b, '"');
	for (;;)
	{
		const char *esc = NULL;
		char		u[7];

		/* the common case: printable ASCII that needs no escape */
		while (json_plain[*p])
			p++;
		if (!*p)
			break;
		if (*p >= 0x80)
		{
			int			len = utf8_len(p);

			if (len > 0)
			{
				p += len;
				continue;
			}
			/* not UTF-8: JSON must be; write U+FFFD instead of the byte */
			esc = "\\ufffd";
		}
		else
			switch (*p)
			{
				case '"':
					esc = "\\\"";
					break;
				case '\\':
					esc = "\\\\";
					break;
				case '\n':
					esc = "\\n";
					break;
				case '\r':
					esc = "\\r";
					break;
				case '\t':
					esc = "\\t";
					break;
				case '\b':
					esc = "\\b";
					break;
				case '\f':
					esc = "\\f";
					break;
				default:
					u[0] = '\\';
					u[1] = 'u';
					u[2] = '0';
					u[3] = '0';
					u[4] = hex[*p >> 4];
					u[5] = hex[*p & 15];
					u[6] = '\0';
					esc = u;
			}
		pmx_buf_append_len(b, (const char *) run, (size_t) (p - run));
		pmx_buf_append(b, esc);
		run = ++p;
	}
	pmx_buf_append_len(b, (const char *) run, (size_t) (p - run));
	pmx_buf_putc(b, '"');
}

/* Start an empty document. */
void
pmx_jw_init(PmxJsonWriter *w, PmxCtx *ctx)
{
	memset(w, 0, sizeof(*w));
	pmx_buf_init(&w->buf, ctx);
}

/* Emit the separator a new value needs at the current position. */
static void
jw_value_prefix(PmxJsonWriter *w)
{
	if (w->after_key)
	{
		w->after_key = false;
		return;
	}
	if (w->need_comma[w->depth])
		pmx_buf_append_len(&w->buf, ", ", 2);
	w->need_comma[w->depth] = true;
}

/* Open an object or array as the next value. */
static void
jw_open(PmxJsonWriter *w, char c)
{
	jw_value_prefix(w);
	pmx_buf_putc(&w->buf, c);
	if (w->depth < PMX_JSON_MAX_DEPTH)
		w->depth++;
	w->need_comma[w->depth] = false;
}

/* Close the innermost object or array. */
static void
jw_close(PmxJsonWriter *w, char c)
{
	pmx_buf_putc(&w->buf, c);
	if (w->depth > 0)
		w->depth--;
}

/* Start an object value. */
void
pmx_jw_begin_object(PmxJsonWriter *w)
{
	jw_open(w, '{');
}

/* End the current object. */
void
pmx_jw_end_object(PmxJsonWriter *w)
{
	jw_close(w, '}');
}

/* Start an array value. */
void
pmx_jw_begin_array(PmxJsonWriter *w)
{
	jw_open(w, '[');
}

/* End the current array. */
void
pmx_jw_end_array(PmxJsonWriter *w)
{
	jw_close(w, ']');
}

/* Emit an object key; the next value call writes its value. */
void
pmx_jw_key(PmxJsonWriter *w, const char *key)
{
	if (w->need_comma[w->depth])
		pmx_buf_append_len(&w->buf, ", ", 2);
	w->need_comma[w->depth] = true;
	pmx_json_quote(&w->buf, key);
	pmx_buf_append_len(&w->buf, ": ", 2);
	w->after_key = true;
}

/* A string value (NULL writes null). */
void
pmx_jw_string(PmxJsonWriter *w, const char *s)
{
	if (!s)
	{
		pmx_jw_null(w);
		return;
	}
	jw_value_prefix(w);
	pmx_json_quote(&w->buf, s);
}

/* A boolean value. */
void
pmx_jw_bool(PmxJsonWriter *w, bool v)
{
	jw_value_prefix(w);
	pmx_buf_append(&w->buf, v ? "true" : "false");
}

/* An integer value. */
void
pmx_jw_int(PmxJsonWriter *w, long long v)
{
	jw_value_prefix(w);
	pmx_buf_appendf(&w->buf, "%lld", v);
}

/* A null value. */
void
pmx_jw_null(PmxJsonWriter *w)
{
	jw_value_prefix(w);
	pmx_buf_append(&w->buf, "null");
}

/* Emit an already-rendered JSON value verbatim. */
void
pmx_jw_raw(PmxJsonWriter *w, const char *json)
{
	jw_value_prefix(w);
	pmx_buf_append(&w->buf, json);
}

/* The document text; NULL on OOM. */
char *
pmx_jw_finish(PmxJsonWriter *w)
{
	return pmx_buf_finish(&w->buf);
}
