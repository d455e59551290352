/*-------------------------------------------------------------------------
 *
 * test_udf.c
 *	  The UDF shim without a server: premix_udf.c's init/row/deinit
 *	  triples called as mariadbd calls them, with hand-built UDF_ARGS and
 *	  UDF_INIT, under ASan+UBSan (tests/mysql/run.sh builds and runs it).
 *
 * What a server test cannot see: every result -- answers and error
 * objects -- is valid JSON (parsed with jansson), including core messages
 * that quote control characters; the per-row buffer in initid->ptr is
 * replaced and freed without leaks over many rows; the init message fits
 * the 80 bytes the server shows.
 *
 * IDENTIFICATION
 *	  tests/mysql/test_udf.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <mysql.h>

my_bool		premix_version_init(UDF_INIT *, UDF_ARGS *, char *);
char	   *premix_version(UDF_INIT *, UDF_ARGS *, char *, unsigned long *, char *, char *);
void		premix_version_deinit(UDF_INIT *);
my_bool		premix_parity_init(UDF_INIT *, UDF_ARGS *, char *);
char	   *premix_parity(UDF_INIT *, UDF_ARGS *, char *, unsigned long *, char *, char *);
void		premix_parity_deinit(UDF_INIT *);
my_bool		premix_diff_init(UDF_INIT *, UDF_ARGS *, char *);
char	   *premix_diff(UDF_INIT *, UDF_ARGS *, char *, unsigned long *, char *, char *);
void		premix_diff_deinit(UDF_INIT *);
my_bool		premix_preview_init(UDF_INIT *, UDF_ARGS *, char *);
char	   *premix_preview(UDF_INIT *, UDF_ARGS *, char *, unsigned long *, char *, char *);
void		premix_preview_deinit(UDF_INIT *);

typedef char *(*RowFn) (UDF_INIT *, UDF_ARGS *, char *, unsigned long *, char *, char *);

static int	failures;

static void
check(int cond, const char *name, const char *got)
{
	if (cond)
		printf("PASS %s\n", name);
	else
	{
		failures++;
		printf("FAIL %s\n  got: %.600s\n", name, got ? got : "(null)");
	}
}

/* Arguments as the server passes them: values not NUL-terminated. */
typedef struct Args
{
	UDF_ARGS	a;
	enum Item_result types[4];
	char	   *vals[4];
	unsigned long lens[4];
	char		maybe_null[4];
} Args;

static void
args_set(Args *x, unsigned int n, const char *const *v, const unsigned long *lens)
{
	memset(x, 0, sizeof(*x));
	x->a.arg_count = n;
	x->a.arg_type = x->types;
	x->a.args = x->vals;
	x->a.lengths = x->lens;
	x->a.maybe_null = x->maybe_null;
	for (unsigned int i = 0; i < n; i++)
	{
		x->types[i] = INT_RESULT;	/* init must coerce it to STRING_RESULT */
		if (v[i])
		{
			x->lens[i] = lens ? lens[i] : strlen(v[i]);
			x->vals[i] = malloc(x->lens[i] + 1);
			memcpy(x->vals[i], v[i], x->lens[i]);
			x->vals[i][x->lens[i]] = '#';	/* not terminated: the shim must not read on */
		}
	}
}

static void
args_free(Args *x)
{
	for (int i = 0; i < 4; i++)
		free(x->vals[i]);
}

/* The result of one row of fn as a JSON value (NULL if not JSON); text in *out. */
static json_t *
row_of(RowFn fn, UDF_INIT *init, Args *x, char **out)
{
	char		result[255];
	unsigned long len = 0;
	char		is_null = 0,
				error = 0;
	char	   *r = fn(init, &x->a, result, &len, &is_null, &error);
	json_error_t jerr;

	*out = NULL;
	if (!r || is_null || error)
		return NULL;
	*out = malloc(len + 1);
	memcpy(*out, r, len);
	(*out)[len] = '\0';
	return json_loadb(r, len, 0, &jerr);
}

/* One row of premix_parity. */
static json_t *
row(UDF_INIT *init, Args *x, char **out)
{
	return row_of(premix_parity, init, x, out);
}

/* sqlstate of an error object, or NULL */
static const char *
sqlstate(json_t *j)
{
	return json_string_value(json_object_get(json_object_get(j, "error"), "sqlstate"));
}

/* The error message of an error object, or "". */
static const char *
errmsg(json_t *j)
{
	const char *m = json_string_value(json_object_get(json_object_get(j, "error"), "message"));

	return m ? m : "";
}

