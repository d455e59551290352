/*-------------------------------------------------------------------------
 *
 * cmd_up.c
 *	  premix up: every VERSION_NAME.up.sql of the directory, in version
 *	  order, through premix_run (which does nothing for a migration already
 *	  applied with the same checksum).  premix down: premix_rollback.
 *
 * Each migration commits on its own (premix_run is one statement); up
 * stops at the first failure, and the migrations before it stay applied.
 * --dry-run wraps everything in BEGIN ... ROLLBACK.
 *
 * After-commit part (PostgreSQL): premix_run returns the statements after
 * a "-- premix:after-commit" line in "after_commit"; once premix_run's
 * transaction has committed, they run here one by one with plain PQexec
 * (e.g. CREATE INDEX CONCURRENTLY, which refuses a transaction), then
 * premix_run is called again with the same arguments, which records the
 * completion ("completed": true).
 *
 * IDENTIFICATION
 *	  cli/cmd_up.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* one migration's files, read, and the arguments of premix_run over them */
typedef struct UpCall
{
	char	   *up;
	char	   *down;
	PxArg		args[6];
} UpCall;

/* reads m's files and fills call; 0 or -1 with err filled (call freed) */
static int
upcall_prepare(const PxOpts *o, const PxMigration *m, UpCall *call, PxErr *err)
{
	memset(call, 0, sizeof(*call));
	if (px_read_file(m->up_path, &call->up, err) != 0)
		return -1;
	if (m->down_path && px_read_file(m->down_path, &call->down, err) != 0)
	{
		free(call->up);
		return -1;
	}
	call->args[0] = (PxArg) {PX_ARG_TEXT, m->version};
	call->args[1] = (PxArg) {PX_ARG_TEXT, m->name};
	call->args[2] = (PxArg) {PX_ARG_TEXT, call->up};
	call->args[3] = (PxArg) {PX_ARG_TEXT, call->down};
	call->args[4] = (PxArg) {PX_ARG_BOOL, o->allow_destructive ? "true" : "false"};
	call->args[5] = (PxArg) {PX_ARG_JSON, o->out_of_order ? "{\"out_of_order\": true}" : NULL};
	return 0;
}

/* frees what upcall_prepare read */
static void
upcall_free(UpCall *call)
{
	free(call->up);
	free(call->down);
	memset(call, 0, sizeof(*call));
}

/* premix_run over call; the parsed result, or NULL with err filled */
static json_t *
run_once(PxConn *conn, const UpCall *call, PxErr *err)
{
	char	   *text = NULL;
	json_t	   *res;

	if (px_call(conn, "premix_run", call->args, 6, &text, err) != 0)
		return NULL;
	res = px_parse_json("premix_run", text, err);
	free(text);
	return res;
}

/*
 * Runs the after-commit statements of res (when premix_run returned
 * some and has not recorded their completion yet), then calls premix_run
 * again to record it.  In a dry run they are only printed.  Returns 0 or
 * -1 with err filled.
 */
static int
run_after_commit(const PxOpts *o, PxConn *conn, const UpCall *call, json_t *res,
				 const char *label, PxErr *err)
{
	json_t	   *after = json_object_get(res, "after_commit");
	json_t	   *again;
	size_t		i;
	json_t	   *stmt;
	bool		completed;

	if (json_is_true(json_object_get(res, "completed")))
	{
		/* an earlier up ran the statements; this call recorded it */
		printf("%s %s: after-commit part recorded\n", o->dry_run ? "would complete" : "completed", label);
		return 0;
	}
	if (json_array_size(after) == 0)
		return 0;
	json_array_foreach(after, i, stmt)
	{
		const char *sql = json_string_value(stmt);

		if (sql == NULL)
			continue;
		if (o->dry_run)
		{
			printf("  would run after commit: %s\n", sql);
			continue;
		}
		printf("  after commit: %s\n", sql);
		fflush(stdout);
		if (px_exec(conn, sql, err) != 0)
		{
			char	   *hint = px_printf("%s%sThe part of %s before \"-- premix:after-commit\" is committed and the ledger "
										 "marks its after-commit part pending: fix the cause, run the after-commit statements "
										 "not done yet by hand (DROP INDEX CONCURRENTLY an invalid index first), then run premix up "
										 "again, which records the completion.",
										 err->hint ? err->hint : "", err->hint ? " " : "", label);

			px_err_hint(err, "%s", hint);
			free(hint);
			return -1;
		}
	}
	if (o->dry_run)
		return 0;
	if ((again = run_once(conn, call, err)) == NULL)
		return -1;
	completed = json_is_true(json_object_get(again, "completed"));
	json_decref(again);
	if (!completed)
	{
		px_err_set(err, "XX000", "premix_run did not record the completion of %s's after-commit statements", label);
		return -1;
	}
	printf("  completed %s\n", label);
	return 0;
}

