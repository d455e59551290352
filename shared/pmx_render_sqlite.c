/*-------------------------------------------------------------------------
 *
 * pmx_render_sqlite.c
 *	  Render model objects as SQLite DDL.
 *
 * The column that carries identity is written as SQLite's rowid alias,
 * "INTEGER PRIMARY KEY AUTOINCREMENT", with the primary key's name; every
 * other key and constraint is a table constraint.  Portable types are
 * spelled through pmx_types.c (declared type plus marker CHECK).
 *
 * IDENTIFICATION
 *	  shared/pmx_render_sqlite.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pmx_render_sqlite.h"
#include "pmx_sql.h"
#include "pmx_types.h"

/* The identity column of t (first one), or NULL. */
const PmxColumn *
pmx_sqlite_identity_column(const PmxTable *t)
{
	for (int i = 0; i < t->ncols; i++)
		if (t->cols[i].identity != PMX_IDENTITY_NONE)
			return &t->cols[i];
	return NULL;
}

/* True when elem names a column of t exactly (ASCII case aside). */
bool
pmx_index_elem_is_column(const PmxTable *t, const char *elem)
{
	for (int i = 0; i < t->ncols; i++)
		if (pmx_streq_fold(t->cols[i].name, elem))
			return true;
	return false;
}

/* Append "main"."name". */
void
pmx_sqlite_buf_qualified(PmxBuf *b, const char *name)
{
	pmx_buf_append(b, "\"main\".");
	pmx_buf_ident(b, name);
}

/* Append DEFAULT's value: a literal bare, anything else parenthesized. */
void
pmx_sqlite_append_default(PmxBuf *b, const char *expr)
{
	if (pmx_sql_expr_is_literal(expr))
		pmx_buf_append(b, expr);
	else
	{
		pmx_buf_putc(b, '(');
		pmx_buf_append(b, expr);
		pmx_buf_putc(b, ')');
	}
}

/* Append one column definition; PMX_ERROR on an unsupported type. */
static int
append_column(PmxCtx *ctx, PmxBuf *b, const PmxTable *t, const PmxColumn *c)
{
	const PmxColumn *idcol = pmx_sqlite_identity_column(t);
	bool		alias = idcol == c;
	const char *decl;
	char	   *marker;

	if (pmx_sqlite_type_render(ctx, c->type, t->strict, c->name, alias,
							   &decl, &marker) != PMX_OK)
		return PMX_ERROR;
	pmx_buf_ident(b, c->name);
	pmx_buf_putc(b, ' ');
	pmx_buf_append(b, decl);
	if (!c->nullable)
		pmx_buf_append(b, " NOT NULL");
	if (alias)
	{
		pmx_buf_putc(b, ' ');
		pmx_buf_constraint_name(b, t->pk ? t->pk->name : NULL);
		pmx_buf_append(b, "PRIMARY KEY AUTOINCREMENT");
	}
	if (c->default_expr)
	{
		pmx_buf_append(b, " DEFAULT ");
		pmx_sqlite_append_default(b, c->default_expr);
	}
	if (c->collation)
	{
		pmx_buf_append(b, " COLLATE ");
		pmx_buf_ident(b, c->collation);
	}
	if (marker)
		pmx_buf_appendf(b, " CHECK (%s)", marker);
	return PMX_OK;
}