/* premix_diff and premix_preview: plans, previews, errors. */
static void
test_diff_preview(void)
{
	static const char E[] = "{\"format\": 1, \"dialect\": \"mysql\", \"tables\": []}";
	static const char C[] = "{\"format\": 1, \"dialect\": \"mysql\", \"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"id\", \"type\": \"int(11)\", \"nullable\": false}, {\"name\": \"a\", \"type\": \"varchar(20)\", \"nullable\": true}], \"primary_key\": {\"columns\": [\"id\"]}}]}";
	static const char T[] = "{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"id\", \"type\": \"integer\", \"nullable\": false}, {\"name\": \"b\", \"renamed_from\": \"a\", \"type\": \"varchar(20)\", \"nullable\": false}], \"primary_key\": {\"columns\": [\"id\"]}}]}";
	char		message[MYSQL_ERRMSG_SIZE];
	UDF_INIT	init;
	Args		x;
	char	   *out,
			   *plan = NULL;
	json_t	   *j;

	{
		const char *v[4] = {C, T, "{}", "{}"};

		memset(&init, 0, sizeof(init));
		args_set(&x, 1, v, NULL);
		check(premix_diff_init(&init, &x.a, message) == 1 && strstr(message, "takes 2 to 3 arguments") &&
			  strlen(message) <= 80, "premix_diff init refuses 1 argument", message);
		args_free(&x);
		args_set(&x, 4, v, NULL);
		check(premix_diff_init(&init, &x.a, message) == 1, "premix_diff init refuses 4 arguments", message);
		args_free(&x);
		args_set(&x, 2, v, NULL);
		check(premix_diff_init(&init, &x.a, message) == 0, "premix_diff init accepts 2 arguments", message);
		j = row_of(premix_diff, &init, &x, &out);
		check(j && json_is_array(json_object_get(j, "steps")) &&
			  json_array_size(json_object_get(j, "steps")) == 2 &&
			  strcmp(json_string_value(json_object_get(json_array_get(json_object_get(j, "steps"), 0), "op")),
					 "rename_column") == 0 &&
			  json_is_array(json_object_get(j, "facts_needed")),
			  "premix_diff: rename then set_not_null, the NULL count asked for in facts_needed", out);
		plan = out;
		json_decref(j);
		args_free(&x);
	}
	{
		const char *v[3] = {C, T, "{\"facts\": {\"SELECT count(*) FROM \\\"t\\\" WHERE \\\"a\\\" IS NULL\": 3}}"};

		args_set(&x, 3, v, NULL);
		j = row_of(premix_diff, &init, &x, &out);
		check(j && json_is_true(json_object_get(j, "blocked")) && !json_object_get(j, "facts_needed") &&
			  strstr(out, "3 rows hold NULL"),
			  "premix_diff with the count answered: blocked, naming the 3 NULL rows", out);
		json_decref(j);
		free(out);
		args_free(&x);
	}
	{
		const char *v[3] = {C, T, "{\"nulable\": true}"};

		args_set(&x, 3, v, NULL);
		j = row_of(premix_diff, &init, &x, &out);
		check(j && sqlstate(j) && strstr(errmsg(j), "nulable"), "premix_diff: unknown option key named", out);
		json_decref(j);
		free(out);
		args_free(&x);
	}
	{
		const char *v[2] = {"{\"tables\": [", T};

		args_set(&x, 2, v, NULL);
		j = row_of(premix_diff, &init, &x, &out);
		check(j && sqlstate(j) && strcmp(sqlstate(j), "22P02") == 0 && strstr(errmsg(j), "line 1"),
			  "premix_diff: malformed current document, with its position", out);
		json_decref(j);
		free(out);
		args_free(&x);
	}
	{
		const char *v[2] = {E, "{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"id\", \"type\": \"integer\", \"nulable\": false}]}]}"};

		args_set(&x, 2, v, NULL);
		j = row_of(premix_diff, &init, &x, &out);
		check(j && sqlstate(j) && strstr(errmsg(j), "tables[0].columns[0].nulable"),
			  "premix_diff: unknown target key named with its path", out);
		json_decref(j);
		free(out);
		args_free(&x);
	}
	{
		const char *v[2] = {"{\"format\": 1, \"dialect\": \"sqlite\", \"tables\": []}", T};

		args_set(&x, 2, v, NULL);
		j = row_of(premix_diff, &init, &x, &out);
		check(j && sqlstate(j) && strstr(errmsg(j), "not a MySQL schema document"),
			  "premix_diff: a SQLite document as current is refused", out);
		json_decref(j);
		free(out);
		args_free(&x);
	}
	{
		const char *v[2] = {E, NULL};

		args_set(&x, 2, v, NULL);
		j = row_of(premix_diff, &init, &x, &out);
		check(j && sqlstate(j) && strcmp(sqlstate(j), "22004") == 0, "premix_diff: NULL target, 22004", out);
		json_decref(j);
		free(out);
		args_free(&x);
	}
	premix_diff_deinit(&init);
	check(init.ptr == NULL, "premix_diff deinit frees the result buffer", NULL);

	/* premix_preview(plan) */
	{
		const char *v[1] = {plan};

		memset(&init, 0, sizeof(init));
		args_set(&x, 1, v, NULL);
		check(premix_preview_init(&init, &x.a, message) == 0, "premix_preview init", message);
		{
			char		result[255];
			unsigned long len = 0;
			char		is_null = 0,
						error = 0;
			char	   *r = premix_preview(&init, &x.a, result, &len, &is_null, &error);

			check(r && len > 0 && strstr(r, "RENAME COLUMN \"a\" TO \"b\"") != NULL,
				  "premix_preview: the plan as text with its SQL", r);
		}
		args_free(&x);
		v[0] = T;
		args_set(&x, 1, v, NULL);
		j = row_of(premix_preview, &init, &x, &out);
		check(j && sqlstate(j) && strstr(errmsg(j), "target"), "premix_preview: a target is refused (needs a plan)", out);
		json_decref(j);
		free(out);
		args_free(&x);
		premix_preview_deinit(&init);
	}
	free(plan);
}


