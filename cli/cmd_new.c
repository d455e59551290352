/*-------------------------------------------------------------------------
 *
 * cmd_new.c
 *	  premix new NAME: plan the target against the database (premix_diff),
 *	  turn the plan into migration text (premix_script) and write
 *	  VERSION_NAME.up.sql and .down.sql.  premix diff / preview: print the
 *	  plan as JSON or as text.
 *
 * IDENTIFICATION
 *	  cli/cmd_new.c
 *
 *-------------------------------------------------------------------------
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* prints the connection's remark (e.g. "file does not exist yet") on stderr */
static void
print_note(const PxConn *conn)
{
	if (conn->note)
		fprintf(stderr, "premix: note: %s\n", conn->note);
}

/* the current UTC time as YYYYMMDDHHMMSS into buf (15 bytes) */
static void
utc_stamp(char *buf, size_t size)
{
	time_t		now = time(NULL);
	struct tm	tm;

	gmtime_r(&now, &tm);
	strftime(buf, size, "%Y%m%d%H%M%S", &tm);
}

/*
 * Warns (stderr) when migration files of dir are not applied yet: the new
 * migration is planned against the database as it is, so it would repeat
 * their changes.  Silent when the ledger cannot be read.
 */
static void
warn_pending(PxConn *conn, const PxMigrationList *files, const char *dir)
{
	PxErr		err = {0};
	char	   *text = NULL;
	json_t	   *status;
	json_t	   *migs;
	size_t		pending = 0;

	if (files->count == 0 || px_call(conn, "premix_status", NULL, 0, &text, &err) != 0)
	{
		px_err_clear(&err);
		return;
	}
	status = px_parse_json("premix_status", text, &err);
	free(text);
	px_err_clear(&err);
	if (status == NULL)
		return;
	migs = json_object_get(status, "migrations");
	for (size_t f = 0; f < files->count; f++)
	{
		bool		applied = false;
		size_t		i;
		json_t	   *m;

		json_array_foreach(migs, i, m)
		{
			const char *v = json_string_value(json_object_get(m, "version"));

			if (v && strcmp(v, files->items[f].version) == 0 &&
				json_is_null(json_object_get(m, "rolled_back_at")))
				applied = true;
		}
		if (!applied)
			pending++;
	}
	json_decref(status);
	if (pending)
		fprintf(stderr, "premix new: WARNING:  %zu migration file%s in \"%s\" %s not applied to this database\n"
				"HINT:  The new migration is planned against the database as it is now; run `premix up` first so it does not repeat them.\n",
				pending, pending == 1 ? "" : "s", dir, pending == 1 ? "is" : "are");
}

/*
 * Tells (stderr) which steps of the plan the down file cannot undo: those
 * marked "reversible": false (a drop: the data is gone).
 */
static void
warn_irreversible(json_t *steps, const char *down_path)
{
	size_t		i;
	json_t	   *st;

	json_array_foreach(steps, i, st)
	{
		const char *op = json_string_value(json_object_get(st, "op"));
		const char *table = json_string_value(json_object_get(st, "table"));
		const char *object = json_string_value(json_object_get(st, "object"));

		if (!json_is_false(json_object_get(st, "reversible")))
			continue;
		fprintf(stderr, "premix new: WARNING:  %s cannot undo step %zu (%s %s%s%s): it has no inverse without the data\n",
				down_path, i + 1, op ? op : "?", table ? table : "",
				object && table && strcmp(object, table) ? "." : "",
				object && table && strcmp(object, table) ? object : "");
	}
}

