/*-------------------------------------------------------------------------
 *
 * pmx_trash.c
 *	  Keep what destructive steps remove, so that a rollback restores the
 *	  data and not only the structure (option "trash", on by default).
 *
 * A plan's DROP TABLE and DROP COLUMN steps are rewritten after planning:
 *	 dropped table, PostgreSQL: its foreign keys are dropped (they would
 *	   keep constraining other tables' rows) and it moves to schema
 *	   premix_trash; the down SQL moves it back and re-adds the keys.
 *	 dropped table, SQLite: its indexes and triggers are dropped (their
 *	   names are database-wide), it is renamed premix_trash_<table> (with
 *	   foreign keys: copied to a table without them); the down SQL renames
 *	   or copies it back and re-creates them.
 *	 dropped column: before the drop, its values are copied with the
 *	   primary key into the trash table <table>__<column>; the down SQL adds
 *	   the column again, copies the values back by key, restores NOT NULL
 *	   and drops the trash table.  When the column cannot be restored that
 *	   way (PostgreSQL table without a primary key, identity or generated
 *	   columns, a SQLite column that ALTER TABLE ADD COLUMN cannot express,
 *	   a SQLite rebuild) the values are still kept where possible and the
 *	   step says so; it stays irreversible.
 * A name the trash already holds gets a suffix _2, _3, ...  The steps
 * stay "destructive": the table or column leaves the schema, and
 * allow_destructive is still required.  premix_purge() empties the trash;
 * the ledger (the migrations whose SQL names a trash table) dates it.
 *
 * IDENTIFICATION
 *	  shared/pmx_trash.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pmx_json.h"
#include "pmx_ledger.h"
#include "pmx_render_pg.h"
#include "pmx_render_sqlite.h"
#include "pmx_session.h"
#include "pmx_sql.h"
#include "pmx_trash.h"

#define PG_NAME_MAX 63			/* NAMEDATALEN - 1 */

typedef struct Trash
{
	PmxCtx	   *ctx;
	PmxDb	   *db;
	PmxPlan    *plan;
	PmxDiff    *d;
	const char *schema;			/* PostgreSQL: the migrated schema */
	bool		pg;
} Trash;

/*
 * True (*taken) when the trash already holds a table called name -- on
 * PostgreSQL also when the migrated schema holds a relation of that name
 * and it is not the table's own (the table is renamed in place first).
 */
static int
trash_taken(Trash *T, const char *name, const char *table, bool *taken)
{
	long long	n;
	char	   *sql = T->pg ?
		pmx_sprintf(T->ctx, "SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
					"ON n.oid = c.relnamespace WHERE c.relname = %s AND (n.nspname = '" PMX_PG_TRASH_SCHEMA "'%s)",
					pmx_quote_literal(T->ctx, name),
					strcmp(name, table) != 0 ? " OR n.nspname = pg_catalog.current_schema()" : "") :
		pmx_sprintf(T->ctx, "SELECT count(*) FROM main.sqlite_schema WHERE name = %s COLLATE NOCASE",
					pmx_quote_literal(T->ctx, name));

	if (!sql || pmx_query_int(T->ctx, T->db, sql, &n) != PMX_OK)
		return PMX_ERROR;
	*taken = n > 0;
	return PMX_OK;
}

/* name cut to PostgreSQL's 63 bytes at a character boundary, as the server would. */
static void
clip_pg_name(char *name, size_t room)
{
	size_t		n = strlen(name);

	if (n <= room)
		return;
	n = room;
	while (n > 0 && ((unsigned char) name[n] & 0xC0) == 0x80)
		n--;
	name[n] = '\0';
}

/*
 * The trash table's name for table (and column): <table>[__<column>]
 * (SQLite: with the premix_trash_ prefix), with _2, _3, ... when the trash
 * already holds that name.  Names depend only on the database's state, so
 * a plan reads the same twice.  NULL on error.
 */
