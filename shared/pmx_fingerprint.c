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

/* qsort order of columns: by name. */
static int
cmp_column_name(const void *a, const void *b)
{
	return strcmp(((const PmxColumn *) a)->name, ((const PmxColumn *) b)->name);
}

/*
 * Hash the canonical text of s: each table's JSON (columns by name), then
 * with_sources the stored CREATE texts and the views and triggers.  The
 * text is fed table by table, never built whole.  NULL on OOM.
 */
static char *
fingerprint(PmxCtx *ctx, PmxSchema *s, bool with_sources)
{
	PmxSha256	h;
	PmxJsonWriter w;
	PmxColumn  *cols = NULL;
	int			capcols = 0;
	char		hex[65];

	pmx_schema_sort(s);
	pmx_sha256_begin(&h);
	pmx_jw_init(&w, ctx);
	for (int i = 0; i < s->ntables; i++)
	{
		PmxTable	copy = *s->tables[i];

		if (copy.ncols > capcols)
		{
			capcols = copy.ncols * 2;
			if (!(cols = pmx_alloc(ctx, sizeof(PmxColumn) * (size_t) capcols)))
				return NULL;
		}
		memcpy(cols, copy.cols, sizeof(PmxColumn) * (size_t) copy.ncols);
		qsort(cols, (size_t) copy.ncols, sizeof(PmxColumn), cmp_column_name);
		copy.cols = cols;
		pmx_buf_reset(&w.buf);
		w.depth = 0;
		w.need_comma[0] = false;
		pmx_table_write_json(&w, &copy);
		if (!pmx_jw_finish(&w))
			return NULL;
		pmx_sha256_add(&h, w.buf.data, w.buf.len);
		pmx_sha256_add(&h, "\n", 1);
	}
	if (with_sources)
	{
		for (int i = 0; i < s->ntables; i++)
			if (s->tables[i]->create_sql)
			{
				pmx_sha256_add(&h, s->tables[i]->create_sql, strlen(s->tables[i]->create_sql));
				pmx_sha256_add(&h, "\n", 1);
			}
		for (int i = 0; i < s->nextras; i++)
		{
			const PmxExtra *e = &s->extras[i];

			pmx_sha256_add(&h, e->type, strlen(e->type));
			pmx_sha256_add(&h, " ", 1);
			pmx_sha256_add(&h, e->name, strlen(e->name));
			pmx_sha256_add(&h, " ", 1);
			pmx_sha256_add(&h, e->sql, strlen(e->sql));
			pmx_sha256_add(&h, "\n", 1);
		}
	}
	pmx_sha256_end(&h, hex);
	return pmx_strdup(ctx, hex);
}

/* Fingerprint of the modelled schema; NULL on OOM. */
char *
pmx_fingerprint_model(PmxCtx *ctx, PmxSchema *s)
{
	return fingerprint(ctx, s, false);
}

/* Fingerprint of the live schema including stored texts; NULL on OOM. */
char *
pmx_fingerprint_live(PmxCtx *ctx, PmxSchema *s)
{
	return fingerprint(ctx, s, true);
}
