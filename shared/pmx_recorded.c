/*-------------------------------------------------------------------------
 *
 * pmx_recorded.c
 *	  The schema the ledger recorded after a migration, put together from
 *	  whole records and patches.
 *
 * A ledger row's to_schema is either the whole schema as target JSON, or,
 * after a plan that listed the tables it changes (pmx_apply.c), a patch:
 *	 {"base": <model fingerprint before>, "gone": [tables taken away],
 *	  "schema": <the changed tables after, with the schema's enum types>}
 * so that an apply reads back only what it changed.  The schema after a
 * patch row is the schema recorded at "base" -- the newest earlier row
 * whose "to" is that fingerprint, itself whole or a patch -- with the
 * patch's tables put in, its gone tables taken out and its enum types.
 * When no row records "base" (the first migration, or a schema changed
 * by hand before it), the live schema stands in for it: the result then
 * holds the recorded state of the tables the patches name only, and says
 * so.
 *
 * IDENTIFICATION
 *	  shared/pmx_recorded.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pmx_json.h"
#include "pmx_ledger.h"

/* The model of a whole target JSON text; NULL on error (set). */
static PmxSchema *
model_of(PmxCtx *ctx, const PmxJson *root, PmxDialect dialect)
{
	if (!root)
	{
		pmx_error(ctx, PMX_E_INVALID, "a patch in the ledger has no \"schema\"");
		return NULL;
	}
	return pmx_schema_from_json(ctx, root, dialect);
}

/*
 * base with patch applied: its tables not named by the patch, then the
 * patch's tables; the patch's enum types.  A new schema (tables shared
 * with base and patch); NULL on OOM.
 */
static PmxSchema *
apply_patch(PmxCtx *ctx, PmxSchema *base, PmxSchema *patch, const PmxJson *gone)
{
	PmxSchema  *out = pmx_schema_new(ctx, base->dialect);
	PmxMap		named;

	if (!out || pmx_map_init(&named, ctx, (size_t) patch->ntables + (gone ? gone->n : 0),
							 base->dialect != PMX_DIALECT_POSTGRES) != PMX_OK)
		return NULL;
	for (int i = 0; i < patch->ntables; i++)
		if (pmx_map_put(&named, patch->tables[i]->name, patch->tables[i]) != PMX_OK)
			return NULL;
	for (size_t i = 0; gone && i < gone->n; i++)
		if (gone->items[i]->type == PMX_JSON_STRING &&
			pmx_map_put(&named, gone->items[i]->s, base) != PMX_OK)
			return NULL;
	for (int i = 0; i < base->ntables + patch->ntables; i++)
	{
		PmxTable   *t = i < base->ntables ? base->tables[i] : patch->tables[i - base->ntables];

		if (i < base->ntables && pmx_map_get(&named, t->name))
			continue;
		if (!PMX_PUSH(ctx, out->tables, out->ntables, out->captables))
			return NULL;
		out->tables[out->ntables - 1] = t;
	}
	out->enums = patch->enums;
	out->nenums = patch->nenums;
	out->capenums = patch->capenums;
	out->enums_listed = patch->enums_listed;
	return out;
}

/*
 * The schema recorded after rows[k] (rows in id order) into
 * *out as target JSON; *whole false when the live schema now had to stand
 * in for a base no row records.  *out NULL when rows[k] recorded nothing.
 * now is the live model (read, not changed).  PMX_ERROR on a read error
 * or a record that does not parse.
 */
int
pmx_recorded_schema(PmxCtx *ctx, PmxDb *db, const PmxLedgerRow *rows, int k,
					PmxSchema *now, char **out, bool *whole)
{
	const PmxJson **patches = NULL;
	int			npatches = 0,
				cappatches = 0;
	PmxSchema  *s = NULL;

	*out = NULL;
	*whole = true;
	while (!s)
	{
		char	   *text;
		PmxJson    *root;
		const PmxJson *base;

		if (pmx_ledger_to_schema(ctx, db, rows[k].id, &text) != PMX_OK)
			return PMX_ERROR;
		if (!text)
		{
			if (npatches == 0)
				return PMX_OK;
			break;				/* a row without a record: the chain ends */
		}
		if (!(root = pmx_json_parse(ctx, text, "recorded schema")))
			return PMX_ERROR;
		if (!(base = pmx_json_get(root, "base")))
		{
			if (!(s = model_of(ctx, root, db->dialect)))
				return PMX_ERROR;
			break;
		}
		if (!PMX_PUSH(ctx, patches, npatches, cappatches))
			return PMX_ERROR;
		patches[npatches - 1] = root;
		/* the newest earlier row that left the schema at base */
		{
			int			b = -1;

			for (int i = k - 1; i >= 0 && b < 0 && base->type == PMX_JSON_STRING; i--)
				if (rows[i].to_fp && strcmp(rows[i].to_fp, base->s) == 0)
					b = i;
			if (b < 0)
				break;
			k = b;
		}
	}
	if (!s)
	{
		s = now;
		*whole = false;
	}
	while (npatches > 0)
	{
		const PmxJson *p = patches[--npatches];
		PmxSchema  *tables = model_of(ctx, pmx_json_get(p, "schema"), db->dialect);

		if (!tables || !(s = apply_patch(ctx, s, tables, pmx_json_get(p, "gone"))))
			return PMX_ERROR;
	}
	*out = pmx_schema_to_json(ctx, s);
	return *out ? PMX_OK : PMX_ERROR;
}