static char *
trash_name(Trash *T, const char *table, const char *column)
{
	for (int k = 1; k < 1000; k++)
	{
		char	   *name = column ? pmx_sprintf(T->ctx, "%s__%s", table, column) : pmx_strdup(T->ctx, table);
		char	   *suffix = k > 1 ? pmx_sprintf(T->ctx, "_%d", k) : "";
		bool		taken;

		if (!name || !suffix)
			return NULL;
		if (T->pg)
			clip_pg_name(name, PG_NAME_MAX - strlen(suffix));
		name = pmx_sprintf(T->ctx, "%s%s%s", T->pg ? "" : PMX_TRASH_PREFIX, name, suffix);
		if (!name || trash_taken(T, name, column ? "" : table, &taken) != PMX_OK)
			return NULL;
		if (!taken)
			return name;
	}
	pmx_error(T->ctx, PMX_E_DUPLICATE, "the trash holds too many tables named after %s", table);
	pmx_error_hint(T->ctx, "Empty the trash with premix_purge(), or migrate with the option {\"trash\": false}.");
	return NULL;
}

/* The trash table's qualified name, quoted. */
static char *
trash_ref(Trash *T, const char *name)
{
	return pmx_sprintf(T->ctx, "%s.%s", T->pg ? PMX_PG_TRASH_SCHEMA : "main",
					   pmx_quote_ident(T->ctx, name));
}

/* A live table's name, quoted (SQLite: qualified with main). */
static char *
table_ref(Trash *T, const char *name)
{
	return T->pg ? pmx_quote_ident(T->ctx, name)
		: pmx_sprintf(T->ctx, "main.%s", pmx_quote_ident(T->ctx, name));
}

/* Prepend sql to list (a new array; the old one stays in the arena). */
static int
prepend(PmxCtx *ctx, PmxStrs *list, char *sql)
{
	PmxStrs		out = {0};

	if (!sql || pmx_strs_push(ctx, &out, sql) != PMX_OK)
		return PMX_ERROR;
	for (int i = 0; i < list->n; i++)
		if (pmx_strs_push(ctx, &out, list->v[i]) != PMX_OK)
			return PMX_ERROR;
	*list = out;
	return PMX_OK;
}

/* Append a formatted note to the step's reason. */
static int
note(Trash *T, PmxStep *st, const char *text)
{
	st->reason = pmx_sprintf(T->ctx, "%s; %s", st->reason ? st->reason : "", text);
	return st->reason ? PMX_OK : PMX_ERROR;
}

typedef struct Owned
{
	PmxCtx	   *ctx;
	PmxStrs		oid,
				name,
				kind;
} Owned;

/* Row callback: an index or sequence of the trashed table. */
static int
on_owned(void *arg, int ncols, const char *const *v)
{
	Owned	   *o = arg;

	if (ncols < 3 || !v[0] || !v[1] || !v[2])
		return PMX_OK;
	if (pmx_strs_push(o->ctx, &o->oid, v[0]) != PMX_OK ||
		pmx_strs_push(o->ctx, &o->name, v[1]) != PMX_OK ||
		pmx_strs_push(o->ctx, &o->kind, v[2]) != PMX_OK)
		return PMX_ERROR;
	return PMX_OK;
}

/*
 * The name an index or sequence of a trashed table takes in the trash:
 * "<trash table>:<its name>", unique as the trash table's name is (a colon
 * is in no name premix gives), cut to 63 bytes.  NULL on OOM.
 */
static char *
owned_name(Trash *T, const char *table, const char *name)
{
	char	   *s = pmx_sprintf(T->ctx, "%s:%s", table, name);

	if (s)
		clip_pg_name(s, PG_NAME_MAX);
	return s;
}

/*
 * PostgreSQL: move a dropped table to the trash schema.  Its indexes
 * (constraints' included) and owned sequences move with it and would
 * collide there with those of an earlier table of the same name: they are
 * renamed "<trash table>:<name>" first, and back by the down SQL.
 */