/* CREATE TABLE text for t; see pmx_render_sqlite.h. */
char *
pmx_sqlite_create_table(PmxCtx *ctx, const PmxTable *t, const char *as_name)
{
	PmxBuf		b;
	const PmxColumn *idcol = pmx_sqlite_identity_column(t);

	pmx_buf_init(&b, ctx);
	pmx_buf_append(&b, "CREATE TABLE ");
	pmx_sqlite_buf_qualified(&b, as_name ? as_name : t->name);
	pmx_buf_append(&b, " (");
	for (int i = 0; i < t->ncols; i++)
	{
		if (i)
			pmx_buf_append(&b, ", ");
		if (append_column(ctx, &b, t, &t->cols[i]) != PMX_OK)
			return NULL;
	}
	if (t->pk && !idcol)
	{
		pmx_buf_append(&b, ", ");
		pmx_buf_constraint_name(&b, t->pk->name);
		pmx_buf_append(&b, "PRIMARY KEY ");
		pmx_buf_names(&b, &t->pk->cols);
	}
	for (int i = 0; i < t->nuniques; i++)
	{
		pmx_buf_append(&b, ", ");
		pmx_buf_constraint_name(&b, t->uniques[i].name);
		pmx_buf_append(&b, "UNIQUE ");
		pmx_buf_names(&b, &t->uniques[i].cols);
	}
	for (int i = 0; i < t->nfks; i++)
	{
		const PmxForeignKey *fk = &t->fks[i];

		pmx_buf_append(&b, ", ");
		pmx_buf_constraint_name(&b, fk->name);
		pmx_buf_append(&b, "FOREIGN KEY ");
		pmx_buf_names(&b, &fk->cols);
		pmx_buf_append(&b, " REFERENCES ");
		pmx_buf_ident(&b, fk->ref_table);
		if (fk->ref_cols.n)
		{
			pmx_buf_putc(&b, ' ');
			pmx_buf_names(&b, &fk->ref_cols);
		}
		if (strcmp(fk->on_delete, "no action") != 0)
		{
			char	   *up = pmx_upper(ctx, fk->on_delete);

			pmx_buf_appendf(&b, " ON DELETE %s", up ? up : "");
		}
		if (strcmp(fk->on_update, "no action") != 0)
		{
			char	   *up = pmx_upper(ctx, fk->on_update);

			pmx_buf_appendf(&b, " ON UPDATE %s", up ? up : "");
		}
	}
	for (int i = 0; i < t->nchecks; i++)
	{
		pmx_buf_append(&b, ", ");
		pmx_buf_constraint_name(&b, t->checks[i].name);
		pmx_buf_appendf(&b, "CHECK (%s)", t->checks[i].expr);
	}
	pmx_buf_putc(&b, ')');
	if (t->without_rowid)
		pmx_buf_append(&b, " WITHOUT ROWID");
	if (t->strict)
		pmx_buf_append(&b, t->without_rowid ? ", STRICT" : " STRICT");
	return pmx_buf_finish(&b);
}

/* Column definition for ALTER TABLE ADD COLUMN; NULL on error. */
char *
pmx_sqlite_column_def(PmxCtx *ctx, const PmxTable *t, const PmxColumn *c)
{
	PmxBuf		b;

	pmx_buf_init(&b, ctx);
	if (append_column(ctx, &b, t, c) != PMX_OK)
		return NULL;
	return pmx_buf_finish(&b);
}

/* CREATE INDEX text; see pmx_render_sqlite.h. */
char *
pmx_sqlite_create_index(PmxCtx *ctx, const PmxTable *t, const PmxIndex *ix)
{
	PmxBuf		b;

	pmx_buf_init(&b, ctx);
	pmx_buf_append(&b, ix->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
	pmx_sqlite_buf_qualified(&b, ix->name);
	pmx_buf_append(&b, " ON ");
	pmx_buf_ident(&b, t->name);
	pmx_buf_append(&b, " (");
	for (int i = 0; i < ix->elems.n; i++)
	{
		if (i)
			pmx_buf_append(&b, ", ");
		if (pmx_index_elem_is_column(t, ix->elems.v[i]))
			pmx_buf_ident(&b, ix->elems.v[i]);
		else
			pmx_buf_append(&b, ix->elems.v[i]);
	}
	pmx_buf_putc(&b, ')');
	if (ix->where)
		pmx_buf_appendf(&b, " WHERE %s", ix->where);
	return pmx_buf_finish(&b);
}
