/*-------------------------------------------------------------------------
 *
 * pmx_sqlite_ddl.h
 *	  A reader of the CREATE TABLE and CREATE INDEX text SQLite stores in
 *	  sqlite_schema.
 *
 * SQLite's pragmas give columns, types, NOT NULL, defaults, primary key
 * order, foreign keys and index columns, but not constraint names, CHECK
 * expressions, column collations, AUTOINCREMENT or index expressions.
 * Those come from the stored text, which SQLite keeps verbatim.  The
 * reader follows SQLite's grammar (lang_createtable.html) over the
 * tokenizer in pmx_sqltext.c: every quoting style, nested parentheses,
 * comments.  It records constructs premix does not model (conflict
 * clauses, DEFERRABLE, generated columns, ...) so a rebuild can refuse
 * rather than drop them.
 *
 * IDENTIFICATION
 *	  shared/pmx_sqlite_ddl.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PMX_SQLITE_DDL_H
#define PMX_SQLITE_DDL_H

#include "pmx_internal.h"

typedef enum PmxDdlConsKind
{
	PMX_DDL_PK,
	PMX_DDL_UNIQUE,
	PMX_DDL_CHECK,
	PMX_DDL_FK
} PmxDdlConsKind;

typedef struct PmxDdlCons
{
	PmxDdlConsKind kind;
	char	   *name;			/* CONSTRAINT name, or NULL */
	int			column;			/* index of the owning column, -1 = table level */
	char	  **cols;			/* PK/UNIQUE/FK columns (column level: that column) */
	int			ncols;
	char	   *expr;			/* CHECK: canonical expression */
	char	   *ref_table;		/* FK */
	char	  **ref_cols;
	int			nref_cols;
} PmxDdlCons;

typedef struct PmxDdlColumn
{
	char	   *name;
	char	   *collate;		/* COLLATE name (upper-cased), or NULL */
	bool		autoincrement;
	bool		generated;
} PmxDdlColumn;

typedef struct PmxDdlTable
{
	char	   *name;
	PmxDdlColumn *cols;
	int			ncols;
	PmxDdlCons *cons;
	int			ncons;
	bool		without_rowid;
	bool		strict;
	const char *unmodelled;		/* first construct premix cannot rebuild */
} PmxDdlTable;

typedef struct PmxDdlIndex
{
	char	   *name;
	char	   *table;
	bool		unique;
	char	  **elems;			/* canonical element texts */
	int			nelems;
	char	   *where;			/* canonical predicate or NULL */
} PmxDdlIndex;

/* Parse a CREATE TABLE; NULL with PMX_E_INVALID on text it cannot read. */
PmxDdlTable *pmx_sqlite_parse_table(PmxCtx *ctx, const char *sql);

/* Parse a CREATE INDEX; NULL with PMX_E_INVALID on text it cannot read. */
PmxDdlIndex *pmx_sqlite_parse_index(PmxCtx *ctx, const char *sql);

/*
 * The first keyword pair of a statement ("create table", "create index",
 * "create unique index", ...), lower-cased, for statement filtering.
 */
char	   *pmx_sqlite_stmt_kind(PmxCtx *ctx, const char *sql);

#endif							/* PMX_SQLITE_DDL_H */