static int
trash_table_pg(Trash *T, PmxStep *st, const PmxTable *lt)
{
	PmxCtx	   *ctx = T->ctx;
	char	   *name = trash_name(T, lt->name, NULL);
	char	   *q = pmx_quote_ident(ctx, lt->name);
	PmxStrs		up = {0},
				down = {0};
	Owned		owned = {ctx, {0}, {0}, {0}};
	char	   *rel = pmx_sprintf(ctx, "(SELECT c.oid FROM pg_catalog.pg_class c WHERE c.relname = %s AND c.relnamespace = "
								  "(SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = pg_catalog.current_schema()))",
								  pmx_quote_literal(ctx, lt->name));
	char	   *sql = rel ? pmx_sprintf(ctx, "SELECT c.oid::text, c.relname, c.relkind::text FROM pg_catalog.pg_class c "
										"WHERE c.oid IN (SELECT indexrelid FROM pg_catalog.pg_index WHERE indrelid = %s) "
										"OR (c.relkind = 'S' AND c.oid IN (SELECT objid FROM pg_catalog.pg_depend "
										"WHERE classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND refobjid = %s "
										"AND deptype IN ('a', 'i'))) ORDER BY 2", rel, rel) : NULL;

	if (!name || !q || !sql || T->db->query(T->db->ud, ctx, sql, on_owned, &owned) != PMX_OK)
		return PMX_ERROR;
	for (int f = 0; f < lt->nfks; f++)
		if (lt->fks[f].name &&
			pmx_strs_pushf(ctx, &up, "ALTER TABLE %s DROP CONSTRAINT %s", q,
						   pmx_quote_ident(ctx, lt->fks[f].name)) != PMX_OK)
			return PMX_ERROR;
	for (int i = 0; i < owned.oid.n; i++)
		if (!(owned.oid.v[i] = owned_name(T, name, owned.name.v[i])) ||
			pmx_strs_pushf(ctx, &up, "ALTER %s %s RENAME TO %s", owned.kind.v[i][0] == 'S' ? "SEQUENCE" : "INDEX",
						   pmx_quote_ident(ctx, owned.name.v[i]), pmx_quote_ident(ctx, owned.oid.v[i])) != PMX_OK)
			return PMX_ERROR;
	/*
	 * Under its own name when the trash has none; else renamed first, in
	 * place, to a name neither schema holds (trash_name checks both).
	 */
	if (strcmp(name, lt->name) != 0 &&
		(pmx_strs_pushf(ctx, &up, "ALTER TABLE %s RENAME TO %s", q, pmx_quote_ident(ctx, name)) != PMX_OK ||
		 !(q = pmx_quote_ident(ctx, name))))
		return PMX_ERROR;
	if (pmx_strs_pushf(ctx, &up, "ALTER TABLE %s SET SCHEMA " PMX_PG_TRASH_SCHEMA, q) != PMX_OK ||
		pmx_strs_pushf(ctx, &down, "ALTER TABLE %s SET SCHEMA %s", trash_ref(T, name),
					   pmx_quote_ident(ctx, T->schema)) != PMX_OK ||
		(strcmp(name, lt->name) != 0 &&
		 pmx_strs_pushf(ctx, &down, "ALTER TABLE %s RENAME TO %s", q,
						pmx_quote_ident(ctx, lt->name)) != PMX_OK) ||
		!(q = pmx_quote_ident(ctx, lt->name)))
		return PMX_ERROR;
	for (int i = 0; i < owned.oid.n; i++)
		if (pmx_strs_pushf(ctx, &down, "ALTER %s %s RENAME TO %s", owned.kind.v[i][0] == 'S' ? "SEQUENCE" : "INDEX",
						   pmx_quote_ident(ctx, owned.oid.v[i]), pmx_quote_ident(ctx, owned.name.v[i])) != PMX_OK)
			return PMX_ERROR;
	for (int f = 0; f < lt->nfks; f++)
		if (lt->fks[f].name &&
			pmx_strs_pushf(ctx, &down, "ALTER TABLE %s ADD %s", q, pmx_pg_fk_def(ctx, &lt->fks[f])) != PMX_OK)
			return PMX_ERROR;
	st->sql = up;
	st->down = down;
	st->reversible = true;
	return note(T, st, pmx_sprintf(ctx, "it is moved to %s (rows kept; premix_purge() empties the trash)",
								   trash_ref(T, name)));
}

