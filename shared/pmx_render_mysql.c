/*-------------------------------------------------------------------------
 *
 * pmx_render_mysql.c
 *	  MySQL/MariaDB DDL for model objects; see pmx_render_mysql.h.
 *
 * IDENTIFICATION
 *	  shared/pmx_render_mysql.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pmx_render_mysql.h"
#include "pmx_render_pg.h"
#include "pmx_sql.h"
#include "pmx_types.h"

/* Column definition; see pmx_render_mysql.h. */
char *
pmx_mysql_column_def(PmxCtx *ctx, const PmxColumn *c)
{
	PmxBuf		b;
	char	   *type = pmx_mysql_type_render(ctx, c->type);

	if (!type)
		return NULL;
	pmx_buf_init(&b, ctx);
	pmx_buf_ident(&b, c->name);
	pmx_buf_appendf(&b, " %s", type);
	if (c->collation)
	{
		pmx_buf_append(&b, " COLLATE ");
		pmx_buf_ident(&b, c->collation);
	}
	pmx_buf_append(&b, c->nullable ? " NULL" : " NOT NULL");
	if (c->identity != PMX_IDENTITY_NONE)
		pmx_buf_append(&b, " AUTO_INCREMENT");
	else if (c->default_expr)
		pmx_buf_appendf(&b, " DEFAULT %s", c->default_expr);
	if (c->comment)
	{
		pmx_buf_append(&b, " COMMENT ");
		pmx_buf_literal(&b, c->comment);
	}
	return pmx_buf_finish(&b);
}

/* CREATE TABLE; see pmx_render_mysql.h. */
char *
pmx_mysql_create_table(PmxCtx *ctx, const PmxTable *t, bool with_fks)
{
	PmxBuf		b;
	const char *sep = "";

	pmx_buf_init(&b, ctx);
	pmx_buf_append(&b, "CREATE TABLE ");
	pmx_buf_ident(&b, t->name);
	pmx_buf_append(&b, " (");
	for (int i = 0; i < t->ncols; i++, sep = ", ")
	{
		char	   *def = pmx_mysql_column_def(ctx, &t->cols[i]);

		if (!def)
			return NULL;
		pmx_buf_appendf(&b, "%s%s", sep, def);
	}
	if (t->pk)
	{
		pmx_buf_appendf(&b, "%sPRIMARY KEY ", sep);
		pmx_buf_names(&b, &t->pk->cols);
		sep = ", ";
	}
	for (int i = 0; i < t->nuniques; i++, sep = ", ")
		pmx_buf_appendf(&b, "%s%s", sep, pmx_pg_key_def(ctx, &t->uniques[i], false));
	for (int i = 0; i < t->nchecks; i++, sep = ", ")
		pmx_buf_appendf(&b, "%s%s", sep, pmx_pg_check_def(ctx, &t->checks[i]));
	for (int i = 0; with_fks && i < t->nfks; i++, sep = ", ")
		pmx_buf_appendf(&b, "%s%s", sep, pmx_pg_fk_def(ctx, &t->fks[i]));
	pmx_buf_putc(&b, ')');
	if (t->comment)
	{
		pmx_buf_append(&b, " COMMENT ");
		pmx_buf_literal(&b, t->comment);
	}
	return pmx_buf_finish(&b);
}

/*
 * One index element: a column, or a column with a prefix length as
 * information_schema reports it ("title(50)"), optionally " desc".
 * PMX_ERROR (PMX_E_UNSUPPORTED) for an expression.
 */
static int
append_elem(PmxCtx *ctx, PmxBuf *b, const PmxTable *t, const PmxIndex *ix, const char *elem)
{
	size_t		n = strlen(elem);
	const char *order = "";
	size_t		name_len;
	const char *paren;

	if (n > 5 && strcmp(elem + n - 5, " desc") == 0)
		order = " DESC", n -= 5;
	else if (n > 4 && strcmp(elem + n - 4, " asc") == 0)
		n -= 4;
	paren = memchr(elem, '(', n);
	name_len = paren ? (size_t) (paren - elem) : n;
	for (int i = 0; i < t->ncols; i++)
	{
		const char *c = t->cols[i].name;
		bool		prefix = paren && elem[n - 1] == ')' && n - name_len >= 3 &&
			strspn(paren + 1, "0123456789") == n - name_len - 2;

		if (strlen(c) == name_len && strncmp(c, elem, name_len) == 0 && (!paren || prefix))
		{
			pmx_buf_ident(b, c);
			if (paren)
				pmx_buf_append_len(b, paren, n - name_len);
			pmx_buf_append(b, order);
			return PMX_OK;
		}
	}
	pmx_error(ctx, PMX_E_UNSUPPORTED, "index %s of table %s has the expression element %s, which MariaDB cannot index",
			  ix->name, t->name, elem);
	return pmx_error_hint(ctx, "Index a column (or a prefix of one, \"title(50)\"), or add a generated column that holds the expression and index that.");
}

/* Index definition; see pmx_render_mysql.h. */
char *
pmx_mysql_index_def(PmxCtx *ctx, const PmxTable *t, const PmxIndex *ix)
{
	PmxBuf		b;

	if (ix->where || ix->include.n)
	{
		pmx_error(ctx, PMX_E_UNSUPPORTED, "index %s of table %s is %s, which MySQL and MariaDB do not have",
				  ix->name, t->name, ix->where ? "partial (WHERE ...)" : "covering (INCLUDE ...)");
		pmx_error_hint(ctx, "Drop the \"where\"/\"include\" of the index for this dialect.");
		return NULL;
	}
	pmx_buf_init(&b, ctx);
	pmx_buf_append(&b, ix->unique ? "UNIQUE INDEX " : "INDEX ");
	pmx_buf_ident(&b, ix->name);
	pmx_buf_append(&b, " (");
	for (int i = 0; i < ix->elems.n; i++)
	{
		if (i)
			pmx_buf_append(&b, ", ");
		if (append_elem(ctx, &b, t, ix, ix->elems.v[i]) != PMX_OK)
			return NULL;
	}
	pmx_buf_putc(&b, ')');
	if (ix->method && (pmx_streq_fold(ix->method, "btree") || pmx_streq_fold(ix->method, "hash")))
		pmx_buf_appendf(&b, " USING %s", pmx_streq_fold(ix->method, "hash") ? "HASH" : "BTREE");
	return pmx_buf_finish(&b);
}
