/*-------------------------------------------------------------------------
 *
 * pmx_render_sqlite.h
 *	  SQLite DDL for model objects.
 *
 * Identifiers are always double-quoted through pmx_buf_ident(); strings
 * through pmx_buf_literal(); expressions are the canonical texts the model
 * holds, which pmx_sql_canon_expr() checked to be one expression each.
 *
 * IDENTIFICATION
 *	  shared/pmx_render_sqlite.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PMX_RENDER_SQLITE_H
#define PMX_RENDER_SQLITE_H

#include "pmx_model.h"

/* CREATE TABLE for t, named as_name (t->name when NULL).  NULL on error. */
char	   *pmx_sqlite_create_table(PmxCtx *ctx, const PmxTable *t, const char *as_name);

/* One column definition as ALTER TABLE ADD COLUMN takes it.  NULL on error. */
char	   *pmx_sqlite_column_def(PmxCtx *ctx, const PmxTable *t, const PmxColumn *c);

/* CREATE [UNIQUE] INDEX for ix on table. NULL on error. */
char	   *pmx_sqlite_create_index(PmxCtx *ctx, const PmxTable *t, const PmxIndex *ix);

/* True when an index element is a plain column of t. */
bool		pmx_index_elem_is_column(const PmxTable *t, const char *elem);

/* The identity column of t that is SQLite's rowid alias, or NULL. */
const PmxColumn *pmx_sqlite_identity_column(const PmxTable *t);

/*
 * Append a table or index name qualified with the main schema, "main"."t":
 * a TEMP table of the same name must never be the one premix touches.
 */
void		pmx_sqlite_buf_qualified(PmxBuf *b, const char *name);

/* A default as SQLite writes it after DEFAULT: literal bare, else (expr). */
void		pmx_sqlite_append_default(PmxBuf *b, const char *expr);

#endif							/* PMX_RENDER_SQLITE_H */
