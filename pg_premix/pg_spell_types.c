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

#include "access/xact.h"
#include "catalog/pg_am.h"
#include "catalog/pg_type.h"
#include "commands/defrem.h"
#include "miscadmin.h"
#include "parser/parse_type.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/resowner.h"
#include "utils/typcache.h"

#include "pg_spell_types.h"

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

/*
 * PmxDb.spell_types.  The types are read in an internal subtransaction; a
 * type the parser throws on (a syntax error, a bad typmod) is answered
 * NULL, the subtransaction rolled back and a new one opened for the rest,
 * so the caller's transaction never sees the error; any other error (a
 * cancel) is handed to the core, and the call fails with it.
 */
int
pgpmx_spell_types(void *ud, PmxCtx *ctx, const char *const *types, int n,
				  PmxRowFn row, void *arg)
{
	MemoryContext oldcxt = CurrentMemoryContext;
	ResourceOwner oldowner = CurrentResourceOwner;
	volatile int i = 0;
	volatile int rc = PMX_OK;

	(void) ud;
	while (i < n && rc == PMX_OK)
	{
		BeginInternalSubTransaction(NULL);
		MemoryContextSwitchTo(oldcxt);
		PG_TRY();
		{
			for (; i < n && rc == PMX_OK; i++)
				rc = spell_one(types[i], row, arg);
			ReleaseCurrentSubTransaction();
			MemoryContextSwitchTo(oldcxt);
			CurrentResourceOwner = oldowner;
		}
		PG_CATCH();
		{
			ErrorData  *ed;

			MemoryContextSwitchTo(oldcxt);
			ed = CopyErrorData();
			FlushErrorState();
			RollbackAndReleaseCurrentSubTransaction();
			MemoryContextSwitchTo(oldcxt);
			CurrentResourceOwner = oldowner;
			if (refusal(ed->sqlerrcode))	/* the shadow will say why */
				rc = answer(row, arg, types[i], NULL, false);
			else
			{
				/* a cancel, out of memory, ...: the call fails with it */
				pmx_error_sql(ctx, ed->message, types[i]);
				pmx_error_sql_state(ctx, unpack_sql_state(ed->sqlerrcode));
				rc = PMX_ERROR;
			}
			FreeErrorData(ed);
			i++;
		}
		PG_END_TRY();
	}
	return rc;
}
