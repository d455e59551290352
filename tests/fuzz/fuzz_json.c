/*-------------------------------------------------------------------------
 *
 * fuzz_json.c
 *	  libFuzzer target: premix's JSON parser against libjansson.
 *
 * Each input is NUL-terminated and read by pmx_json_parse and by jansson's
 * json_loads (duplicate keys rejected, top level an object or array, no
 * \u0000: the same rules).  Checked (abort() on violation):
 *
 *	 1. both accept or both refuse -- except that premix also refuses
 *		nesting deeper than PMX_JSON_MAX_DEPTH, with its own error;
 *	 2. when both accept, the trees are equal: types, key order, integers,
 *		reals (bit for bit), string bytes;
 *	 3. a refusal carries PMX_E_JSON, SQLSTATE 22P02 and a message naming
 *		line, column and position, and the position is inside the input;
 *	 4. the tree written back with the writer reads back equal (strings
 *		and integers; reals are never written by premix).
 *
 * jansson is only the oracle here; the core does not link it.
 *
 * IDENTIFICATION
 *	  tests/fuzz/fuzz_json.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define FUZZ_NAME "fuzz_json"
#include "fuzz_common.h"
#include "pmx_json.h"

/*
 * Depth of the deepest node under j, j being at 0: what premix limits to
 * PMX_JSON_MAX_DEPTH.  A scalar or an empty container adds nothing.
 */
static int
jdepth(json_t *j)
{
	int			d = -1;
	size_t		i;
	const char *k;
	json_t	   *v;

	if (json_is_array(j))
		json_array_foreach(j, i, v)
		{
			int			c = jdepth(v);

			if (c > d)
				d = c;
		}
	else if (json_is_object(j))
		json_object_foreach(j, k, v)
		{
			int			c = jdepth(v);

			if (c > d)
				d = c;
		}
	return d + 1;
}

/* True when premix's node p equals jansson's node j. */
static int
same(const PmxJson *p, json_t *j)
{
	switch (json_typeof(j))
	{
		case JSON_NULL:
			return p->type == PMX_JSON_NULL;
		case JSON_TRUE:
		case JSON_FALSE:
			return p->type == PMX_JSON_BOOL && p->b == json_is_true(j);
		case JSON_INTEGER:
			return p->type == PMX_JSON_INT && p->i == (long long) json_integer_value(j);
		case JSON_REAL:
			{
				double		r = json_real_value(j);

				return p->type == PMX_JSON_REAL && memcmp(&p->r, &r, sizeof(r)) == 0;
			}
		case JSON_STRING:
			return p->type == PMX_JSON_STRING &&
				strlen(p->s) == json_string_length(j) &&
				memcmp(p->s, json_string_value(j), json_string_length(j)) == 0;
		case JSON_ARRAY:
			if (p->type != PMX_JSON_ARRAY || p->n != json_array_size(j))
				return 0;
			for (size_t i = 0; i < p->n; i++)
				if (!same(p->items[i], json_array_get(j, i)))
					return 0;
			return 1;
		case JSON_OBJECT:
			{
				const char *k;
				json_t	   *v;
				size_t		i = 0;

				if (p->type != PMX_JSON_OBJECT || p->n != json_object_size(j))
					return 0;
				/* jansson keeps insertion order */
				json_object_foreach(j, k, v)
				{
					if (strcmp(p->keys[i], k) != 0 || !same(p->items[i], v))
						return 0;
					i++;
				}
				return 1;
			}
	}
	return 0;
}

/* Write p with the writer (reals as null: premix writes no floating point). */
static void
write_node(PmxJsonWriter *w, const PmxJson *p)
{
	switch (p->type)
	{
		case PMX_JSON_NULL:
		case PMX_JSON_REAL:
			pmx_jw_null(w);
			break;
		case PMX_JSON_BOOL:
			pmx_jw_bool(w, p->b);
			break;
		case PMX_JSON_INT:
			pmx_jw_int(w, p->i);
			break;
		case PMX_JSON_STRING:
			pmx_jw_string(w, p->s);
			break;
		case PMX_JSON_ARRAY:
			pmx_jw_begin_array(w);
			for (size_t i = 0; i < p->n; i++)
				write_node(w, p->items[i]);
			pmx_jw_end_array(w);
			break;
		case PMX_JSON_OBJECT:
			pmx_jw_begin_object(w);
			for (size_t i = 0; i < p->n; i++)
			{
				pmx_jw_key(w, p->keys[i]);
				write_node(w, p->items[i]);
			}
			pmx_jw_end_object(w);
			break;
	}
}

/* Equality of two premix trees, reals excepted (see write_node). */
static int
same_written(const PmxJson *a, const PmxJson *b)
{
	if (a->type == PMX_JSON_REAL)
		return b->type == PMX_JSON_NULL;
	if (a->type != b->type || a->n != b->n)
		return 0;
	switch (a->type)
	{
		case PMX_JSON_BOOL:
			return a->b == b->b;
		case PMX_JSON_INT:
			return a->i == b->i;
		case PMX_JSON_STRING:
			return strcmp(a->s, b->s) == 0;
		case PMX_JSON_OBJECT:
		case PMX_JSON_ARRAY:
			for (size_t i = 0; i < a->n; i++)
				if ((a->keys && strcmp(a->keys[i], b->keys[i]) != 0) ||
					!same_written(a->items[i], b->items[i]))
					return 0;
			return 1;
		default:
			return 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *text = malloc(size + 1);
	PmxCtx	   *ctx = new_ctx();
	PmxJson    *mine;
	json_error_t jerr;
	json_t	   *theirs;

	memcpy(text, data, size);
	text[size] = '\0';
	mine = pmx_json_parse(ctx, text, "target");
	theirs = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	if (!mine)
	{
		const PmxError *e = pmx_ctx_error(ctx);
		const char *pos = e->message ? strstr(e->message, "(position ") : NULL;
		long		at = pos ? strtol(pos + 10, NULL, 10) : -1;

		if (e->code != PMX_E_JSON || strcmp(e->sqlstate, "22P02") != 0 || !e->message)
			fail("a refusal without a complete PMX_E_JSON error", e->message, e->sqlstate);
		if (strstr(e->message, "deeper than"))
		{
			if (theirs && jdepth(theirs) <= PMX_JSON_MAX_DEPTH)
				fail("refused as too deep, but it is not", text, e->message);
		}
		else
		{
			if (theirs)
				fail("premix refuses what jansson accepts", text, e->message);
			if (!strstr(e->message, "line ") || !strstr(e->message, "column ") ||
				at < 0 || (size_t) at > strlen(text))
				fail("the error does not locate the problem", text, e->message);
		}
	}
	else
	{
		PmxJsonWriter w;
		char	   *out;
		PmxJson    *back;

		if (!theirs)
			fail("premix accepts what jansson refuses", text, jerr.text);
		if (!same(mine, theirs))
			fail("the trees differ", text, NULL);
		pmx_jw_init(&w, ctx);
		write_node(&w, mine);
		if (!(out = pmx_jw_finish(&w)) || !(back = pmx_json_parse(ctx, out, "written")) ||
			!same_written(mine, back))
			fail("the written tree does not read back equal", text, out);
	}
	json_decref(theirs);
	pmx_ctx_free(ctx);
	free(text);
	return 0;
}