/* The non-generated columns of t as a quoted list "a", "b". */
static char *
column_list(PmxCtx *ctx, const PmxTable *t)
{
	PmxBuf		b;
	bool		first = true;

	pmx_buf_init(&b, ctx);
	for (int c = 0; c < t->ncols; c++)
	{
		if (t->cols[c].generated)
			continue;
		if (!first)
			pmx_buf_append(&b, ", ");
		pmx_buf_ident(&b, t->cols[c].name);
		first = false;
	}
	return pmx_buf_finish(&b);
}

/*
 * SQLite, a table with foreign keys: a renamed table would keep them, and
 * a parent's ON DELETE CASCADE would then delete rows in the trash (or
 * RESTRICT block the parent).  Its rows are copied into a trash table of
 * the same columns without the keys instead, and copied back by the down
 * SQL into the table as it was.
 */
static int
trash_table_sqlite_copy(Trash *T, const PmxTable *lt, const char *name, PmxStrs *up, PmxStrs *down)
{
	PmxCtx	   *ctx = T->ctx;
	PmxTable   *bare = pmx_table_clone(ctx, lt);
	char	   *cols = column_list(ctx, lt);
	char	   *tref = trash_ref(T, name);
	char	   *lref = table_ref(T, lt->name);

	if (!bare || !cols || !tref || !lref)
		return PMX_ERROR;
	bare->nfks = 0;
	if (pmx_strs_push(ctx, up, pmx_sqlite_create_table(ctx, bare, name)) != PMX_OK ||
		pmx_strs_pushf(ctx, up, "INSERT INTO %s (%s) SELECT %s FROM %s", tref, cols, cols, lref) != PMX_OK ||
		pmx_strs_pushf(ctx, up, "DROP TABLE %s", lref) != PMX_OK ||
		pmx_strs_push(ctx, down, pmx_sqlite_create_table(ctx, lt, NULL)) != PMX_OK ||
		pmx_strs_pushf(ctx, down, "INSERT INTO %s (%s) SELECT %s FROM %s", lref, cols, cols, tref) != PMX_OK ||
		pmx_strs_pushf(ctx, down, "DROP TABLE %s", tref) != PMX_OK)
		return PMX_ERROR;
	return PMX_OK;
}

/* SQLite: rename a dropped table into the trash (copy it when it has foreign keys). */
static int
trash_table_sqlite(Trash *T, PmxStep *st, const PmxTable *lt)
{
	PmxCtx	   *ctx = T->ctx;
	const PmxSchema *live = T->d->live;
	char	   *name = trash_name(T, lt->name, NULL);
	PmxStrs		up = {0},
				down = {0};

	if (!name)
		return PMX_ERROR;
	for (int e = 0; e < live->nextras; e++)
		if (strcmp(live->extras[e].type, "trigger") == 0 && pmx_streq_fold(live->extras[e].table, lt->name) &&
			pmx_strs_pushf(ctx, &up, "DROP TRIGGER main.%s", pmx_quote_ident(ctx, live->extras[e].name)) != PMX_OK)
			return PMX_ERROR;
	for (int k = 0; k < lt->nindexes; k++)
		if (pmx_strs_pushf(ctx, &up, "DROP INDEX main.%s", pmx_quote_ident(ctx, lt->indexes[k].name)) != PMX_OK)
			return PMX_ERROR;
	if (lt->nfks > 0)
	{
		if (trash_table_sqlite_copy(T, lt, name, &up, &down) != PMX_OK)
			return PMX_ERROR;
	}
	else if (pmx_strs_pushf(ctx, &up, "ALTER TABLE %s RENAME TO %s", table_ref(T, lt->name),
							pmx_quote_ident(ctx, name)) != PMX_OK ||
			 pmx_strs_pushf(ctx, &down, "ALTER TABLE %s RENAME TO %s", trash_ref(T, name),
							pmx_quote_ident(ctx, lt->name)) != PMX_OK)
		return PMX_ERROR;
	for (int k = 0; k < lt->nindexes; k++)
		if (pmx_strs_push(ctx, &down, pmx_sqlite_create_index(ctx, lt, &lt->indexes[k])) != PMX_OK)
			return PMX_ERROR;
	for (int e = 0; e < live->nextras; e++)
		if (strcmp(live->extras[e].type, "trigger") == 0 && pmx_streq_fold(live->extras[e].table, lt->name) &&
			pmx_strs_push(ctx, &down, live->extras[e].sql) != PMX_OK)
			return PMX_ERROR;
	st->sql = up;
	st->down = down;
	st->reversible = true;
	return note(T, st, pmx_sprintf(ctx, "it is %s %s (rows kept; premix_purge() empties the trash)",
								   lt->nfks > 0 ? "copied, without its foreign keys, to" : "renamed", name));
}

