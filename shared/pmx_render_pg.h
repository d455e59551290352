/*-------------------------------------------------------------------------
 *
 * pmx_render_pg.h
 *	  PostgreSQL DDL for model objects.
 *
 * Identifiers are always double-quoted through pmx_buf_ident(); types go
 * through pmx_pg_type_render() (portable names mapped, anything else
 * checked to be a type name); expressions are texts the server itself
 * spelled (introspection) or that pmx_sql_canon_expr() checked to be one
 * expression each (the target).  Table names are not schema-qualified:
 * the host pins search_path to the schema premix works on.
 *
 * IDENTIFICATION
 *	  shared/pmx_render_pg.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PMX_RENDER_PG_H
#define PMX_RENDER_PG_H

#include "pmx_model.h"

/* CREATE TABLE for t; foreign keys only when with_fks.  NULL on error. */
char	   *pmx_pg_create_table(PmxCtx *ctx, const PmxTable *t, bool with_fks);

/* One column definition (name type [COLLATE] [NOT NULL] [DEFAULT|IDENTITY]). */
char	   *pmx_pg_column_def(PmxCtx *ctx, const PmxColumn *c);

/* Table constraint texts: CONSTRAINT "n" PRIMARY KEY (...), ... */
char	   *pmx_pg_key_def(PmxCtx *ctx, const PmxKey *k, bool primary);
char	   *pmx_pg_fk_def(PmxCtx *ctx, const PmxForeignKey *fk);
char	   *pmx_pg_check_def(PmxCtx *ctx, const PmxCheck *ck);

/*
 * COMMENT ON TABLE "t" (column NULL) or COLUMN "t"."c" IS 'text' (NULL
 * text: IS NULL, which removes it).  NULL on OOM.
 */
char	   *pmx_pg_comment(PmxCtx *ctx, const char *table, const char *column,
						   const char *text);

/*
 * Call push(arg, sql) for each COMMENT statement a new table t needs
 * (its own, then its columns'); PMX_ERROR when push fails or on OOM
 * (push must treat a NULL sql as OOM).
 */
int			pmx_pg_table_comments(PmxCtx *ctx, const PmxTable *t,
								  int (*push) (void *, const char *), void *arg);

/* CREATE TYPE "name" AS ENUM ('a', ...).  NULL on OOM. */
char	   *pmx_pg_create_enum(PmxCtx *ctx, const PmxEnum *e);

/* CREATE [UNIQUE] INDEX "ix" ON "t" USING m (...) [WHERE ...]. */
char	   *pmx_pg_create_index(PmxCtx *ctx, const PmxTable *t, const PmxIndex *ix);

/* Append one index element: a column quoted, an expression parenthesized. */
void		pmx_pg_append_index_elem(PmxBuf *b, const PmxTable *t, const char *elem);

#endif							/* PMX_RENDER_PG_H */