/* creates dir (one level) when it does not exist; 0 or -1 with err */
static int
ensure_dir(const char *dir, PxErr *err)
{
	struct stat st;

	if (stat(dir, &st) == 0)
	{
		if (S_ISDIR(st.st_mode))
			return 0;
		px_err_set(err, NULL, "\"%s\" is not a directory", dir);
		return -1;
	}
	if (mkdir(dir, 0755) != 0)
	{
		px_err_set(err, NULL, "could not create migration directory \"%s\": %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Writes the two files of a migration; the down file only when down is a
 * string.  Neither may exist; when the second cannot be written the first
 * is removed.  Returns 0 or -1 with err filled.
 */
static int
write_pair(const char *up_path, const char *up, const char *down_path, const char *down, PxErr *err)
{
	if (access(up_path, F_OK) == 0 || (down && access(down_path, F_OK) == 0))
	{
		px_err_set(err, NULL, "file \"%s\" already exists",
				   access(up_path, F_OK) == 0 ? up_path : down_path);
		px_err_hint(err, "premix never overwrites a migration file: pick another NAME or --stamp, or remove the file.");
		return -1;
	}
	if (px_write_new_file(up_path, up, err) != 0)
		return -1;
	if (down && px_write_new_file(down_path, down, err) != 0)
	{
		unlink(up_path);
		return -1;
	}
	return 0;
}

/* premix new NAME; returns the exit status */
int
px_cmd_new(const PxOpts *o)
{
	PxErr		err = {0};
	PxConn		conn = {0};
	PxMigrationList files = {0};
	char		stamp[32];
	char	   *target = NULL;
	char	   *plan_text = NULL;
	char	   *script_text = NULL;
	char	   *up_path = NULL;
	char	   *down_path = NULL;
	json_t	   *plan = NULL;
	json_t	   *script = NULL;
	int			rc = PX_EXIT_ERROR;

	if (o->name == NULL)
	{
		px_err_set(&err, NULL, "premix new needs a NAME");
		px_err_hint(&err, "premix new add_users --db URL --target schema.json");
		goto done;
	}
	if (!px_valid_name(o->name))
	{
		px_err_set(&err, NULL, "invalid migration name \"%s\"", o->name);
		px_err_detail(&err, "A NAME is lower-case letters, digits and underscores ([a-z0-9_]+); it becomes part of the file name.");
		px_err_hint(&err, "For example: add_users_email.");
		goto done;
	}
	if (o->stamp)
	{
		if (!px_valid_version(o->stamp))
		{
			px_err_set(&err, NULL, "invalid --stamp \"%s\"", o->stamp);
			px_err_hint(&err, "A version is 14 or more digits: the UTC time YYYYMMDDHHMMSS.");
			goto done;
		}
		snprintf(stamp, sizeof(stamp), "%s", o->stamp);
	}
	else
		utc_stamp(stamp, sizeof(stamp));
	if (o->target == NULL)
	{
		px_err_set(&err, NULL, "premix new needs --target FILE");
		px_err_hint(&err, "The target is the schema you want: JSON, or CREATE TABLE / CREATE INDEX statements.");
		goto done;
	}
	if (px_read_file(o->target, &target, &err) != 0)
		goto done;

	/* the directory's existing migrations: same version = refused */
	if (access(o->dir, F_OK) == 0)
	{
		if (px_dir_list(o->dir, &files, &err) != 0)
			goto done;
		for (size_t i = 0; i < files.count; i++)
			if (px_version_cmp(files.items[i].version, stamp) == 0)
			{
				px_err_set(&err, NULL, "a migration with version %s already exists: \"%s\"", stamp,
						   files.items[i].up_path);
				px_err_hint(&err, "premix never overwrites a migration file: wait a second, or pass another --stamp.");
				goto done;
			}
	}

	if (px_connect(o->db, PX_OPEN_EMPTY_IF_MISSING, &conn, &err) != 0)
		goto done;
	print_note(&conn);
	warn_pending(&conn, &files, o->dir);

	{
		PxArg		a[1] = {{PX_ARG_TEXT, target}};

		if (px_call(&conn, "premix_diff", a, 1, &plan_text, &err) != 0)
			goto done;
	}
	if ((plan = px_parse_json("premix_diff", plan_text, &err)) == NULL)
		goto done;
	if (json_array_size(json_object_get(plan, "steps")) == 0)
	{
		printf("nothing to do: the database already matches %s (no file written)\n", o->target);
		rc = PX_EXIT_OK;
		goto done;
	}
	{
		PxArg		a[1] = {{PX_ARG_JSON, plan_text}};

		if (px_call(&conn, "premix_script", a, 1, &script_text, &err) != 0)
			goto done;
	}
	if ((script = px_parse_json("premix_script", script_text, &err)) == NULL)
		goto done;
	if (!json_is_string(json_object_get(script, "up")))
	{
		px_err_set(&err, "XX000", "premix_script returned no \"up\" text");
		goto done;
	}
	if (ensure_dir(o->dir, &err) != 0)
		goto done;
	up_path = px_printf("%s/%s_%s.up.sql", o->dir, stamp, o->name);
	down_path = px_printf("%s/%s_%s.down.sql", o->dir, stamp, o->name);
	if (write_pair(up_path, json_string_value(json_object_get(script, "up")),
				   down_path, json_string_value(json_object_get(script, "down")), &err) != 0)
		goto done;

	printf("created %s\n", up_path);
	if (json_is_string(json_object_get(script, "down")))
		printf("created %s\n", down_path);
	else
		printf("no down file: the plan cannot be undone without data\n");
	px_print_effect(json_object_get(plan, "steps"), "  ");
	warn_irreversible(json_object_get(plan, "steps"), down_path);
	rc = PX_EXIT_OK;

done:
	if (rc != PX_EXIT_OK)
	{
		px_err_print("new", &err);
		rc = px_err_exit_code(&err) == PX_EXIT_REFUSED ? PX_EXIT_REFUSED : PX_EXIT_ERROR;
	}
	px_err_clear(&err);
	json_decref(plan);
	json_decref(script);
	free(target);
	free(plan_text);
	free(script_text);
	free(up_path);
	free(down_path);
	px_dir_free(&files);
	px_disconnect(&conn);
	return rc;
}

/* premix diff (JSON plan) and premix preview (text); returns the exit status */
int
px_cmd_diff(const PxOpts *o)
{
	bool		preview = strcmp(o->cmd, "preview") == 0;
	const char *fn = preview ? "premix_preview" : "premix_diff";
	PxErr		err = {0};
	PxConn		conn = {0};
	char	   *target = NULL;
	char	   *out = NULL;
	int			rc = PX_EXIT_ERROR;

	if (o->target == NULL)
	{
		px_err_set(&err, NULL, "premix %s needs --target FILE", o->cmd);
		goto done;
	}
	if (px_read_file(o->target, &target, &err) != 0)
		goto done;
	if (px_connect(o->db, PX_OPEN_EMPTY_IF_MISSING, &conn, &err) != 0)
		goto done;
	print_note(&conn);
	{
		PxArg		a[1] = {{PX_ARG_TEXT, target}};

		if (px_call(&conn, fn, a, 1, &out, &err) != 0)
			goto done;
	}
	if (preview)
	{
		size_t		n = out ? strlen(out) : 0;

		fputs(out ? out : "", stdout);
		if (n && out[n - 1] != '\n')
			putchar('\n');
	}
	else
	{
		json_t	   *plan = px_parse_json(fn, out, &err);
		char	   *pretty;

		if (plan == NULL)
			goto done;
		pretty = json_dumps(plan, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
		json_decref(plan);
		if (pretty == NULL)
		{
			px_err_set(&err, NULL, "out of memory");
			goto done;
		}
		puts(pretty);
		free(pretty);
	}
	rc = PX_EXIT_OK;

done:
	if (rc != PX_EXIT_OK)
	{
		px_err_print(o->cmd, &err);
		rc = px_err_exit_code(&err);
	}
	px_err_clear(&err);
	free(target);
	free(out);
	px_disconnect(&conn);
	return rc;
}
