/*-------------------------------------------------------------------------
 *
 * pmx_model.h
 *	  The schema model: tables, columns, keys, foreign keys, checks,
 *	  indexes, and the objects premix reads but does not manage.
 *
 * Both sides of a diff are models produced the same way: the live
 * database by introspection, the target by rendering it into a shadow
 * database and introspecting that.  So strings in a model (types,
 * defaults, check expressions, index elements) are in the dialect's
 * canonical spelling and compare with strcmp.
 *
 * All memory is in the context arena.
 *
 * IDENTIFICATION
 *	  shared/pmx_model.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PMX_MODEL_H
#define PMX_MODEL_H

#include "pmx_internal.h"

struct PmxChange;

typedef enum PmxIdentity
{
	PMX_IDENTITY_NONE = 0,
	PMX_IDENTITY_BY_DEFAULT,
	PMX_IDENTITY_ALWAYS
} PmxIdentity;

typedef struct PmxColumn
{
	char	   *name;
	char	   *type;			/* portable lower-case name or dialect spelling */
	bool		nullable;
	char	   *default_expr;	/* canonical expression, NULL = none */
	char	   *collation;		/* NULL = the dialect default */
	PmxIdentity identity;
	char	   *renamed_from;	/* target hint */
	bool		generated;		/* a generated column (not modelled) */
	char	   *comment;		/* PostgreSQL COMMENT ON COLUMN, NULL = none */
	char	   *sequence;		/* PostgreSQL live side: the sequence the column
								 * owns (serial's), NULL = none */
	char	   *live_name;		/* live side: the name in the database now */
	struct PmxColumn *peer;		/* diff: the matching column on the other side */
	const char *maybe_renamed_to;	/* diff: an unconfirmed rename candidate */
	int			position;		/* live side: the column's number in its table
								 * (PostgreSQL attnum), to order columns read
								 * in any order; 0 when not read so */
} PmxColumn;

typedef struct PmxNames
{
	char	  **v;
	int			n;
} PmxNames;

typedef struct PmxKey			/* PRIMARY KEY or UNIQUE */
{
	char	   *name;			/* NULL = unnamed (SQLite) */
	PmxNames	cols;
	bool		implicit;		/* target: the name is the dialect's default */
} PmxKey;

typedef struct PmxForeignKey
{
	char	   *name;
	PmxNames	cols;
	char	   *ref_table;
	PmxNames	ref_cols;		/* n == 0: the referenced table's primary key */
	char	   *on_delete;		/* "no action", "restrict", "cascade", ... */
	char	   *on_update;
	bool		deferrable;		/* DEFERRABLE INITIALLY DEFERRED */
	bool		implicit;		/* target: the name is the dialect's default */
} PmxForeignKey;

typedef struct PmxCheck
{
	char	   *name;
	char	   *expr;			/* canonical */
	bool		implicit;		/* target: the name is the dialect's default */
} PmxCheck;

typedef struct PmxIndex
{
	char	   *name;
	PmxNames	elems;			/* column names or canonical expressions */
	bool		unique;
	char	   *where;			/* canonical predicate or NULL */
	char	   *method;			/* "btree" */
	PmxNames	include;		/* PostgreSQL INCLUDE columns */
	char	   *renamed_from;
	char	   *live_name;		/* live side: the name in the database now */
	struct PmxIndex *peer;		/* diff: the matching index on the other side */
} PmxIndex;

typedef struct PmxTable
{
	char	   *schema;			/* PostgreSQL; NULL elsewhere */
	char	   *name;
	char	   *renamed_from;
	PmxColumn  *cols;
	int			ncols,
				capcols;
	PmxKey	   *pk;				/* NULL = no primary key */
	PmxKey	   *uniques;
	int			nuniques,
				capuniques;
	PmxForeignKey *fks;
	int			nfks,
				capfks;
	PmxCheck   *checks;
	int			nchecks,
				capchecks;
	PmxIndex   *indexes;
	int			nindexes,
				capindexes;
	char	   *comment;		/* PostgreSQL COMMENT ON TABLE, NULL = none */
	bool		without_rowid;	/* options */
	bool		strict;
	/* facts from introspection, not part of the JSON form */
	char	   *create_sql;		/* the stored CREATE TABLE text */
	char	   *live_name;		/* live side: the name in the database now */
	struct PmxTable *peer;		/* diff: the matching table on the other side */
	struct PmxChange **changes;	/* diff: the changes on this table */
	int			nchanges,
				capchanges;
	const char *maybe_renamed_to;	/* diff: an unconfirmed rename candidate */
	const char *unmodelled;		/* a feature premix cannot rebuild, or NULL */
	const char *fp_text;		/* pmx_fingerprint_both's text of the live
								 * table, kept for its unchanged copy in the
								 * target (pmx_fingerprint_target); NULL
								 * otherwise, and in every pmx_table_clone */
} PmxTable;

