/*-------------------------------------------------------------------------
 *
 * pmx_history.c
 *	  premix_rollback([version]) and premix_status(): the ledger read
 *	  back.
 *
 * Rollback runs the recorded down SQL of the newest applied migration --
 * or of the named one and every migration applied after it, newest first
 * -- in one apply session, checks after each that the schema is the one
 * the ledger recorded before that migration, and marks the rows rolled
 * back (they stay: history is append-only).  Nothing runs when any of
 * them has no down SQL.
 *
 * Status lists the ledger and compares the live schema with the schema
 * after the newest migration still applied: a difference is drift, and
 * the plan that would bring the schema back to the recorded one explains
 * it.
 *
 * IDENTIFICATION
 *	  shared/pmx_history.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pmx_json.h"
#include "pmx_ledger.h"
#include "pmx_plan.h"
#include "pmx_session.h"

/*
 * The rows to roll back, newest first, into *out (*n): the newest applied
 * one, or the applied one with version and all applied after it.
 */
static int
pick_rows(PmxCtx *ctx, PmxLedgerRow *rows, int nrows, const char *version,
		  PmxLedgerRow ***out, int *n)
{
	int			first = -1;

	*n = 0;
	if (!(*out = pmx_alloc(ctx, sizeof(PmxLedgerRow *) * (size_t) (nrows + 1))))
		return PMX_ERROR;
	for (int i = 0; i < nrows && first < 0; i++)
		if (!rows[i].rolled_back_at && (!version || strcmp(rows[i].version, version) == 0))
			first = i;
	if (!version)
	{
		for (int i = nrows - 1; i >= 0; i--)
			if (!rows[i].rolled_back_at)
			{
				(*out)[(*n)++] = &rows[i];
				break;
			}
		return PMX_OK;
	}
	if (first < 0)
		return pmx_error(ctx, PMX_E_HISTORY, "no applied migration has version %s", version),
			pmx_error_hint(ctx, "premix_status() lists the migrations and which are applied.");
	for (int i = nrows - 1; i >= first; i--)
		if (!rows[i].rolled_back_at)
			(*out)[(*n)++] = &rows[i];
	return PMX_OK;
}

/*
 * Warnings for the steps of r whose data its down SQL cannot bring back
 * (a planned migration's steps marked "reversible": false).
 */
static int
irreversible_warnings(PmxCtx *ctx, const PmxLedgerRow *r, PmxStrs *out)
{
	PmxJson    *effect;

	if (!r->effect || !*r->effect)
		return PMX_OK;
	if (!(effect = pmx_json_parse(ctx, r->effect, "ledger effect")))
	{
		pmx_error_clear(ctx);	/* a ledger edited by hand: no warning to give */
		return PMX_OK;
	}
	for (size_t i = 0; effect->type == PMX_JSON_ARRAY && i < effect->n; i++)
	{
		PmxJson    *rev = pmx_json_get(effect->items[i], "reversible");
		PmxJson    *op = pmx_json_get(effect->items[i], "op");
		PmxJson    *table = pmx_json_get(effect->items[i], "table");
		PmxJson    *object = pmx_json_get(effect->items[i], "object");

		if (rev && rev->type == PMX_JSON_BOOL && !rev->b &&
			pmx_strs_pushf(ctx, out, "migration %s (%s): %s %s.%s could not keep its data; the rollback restored its structure, not its values",
						   r->version, r->name, op && op->s ? op->s : "?",
						   table && table->s ? table->s : "", object && object->s ? object->s : "") != PMX_OK)
			return PMX_ERROR;
	}
	return PMX_OK;
}

