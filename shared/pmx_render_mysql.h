/*-------------------------------------------------------------------------
 *
 * pmx_render_mysql.h
 *	  MySQL/MariaDB DDL for model objects.
 *
 * Identifiers are double-quoted through pmx_buf_ident(): premix's
 * statements run under sql_mode ANSI_QUOTES (premix.sql creates its
 * procedures under that mode, and they run what they PREPARE under it),
 * which also keeps expressions in the core's one canonical spelling.
 * Table names are not qualified: the procedures run the plan with the
 * user's database as the default one.
 *
 * IDENTIFICATION
 *	  shared/pmx_render_mysql.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PMX_RENDER_MYSQL_H
#define PMX_RENDER_MYSQL_H

#include "pmx_model.h"

/* "name" TYPE [COLLATE] NULL|NOT NULL [DEFAULT] [AUTO_INCREMENT] [COMMENT]; NULL on error. */
char	   *pmx_mysql_column_def(PmxCtx *ctx, const PmxColumn *c);

/* CREATE TABLE (no indexes; foreign keys only when with_fks); NULL on error. */
char	   *pmx_mysql_create_table(PmxCtx *ctx, const PmxTable *t, bool with_fks);

/*
 * "[UNIQUE] INDEX "ix" (elems) [USING m]" for ALTER TABLE ... ADD; NULL
 * with PMX_E_UNSUPPORTED for what MariaDB cannot index (a partial index,
 * an expression element, INCLUDE columns).
 */
char	   *pmx_mysql_index_def(PmxCtx *ctx, const PmxTable *t, const PmxIndex *ix);

#endif							/* PMX_RENDER_MYSQL_H */
