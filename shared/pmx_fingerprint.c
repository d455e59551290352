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

static int
cmp_column_name(const void *a, const void *b)
{
	return strcmp(((const PmxColumn *) a)->name, ((const PmxColumn *) b)->name);
}

/* Canonical text of s for hashing; NULL on OOM. */
static char *
canonical_text(PmxCtx *ctx, PmxSchema *s, bool with_sources)
{
	PmxJsonWriter w;
	PmxBuf		extra;

	pmx_schema_sort(s);
	pmx_jw_init(&w, ctx);
	pmx_buf_init(&extra, ctx);
	pmx_jw_begin_array(&w);
	for (int i = 0; i < s->ntables; i++)
	{
		PmxTable	copy = *s->tables[i];

		copy.cols = pmx_alloc(ctx, sizeof(PmxColumn) * (size_t) (copy.ncols + 1));
		if (!copy.cols)
			return NULL;
		memcpy(copy.cols, s->tables[i]->cols, sizeof(PmxColumn) * (size_t) copy.ncols);
		qsort(copy.cols, (size_t) copy.ncols, sizeof(PmxColumn), cmp_column_name);
		pmx_table_write_json(&w, &copy);
		if (with_sources && copy.create_sql)
			pmx_buf_appendf(&extra, "\n%s", copy.create_sql);
	}
	pmx_jw_end_array(&w);
	if (with_sources)
		for (int i = 0; i < s->nextras; i++)
			pmx_buf_appendf(&extra, "\n%s %s %s", s->extras[i].type, s->extras[i].name,
							s->extras[i].sql);
	if (!pmx_jw_finish(&w) || !pmx_buf_finish(&extra))
		return NULL;
	return pmx_sprintf(ctx, "%s%s", w.buf.data, extra.data);
}

static char *
hash_text(PmxCtx *ctx, const char *text)
{
	char		hex[65];

	if (!text)
		return NULL;
	pmx_sha256_hex(text, strlen(text), hex);
	return pmx_strdup(ctx, hex);
}

/* Fingerprint of the modelled schema; NULL on OOM. */
char *
pmx_fingerprint_model(PmxCtx *ctx, PmxSchema *s)
{
	return hash_text(ctx, canonical_text(ctx, s, false));
}

/* Fingerprint of the live schema including stored texts; NULL on OOM. */
char *
pmx_fingerprint_live(PmxCtx *ctx, PmxSchema *s)
{
	return hash_text(ctx, canonical_text(ctx, s, true));
}