/* Run the down SQL of each picked row and check the schema it leaves. */
static int
roll_back(PmxCtx *ctx, PmxDb *db, PmxLedgerRow **pick, int n, PmxStrs *warnings)
{
	for (int i = 0; i < n; i++)
		if (!pick[i]->down_sql || !*pick[i]->down_sql)
		{
			pmx_error(ctx, PMX_E_HISTORY, "migration %s (%s) has no down SQL", pick[i]->version, pick[i]->name);
			pmx_error_detail(ctx, "premix_rollback runs the down SQL recorded with a migration; this one was applied without it, so nothing was rolled back.");
			return pmx_error_hint(ctx, "Undo it with a new migration written by hand (premix_run), or pass down SQL when applying migrations.");
		}
	for (int i = 0; i < n; i++)
	{
		const PmxLedgerRow *r = pick[i];
		PmxSchema  *now;
		char	   *fp;
		int			rc = db->exec_script ? db->exec_script(db->ud, ctx, r->down_sql, NULL, NULL)
			: db->exec(db->ud, ctx, r->down_sql);

		if (rc != PMX_OK)
		{
			PmxError	e = ctx->err;

			pmx_error_clear(ctx);
			pmx_error(ctx, e.code, "the down SQL of migration %s (%s) failed: %s", r->version, r->name, e.message);
			if (e.detail)
				pmx_error_detail(ctx, "%s", e.detail);
			return pmx_error_hint(ctx, "Nothing was rolled back. Fix the data or the schema the down SQL needs, or undo the migration with a new one.");
		}
		if (pmx_introspect(ctx, db, &now) != PMX_OK || !(fp = pmx_fingerprint_model(ctx, now)))
			return PMX_ERROR;
		if (r->from_fp && strcmp(fp, r->from_fp) != 0)
		{
			pmx_error(ctx, PMX_E_HISTORY, "the down SQL of migration %s (%s) does not restore the schema it was applied to",
					  r->version, r->name);
			pmx_error_detail(ctx, "Before the migration the schema had fingerprint %.12s; after its down SQL it has %.12s. Nothing was rolled back.",
							 r->from_fp, fp);
			return pmx_error_hint(ctx, "Compare premix_schema() with the schema before the migration and fix its down SQL; premix_status() shows drift that happened since.");
		}
		if (pmx_ledger_mark_rolled_back(ctx, db, r->id) != PMX_OK ||
			irreversible_warnings(ctx, r, warnings) != PMX_OK)
			return PMX_ERROR;
	}
	return PMX_OK;
}

/* premix_rollback; see the file header. */
int
pmx_rollback(PmxCtx *ctx, PmxDb *live, const char *version, char **out_result)
{
	PmxSession	s;
	PmxLedgerRow *rows,
			  **pick = NULL;
	int			nrows = 0,
				n = 0;
	int			rc;
	PmxStrs		warnings = {0};

	if (version && !*version)
		version = NULL;
	if (pmx_session_begin(ctx, live, &s) != PMX_OK)
		return PMX_ERROR;
	rc = pmx_session_open(ctx, &s, NULL);
	if (rc == PMX_OK)
		rc = pmx_ledger_read(ctx, live, true, &rows, &nrows);
	if (rc == PMX_OK)
		rc = pick_rows(ctx, rows, nrows, version, &pick, &n);
	if (rc == PMX_OK)
		rc = roll_back(ctx, live, pick, n, &warnings);
	if (rc == PMX_OK && s.fk_on)
		rc = pmx_check_all_foreign_keys(ctx, live);
	if (rc == PMX_OK)
	{
		PmxJsonWriter w;

		pmx_jw_init(&w, ctx);
		pmx_jw_begin_object(&w);
		pmx_jw_key(&w, "rolled_back");
		pmx_jw_begin_array(&w);
		for (int i = 0; i < n; i++)
		{
			pmx_jw_begin_object(&w);
			pmx_jw_key(&w, "version");
			pmx_jw_string(&w, pick[i]->version);
			pmx_jw_key(&w, "name");
			pmx_jw_string(&w, pick[i]->name);
			pmx_jw_key(&w, "ledger_id");
			pmx_jw_int(&w, pick[i]->id);
			pmx_jw_end_object(&w);
		}
		pmx_jw_end_array(&w);
		if (n == 0)
		{
			pmx_jw_key(&w, "message");
			pmx_jw_string(&w, "no applied migration to roll back");
		}
		pmx_jw_key(&w, "warnings");
		pmx_jw_begin_array(&w);
		for (int i = 0; i < warnings.n; i++)
			pmx_jw_string(&w, warnings.v[i]);
		pmx_jw_end_array(&w);
		pmx_jw_end_object(&w);
		if (!(*out_result = pmx_jw_finish(&w)))
			rc = PMX_ERROR;
	}
	return pmx_session_close(ctx, &s, rc == PMX_OK, rc == PMX_OK ? *out_result : NULL) == PMX_OK ? rc : PMX_ERROR;
}

/*
 * Why the live schema is not the recorded one: the preview of the plan
 * that would bring it back.  whole false: recorded holds the live state
 * for the tables no ledger record names (pmx_recorded_schema), so a plan
 * only covers the recorded tables, and the text says so.  A plan that
 * cannot be made is explained by its error instead.  NULL on OOM.
 */
