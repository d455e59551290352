/*-------------------------------------------------------------------------
 *
 * pmx_shadow_trim.h
 *	  Taking a changed table's unchanged objects from the live model
 *	  instead of the shadow (PostgreSQL); see pmx_shadow_trim.c.
 *
 * IDENTIFICATION
 *	  shared/pmx_shadow_trim.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PMX_SHADOW_TRIM_H
#define PMX_SHADOW_TRIM_H

#include "pmx_engine.h"
#include "pmx_model.h"

/* The live objects a trimmed table leaves out of the shadow. */
typedef struct PmxKept
{
	const PmxIndex **indexes;
	int			nindexes;
	const PmxForeignKey **fks;
	int			nfks;
	const PmxCheck **checks;
	int			nchecks;
	/* set by pmx_shadow_trim_columns: the target's columns in order, each
	 * with the live column it is taken from, or NULL (made by the shadow) */
	const char **col_names;
	const PmxColumn **cols;
	int			ncols;
	const PmxKey *pk;			/* the live primary key taken, or NULL */
	const PmxKey **uniques;		/* the live unique constraints taken */
	int			nuniques;
	/* set by pmx_shadow_declare: the target's own keys and indexes, taken
	 * as declared (the shadow only checks that their columns sort) */
	const PmxKey *decl_pk;
	const PmxKey **decl_uniques;
	int			ndecl_uniques;
	const PmxIndex **decl_indexes;
	int			ndecl_indexes;
	/* set by pmx_shadow_declare_columns: the declared keys and indexes whose
	 * columns all left the shadow, their types known to sort (no sort check
	 * there; NULL arrays: none), and whether nothing of the table is left
	 * for the shadow at all (it is then made of its name and what is kept) */
	bool		decl_pk_sorts;
	bool	   *decl_uniques_sort;
	bool	   *decl_indexes_sort;
	bool		no_shadow;
} PmxKept;

/* The server's spelling of a column type (pmx_shadow_spell_types). */
typedef struct PmxSpelled
{
	const char *format_type;	/* as format_type() prints it */
	const char *type;			/* as introspection reports it */
	bool		sortable;		/* a key or btree index over it can be built */
} PmxSpelled;

/*
 * A copy of target table jt for the shadow, without the indexes, foreign
 * keys and checks that live table lt already has in the same form; those
 * are listed in *kept.  NULL on OOM.
 */
PmxTable   *pmx_shadow_trim(PmxCtx *ctx, const PmxTable *jt, const PmxTable *lt,
							PmxKept *kept);

/*
 * Trim t (a table pmx_shadow_trim made from target table jt) further: the
 * columns, primary key and unique constraints the target declares as live
 * table lt has them stay out of the shadow too, when nothing left in the
 * shadow needs them (a check or an index over expressions or with a
 * predicate needs the columns it names, and every one when it names the
 * table).  Only for a table no foreign key in the shadow references.
 * Adds to *kept; PMX_ERROR on OOM.
 */
int			pmx_shadow_trim_columns(PmxCtx *ctx, PmxTable *t, const PmxTable *lt,
									PmxKept *kept);

/*
 * Take the named primary key, unique constraints and plain indexes of t (a
 * table going to the shadow, which no foreign key in the shadow
 * references) out of it: on plain columns, btree, without predicate or
 * INCLUDE list, they are spelled by their names alone, and the server
 * would only build empty indexes for them.  A declared primary key's
 * columns are made NOT NULL in t, as the server makes them.  Adds to
 * *kept; PMX_ERROR on OOM.
 */
int			pmx_shadow_declare(PmxCtx *ctx, PmxTable *t, PmxKept *kept);

/*
 * The statements that check, in the shadow, that the columns of each key
 * and index kept declares (on table t) can be sorted, as a btree needs:
 * a "SELECT ... ORDER BY" over them each, handed to add(arg, sql, what)
 * with what naming the object; none for those whose columns all left the
 * shadow with types the server says sort (pmx_shadow_declare_columns).
 * PMX_ERROR on OOM or when add fails.
 */
int			pmx_shadow_declare_checks(PmxCtx *ctx, const char *table, const PmxKept *kept,
									  int (*add) (void *arg, const char *sql, const char *what),
									  void *arg);

/*
 * Ask the host (db->spell_types, PostgreSQL) how the server spells the
 * types of the columns of tables[0..n) that could leave the shadow, each
 * type once, without creating anything.  *out maps a column's type as the
 * target writes it to a PmxSpelled (arena), and has no entry for a type
 * the server would not take as it is; a host without spell_types leaves
 * it empty.  PMX_ERROR on OOM or when the host fails.
 */
int			pmx_shadow_spell_types(PmxCtx *ctx, PmxDb *db, PmxTable *const *tables, int n,
								   PmxMap *out);

/*
 * Take out of t (a table pmx_shadow_declare has seen, which no foreign key
 * in the shadow references; lt its live table or NULL) the columns the
 * server spells from their type alone -- no default, collation or
 * generated expression, a type in spelled -- when nothing left in the
 * shadow needs them; they are made from the declaration with the server's
 * spelling of the type.  A declared key or index whose columns all leave
 * needs no sort check when their types sort; otherwise its columns stay.
 * Sets kept->no_shadow when a live table has nothing left for the shadow.
 * Adds to *kept; PMX_ERROR on OOM.
 */
int			pmx_shadow_declare_columns(PmxCtx *ctx, PmxTable *t, const PmxTable *lt,
									   PmxKept *kept, const PmxMap *spelled);

/* Add copies of the kept live objects to rt (the shadow's table). */
int			pmx_shadow_splice(PmxCtx *ctx, PmxTable *rt, const PmxKept *kept);

/* Helpers shared by pmx_shadow_trim.c and pmx_shadow_columns.c. */

/* The index element list of ix holds only plain columns of t. */
bool		pmx_shadow_plain_columns(const PmxTable *t, const PmxIndex *ix);

/* Mark need[c] for each column c of t named in n; false if a name is not a column. */
bool		pmx_shadow_mark_needed(const PmxTable *t, const PmxNames *n, bool *need);

/* Target column jc declares live column lc as it is: every field of the JSON form. */
bool		pmx_shadow_column_same(const PmxColumn *jc, const PmxColumn *lc);

/*
 * Mark need[c] for each column of t that a check or an index (its
 * elements, INCLUDE list, predicate) going to the shadow with t names: the
 * shadow needs those to spell them.  False when one names the table itself
 * (a whole-row reference) or an INCLUDE name is not a column: then every
 * column is needed.
 */
bool		pmx_shadow_mark_exprs(const PmxTable *t, bool *need);

/*
 * A name the server keeps as written: longer than NAMEDATALEN - 1 bytes it
 * would cut it (with a NOTICE), which only the shadow can show.
 */
bool		pmx_shadow_name_kept(const char *name);

#endif							/* PMX_SHADOW_TRIM_H */