typedef struct PmxExtra			/* views and triggers: kept, not managed */
{
	char	   *type;			/* "view" or "trigger" */
	char	   *name;
	char	   *table;			/* the table a trigger is on */
	char	   *sql;
} PmxExtra;

typedef struct PmxEnum			/* PostgreSQL enum type */
{
	char	   *name;
	PmxNames	values;			/* labels in sort order */
} PmxEnum;

typedef struct PmxSchema
{
	PmxDialect	dialect;
	PmxTable  **tables;
	int			ntables,
				captables;
	PmxExtra   *extras;
	int			nextras,
				capextras;
	PmxEnum    *enums;			/* PostgreSQL enum types of the schema */
	int			nenums,
				capenums;
	bool		enums_listed;	/* target: "enums" given, so they are managed */
	const char **notes;			/* where the dialect cannot keep a promise */
	int			nnotes,
				capnotes;
	PmxMap		tabmap;			/* table name -> PmxTable*, built on demand */
	int			tabmap_count;	/* ntables when tabmap was built */
} PmxSchema;

/* construction (NULL / PMX_ERROR on OOM) */
PmxSchema  *pmx_schema_new(PmxCtx *ctx, PmxDialect dialect);
PmxTable   *pmx_schema_add_table(PmxCtx *ctx, PmxSchema *s, const char *name);
PmxColumn  *pmx_table_add_column(PmxCtx *ctx, PmxTable *t, const char *name);
PmxKey	   *pmx_table_add_unique(PmxCtx *ctx, PmxTable *t);
PmxForeignKey *pmx_table_add_fk(PmxCtx *ctx, PmxTable *t);
PmxCheck   *pmx_table_add_check(PmxCtx *ctx, PmxTable *t);
PmxIndex   *pmx_table_add_index(PmxCtx *ctx, PmxTable *t);
PmxExtra   *pmx_schema_add_extra(PmxCtx *ctx, PmxSchema *s);
PmxEnum    *pmx_schema_add_enum(PmxCtx *ctx, PmxSchema *s, const char *name);
PmxEnum    *pmx_schema_find_enum(PmxSchema *s, const char *name);	/* NULL if none */
int			pmx_names_push(PmxCtx *ctx, PmxNames *names, const char *s);

/* lookup: names compare as the dialect compares identifiers */
bool		pmx_ident_eq(PmxDialect d, const char *a, const char *b);
PmxTable   *pmx_schema_find(PmxCtx *ctx, PmxSchema *s, const char *name);
PmxColumn  *pmx_table_find_column(PmxCtx *ctx, PmxDialect d, PmxTable *t,
								  const char *name);
int			pmx_table_column_index(PmxCtx *ctx, PmxDialect d, PmxTable *t,
								   const char *name);
PmxIndex   *pmx_table_find_index(PmxTable *t, PmxDialect d, const char *name);
bool		pmx_names_eq(PmxDialect d, const PmxNames *a, const PmxNames *b);

/* DDL pieces every dialect writes alike: ("a", "b") and CONSTRAINT "n " */
void		pmx_buf_names(PmxBuf *b, const PmxNames *n);
void		pmx_buf_literals(PmxBuf *b, const PmxNames *n);	/* ('a', 'b') */
void		pmx_buf_constraint_name(PmxBuf *b, const char *name);	/* NULL: nothing */
char	   *pmx_names_join(PmxCtx *ctx, const PmxNames *n, const char *sep);

/* A deep copy of t (names arrays included, strings shared); NULL on OOM. */
PmxTable   *pmx_table_clone(PmxCtx *ctx, const PmxTable *t);

/* put tables and constraint lists in canonical order (for output) */
void		pmx_schema_sort(PmxSchema *s);

/* JSON (pmx_model_json.c) */
typedef struct PmxJson PmxJson;
struct PmxJsonWriter;
struct PmxChange;
PmxSchema  *pmx_schema_from_json(PmxCtx *ctx, const PmxJson *root,
								 PmxDialect dialect);
char	   *pmx_schema_to_json(PmxCtx *ctx, PmxSchema *s);
void		pmx_table_write_json(struct PmxJsonWriter *w, const PmxTable *t);

/* fingerprints (pmx_fingerprint.c): 64 hex digits in the arena */
char	   *pmx_fingerprint_model(PmxCtx *ctx, PmxSchema *s);
char	   *pmx_fingerprint_live(PmxCtx *ctx, PmxSchema *s);
int			pmx_fingerprint_both(PmxCtx *ctx, PmxSchema *s, char **model_fp, char **live_fp);
char	   *pmx_fingerprint_target(PmxCtx *ctx, PmxSchema *s);

/*
 * The text a fingerprint hashes for table t (its JSON, columns by name),
 * written into w and finished (valid until w is used again); *scratch and
 * *cap are the caller's column array, grown in ctx.  PMX_ERROR on OOM.
 */
int			pmx_table_fp_write(PmxCtx *ctx, struct PmxJsonWriter *w, const PmxTable *t,
							   PmxColumn **scratch, int *cap);

#endif							/* PMX_MODEL_H */
