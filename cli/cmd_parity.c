/*-------------------------------------------------------------------------
 *
 * cmd_parity.c
 *	  premix parity: do two databases, possibly of different dialects,
 *	  hold the same schema under the portable type mapping?
 *
 * Reads premix_schema() from both (--db is A, --db2 is B) and passes the
 * two documents to premix_parity(a, b) -- a pure function of its
 * arguments -- on a side that has it: a SQLite side first (no server
 * round trip), then the other side, then a private :memory: SQLite
 * database with the extension loaded.  The mismatches are printed one
 * block each; exit 0 when equivalent, 3 when not (like drift), 1 on error.
 *
 * A third dialect needs nothing here: its connection answers
 * premix_schema() and maybe premix_parity().
 *
 * IDENTIFICATION
 *	  cli/cmd_parity.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* one side: its connection, its dialect name and its schema document */
typedef struct Side
{
	const char *flag;			/* "--db" or "--db2" */
	PxConn		conn;
	char	   *schema;
} Side;

/* premix_parity(a, b) on conn; 0 with *out, or -1 with err */
static int
parity_on(PxConn *conn, const char *a, const char *b, char **out, PxErr *err)
{
	PxArg		args[2] = {{PX_ARG_JSON, a}, {PX_ARG_JSON, b}};

	return px_call(conn, "premix_parity", args, 2, out, err);
}

/*
 * Computes premix_parity(A, B) on the first side able to: SQLite sides
 * first, then the others, then a :memory: SQLite database.  Returns 0
 * with *out, or -1 with err holding the first side's error.
 */
static int
compute(Side *s, char **out, PxErr *err)
{
	int			order[2] = {0, 1};
	PxErr		other = {0};

	if (strcmp(s[0].conn.ops->dialect, "sqlite") != 0 && strcmp(s[1].conn.ops->dialect, "sqlite") == 0)
	{
		order[0] = 1;
		order[1] = 0;
	}
	for (int k = 0; k < 2; k++)
	{
		if (parity_on(&s[order[k]].conn, s[0].schema, s[1].schema, out, k == 0 ? err : &other) == 0)
		{
			px_err_clear(err);
			px_err_clear(&other);
			return 0;
		}
		px_err_clear(&other);
	}
	/* neither side has premix_parity (an older premix): compute it here */
	{
		PxConn		mem = {0};
		int			rc = -1;

		if (px_sqlite_open(":memory:", PX_OPEN_CREATE, &mem, &other) == 0)
		{
			rc = parity_on(&mem, s[0].schema, s[1].schema, out, &other);
			px_disconnect(&mem);
		}
		if (rc == 0)
			px_err_clear(err);
		px_err_clear(&other);
		return rc;
	}
}

/* the string member key of obj, or "-" */
static const char *
member(json_t *obj, const char *key)
{
	const char *v = json_string_value(json_object_get(obj, key));

	return v ? v : "-";
}

/* number of tables in a premix_schema() document */
static size_t
ntables(const char *schema)
{
	json_t	   *j = json_loads(schema, 0, NULL);
	size_t		n = json_array_size(json_object_get(j, "tables"));

	json_decref(j);
	return n;
}

/* premix parity; returns the exit status (3 when the schemas differ) */
int
px_cmd_parity(const PxOpts *o)
{
	PxErr		err = {0};
	Side		s[2] = {{"--db", {0}, NULL}, {"--db2", {0}, NULL}};
	const char *url[2] = {o->db, o->db2};
	char	   *text = NULL;
	json_t	   *list = NULL;
	int			rc = PX_EXIT_ERROR;

	if (o->db2 == NULL || o->db2[0] == '\0')
	{
		px_err_set(&err, NULL, "no second database given");
		px_err_hint(&err, "Pass --db2 URL: premix parity compares --db with --db2.");
		goto done;
	}
	for (int i = 0; i < 2; i++)
	{
		if (px_connect(url[i], PX_OPEN_EXISTING, &s[i].conn, &err) != 0 ||
			px_call(&s[i].conn, "premix_schema", NULL, 0, &s[i].schema, &err) != 0)
		{
			if (err.detail == NULL)
				px_err_detail(&err, "while reading the schema of %s (%s)", s[i].flag, i ? "B" : "A");
			goto done;
		}
		if (s[i].schema == NULL)
		{
			px_err_set(&err, "XX000", "premix_schema() of %s returned NULL", s[i].flag);
			goto done;
		}
	}
	if (compute(s, &text, &err) != 0)
		goto done;
	if ((list = px_parse_json("premix_parity", text, &err)) == NULL)
		goto done;
	if (!json_is_array(list))
	{
		px_err_set(&err, "XX000", "premix_parity returned JSON that is not an array");
		goto done;
	}

	printf("A (--db):  %s, %zu tables\nB (--db2): %s, %zu tables\n",
		   s[0].conn.ops->dialect, ntables(s[0].schema), s[1].conn.ops->dialect, ntables(s[1].schema));
	if (json_array_size(list) == 0)
	{
		printf("\nparity: equivalent\n");
		rc = PX_EXIT_OK;
	}
	else
	{
		size_t		i;
		json_t	   *m;

		json_array_foreach(list, i, m)
		{
			printf("\n%s\n    %s\n", member(m, "path"), member(m, "why"));
			printf("    A (%s): %s\n", s[0].conn.ops->dialect, member(m, "a"));
			printf("    B (%s): %s\n", s[1].conn.ops->dialect, member(m, "b"));
		}
		printf("\nparity: %zu mismatch%s\n", json_array_size(list), json_array_size(list) == 1 ? "" : "es");
		rc = PX_EXIT_DRIFT;
	}

done:
	if (rc == PX_EXIT_ERROR)
	{
		px_err_print("parity", &err);
		rc = PX_EXIT_ERROR;		/* never 2: parity refuses nothing */
	}
	px_err_clear(&err);
	json_decref(list);
	free(text);
	for (int i = 0; i < 2; i++)
	{
		free(s[i].schema);
		px_disconnect(&s[i].conn);
	}
	return rc;
}
