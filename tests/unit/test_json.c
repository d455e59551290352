/*-------------------------------------------------------------------------
 *
 * test_json.c
 *	  Unit tests of shared/pmx_json.c: the parser (pmx_json_parse.c) into the
 *	  arena DOM (errors with position, duplicate keys, nesting limit) and
 *	  the deterministic writer (escaping round-trips through the parser).
 *
 * IDENTIFICATION
 *	  tests/unit/test_json.c
 *
 *-------------------------------------------------------------------------
 */
#include <limits.h>

#include "pmx_test.h"

#include "pmx_json.h"

/* True when the current error has code, sqlstate and every needle. */
static int
err_is(PmxCtx *ctx, PmxErrCode code, const char *sqlstate,
	   const char *needle1, const char *needle2)
{
	const PmxError *e = pmx_ctx_error(ctx);

	return e->code == code && strcmp(e->sqlstate, sqlstate) == 0 &&
		e->message != NULL &&
		(!needle1 || strstr(e->message, needle1)) &&
		(!needle2 || strstr(e->message, needle2));
}

/* A string of depth nested arrays: [[[...]]]. */
static char *
nested_arrays(int depth)
{
	char	   *s = malloc((size_t) depth * 2 + 1);

	for (int i = 0; i < depth; i++)
	{
		s[i] = '[';
		s[depth * 2 - 1 - i] = ']';
	}
	s[depth * 2] = '\0';
	return s;
}

/* Malformed JSON: PMX_E_JSON, 22P02, what/line/column/position in the message. */
TEST(malformed_reports_position)
{
	PmxCtx	   *ctx = test_ctx();

	CHECK(pmx_json_parse(ctx, "{\"a\": }", "target") == NULL);
	CHECK(err_is(ctx, PMX_E_JSON, "22P02", "target", "line 1"));
	CHECK(strstr(pmx_ctx_error(ctx)->message, "column") != NULL);
	CHECK(strstr(pmx_ctx_error(ctx)->message, "position") != NULL);
	pmx_ctx_free(ctx);

	/* the error is on line 3, column 10 */
	ctx = test_ctx();
	CHECK(pmx_json_parse(ctx, "{\n  \"a\": 1,\n  \"b\": tru }", "plan") == NULL);
	CHECK(err_is(ctx, PMX_E_JSON, "22P02", "plan", "line 3"));
	pmx_ctx_free(ctx);
}