/* premix up; returns the exit status */
int
px_cmd_up(const PxOpts *o)
{
	PxErr		err = {0};
	PxConn		conn = {0};
	PxMigrationList files = {0};
	UpCall		call = {0};
	json_t	   *res = NULL;
	char	   *label = NULL;
	bool		in_tx = false;
	size_t		applied = 0;
	size_t		skipped = 0;
	int			rc = PX_EXIT_ERROR;

	if (px_dir_list(o->dir, &files, &err) != 0)
		goto done;
	if (px_connect(o->db, o->dry_run ? PX_OPEN_EMPTY_IF_MISSING : PX_OPEN_CREATE, &conn, &err) != 0)
		goto done;
	if (conn.note)
		fprintf(stderr, "premix up: note: %s\n", conn.note);
	if (o->dry_run)
	{
		if (px_exec(&conn, "BEGIN", &err) != 0)
			goto done;
		in_tx = true;
	}
	for (size_t f = 0; f < files.count; f++)
	{
		const PxMigration *m = &files.items[f];

		free(label);
		label = px_printf("%s_%s", m->version, m->name);
		if (upcall_prepare(o, m, &call, &err) != 0)
			goto done;
		if ((res = run_once(&conn, &call, &err)) == NULL)
			goto done;
		if (json_is_true(json_object_get(res, "applied")))
		{
			const char *sum = json_string_value(json_object_get(res, "checksum"));

			applied++;
			printf("%s %s%s%.12s%s\n", o->dry_run ? "would apply" : "applied", label,
				   sum ? " (checksum " : "", sum ? sum : "", sum ? ")" : "");
			px_print_effect(json_object_get(res, "effect"), "  ");
		}
		else
			skipped++;
		if (run_after_commit(o, &conn, &call, res, label, &err) != 0)
			goto done;
		fflush(stdout);
		json_decref(res);
		res = NULL;
		upcall_free(&call);
	}
	free(label);
	label = NULL;
	if (in_tx)
	{
		in_tx = false;
		if (px_exec(&conn, "ROLLBACK", &err) != 0)
			goto done;
		printf("dry run: %zu migration%s would be applied, %zu already applied; rolled back, nothing changed\n",
			   applied, applied == 1 ? "" : "s", skipped);
	}
	else if (files.count == 0)
		printf("up: no migration files in \"%s\"\n", o->dir);
	else if (applied)
		printf("up: %zu migration%s applied, %zu already applied\n",
			   applied, applied == 1 ? "" : "s", skipped);
	else
		printf("up: nothing to do (%zu migration%s already applied)\n", skipped, skipped == 1 ? "" : "s");
	rc = PX_EXIT_OK;

done:
	if (rc != PX_EXIT_OK)
	{
		px_err_print("up", &err);
		if (label)
			fprintf(stderr, "CONTEXT:  migration %s in \"%s\"\n", label, o->dir);
		rc = px_err_exit_code(&err);
		if (in_tx)
		{
			PxErr		e2 = {0};

			if (px_exec(&conn, "ROLLBACK", &e2) != 0)
				px_err_print("up", &e2);
			px_err_clear(&e2);
			fprintf(stderr, "premix %s: dry run: rolled back, nothing changed\n", o->cmd);
		}
		else if (applied)
			fprintf(stderr, "premix up: %zu migration%s applied by this run stay%s applied\n",
					applied, applied == 1 ? "" : "s", applied == 1 ? "s" : "");
	}
	px_err_clear(&err);
	json_decref(res);
	upcall_free(&call);
	free(label);
	px_dir_free(&files);
	px_disconnect(&conn);
	return rc;
}

/* premix down [--to VERSION]; returns the exit status */
int
px_cmd_down(const PxOpts *o)
{
	PxErr		err = {0};
	PxConn		conn = {0};
	char	   *text = NULL;
	json_t	   *res = NULL;
	json_t	   *done_list;
	bool		in_tx = false;
	int			rc = PX_EXIT_ERROR;
	size_t		i;
	json_t	   *m;

	if (o->to && !px_valid_version(o->to))
	{
		px_err_set(&err, NULL, "invalid --to \"%s\"", o->to);
		px_err_hint(&err, "A version is 14 or more digits, as `premix status` lists them.");
		goto done;
	}
	if (px_connect(o->db, PX_OPEN_EXISTING, &conn, &err) != 0)
		goto done;
	if (o->dry_run)
	{
		if (px_exec(&conn, "BEGIN", &err) != 0)
			goto done;
		in_tx = true;
	}
	{
		PxArg		a[1] = {{PX_ARG_TEXT, o->to}};

		if (px_call(&conn, "premix_rollback", a, o->to ? 1 : 0, &text, &err) != 0)
			goto done;
	}
	if ((res = px_parse_json("premix_rollback", text, &err)) == NULL)
		goto done;
	done_list = json_object_get(res, "rolled_back");
	json_array_foreach(done_list, i, m)
		printf("%s %s_%s\n", o->dry_run ? "would roll back" : "rolled back",
			   json_string_value(json_object_get(m, "version")) ? json_string_value(json_object_get(m, "version")) : "?",
			   json_string_value(json_object_get(m, "name")) ? json_string_value(json_object_get(m, "name")) : "?");
	if (json_array_size(done_list) == 0)
	{
		const char *msg = json_string_value(json_object_get(res, "message"));

		printf("down: %s\n", msg ? msg : "nothing to roll back");
	}
	if (in_tx)
	{
		in_tx = false;
		if (px_exec(&conn, "ROLLBACK", &err) != 0)
			goto done;
		printf("dry run: rolled back, nothing changed\n");
	}
	rc = PX_EXIT_OK;

done:
	if (rc != PX_EXIT_OK)
	{
		px_err_print("down", &err);
		rc = px_err_exit_code(&err);
		if (in_tx)
		{
			PxErr		e2 = {0};

			if (px_exec(&conn, "ROLLBACK", &e2) != 0)
				px_err_print("down", &e2);
			px_err_clear(&e2);
			fprintf(stderr, "premix %s: dry run: rolled back, nothing changed\n", o->cmd);
		}
	}
	px_err_clear(&err);
	json_decref(res);
	free(text);
	px_disconnect(&conn);
	return rc;
}