int
main(void)
{
	static const char E[] = "{\"format\": 1, \"dialect\": \"mysql\", \"tables\": []}";
	char		message[MYSQL_ERRMSG_SIZE];
	UDF_INIT	init;
	Args		x;
	char	   *out;
	json_t	   *j;

	/* init: argument count, coercion, message length */
	{
		const char *v[3] = {E, E, E};

		args_set(&x, 1, v, NULL);
		memset(&init, 0, sizeof(init));
		check(premix_parity_init(&init, &x.a, message) == 1 && strstr(message, "takes 2 arguments") &&
			  strlen(message) <= 80, "init refuses 1 argument, message within 80 bytes", message);
		args_free(&x);
		args_set(&x, 3, v, NULL);
		check(premix_parity_init(&init, &x.a, message) == 1 && strstr(message, "not 3"),
			  "init refuses 3 arguments", message);
		args_free(&x);
		args_set(&x, 1, v, NULL);
		check(premix_version_init(&init, &x.a, message) == 1 && strlen(message) <= 80,
			  "premix_version init refuses an argument", message);
		args_free(&x);
		args_set(&x, 2, v, NULL);
		check(premix_parity_init(&init, &x.a, message) == 0 && x.types[0] == STRING_RESULT &&
			  x.types[1] == STRING_RESULT && init.maybe_null && init.ptr == NULL,
			  "init accepts 2 arguments and coerces them to strings", message);
	}

	/* rows: answers and error objects, all valid JSON, buffer reused */
	j = row(&init, &x, &out);
	check(j && json_is_array(j) && json_array_size(j) == 0, "equal documents: []", out);
	json_decref(j);
	free(out);
	{
		int			good = 0;

		for (int i = 0; i < 200; i++)
		{
			j = row(&init, &x, &out);
			good += j && json_is_array(j);
			json_decref(j);
			free(out);
		}
		check(good == 200, "200 rows, one result buffer replaced per row", NULL);
	}
	args_free(&x);
	{
		const char *v[2] = {NULL, E};

		args_set(&x, 2, v, NULL);
		j = row(&init, &x, &out);
		check(j && sqlstate(j) && strcmp(sqlstate(j), "22004") == 0 &&
			  json_is_null(json_object_get(json_object_get(j, "error"), "detail")),
			  "NULL argument: error object 22004, detail null", out);
		json_decref(j);
		free(out);
		args_free(&x);
	}
	{
		/* control characters, quotes and backslashes in what the core quotes back */
		const char *v[2] = {"{\"format\": 1, \"dialect\": \"my\\\"sql\x01\", \"tables\": []}", E};

		args_set(&x, 2, v, NULL);
		j = row(&init, &x, &out);
		check(j && sqlstate(j), "core error quoting a control character: valid JSON error object", out);
		json_decref(j);
		free(out);
		args_free(&x);
	}
	{
		const char *v[2] = {"\x01\x02\n\t\"\\ {", E};

		args_set(&x, 2, v, NULL);
		j = row(&init, &x, &out);
		check(j && sqlstate(j) && strcmp(sqlstate(j), "22P02") == 0,
			  "malformed JSON with control characters: valid JSON error object 22P02", out);
		json_decref(j);
		free(out);
		args_free(&x);
	}
	{
		const char *v[2] = {"{}\0{}", E};
		unsigned long lens[2] = {5, sizeof(E) - 1};

		args_set(&x, 2, v, lens);
		j = row(&init, &x, &out);
		check(j && sqlstate(j) && strcmp(sqlstate(j), "22P02") == 0, "NUL byte: error object", out);
		json_decref(j);
		free(out);
		args_free(&x);
	}
	{
		const char *v[2] = {"", ""};

		args_set(&x, 2, v, NULL);
		j = row(&init, &x, &out);
		check(j && sqlstate(j), "empty strings: error object", out);
		json_decref(j);
		free(out);
		args_free(&x);
	}
	premix_parity_deinit(&init);
	check(init.ptr == NULL, "deinit frees the result buffer", NULL);

	/* premix_version */
	{
		char		result[255];
		unsigned long len = 0;
		char		is_null = 1,
					error = 1;
		char	   *r;

		args_set(&x, 0, NULL, NULL);
		memset(&init, 0, sizeof(init));
		check(premix_version_init(&init, &x.a, message) == 0, "premix_version init", message);
		r = premix_version(&init, &x.a, result, &len, &is_null, &error);
		check(r && len == 5 && strncmp(r, "0.1.0", len) == 0 && !is_null && !error, "premix_version()", r);
		premix_version_deinit(&init);
	}
	test_diff_preview();
	return failures ? 1 : 0;
}