/*
 * The key that finds a row again: the primary key's columns.  NULL when
 * there is none or the dropped column is part of it (a rowid is no key:
 * VACUUM renumbers it).
 */
static const PmxNames *
row_key(Trash *T, const PmxTable *lt, const PmxColumn *lc)
{
	if (!lt->pk)
		return NULL;
	for (int i = 0; i < lt->pk->cols.n; i++)
		if (pmx_ident_eq(T->d->live->dialect, lt->pk->cols.v[i], lc->name))
			return NULL;
	return &lt->pk->cols;
}

/* "t"."a", "t"."b" or tr."a", ... */
static void
key_list(PmxBuf *b, const char *qual, const PmxNames *key)
{
	for (int i = 0; i < key->n; i++)
	{
		pmx_buf_appendf(b, "%s%s.", i ? ", " : "", qual);
		pmx_buf_ident(b, key->v[i]);
	}
}

/* The down SQL that puts the values back: UPDATE ... FROM the trash table. */
static char *
restore_sql(Trash *T, const PmxTable *lt, const PmxColumn *lc, const char *tref,
			const PmxNames *key)
{
	PmxBuf		b;
	char	   *q = pmx_quote_ident(T->ctx, lt->name);

	pmx_buf_init(&b, T->ctx);
	pmx_buf_appendf(&b, "UPDATE %s%s SET ", T->pg ? "" : "main.", q);
	pmx_buf_ident(&b, lc->name);
	pmx_buf_appendf(&b, " = tr.");
	pmx_buf_ident(&b, lc->name);
	pmx_buf_appendf(&b, " FROM %s AS tr WHERE (", tref);
	key_list(&b, q, key);
	pmx_buf_append(&b, ") = (");
	key_list(&b, "tr", key);
	pmx_buf_append(&b, ")");
	return pmx_buf_finish(&b);
}

/* The copy of the column's values: CREATE TABLE trash AS SELECT key, col. */
static char *
copy_sql(Trash *T, const PmxTable *lt, const PmxColumn *lc, const char *tref,
		 const PmxNames *key)
{
	PmxBuf		b;

	pmx_buf_init(&b, T->ctx);
	pmx_buf_appendf(&b, "CREATE TABLE %s AS SELECT ", tref);
	for (int i = 0; i < key->n; i++)
	{
		pmx_buf_appendf(&b, "%s", i ? ", " : "");
		pmx_buf_ident(&b, key->v[i]);
	}
	pmx_buf_append(&b, ", ");
	pmx_buf_ident(&b, lc->name);
	pmx_buf_appendf(&b, " FROM %s", table_ref(T, lt->name));
	return pmx_buf_finish(&b);
}

/*
 * A dropped column whose step is its own (PostgreSQL, SQLite's direct
 * DROP COLUMN) or part of a SQLite rebuild (values kept, no down).
 */