/* Other malformed inputs are errors too, never a partial DOM. */
TEST(malformed_variants)
{
	static const char *const bad[] = {
		"", "   ", "{", "[1,]", "{\"a\":1,}", "{'a':1}", "[1 2]", "{\"a\" 1}",
		"[\"unterminated]", "[\"bad \\x escape\"]", "[01]", "[NaN]", "{} {}",
		"[\"\xff\xfe\"]", "[\"ctrl \x01 char\"]", "[1e99999]",
		"[99999999999999999999999]",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
	{
		PmxCtx	   *ctx = test_ctx();

		CHECK(pmx_json_parse(ctx, bad[i], "target") == NULL);
		CHECK(err_is(ctx, PMX_E_JSON, "22P02", NULL, NULL));
		pmx_ctx_free(ctx);
	}
}

/* NULL text, a top-level scalar and an escaped NUL are refused. */
TEST(refuses_null_scalar_and_nul)
{
	PmxCtx	   *ctx = test_ctx();

	/* NULL is no text at all: an error naming the input, whatever its class */
	CHECK(pmx_json_parse(ctx, NULL, "options") == NULL);
	CHECK(pmx_ctx_error(ctx)->code != PMX_E_NONE && pmx_ctx_error(ctx)->message &&
		  strstr(pmx_ctx_error(ctx)->message, "options"));
	pmx_ctx_free(ctx);

	ctx = test_ctx();
	CHECK(pmx_json_parse(ctx, "42", "target") == NULL);
	CHECK(err_is(ctx, PMX_E_JSON, "22P02", NULL, NULL));
	pmx_ctx_free(ctx);

	/* "\u0000" would silently cut a C string short */
	ctx = test_ctx();
	CHECK(pmx_json_parse(ctx, "[\"a\\u0000b\"]", "target") == NULL);
	CHECK(err_is(ctx, PMX_E_JSON, "22P02", NULL, NULL));
	pmx_ctx_free(ctx);
}

/* Duplicate object keys are an error, at any depth. */
TEST(duplicate_keys_rejected)
{
	PmxCtx	   *ctx = test_ctx();

	CHECK(pmx_json_parse(ctx, "{\"a\": 1, \"a\": 2}", "target") == NULL);
	CHECK(err_is(ctx, PMX_E_JSON, "22P02", NULL, NULL));
	pmx_ctx_free(ctx);

	ctx = test_ctx();
	CHECK(pmx_json_parse(ctx, "{\"t\": [{\"name\": \"x\", \"name\": \"y\"}]}", "target") == NULL);
	CHECK(err_is(ctx, PMX_E_JSON, "22P02", NULL, NULL));
	pmx_ctx_free(ctx);

	/* the same key in sibling objects is fine */
	ctx = test_ctx();
	CHECK(pmx_json_parse(ctx, "[{\"a\": 1}, {\"a\": 2}]", "target") != NULL);
	pmx_ctx_free(ctx);
}

/* Nesting up to PMX_JSON_MAX_DEPTH parses; deeper is PMX_E_JSON, no crash. */
TEST(nesting_limit)
{
	int			depths_bad[] = {PMX_JSON_MAX_DEPTH + 2, 500, 5000};
	char	   *ok = nested_arrays(PMX_JSON_MAX_DEPTH);
	PmxCtx	   *ctx = test_ctx();

	CHECK(pmx_json_parse(ctx, ok, "target") != NULL);
	CHECK(pmx_ctx_error(ctx)->code == PMX_E_NONE);
	pmx_ctx_free(ctx);
	free(ok);
	for (size_t i = 0; i < sizeof(depths_bad) / sizeof(depths_bad[0]); i++)
	{
		char	   *bad = nested_arrays(depths_bad[i]);

		ctx = test_ctx();
		CHECK(pmx_json_parse(ctx, bad, "target") == NULL);
		CHECK(err_is(ctx, PMX_E_JSON, "22P02", NULL, NULL));
		pmx_ctx_free(ctx);
		free(bad);
	}
	/* objects count as levels too */
	{
		char		buf[PMX_JSON_MAX_DEPTH * 8 + 64];
		size_t		n = 0;

		for (int i = 0; i < PMX_JSON_MAX_DEPTH + 2; i++)
			n += (size_t) sprintf(buf + n, "{\"k\":");
		n += (size_t) sprintf(buf + n, "1");
		for (int i = 0; i < PMX_JSON_MAX_DEPTH + 2; i++)
			buf[n++] = '}';
		buf[n] = '\0';
		ctx = test_ctx();
		CHECK(pmx_json_parse(ctx, buf, "target") == NULL);
		CHECK(err_is(ctx, PMX_E_JSON, "22P02", NULL, NULL));
		pmx_ctx_free(ctx);
	}
}

/* The DOM keeps key order and every value type; pmx_json_get finds members. */
TEST(dom_shape)
{
	PmxCtx	   *ctx = test_ctx();
	PmxJson    *j = pmx_json_parse(ctx,
								   "{\"zeta\": 1, \"alpha\": [true, false, null, \"s\", -7, 1.5],"
								   " \"obj\": {}, \"big\": 9223372036854775807}", "t");
	PmxJson    *arr;

	CHECK(j && j->type == PMX_JSON_OBJECT && j->n == 4);
	if (!j)
	{
		pmx_ctx_free(ctx);
		return;
	}
	CHECK(strcmp(j->keys[0], "zeta") == 0 && strcmp(j->keys[1], "alpha") == 0);
	CHECK(pmx_json_get(j, "zeta")->type == PMX_JSON_INT && pmx_json_get(j, "zeta")->i == 1);
	CHECK(pmx_json_get(j, "big")->i == LLONG_MAX);
	CHECK(pmx_json_get(j, "missing") == NULL);
	CHECK(pmx_json_get(pmx_json_get(j, "alpha"), "x") == NULL);	/* not an object */
	arr = pmx_json_get(j, "alpha");
	CHECK(arr->type == PMX_JSON_ARRAY && arr->n == 6);
	CHECK(arr->items[0]->type == PMX_JSON_BOOL && arr->items[0]->b);
	CHECK(arr->items[1]->type == PMX_JSON_BOOL && !arr->items[1]->b);
	CHECK(arr->items[2]->type == PMX_JSON_NULL);
	CHECK(arr->items[3]->type == PMX_JSON_STRING && strcmp(arr->items[3]->s, "s") == 0);
	CHECK(arr->items[4]->type == PMX_JSON_INT && arr->items[4]->i == -7);
	CHECK(arr->items[5]->type == PMX_JSON_REAL && arr->items[5]->r == 1.5);
	CHECK(pmx_json_get(j, "obj")->type == PMX_JSON_OBJECT && pmx_json_get(j, "obj")->n == 0);
	CHECK(strcmp(pmx_json_type_name(PMX_JSON_ARRAY), "array") == 0);
	CHECK(strcmp(pmx_json_type_name(PMX_JSON_INT), "number") == 0);
	pmx_ctx_free(ctx);
}

/* The writer's exact layout: ", " and ": " separators, one line. */
TEST(writer_layout)
{
	PmxCtx	   *ctx = test_ctx();
	PmxJsonWriter w;
	char	   *s;

	pmx_jw_init(&w, ctx);
	pmx_jw_begin_object(&w);
	pmx_jw_key(&w, "a");
	pmx_jw_begin_array(&w);
	pmx_jw_int(&w, 1);
	pmx_jw_bool(&w, true);
	pmx_jw_null(&w);
	pmx_jw_string(&w, NULL);
	pmx_jw_begin_object(&w);
	pmx_jw_end_object(&w);
	pmx_jw_begin_array(&w);
	pmx_jw_end_array(&w);
	pmx_jw_end_array(&w);
	pmx_jw_key(&w, "b");
	pmx_jw_raw(&w, "{\"x\": 2}");
	pmx_jw_key(&w, "c");
	pmx_jw_int(&w, LLONG_MIN);
	pmx_jw_end_object(&w);
	s = pmx_jw_finish(&w);
	CHECK(s && strcmp(s, "{\"a\": [1, true, null, null, {}, []], \"b\": {\"x\": 2}, "
					  "\"c\": -9223372036854775808}") == 0);
	pmx_ctx_free(ctx);
}

/* Strings with quotes, backslashes, control bytes and unicode round-trip. */
TEST(writer_escaping_round_trips)
{
	static const char *const vals[] = {
		"", "plain", "q\"uote", "back\\slash", "\\\"", "nl\nrt\rtab\tbs\bff\f",
		"\x01\x02\x1f\x7f", "é 日本 \xf0\x9f\x98\x80", "</script>", "'single'",
		"\\u0041 is not an escape here",
	};
	PmxCtx	   *ctx = test_ctx();
	PmxJsonWriter w;
	char	   *text;
	PmxJson    *back;
	size_t		n = sizeof(vals) / sizeof(vals[0]);

	pmx_jw_init(&w, ctx);
	pmx_jw_begin_object(&w);
	for (size_t i = 0; i < n; i++)
	{
		char		key[32];

		/* keys are the indexes; one escaped key follows */
		snprintf(key, sizeof(key), "%zu", i);
		pmx_jw_key(&w, key);
		pmx_jw_string(&w, vals[i]);
	}
	pmx_jw_key(&w, "k\"\\\n\x01");
	pmx_jw_string(&w, "v");
	pmx_jw_end_object(&w);
	text = pmx_jw_finish(&w);
	CHECK(text != NULL);
	/* no raw control byte reaches the output */
	for (const char *p = text; p && *p; p++)
		CHECK((unsigned char) *p >= 0x20);
	back = text ? pmx_json_parse(ctx, text, "written") : NULL;
	CHECK(back && back->type == PMX_JSON_OBJECT && back->n == n + 1);
	for (size_t i = 0; back && i < n && i < back->n; i++)
		CHECK(back->items[i]->type == PMX_JSON_STRING &&
			  strcmp(back->items[i]->s, vals[i]) == 0);
	CHECK(back && back->n == n + 1 && strcmp(back->keys[n], "k\"\\\n\x01") == 0);
	pmx_ctx_free(ctx);
}

/* pmx_json_quote appends one literal to a buffer, with its quotes. */
TEST(json_quote)
{
	PmxCtx	   *ctx = test_ctx();
	PmxBuf		b;
	char	   *s;

	pmx_buf_init(&b, ctx);
	pmx_buf_append(&b, "x=");
	pmx_json_quote(&b, "a\"b\n");
	s = pmx_buf_finish(&b);
	CHECK(s && strcmp(s, "x=\"a\\\"b\\n\"") == 0);
	pmx_ctx_free(ctx);
}

int
main(void)
{
	RUN(malformed_reports_position);
	RUN(malformed_variants);
	RUN(refuses_null_scalar_and_nul);
	RUN(duplicate_keys_rejected);
	RUN(nesting_limit);
	RUN(dom_shape);
	RUN(writer_layout);
	RUN(writer_escaping_round_trips);
	RUN(json_quote);
	return TEST_DONE();
}
