/*-------------------------------------------------------------------------
 *
 * pmx_fingerprint.c
 *	  SHA-256 fingerprints of a schema, for stale-plan detection.
 *
 * Two kinds:
 *	 model: the canonical JSON of the tables with columns in name order
 *	   (column order is not compared, see pmx_diff.c).  A plan's "to" is
 *	   this over the target; after apply the same over the live tables the
 *	   target names must equal it.
 *	 live: the model fingerprint plus every stored CREATE text and every
 *	   view and trigger, so a plan is refused when anything it was made
 *	   against -- even what premix does not model -- has changed.  A plan's
 *	   "from" is this.
 *
 * IDENTIFICATION
 *	  shared/pmx_fingerprint.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <string.h>

#include "pmx_json.h"
#include "pmx_model.h"
#include "pmx_plan.h"

/* What fingerprint() does with PmxTable.fp_text. */
typedef enum FpTexts
{
	FP_FRESH,					/* ignore it: write every table */
	FP_KEEP,					/* write every table and keep its text */
	FP_REUSE					/* hash a table's kept text instead of writing it */
} FpTexts;

/* qsort order of columns: by name. */
static int
cmp_column_name(const void *a, const void *b)
{
	return strcmp(((const PmxColumn *) a)->name, ((const PmxColumn *) b)->name);
}

/* See pmx_model.h. */
int
pmx_table_fp_write(PmxCtx *ctx, struct PmxJsonWriter *w, const PmxTable *t,
				   PmxColumn **scratch, int *cap)
{
	PmxTable	copy = *t;

	if (copy.ncols > *cap)
	{
		*cap = copy.ncols * 2;
		if (!(*scratch = pmx_alloc(ctx, sizeof(PmxColumn) * (size_t) *cap)))
			return PMX_ERROR;
	}
	memcpy(*scratch, copy.cols, sizeof(PmxColumn) * (size_t) copy.ncols);
	qsort(*scratch, (size_t) copy.ncols, sizeof(PmxColumn), cmp_column_name);
	copy.cols = *scratch;
	pmx_buf_reset(&w->buf);
	w->depth = 0;
	w->need_comma[0] = false;
	w->after_key = false;
	pmx_table_write_json(w, &copy);
	return pmx_jw_finish(w) ? PMX_OK : PMX_ERROR;
}

/*
 * Hash the canonical text of s: each table's JSON (columns by name) into
 * *model_fp, and when live_fp is given the same followed by the stored
 * CREATE texts and the views and triggers into *live_fp (one writing of
 * the JSON for both).  The text is fed table by table, never built whole.
 * PMX_ERROR on OOM.
 */
static int
fingerprint(PmxCtx *ctx, PmxSchema *s, char **model_fp, char **live_fp, FpTexts texts)
{
	PmxSha256	h,
				hl;
	PmxJsonWriter w;
	PmxColumn  *cols = NULL;
	int			capcols = 0;
	char		hex[65];

	pmx_schema_sort(s);
	pmx_sha256_begin(&h);
	pmx_sha256_begin(&hl);
	pmx_jw_init(&w, ctx);
	for (int i = 0; i < s->ntables; i++)
	{
		const PmxTable *t = s->tables[i];

		if (texts == FP_REUSE && t->fp_text)
		{
			pmx_sha256_add(&h, t->fp_text, strlen(t->fp_text));
			pmx_sha256_add(&h, "\n", 1);
			continue;
		}
		if (pmx_table_fp_write(ctx, &w, t, &cols, &capcols) != PMX_OK)
			return PMX_ERROR;
		if (texts == FP_KEEP && !(s->tables[i]->fp_text = pmx_strndup(ctx, w.buf.data, w.buf.len)))
			return PMX_ERROR;
		pmx_sha256_add(&h, w.buf.data, w.buf.len);
		pmx_sha256_add(&h, "\n", 1);
		if (live_fp)
		{
			pmx_sha256_add(&hl, w.buf.data, w.buf.len);
			pmx_sha256_add(&hl, "\n", 1);
		}
	}
	pmx_sha256_end(&h, hex);
	if (!(*model_fp = pmx_strdup(ctx, hex)))
		return PMX_ERROR;
	if (live_fp)
	{
		for (int i = 0; i < s->ntables; i++)
			if (s->tables[i]->create_sql)
			{
				pmx_sha256_add(&hl, s->tables[i]->create_sql, strlen(s->tables[i]->create_sql));
				pmx_sha256_add(&hl, "\n", 1);
			}
		for (int i = 0; i < s->nextras; i++)
		{
			const PmxExtra *e = &s->extras[i];

			pmx_sha256_add(&hl, e->type, strlen(e->type));
			pmx_sha256_add(&hl, " ", 1);
			pmx_sha256_add(&hl, e->name, strlen(e->name));
			pmx_sha256_add(&hl, " ", 1);
			pmx_sha256_add(&hl, e->sql, strlen(e->sql));
			pmx_sha256_add(&hl, "\n", 1);
		}
		pmx_sha256_end(&hl, hex);
		if (!(*live_fp = pmx_strdup(ctx, hex)))
			return PMX_ERROR;
	}
	return PMX_OK;
}

/* Fingerprint of the modelled schema; NULL on OOM. */
char *
pmx_fingerprint_model(PmxCtx *ctx, PmxSchema *s)
{
	char	   *fp = NULL;

	return fingerprint(ctx, s, &fp, NULL, FP_FRESH) == PMX_OK ? fp : NULL;
}

