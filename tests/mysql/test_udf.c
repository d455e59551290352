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

/* The result of one row as a JSON value (NULL if not JSON); text in *out. */
static json_t *
row(UDF_INIT *init, Args *x, char **out)
{
	char		result[255];
	unsigned long len = 0;
	char		is_null = 0,
				error = 0;
	char	   *r = premix_parity(init, &x->a, result, &len, &is_null, &error);
	json_error_t jerr;

	*out = NULL;
	if (!r || is_null || error)
		return NULL;
	*out = malloc(len + 1);
	memcpy(*out, r, len);
	(*out)[len] = '\0';
	return json_loadb(r, len, 0, &jerr);
}

/* sqlstate of an error object, or NULL */
static const char *
sqlstate(json_t *j)
{
	return json_string_value(json_object_get(json_object_get(j, "error"), "sqlstate"));
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
	return failures ? 1 : 0;
}
