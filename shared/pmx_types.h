/*-------------------------------------------------------------------------
 *
 * pmx_types.h
 *	  Portable types and their per-dialect spelling, in one place.
 *
 * A type written in lower case exactly as DESIGN.md lists it (integer,
 * varchar(50), jsonb, ...) is portable and is mapped per dialect; any
 * other spelling ("VARCHAR(50)", "INT", "citext") is passed to the dialect
 * as written.
 *
 * SQLite keeps a portable type's promise with a declared type plus, where
 * the declared type cannot, an unnamed column CHECK -- the "marker":
 *	 boolean  INTEGER CHECK ("c" IN (0, 1))
 *	 varchar(n) TEXT CHECK (length("c") <= n)
 *	 uuid	  TEXT CHECK (length("c") = 36)
 *	 json, jsonb TEXT CHECK ("c" IS NULL OR json_valid("c"))	(reported as json;
 *				  a hand-written CHECK (json_valid("c")) is recognised too)
 * Introspection recognises the pair and reports the portable name, so a
 * schema round-trips.
 *
 * IDENTIFICATION
 *	  shared/pmx_types.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PMX_TYPES_H
#define PMX_TYPES_H

#include "pmx_internal.h"

typedef enum PmxTypeKind
{
	PMX_T_OTHER = 0,			/* not portable: passed through */
	PMX_T_SMALLINT,
	PMX_T_INTEGER,
	PMX_T_BIGINT,
	PMX_T_BOOLEAN,
	PMX_T_REAL,
	PMX_T_DOUBLE,
	PMX_T_NUMERIC,
	PMX_T_TEXT,
	PMX_T_VARCHAR,
	PMX_T_CHAR,
	PMX_T_BYTES,
	PMX_T_DATE,
	PMX_T_TIME,
	PMX_T_TIMESTAMP,
	PMX_T_TIMESTAMPTZ,
	PMX_T_UUID,
	PMX_T_JSON,
	PMX_T_JSONB
} PmxTypeKind;

typedef struct PmxType
{
	PmxTypeKind kind;
	int			len;			/* varchar/char length, numeric precision; -1 none */
	int			scale;			/* numeric scale; -1 none */
	const char *raw;			/* the spelling given */
} PmxType;

/* SQLite column affinities (sqlite.org/datatype3.html 3.1) */
typedef enum PmxAffinity
{
	PMX_AFF_INTEGER,
	PMX_AFF_TEXT,
	PMX_AFF_BLOB,
	PMX_AFF_REAL,
	PMX_AFF_NUMERIC
} PmxAffinity;

PmxType		pmx_type_parse(const char *s);
bool		pmx_type_is_integer(PmxTypeKind k);

/*
 * SQLite spelling of a type: the declared type into *decl and, when the
 * type needs one, the marker CHECK over column colname into *marker
 * (NULL otherwise).  strict=true picks the STRICT-table type names.
 * PMX_ERROR with PMX_E_UNSUPPORTED when STRICT cannot hold the type.
 */
int			pmx_sqlite_type_render(PmxCtx *ctx, const char *type, bool strict,
								   const char *colname, bool rowid_alias,
								   const char **decl, char **marker);

/*
 * The type SQLite introspection reports for a column with declared type
 * decl and unnamed column-level CHECKs checks[0..n) (canonical).  When a
 * check is the type's marker, *absorbed is set to its index (else -1).
 * NULL on OOM.
 */
char	   *pmx_sqlite_type_report(PmxCtx *ctx, const char *decl,
								   const char *colname, char *const *checks,
								   int nchecks, int *absorbed);

PmxAffinity pmx_sqlite_affinity(const char *decl);

/* How a column type change affects the rows that are there (SQLite). */
typedef enum PmxTypeChange
{
	PMX_TC_WIDEN,				/* every value fits: rewrite only */
	PMX_TC_CONSTRAIN,			/* a new validity rule: check violators */
	PMX_TC_NARROW,				/* values may not fit: check, destructive */
	PMX_TC_CONVERT				/* storage class changes: destructive */
} PmxTypeChange;