static int
trash_column(Trash *T, PmxStep *st, const PmxTable *lt, const PmxColumn *lc, bool own_step)
{
	PmxCtx	   *ctx = T->ctx;
	const PmxNames *key = row_key(T, lt, lc);
	char	   *name,
			   *tref;
	PmxStrs		down = {0};

	if (!key || lc->generated || lc->identity != PMX_IDENTITY_NONE)
		return note(T, st, pmx_sprintf(ctx, "the values of %s cannot be kept for a rollback (%s)", lc->name,
									   !key ? "the table has no primary key to find the rows again"
									   : "it is an identity or generated column"));
	if (!(name = trash_name(T, lt->name, lc->name)) || !(tref = trash_ref(T, name)) ||
		prepend(ctx, &st->sql, copy_sql(T, lt, lc, tref, key)) != PMX_OK)
		return PMX_ERROR;
	/* SQLite's ADD COLUMN takes no NOT NULL without a default, and no
	 * default that is not a constant (current_timestamp, ...) */
	if (!own_step || (!T->pg && ((!lc->nullable && !lc->default_expr) ||
								 (lc->default_expr && !pmx_sql_expr_is_literal(lc->default_expr)))))
	{
		st->reversible = false;
		return note(T, st, pmx_sprintf(ctx, "the values of %s are kept in %s; a rollback cannot put them back by itself",
									   lc->name, tref));
	}
	if (T->pg)
	{
		PmxColumn	nullable = *lc;

		nullable.nullable = true;
		if (pmx_strs_pushf(ctx, &down, "ALTER TABLE %s ADD COLUMN %s", pmx_quote_ident(ctx, lt->name),
						   pmx_pg_column_def(ctx, &nullable)) != PMX_OK)
			return PMX_ERROR;
	}
	else if (pmx_strs_pushf(ctx, &down, "ALTER TABLE %s ADD COLUMN %s", table_ref(T, lt->name),
							pmx_sqlite_column_def(ctx, lt, lc)) != PMX_OK)
		return PMX_ERROR;
	if (pmx_strs_push(ctx, &down, restore_sql(T, lt, lc, tref, key)) != PMX_OK ||
		(T->pg && !lc->nullable &&
		 pmx_strs_pushf(ctx, &down, "ALTER TABLE %s ALTER COLUMN %s SET NOT NULL", pmx_quote_ident(ctx, lt->name),
						pmx_quote_ident(ctx, lc->name)) != PMX_OK) ||
		pmx_strs_pushf(ctx, &down, "DROP TABLE %s", tref) != PMX_OK)
		return PMX_ERROR;
	st->down = down;
	st->reversible = true;
	return note(T, st, pmx_sprintf(ctx, "its values are copied to %s first (premix_purge() empties the trash)", tref));
}

/* The DROP_COLUMN change a step carries out. */
static PmxChange *
column_change(const PmxDiff *d, const PmxStep *st)
{
	for (int i = 0; i < d->nchanges; i++)
	{
		PmxChange  *ch = d->changes[i];
		const PmxTable *t = ch->tt ? ch->tt : ch->lt;

		if (ch->op == PMX_OP_DROP_COLUMN && ch->lc && t && st->table && st->object &&
			pmx_streq_fold(t->name, st->table) && pmx_streq_fold(ch->lc->name, st->object))
			return ch;
	}
	return NULL;
}

