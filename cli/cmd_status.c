/*-------------------------------------------------------------------------
 *
 * cmd_status.c
 *	  premix status: the ledger (premix_status) as a table, the files of the
 *	  migration directory not applied yet, and drift (the schema differs
 *	  from what the ledger recorded; exit 3).
 *
 * IDENTIFICATION
 *	  cli/cmd_status.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define NCOLS 6

/* a malloc'd copy of member key of obj as text (NULL for null/absent) */
static char *
cell(json_t *obj, const char *key)
{
	json_t	   *v = json_object_get(obj, key);

	if (v == NULL || json_is_null(v))
		return NULL;
	if (json_is_string(v))
		return px_strdup(json_string_value(v));
	return json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
}

/* true when the ledger holds version applied and not rolled back */
static bool
is_applied(json_t *migs, const char *version)
{
	size_t		i;
	json_t	   *m;

	json_array_foreach(migs, i, m)
	{
		const char *v = json_string_value(json_object_get(m, "version"));

		if (v && px_version_cmp(v, version) == 0 &&
			json_is_null(json_object_get(m, "rolled_back_at")))
			return true;
	}
	return false;
}

/* prints the ledger table; frees what it builds */
static void
print_ledger(json_t *migs)
{
	static const char *const head[NCOLS] = {"version", "name", "kind", "applied_at", "rolled_back_at", "effect"};
	size_t		n = json_array_size(migs);
	char	 ***rows;
	size_t		i;
	json_t	   *m;

	if (n == 0)
	{
		printf("ledger: no migrations recorded\n");
		return;
	}
	rows = calloc(n, sizeof(char **));
	if (rows == NULL)
		return;
	json_array_foreach(migs, i, m)
	{
		rows[i] = calloc(NCOLS, sizeof(char *));
		if (rows[i] == NULL)
			continue;
		rows[i][0] = cell(m, "version");
		rows[i][1] = cell(m, "name");
		rows[i][2] = cell(m, "kind");
		rows[i][3] = cell(m, "applied_at");
		rows[i][4] = cell(m, "rolled_back_at");
		rows[i][5] = px_effect_summary(json_object_get(m, "effect"));
		if (json_is_true(json_object_get(m, "after_commit_pending")))
		{
			char	   *s = px_printf("%s; after-commit part pending", rows[i][5]);

			free(rows[i][5]);
			rows[i][5] = s;
		}
	}
	for (i = 0; i < n; i++)
		if (rows[i] == NULL)
			n = i;
	px_print_table(head, NCOLS, rows, n);
	for (i = 0; i < json_array_size(migs); i++)
	{
		if (rows[i])
			for (int c = 0; c < NCOLS; c++)
				free(rows[i][c]);
		free(rows[i]);
	}
	free(rows);
}

/* premix status; returns the exit status (3 on drift) */
int
px_cmd_status(const PxOpts *o)
{
	PxErr		err = {0};
	PxConn		conn = {0};
	PxMigrationList files = {0};
	char	   *text = NULL;
	json_t	   *status = NULL;
	json_t	   *migs;
	bool		have_dir;
	size_t		pending = 0;
	int			rc = PX_EXIT_ERROR;

	/* the default directory may be absent; one named with --dir may not */
	have_dir = o->dir_given || access(o->dir, F_OK) == 0;
	if (have_dir && px_dir_list(o->dir, &files, &err) != 0)
		goto done;
	if (px_connect(o->db, PX_OPEN_EXISTING, &conn, &err) != 0)
		goto done;
	if (px_call(&conn, "premix_status", NULL, 0, &text, &err) != 0)
		goto done;
	if ((status = px_parse_json("premix_status", text, &err)) == NULL)
		goto done;
	migs = json_object_get(status, "migrations");

	print_ledger(migs);
	if (have_dir)
	{
		for (size_t f = 0; f < files.count; f++)
			if (!is_applied(migs, files.items[f].version))
			{
				if (pending++ == 0)
					printf("\npending (in %s, not applied):\n", o->dir);
				printf("  %s_%s\n", files.items[f].version, files.items[f].name);
			}
		if (pending == 0)
			printf("\npending: none (%zu file%s in %s, all applied)\n", files.count,
				   files.count == 1 ? "" : "s", o->dir);
	}
	else
		printf("\npending: no migration directory \"%s\"\n", o->dir);

	if (json_is_true(json_object_get(status, "drift")))
	{
		const char *expl = json_string_value(json_object_get(status, "explain"));
		const char *exp = json_string_value(json_object_get(status, "expected"));
		const char *act = json_string_value(json_object_get(status, "actual"));

		printf("\ndrift: the schema is not what the ledger recorded\n");
		printf("  expected %s\n  actual   %s\n", exp ? exp : "-", act ? act : "-");
		if (expl)
			printf("%s%s", expl, expl[0] && expl[strlen(expl) - 1] == '\n' ? "" : "\n");
		rc = PX_EXIT_DRIFT;
	}
	else
	{
		printf("\ndrift: none\n");
		rc = PX_EXIT_OK;
	}

done:
	if (rc == PX_EXIT_ERROR)
	{
		px_err_print("status", &err);
		rc = px_err_exit_code(&err);
	}
	px_err_clear(&err);
	json_decref(status);
	free(text);
	px_dir_free(&files);
	px_disconnect(&conn);
	return rc;
}