/*
 * Classify a change from type old_t to new_t on SQLite.  *violation gets a
 * predicate over column colname (canonical SQL) that is true for a value
 * the new type would refuse or lose, or NULL when no row can violate.
 */
PmxTypeChange pmx_sqlite_type_change(PmxCtx *ctx, const char *old_t,
									 const char *new_t, const char *colname,
									 char **violation);

/* ---- PostgreSQL (pmx_types_pg.c) ---- */

/*
 * True when s can be a PostgreSQL column type: words or quoted names,
 * optionally schema-qualified, with one parenthesized list of numbers,
 * trailing words ("timestamp(3) with time zone") and "[]" pairs.  Strings,
 * ";" and comments never pass.
 */
bool		pmx_pg_valid_type_name(const char *s);

/* PostgreSQL spelling of a target type (portable mapped); NULL + error if invalid. */
char	   *pmx_pg_type_render(PmxCtx *ctx, const char *type);

/*
 * The integer type under a serial pseudo-type ("integer" for serial and
 * serial4, "bigint" for bigserial and serial8, "smallint" for smallserial
 * and serial2), else NULL.  A static string.
 */
const char *pmx_pg_serial_base(const char *type);

/* The portable name for a format_type() spelling, else that spelling. */
char	   *pmx_pg_type_report(PmxCtx *ctx, const char *format_type);

/*
 * Classify old_t -> new_t on PostgreSQL (both as pmx_pg_type_report
 * spells them).  *violation: predicate over colname true for a value that
 * does not fit, or NULL.  *rewrite: ALTER TYPE rewrites (or scans) the
 * table.  *needs_cast: the server must be shown the values cast, by a
 * counting query over CAST(col AS new), before the change is trusted.
 */
PmxTypeChange pmx_pg_type_change(PmxCtx *ctx, const char *old_t,
								 const char *new_t, const char *colname,
								 char **violation, bool *rewrite,
								 bool *needs_cast);

/* ---- MySQL/MariaDB (pmx_types_mysql.c) ---- */

/* MariaDB spelling of a target type (portable mapped); NULL + error if invalid. */
char	   *pmx_mysql_type_render(PmxCtx *ctx, const char *type);

/* The portable name for an information_schema COLUMN_TYPE, else it lower-cased. */
char	   *pmx_mysql_type_report(PmxCtx *ctx, const char *column_type);

/*
 * A schema document exported from MySQL/MariaDB (raw COLUMN_TYPEs) in
 * portable terms: types reported, json_valid checks folded into "json".
 */
struct PmxSchema;
int			pmx_mysql_normalize(PmxCtx *ctx, struct PmxSchema *s);

/*
 * Spellings InnoDB treats alike, folded so that they compare equal:
 * RESTRICT is NO ACTION (both checked at once), current_timestamp(N),
 * current_timestamp() and now() are current_timestamp (the time of the
 * insert; MariaDB widens the default to the column's precision itself).
 * Part of pmx_mysql_normalize; also applied to every MySQL target.
 */
void		pmx_mysql_fold_equivalents(struct PmxSchema *s);

/*
 * True when s can be a MySQL column type: what pmx_sql_valid_type_name
 * accepts, optionally followed by UNSIGNED / ZEROFILL, or
 * enum('a', ...) / set('a', ...) with string labels only.
 */
bool		pmx_mysql_valid_type_name(const char *s);

/*
 * Classify old_t -> new_t on MySQL/MariaDB (both as
 * pmx_mysql_type_report spells them).  *violation: predicate over
 * colname true for a value that does not fit the new type (lengths in
 * characters, integer ranges, decimal digits, enum labels), or NULL.
 * *instant: the server changes only metadata (an enum or set extended at
 * its end, a varchar widened within the same length-byte class).
 */
PmxTypeChange pmx_mysql_type_change(PmxCtx *ctx, const char *old_t,
									const char *new_t, const char *colname,
									char **violation, bool *instant);

#endif							/* PMX_TYPES_H */