/* See pmx_trash.h. */
int
pmx_trash_plan(PmxCtx *ctx, PmxDb *db, PmxDiff *d, PmxPlan *plan)
{
	Trash		T = {ctx, db, plan, d, NULL, db->dialect == PMX_DIALECT_POSTGRES};

	if (db->dialect != PMX_DIALECT_POSTGRES && db->dialect != PMX_DIALECT_SQLITE)
		return PMX_OK;
	for (int i = 0; i < plan->nsteps; i++)
	{
		PmxStep    *st = &plan->steps[i];
		int			rc = PMX_OK;

		if (st->safety == PMX_BLOCKED)
			continue;			/* nothing of it runs */
		if (T.pg && !T.schema && (st->op == PMX_OP_DROP_TABLE || st->op == PMX_OP_DROP_COLUMN))
		{
			if (pmx_query_text(ctx, db, "SELECT pg_catalog.current_schema()", (char **) &T.schema) != PMX_OK)
				return PMX_ERROR;
			if (!T.schema)
				return pmx_error(ctx, PMX_E_INTERNAL, "no current schema");
		}
		if (st->op == PMX_OP_DROP_TABLE)
		{
			const PmxTable *lt = pmx_schema_find(ctx, d->live, st->table);

			if (lt)
				rc = T.pg ? trash_table_pg(&T, st, lt) : trash_table_sqlite(&T, st, lt);
		}
		else if (st->op == PMX_OP_DROP_COLUMN)
		{
			PmxChange  *ch = column_change(d, st);

			if (ch)
				rc = trash_column(&T, st, ch->lt, ch->lc, true);
		}
		else if (st->op == PMX_OP_REBUILD_TABLE)
		{
			for (int k = 0; k < st->nparts && rc == PMX_OK; k++)
				if (st->parts[k]->op == PMX_OP_DROP_COLUMN && st->parts[k]->lc)
					rc = trash_column(&T, st, st->parts[k]->lt, st->parts[k]->lc, false);
		}
		if (rc != PMX_OK)
			return PMX_ERROR;
	}
	return PMX_OK;
}

typedef struct PurgeList
{
	PmxCtx	   *ctx;
	PmxStrs		names;
} PurgeList;

/* Row callback: collect trash table names. */
static int
on_trash_name(void *arg, int ncols, const char *const *v)
{
	PurgeList  *l = arg;

	return ncols > 0 && v[0] ? pmx_strs_push(l->ctx, &l->names, v[0]) : PMX_OK;
}

/*
 * When the ledger says table name went to the trash: the newest applied_at
 * (as YYYYMMDDHHMMSS digits) of the rows whose up or down SQL names it as
 * a trash table (qualified: premix_trash."x", main."premix_trash_x"), or
 * NULL when no migration of this history did.
 */
static char *
trashed_at(PmxCtx *ctx, bool pg, const PmxLedgerRow *rows, int n, const char *name)
{
	char	   *ref = pmx_sprintf(ctx, "%s.%s", pg ? PMX_PG_TRASH_SCHEMA : "main", pmx_quote_ident(ctx, name));
	const char *when = NULL;
	char	   *digits;
	int			k = 0;

	for (int i = 0; ref && i < n; i++)
		if (((rows[i].up_sql && strstr(rows[i].up_sql, ref)) || (rows[i].down_sql && strstr(rows[i].down_sql, ref))) &&
			rows[i].applied_at && (!when || strcmp(rows[i].applied_at, when) > 0))
			when = rows[i].applied_at;
	if (!when || !(digits = pmx_alloc(ctx, strlen(when) + 1)))
		return NULL;
	for (const char *p = when; *p; p++)
		if (*p >= '0' && *p <= '9')
			digits[k++] = *p;
	return digits;
}

/* Drop the trash tables listed, counting their rows first into *rows. */
static int
purge_tables(PmxCtx *ctx, PmxDb *db, const PmxStrs *names, bool pg, bool count_only, long long *rows)
{
	for (int i = 0; i < names->n; i++)
	{
		char	   *ref = pmx_sprintf(ctx, "%s.%s", pg ? PMX_PG_TRASH_SCHEMA : "main",
									  pmx_quote_ident(ctx, names->v[i]));
		long long	n;

		if (!ref)
			return PMX_ERROR;
		if (count_only)
		{
			if (pmx_query_int(ctx, db, pmx_sprintf(ctx, "SELECT count(*) FROM %s", ref), &n) != PMX_OK)
				return PMX_ERROR;
			*rows += n;
		}
		else if (db->exec(db->ud, ctx, pmx_sprintf(ctx, "DROP TABLE %s", ref)) != PMX_OK)
			return PMX_ERROR;
	}
	return PMX_OK;
}

