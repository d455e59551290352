/*-------------------------------------------------------------------------
 *
 * pg_spell_types.c
 *	  The server's own spelling of a target's column types, read by the
 *	  parser and printed by format_type(), with no table created.
 *
 * A target column that declares only a type (no default, no collation)
 * would otherwise cost the shadow a table -- a relation file, a row type,
 * often a TOAST table -- just to learn how the server spells that type.
 * The type text is parsed here as CREATE TABLE would parse it, on the
 * caller's pinned search_path, and printed as introspection prints it
 * (format_type with the typmod given), so both spellings agree.
 *
 * Only what CREATE TABLE would take without a second look is spelled: a
 * defined base or enum type (or a domain over one, or an array of one)
 * the caller has USAGE on.  Anything else -- an unknown or malformed name,
 * a pseudo-type, a composite or range type -- gets NULL, and its column
 * goes through the shadow as before, where the server says what is wrong.
 *
 * IDENTIFICATION
 *	  pg_premix/pg_spell_types.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_am.h"
#include "catalog/pg_type.h"
#include "commands/defrem.h"
#include "miscadmin.h"
#include "parser/parse_type.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"

#include "pg_spell_types.h"
#include "pg_subxact.h"

/* t is a defined base or enum type, or a domain over or array of one. */
static bool
plain_type(Oid t)
{
	Oid			elem;
	char		kind;

	t = getBaseType(t);
	if (OidIsValid(elem = get_element_type(t)))
		t = getBaseType(elem);
	kind = get_typtype(t);
	return kind == TYPTYPE_BASE || kind == TYPTYPE_ENUM;
}

/* The caller may use type t in a table (USAGE, as CREATE TABLE checks). */
static bool
usable(Oid t)
{
#if PG_VERSION_NUM >= 160000
	return object_aclcheck(TypeRelationId, t, GetUserId(), ACL_USAGE) == ACLCHECK_OK;
#else
	return pg_type_aclcheck(t, GetUserId(), ACL_USAGE) == ACLCHECK_OK;
#endif
}

/* A unique key or btree index over type t can be built. */
static bool
sortable(Oid t)
{
	TypeCacheEntry *tc;

	if (!OidIsValid(GetDefaultOpClass(t, BTREE_AM_OID)))
		return false;
	tc = lookup_type_cache(t, TYPECACHE_LT_OPR | TYPECACHE_CMP_PROC);
	return OidIsValid(tc->lt_opr) && OidIsValid(tc->cmp_proc);
}

/* Hand row() one answer; the values are only lent. */
static int
answer(PmxRowFn row, void *arg, const char *type, const char *spelled, bool sorts)
{
	const char *v[3];

	v[0] = type;
	v[1] = spelled;
	v[2] = sorts ? "t" : "f";
	return row(arg, 3, v);
}

/* Spell one type and answer; throws what the parser throws. */
static int
spell_one(const char *type, PmxRowFn row, void *arg)
{
	Oid			t;
	int32		typmod;
	char	   *spelled;
	int			rc;

	parseTypeString(type, &t, &typmod, true);
	if (!OidIsValid(t) || !plain_type(t) || !usable(t))
		return answer(row, arg, type, NULL, false);
	spelled = format_type_extended(t, typmod, FORMAT_TYPE_TYPEMOD_GIVEN);
	rc = answer(row, arg, type, spelled, sortable(t));
	pfree(spelled);
	return rc;
}

/* The parser's refusal of a type text (not a cancel, not out of memory). */
static bool
refusal(int code)
{
	int			cat = ERRCODE_TO_CATEGORY(code);

	return cat == ERRCODE_SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION ||
		cat == ERRCODE_DATA_EXCEPTION || cat == ERRCODE_FEATURE_NOT_SUPPORTED;
}

/* The types of one pgpmx_spell_types call, and how far it got. */
typedef struct Spelling
{
	const char *const *types;
	int			n;
	PmxRowFn	row;
	void	   *arg;
	int			at;				/* the type being read (or that threw) */
	int			rc;
} Spelling;

/* pgpmx_subxact body: spell the types from sp->at on; throws. */
static void
spelling_body(void *p)
{
	Spelling   *sp = p;

	for (; sp->at < sp->n && sp->rc == PMX_OK; sp->at++)
		sp->rc = spell_one(sp->types[sp->at], sp->row, sp->arg);
}

/*
 * PmxDb.spell_types.  The types are read in an internal subtransaction; a
 * type the parser throws on (a syntax error, a bad typmod) is answered
 * NULL, and a new subtransaction is opened for the rest, so the caller's
 * transaction never sees the error; any other error (a cancel) is handed
 * to the core, and the call fails with it.
 */
int
pgpmx_spell_types(void *ud, PmxCtx *ctx, const char *const *types, int n,
				  PmxRowFn row, void *arg)
{
	Spelling	sp = {types, n, row, arg, 0, PMX_OK};

	(void) ud;
	while (sp.at < n && sp.rc == PMX_OK)
	{
		ErrorData  *ed = pgpmx_subxact(spelling_body, &sp);

		if (!ed)
			break;
		if (refusal(ed->sqlerrcode))	/* the shadow will say why */
			sp.rc = answer(row, arg, types[sp.at], NULL, false);
		else
		{
			/* a cancel, out of memory, ...: the call fails with it */
			pmx_error_sql(ctx, ed->message, types[sp.at]);
			pmx_error_sql_state(ctx, unpack_sql_state(ed->sqlerrcode));
			sp.rc = PMX_ERROR;
		}
		FreeErrorData(ed);
		sp.at++;
	}
	return sp.rc;
}