/* Fingerprint of the live schema including stored texts; NULL on OOM. */
char *
pmx_fingerprint_live(PmxCtx *ctx, PmxSchema *s)
{
	char	   *model = NULL,
			   *live = NULL;

	return fingerprint(ctx, s, &model, &live, FP_FRESH) == PMX_OK ? live : NULL;
}

/*
 * Both fingerprints of the live model s from one writing of its JSON,
 * each table's text kept in its fp_text; PMX_ERROR on OOM.
 */
int
pmx_fingerprint_both(PmxCtx *ctx, PmxSchema *s, char **model_fp, char **live_fp)
{
	return fingerprint(ctx, s, model_fp, live_fp, FP_KEEP);
}

/*
 * The model fingerprint of a target whose unchanged tables are copies of
 * live tables fingerprinted by pmx_fingerprint_both (normalize keeps their
 * text): those are hashed from the kept text, the rest written.  The
 * result is pmx_fingerprint_model's.  NULL on OOM.
 */
char *
pmx_fingerprint_target(PmxCtx *ctx, PmxSchema *s)
{
	char	   *fp = NULL;

	return fingerprint(ctx, s, &fp, NULL, FP_REUSE) == PMX_OK ? fp : NULL;
}

/*
 * The canonical text of t: its kept one, else written into w (valid until
 * the next write).  NULL on OOM.
 */
static const char *
table_text(PmxCtx *ctx, PmxJsonWriter *w, const PmxTable *t, PmxColumn **cols, int *cap)
{
	if (t->fp_text)
		return t->fp_text;
	return pmx_table_fp_write(ctx, w, t, cols, cap) == PMX_OK ? w->buf.data : NULL;
}

/* See pmx_plan.h. */
int
pmx_fingerprint_changes(PmxCtx *ctx, PmxSchema *live, PmxSchema *target, bool drop_unlisted,
						PmxPlan *plan)
{
	PmxMap		by_name,
				in_target,
				stepped;
	PmxJsonWriter w;
	PmxColumn  *cols = NULL;
	int			capcols = 0;
	bool		fold = live->dialect != PMX_DIALECT_POSTGRES;
	PmxSchema  *after;

	plan->to_schema = NULL;
	if (pmx_map_init(&by_name, ctx, (size_t) live->ntables, fold) != PMX_OK ||
		pmx_map_init(&in_target, ctx, (size_t) target->ntables, fold) != PMX_OK ||
		pmx_map_init(&stepped, ctx, (size_t) plan->nsteps, fold) != PMX_OK)
		return PMX_ERROR;
	for (int i = 0; i < live->ntables; i++)
		if (pmx_map_put(&by_name, live->tables[i]->name, live->tables[i]) != PMX_OK)
			return PMX_ERROR;
	for (int i = 0; i < plan->nsteps; i++)
		if (plan->steps[i].table && pmx_map_put(&stepped, plan->steps[i].table, plan) != PMX_OK)
			return PMX_ERROR;
	pmx_jw_init(&w, ctx);
	for (int i = 0; i < target->ntables; i++)
	{
		const PmxTable *t = target->tables[i];
		const PmxTable *l = pmx_map_get(&by_name, t->name);
		const char *text;
		char		hex[65];

		if (pmx_map_put(&in_target, t->name, (void *) t) != PMX_OK ||
			!(text = table_text(ctx, &w, t, &cols, &capcols)))
			return PMX_ERROR;
		/* unchanged: the live text, and no step names it */
		if (l && !l->live_name && l->fp_text && strcmp(l->fp_text, text) == 0 &&
			!pmx_map_get(&stepped, t->name))
			continue;
		pmx_sha256_hex(text, strlen(text), hex);
		if (pmx_strs_push(ctx, &plan->changed, t->name) != PMX_OK ||
			pmx_strs_push(ctx, &plan->changed_fp, hex) != PMX_OK)
			return PMX_ERROR;
	}
	for (int i = 0; i < live->ntables; i++)
	{
		const PmxTable *l = live->tables[i];
		const char *was = l->live_name ? l->live_name : l->name;

		/* a name the target keeps was seen above; else renamed away or dropped */
		if (pmx_map_get(&in_target, was) || (!l->live_name && !drop_unlisted))
			continue;
		if (pmx_strs_push(ctx, &plan->changed, was) != PMX_OK ||
			pmx_strs_push(ctx, &plan->changed_fp, "") != PMX_OK)
			return PMX_ERROR;
	}
	plan->has_changed = true;
	if (drop_unlisted)
		return PMX_OK;
	/* the listed tables as the target has them, the others as they are */
	if (!(after = pmx_schema_new(ctx, live->dialect)))
		return PMX_ERROR;
	for (int i = 0; i < target->ntables + live->ntables; i++)
	{
		PmxTable   *t = i < target->ntables ? target->tables[i] : live->tables[i - target->ntables];

		if (i >= target->ntables && (t->live_name || pmx_map_get(&in_target, t->name)))
			continue;
		if (!PMX_PUSH(ctx, after->tables, after->ntables, after->captables))
			return PMX_ERROR;
		after->tables[after->ntables - 1] = t;
	}
	return (plan->to_schema = pmx_fingerprint_target(ctx, after)) ? PMX_OK : PMX_ERROR;
}