/*
 * premix_purge([older_than [, allow_destructive]]): drop the trash tables
 * that migrations of this history (the ledger) put there before
 * older_than (UTC YYYYMMDDHHMMSS; NULL = all of them).  Tables the ledger
 * does not name (another schema's, or someone else's) are left alone.
 * Destructive: refused without the flag, naming the tables and rows.
 */
int
pmx_purge(PmxCtx *ctx, PmxDb *live, const char *limit, int allow_destructive,
		  char **out_result)
{
	bool		pg = live->dialect == PMX_DIALECT_POSTGRES;
	PurgeList	all = {ctx, {0}};
	PmxLedgerRow *ledger;
	int			nledger;
	PmxStrs		pick = {0};
	long long	rows = 0;
	PmxSession	s;
	int			rc;
	PmxJsonWriter w;

	if (limit && (strlen(limit) != 14 || strspn(limit, "0123456789") != 14))
		return pmx_error(ctx, PMX_E_INVALID, "premix_purge: older_than \"%s\" is not a version stamp", limit),
			pmx_error_hint(ctx, "Pass a UTC stamp YYYYMMDDHHMMSS, e.g. '20261101000000' to drop what was trashed before November 2026, or NULL for everything.");
	if (pmx_ledger_read(ctx, live, true, &ledger, &nledger) != PMX_OK ||
		live->query(live->ud, ctx, pg ?
					"SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
					"WHERE n.nspname = '" PMX_PG_TRASH_SCHEMA "' AND c.relkind IN ('r', 'p') ORDER BY 1" :
					"SELECT name FROM main.sqlite_schema WHERE type = 'table' "
					"AND name LIKE 'premix\\_trash\\_%' ESCAPE '\\' ORDER BY 1",
					on_trash_name, &all) != PMX_OK)
		return PMX_ERROR;
	for (int i = 0; i < all.names.n; i++)
	{
		char	   *when = trashed_at(ctx, pg, ledger, nledger, all.names.v[i]);

		/* only what this history put there, and older than the limit */
		if (when && (!limit || strcmp(when, limit) < 0) &&
			pmx_strs_push(ctx, &pick, all.names.v[i]) != PMX_OK)
			return PMX_ERROR;
	}
	if (purge_tables(ctx, live, &pick, pg, true, &rows) != PMX_OK)
		return PMX_ERROR;
	if (pick.n && !allow_destructive)
	{
		pmx_error(ctx, PMX_E_DESTRUCTIVE, "premix_purge would drop %d trash table%s holding %lld row%s",
				  pick.n, pick.n == 1 ? "" : "s", rows, rows == 1 ? "" : "s");
		pmx_error_detail(ctx, "The first is %s. Migrations whose down SQL reads them can no longer be rolled back with their data.",
						 pick.v[0]);
		return pmx_error_hint(ctx, "Pass allow_destructive => true to empty the trash.");
	}
	if (pmx_session_begin(ctx, live, &s) != PMX_OK)
		return PMX_ERROR;
	rc = pmx_session_open(ctx, &s, NULL);
	if (rc == PMX_OK)
		rc = purge_tables(ctx, live, &pick, pg, false, NULL);
	if (rc == PMX_OK)
	{
		pmx_jw_init(&w, ctx);
		pmx_jw_begin_object(&w);
		pmx_jw_key(&w, "purged");
		pmx_jw_begin_array(&w);
		for (int i = 0; i < pick.n; i++)
			pmx_jw_string(&w, pick.v[i]);
		pmx_jw_end_array(&w);
		pmx_jw_key(&w, "rows");
		pmx_jw_int(&w, rows);
		pmx_jw_end_object(&w);
		if (!(*out_result = pmx_jw_finish(&w)))
			rc = PMX_ERROR;
	}
	return pmx_session_close(ctx, &s, rc == PMX_OK, rc == PMX_OK ? *out_result : NULL) == PMX_OK ? rc : PMX_ERROR;
}