static char *
explain_drift(PmxCtx *ctx, PmxDb *db, const PmxLedgerRow *last, const char *recorded,
			  bool whole)
{
	PmxOptions	opts;
	PmxPlan    *plan;
	PmxError	saved = ctx->err;

	memset(&opts, 0, sizeof(opts));
	opts.no_token = true;
	if (pmx_make_plan(ctx, db, recorded, &opts, &plan) == PMX_OK)
	{
		char	   *text;

		if (!whole && plan->nsteps == 0)
			return pmx_sprintf(ctx, "The schema is not the one recorded after migration %s (%s), but the tables the ledger records are as recorded: another table changed, and the ledger holds no record of it to show how.",
							   last->version, last->name);
		text = pmx_plan_preview(ctx, plan);
		return text ? pmx_sprintf(ctx, "The schema is not the one recorded after migration %s (%s); this plan would bring it back:\n%s%s",
								  last->version, last->name, text,
								  whole ? "" : "\n(Only the tables the ledger records are compared: it holds no record of the others.)") : NULL;
	}
	if (ctx->err.code == PMX_E_NOMEM)
		return NULL;
	{
		char	   *why = pmx_sprintf(ctx, "the recorded schema could not be compared: %s", ctx->err.message);

		ctx->err = saved;
		return why;
	}
}

/* One ledger row as a JSON object (pmx_status). */
static void
write_row(PmxJsonWriter *w, const PmxLedgerRow *r)
{
	pmx_jw_begin_object(w);
	pmx_jw_key(w, "id");
	pmx_jw_int(w, r->id);
	pmx_jw_key(w, "version");
	pmx_jw_string(w, r->version);
	pmx_jw_key(w, "name");
	pmx_jw_string(w, r->name);
	pmx_jw_key(w, "kind");
	pmx_jw_string(w, r->kind);
	pmx_jw_key(w, "checksum");
	pmx_jw_string(w, r->checksum);
	pmx_jw_key(w, "applied_at");
	pmx_jw_string(w, r->applied_at);
	pmx_jw_key(w, "rolled_back_at");
	pmx_jw_string(w, r->rolled_back_at);
	pmx_jw_key(w, "steps");
	pmx_jw_int(w, r->steps);
	pmx_jw_key(w, "effect");
	pmx_jw_raw(w, r->effect && *r->effect ? r->effect : "[]");
	if (r->after_commit)
	{
		pmx_jw_key(w, "after_commit_pending");
		pmx_jw_bool(w, r->to_fp == NULL);
	}
	pmx_jw_end_object(w);
}

/* premix_status; see the file header. */
int
pmx_status(PmxCtx *ctx, PmxDb *live, char **out_json)
{
	PmxLedgerRow *rows;
	const PmxLedgerRow *last = NULL;
	int			n;
	PmxSchema  *now;
	char	   *actual,
			   *explain = NULL;
	const char *expected;
	bool		drift;
	PmxJsonWriter w;

	if (pmx_ledger_read(ctx, live, false, &rows, &n) != PMX_OK ||
		pmx_introspect(ctx, live, &now) != PMX_OK ||
		!(actual = pmx_fingerprint_model(ctx, now)))
		return PMX_ERROR;
	for (int i = n - 1; i >= 0 && !last; i--)
		if (!rows[i].rolled_back_at)
			last = &rows[i];
	/* after a rollback of everything: the schema before the first */
	expected = last ? last->to_fp : (n > 0 ? rows[0].from_fp : NULL);
	drift = expected && strcmp(expected, actual) != 0;
	if (drift && last)
	{
		char	   *recorded;
		bool		whole;

		if (pmx_recorded_schema(ctx, live, rows, (int) (last - rows), now, &recorded, &whole) != PMX_OK)
		{
			/* a ledger edited by hand: say so instead of failing the status */
			if (ctx->err.code == PMX_E_NOMEM ||
				!(explain = pmx_sprintf(ctx, "the recorded schema could not be read: %s", ctx->err.message)))
				return PMX_ERROR;
			pmx_error_clear(ctx);
		}
		else if (recorded && !(explain = explain_drift(ctx, live, last, recorded, whole)))
			return PMX_ERROR;
	}
	pmx_jw_init(&w, ctx);
	pmx_jw_begin_object(&w);
	pmx_jw_key(&w, "migrations");
	pmx_jw_begin_array(&w);
	for (int i = 0; i < n; i++)
		write_row(&w, &rows[i]);
	pmx_jw_end_array(&w);
	pmx_jw_key(&w, "drift");
	pmx_jw_bool(&w, drift);
	pmx_jw_key(&w, "expected");
	pmx_jw_string(&w, expected);
	pmx_jw_key(&w, "actual");
	pmx_jw_string(&w, actual);
	pmx_jw_key(&w, "explain");
	pmx_jw_string(&w, explain);
	pmx_jw_end_object(&w);
	*out_json = pmx_jw_finish(&w);
	return *out_json ? PMX_OK : PMX_ERROR;
}
